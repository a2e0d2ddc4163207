/*-------------------------------------------------------------------------
 *
 * relay_worker.h
 *	  The relay worker of one database: alerts delivered in notify_mode
 *	  relay, checkpoints of the evidence log on a schedule (relay_worker.c).
 *
 * IDENTIFICATION
 *	  src/relay_worker.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef HRGUARD_RELAY_WORKER_H
#define HRGUARD_RELAY_WORKER_H

#include "postgres.h"

/* the bgw_type of the relay workers, as pg_stat_activity shows it */
#define HRGUARD_RELAY_WORKER_TYPE "hrguard alert relay"

/* settings, registered by hrguard.c */
extern int	hrguard_relay_interval_ms;
extern int	hrguard_checkpoint_interval_s;

/* the entry point of a database's relay worker */
extern PGDLLEXPORT void hrguard_relay_main(Datum arg);

/* shutdown, reload and cancel requests, between passes and rounds */
extern void hrguard_relay_process_interrupts(int exit_code);

#endif							/* HRGUARD_RELAY_WORKER_H */
