/*-------------------------------------------------------------------------
 *
 * common.c
 *	  Helpers every module of hrguard uses: the default time zone, session
 *	  settings around internal work, kept plans, relation owners, rows a
 *	  trigger lets through, recordable times, times as ISO text, text to
 *	  UTF-8, bytea copies and the one binary search.
 *
 * IDENTIFICATION
 *	  src/common.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_class.h"
#include "executor/spi.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "pgtime.h"
#include "replication/logicalworker.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"
#include "utils/timestamp.h"

#include "common.h"
#include "hrguard.h"

/*
 * The time zone hrguard.default_timezone names, for zone schedules that
 * name none: looked up again only when the setting changes.
 */
pg_tz *
hrguard_default_tz(void)
{
	static char name[TZ_STRLEN_MAX + 1];
	static pg_tz *tz = NULL;

	if (tz == NULL || strcmp(name, hrguard_default_timezone) != 0)
	{
		pg_tz	   *found = pg_tzset(hrguard_default_timezone);

		if (found == NULL)		/* the check hook lets none such in */
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("hrguard.default_timezone \"%s\" is not a known time zone",
							hrguard_default_timezone)));
		strlcpy(name, hrguard_default_timezone, sizeof(name));
		tz = found;
	}
	return tz;
}

/*
 * JIT off for the following work, until hrguard_restore_settings(): the
 * log's bookkeeping queries look costly to the planner (a lateral probe
 * per chain) but run in milliseconds, and compiling them took longer than
 * running them.  An error unwinds the setting with the transaction.
 */
int
hrguard_jit_off(void)
{
	int			level = NewGUCNestLevel();

	(void) set_config_option("jit", "off", PGC_USERSET, PGC_S_SESSION,
							 GUC_ACTION_SAVE, true, 0, false);
	return level;
}

void
hrguard_restore_settings(int level)
{
	AtEOXact_GUC(true, level);
}

/* Owner of a relation. */
Oid
hrguard_relation_owner(Oid relid)
{
	HeapTuple	tuple = SearchSysCache1(RELOID, ObjectIdGetDatum(relid));
	Oid			owner;

	if (!HeapTupleIsValid(tuple))
		elog(ERROR, "cache lookup failed for relation %u", relid);
	owner = ((Form_pg_class) GETSTRUCT(tuple))->relowner;
	ReleaseSysCache(tuple);
	return owner;
}

/*
 * A column hrguard created was renamed or dropped from one of its tables:
 * the owner's doing, and a clear error rather than a wrong row.
 */
void
hrguard_missing_column(const char *table, const char *column)
{
	ereport(ERROR,
			(errcode(ERRCODE_UNDEFINED_COLUMN),
			 errmsg("column \"%s\" of hrguard.%s is missing", column, table),
			 errhint("hrguard needs every column it created, under its name: rename it back, or reinstall the extension.")));
}

/*
 * A row that comes as it was stored elsewhere, which hrguard's triggers
 * let in unchanged: an INSERT by pg_restore (hrguard.restore_mode, a
 * superuser setting, in effect for superusers only, even when ALTER
 * DATABASE or ALTER ROLE set it), or an INSERT or UPDATE applied by
 * logical replication (the publisher classified, recorded and guarded it).
 */
bool
hrguard_row_passes_through(TriggerData *trigdata)
{
	if (TRIGGER_FIRED_BY_INSERT(trigdata->tg_event))
		return (hrguard_restore_mode && superuser()) || IsLogicalWorker();
	if (TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event))
		return IsLogicalWorker();
	return false;
}

/* A prepared SPI plan kept for the life of the backend. */
SPIPlanPtr
hrguard_prepare_kept(const char *query, int nargs, Oid *types)
{
	SPIPlanPtr	plan = SPI_prepare(query, nargs, types);

	if (plan == NULL || SPI_keepplan(plan) != 0)
		elog(ERROR, "could not prepare \"%s\": %s", query,
			 SPI_result_code_string(SPI_result));
	return plan;
}

/*
 * Is this a time hrguard can record?  Evidence writes times as integer
 * microseconds since 1970, which canonical JSON keeps within 2^53 (about
 * 1685 to 2255); hrguard takes 1700-01-01 to 2200-01-01 UTC, and says so
 * (22008) for anything else, infinity included.
 */
bool
hrguard_recordable_time(TimestampTz t)
{
	/* 1700-01-01 and 2200-01-01 00:00 UTC, in PostgreSQL's microseconds */
	const TimestampTz earliest = -INT64CONST(9467020800) * USECS_PER_SEC;
	const TimestampTz latest = INT64CONST(6311433600) * USECS_PER_SEC;

	return !TIMESTAMP_NOT_FINITE(t) && t >= earliest && t < latest;
}

void
hrguard_check_recordable_time(TimestampTz t, const char *what)
{
	if (!hrguard_recordable_time(t))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_FIELD_OVERFLOW),
				 errmsg("%s is outside the times hrguard records", what),
				 errdetail("Times from 1700-01-01 to 2200-01-01 (UTC) are recorded.")));
}

/* the fields of a finite timestamp, or 22008 */
static void
timestamp_fields(Timestamp t, struct pg_tm *tm, fsec_t *fsec)
{
	if (TIMESTAMP_NOT_FINITE(t) || timestamp2tm(t, NULL, tm, fsec, NULL, NULL) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range")));
}

/*
 * A timestamp as RFC 3339 UTC with microseconds,
 * "YYYY-MM-DDTHH:MM:SS.ffffffZ", as evidence documents write times.
 */
char *
hrguard_utc_iso(TimestampTz t)
{
	struct pg_tm tm;
	fsec_t		fsec;

	timestamp_fields(t, &tm, &fsec);
	return psprintf("%04d-%02d-%02dT%02d:%02d:%02d.%06dZ",
					tm.tm_year, tm.tm_mon, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
					(int) fsec);
}

/* a finite date as "YYYY-MM-DD", whatever the session's DateStyle */
char *
hrguard_iso_date(DateADT d)
{
	int			y,
				m,
				day;

	j2date(d + POSTGRES_EPOCH_JDATE, &y, &m, &day);
	return psprintf("%04d-%02d-%02d", y, m, day);
}

/*
 * A local time (timestamp without time zone) as "YYYY-MM-DD HH:MM:SS",
 * with ".ffffff" when there are microseconds: what alert reasons say,
 * whatever the session's DateStyle.
 */
char *
hrguard_local_iso(Timestamp t)
{
	struct pg_tm tm;
	fsec_t		fsec;

	timestamp_fields(t, &tm, &fsec);
	if (fsec != 0)
		return psprintf("%04d-%02d-%02d %02d:%02d:%02d.%06d",
						tm.tm_year, tm.tm_mon, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
						(int) fsec);
	return psprintf("%04d-%02d-%02d %02d:%02d:%02d",
					tm.tm_year, tm.tm_mon, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/*
 * A string of the database's encoding as UTF-8, which is what hrguard
 * hashes and exports: the string itself in a UTF8 database.
 */
const char *
hrguard_to_utf8(const char *s)
{
	return pg_server_to_any(s, strlen(s), PG_UTF8);
}

/* A bytea holding a copy of len bytes. */
bytea *
hrguard_bytea_from(const void *data, size_t len)
{
	bytea	   *b = palloc(VARHDRSZ + len);

	SET_VARSIZE(b, VARHDRSZ + len);
	memcpy(VARDATA(b), data, len);
	return b;
}

/*
 * The binary search every sorted lookup of hrguard goes through: the first of
 * n sorted elements of "size" bytes that does not come before "key" (n when
 * all do).  compare(element, key) is negative when the element comes before
 * the key, zero when it matches.
 */
int
hrguard_lower_bound(const void *base, int n, size_t size, const void *key,
					HrguardKeyCompare compare)
{
	int			lo = 0,
				hi = n;

	while (lo < hi)
	{
		int			mid = lo + (hi - lo) / 2;

		if (compare((const char *) base + (size_t) mid * size, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The index of the sorted element that matches "key", or -1. */
int
hrguard_find_sorted(const void *base, int n, size_t size, const void *key,
					HrguardKeyCompare compare)
{
	int			i = hrguard_lower_bound(base, n, size, key, compare);

	if (i < n && compare((const char *) base + (size_t) i * size, key) == 0)
		return i;
	return -1;
}

/* An element that is a C string pointer, against a C string key. */
int
hrguard_compare_string_key(const void *element, const void *key)
{
	return strcmp(*(char *const *) element, (const char *) key);
}

/*
 * An element that starts with an int64 (an id, a cell key), against an
 * int64 key.
 */
int
hrguard_compare_int64_key(const void *element, const void *key)
{
	int64		a,
				b = *(const int64 *) key;

	memcpy(&a, element, sizeof(int64));
	return a < b ? -1 : (a > b ? 1 : 0);
}

/* qsort order of an array of C string pointers. */
int
hrguard_compare_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *) a, *(char *const *) b);
}

/* The index of a string in a sorted array of strings, or -1. */
int
hrguard_find_string(char **sorted, int n, const char *key)
{
	return hrguard_find_sorted(sorted, n, sizeof(char *), key, hrguard_compare_string_key);
}
