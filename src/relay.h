/*-------------------------------------------------------------------------
 *
 * relay.h
 *	  The alert relay's background workers: a launcher that starts one
 *	  relay worker per database using hrguard (relay_launcher.c), and the
 *	  worker that delivers alerts and takes scheduled checkpoints in its
 *	  database (relay_worker.c).
 *
 * IDENTIFICATION
 *	  src/relay.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef HRGUARD_RELAY_H
#define HRGUARD_RELAY_H

#include "postgres.h"

#include "utils/guc.h"

/* the bgw_type of the relay workers, as pg_stat_activity shows it */
#define HRGUARD_RELAY_WORKER_TYPE "hrguard alert relay"
#define HRGUARD_RELAY_LAUNCHER_TYPE "hrguard relay launcher"

/* settings, defined in relay_worker.c (registered by hrguard.c) */
extern char *hrguard_relay_databases;
extern int	hrguard_relay_interval_ms;
extern int	hrguard_checkpoint_interval_s;

/* relay_launcher.c: called from _PG_init while preloading */
extern void hrguard_relay_launcher_register(void);
extern bool hrguard_relay_databases_check(char **newval, void **extra, GucSource source);
/* relay_launcher.c: shutdown, reload and cancel requests, between rounds */
extern void hrguard_relay_process_interrupts(int exit_code);

/* relay_worker.c: the entry point of a database's relay worker */
extern PGDLLEXPORT void hrguard_relay_main(Datum arg);

#endif							/* HRGUARD_RELAY_H */
