/*-------------------------------------------------------------------------
 *
 * relay_launcher.h
 *	  The launcher of the alert relay: one relay worker per database using
 *	  hrguard, and the DDL hook that stops a database's worker when a
 *	  statement needs the database to itself (relay_launcher.c).
 *
 * IDENTIFICATION
 *	  src/relay_launcher.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef HRGUARD_RELAY_LAUNCHER_H
#define HRGUARD_RELAY_LAUNCHER_H

#include "postgres.h"

#include "utils/guc.h"

#define HRGUARD_RELAY_LAUNCHER_TYPE "hrguard relay launcher"

/* hrguard.relay_databases, registered by hrguard.c with its check hook */
extern char *hrguard_relay_databases;
extern bool hrguard_relay_databases_check(char **newval, void **extra, GucSource source);

/* called from _PG_init while shared_preload_libraries is being loaded */
extern void hrguard_relay_launcher_register(void);

#endif							/* HRGUARD_RELAY_LAUNCHER_H */
