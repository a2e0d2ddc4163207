/*-------------------------------------------------------------------------
 *
 * common.h
 *	  Helpers every module of hrguard uses (common.c).
 *
 * IDENTIFICATION
 *	  src/common.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef HRGUARD_COMMON_H
#define HRGUARD_COMMON_H

#include "postgres.h"

#include "commands/trigger.h"
#include "datatype/timestamp.h"

extern struct pg_tz *hrguard_default_tz(void);
/* whether a trigger lets a row through unchecked (restore_mode, replicas) */
extern bool hrguard_row_passes_through(TriggerData *trigdata);

extern int	hrguard_jit_off(void);
extern void hrguard_restore_settings(int level);
extern Oid	hrguard_relation_owner(Oid relid);
extern void hrguard_missing_column(const char *table, const char *column) pg_attribute_noreturn();
extern struct _SPI_plan *hrguard_prepare_kept(const char *query, int nargs, Oid *types);
extern char *hrguard_utc_iso(TimestampTz t);
extern char *hrguard_iso_date(int32 day);
extern char *hrguard_local_iso(Timestamp t);
extern bool hrguard_recordable_time(TimestampTz t);
extern void hrguard_check_recordable_time(TimestampTz t, const char *what);
extern const char *hrguard_to_utf8(const char *s);
extern bytea *hrguard_bytea_from(const void *data, size_t len);

#endif							/* HRGUARD_COMMON_H */
