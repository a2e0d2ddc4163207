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

/* sorted lookups: compare(element, key) < 0 when the element comes first */
typedef int (*HrguardKeyCompare) (const void *element, const void *key);
extern int	hrguard_lower_bound(const void *base, int n, size_t size, const void *key,
								HrguardKeyCompare compare);
extern int	hrguard_find_sorted(const void *base, int n, size_t size, const void *key,
								HrguardKeyCompare compare);
extern int	hrguard_compare_string_key(const void *element, const void *key);
extern int	hrguard_compare_int64_key(const void *element, const void *key);
extern int	hrguard_compare_strings(const void *a, const void *b);
extern int	hrguard_find_string(char **sorted, int n, const char *key);

#endif							/* HRGUARD_COMMON_H */
