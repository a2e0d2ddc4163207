/*-------------------------------------------------------------------------
 *
 * hrguard.c
 *	  Module entry point of hrguard: the magic block, the hrguard.*
 *	  settings, and the functions that describe the installed module.
 *
 * Settings are defined here and nowhere else, so that every module reads
 * them through the variables declared in hrguard.h, and the "hrguard"
 * prefix is reserved so that a mistyped setting name is an error rather
 * than a silently ignored placeholder.  The settings that decide what a
 * punch raises, and whether it is notified, are superuser settings
 * (PGC_SUSET): the role whose punches they judge cannot change them for
 * itself, neither with SET nor with ALTER ROLE ... SET.
 *
 * IDENTIFICATION
 *	  src/hrguard.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_class.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "mb/pg_wchar.h"
#include "funcapi.h"
#include "pgtime.h"
#include "replication/logicalworker.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "miscadmin.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"
#include "utils/timestamp.h"

#include "canon.h"
#include "hrguard.h"
#include "relay.h"
#include "zone_cache.h"

PG_MODULE_MAGIC;

char	   *hrguard_default_timezone = NULL;
int			hrguard_notify_mode = HRGUARD_NOTIFY_COMMIT;
double		hrguard_default_accuracy_m = 0.0;
double		hrguard_max_speed_kmh = 150.0;
double		hrguard_min_travel_m = 2000.0;
int			hrguard_risk_lookback_days = 90;
int			hrguard_competitor_pattern_days = 3;
int			hrguard_competitor_pattern_window_days = 7;
int			hrguard_off_hours_grace_minutes = 30;
bool		hrguard_restore_mode = false;

static const struct config_enum_entry notify_mode_options[] = {
	{"commit", HRGUARD_NOTIFY_COMMIT, false},
	{"relay", HRGUARD_NOTIFY_RELAY, false},
	{"off", HRGUARD_NOTIFY_OFF, false},
	{NULL, 0, false}
};

/* One row of hrguard.settings(): the settings this module defines. */
typedef struct HrguardSetting
{
	const char *name;
	const char *description;
} HrguardSetting;

static const HrguardSetting hrguard_settings_list[] = {
	{"hrguard.default_timezone",
	"Time zone of employees and zones that do not name their own."},
	{"hrguard.notify_mode",
	"How alerts reach LISTEN hrguard_alert: commit, relay or off."},
	{"hrguard.default_accuracy_m",
	"Accuracy in metres assumed for punches that report none."},
	{"hrguard.max_speed_kmh",
	"Speed between two punches above which travel is impossible."},
	{"hrguard.min_travel_m",
	"Distance between two punches below which speed is not judged."},
	{"hrguard.risk_lookback_days",
	"Days of an employee's history searched for repeated positions and known devices."},
	{"hrguard.competitor_pattern_days",
	"Working days inside a competitor zone that make a pattern."},
	{"hrguard.competitor_pattern_window_days",
	"Length in days of the window in which those days must fall."},
	{"hrguard.off_hours_grace_minutes",
	"Minutes before and after a working window that still count as working hours."},
	{"hrguard.relay_databases",
	"Databases whose alerts relay workers deliver ('*': every database with hrguard; needs shared_preload_libraries)."},
	{"hrguard.relay_interval_ms",
	"Milliseconds between the relay worker's rounds."},
	{"hrguard.checkpoint_interval",
	"Seconds between the checkpoints the relay worker takes; 0: none."},
	{"hrguard.restore_mode",
	"Lets pg_restore insert evidence rows as they were dumped (superuser only)."},
	{"hrguard.allow_drop_evidence",
	"Lets dropping hrguard delete the evidence it holds (superuser only)."},
};

void		_PG_init(void);

/*
 * A time zone setting must name a zone PostgreSQL knows, so that working
 * windows are never computed in a zone that silently fell back to UTC.
 */
static bool
check_timezone_name(char **newval, void **extra, GucSource source)
{
	if (*newval == NULL || (*newval)[0] == '\0')
	{
		GUC_check_errdetail("The time zone name must not be empty.");
		return false;
	}
	if (pg_tzset(*newval) == NULL)
	{
		GUC_check_errdetail("\"%s\" is not a time zone known to this server.",
							*newval);
		GUC_check_errhint("Use a name listed in pg_catalog.pg_timezone_names, such as \"Asia/Shanghai\".");
		return false;
	}
	return true;
}

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

void
_PG_init(void)
{
	DefineCustomStringVariable("hrguard.default_timezone",
							   hrguard_settings_list[0].description,
							   "Working windows are local times; this zone applies when "
							   "neither the employee nor the zone names one.",
							   &hrguard_default_timezone,
							   "Asia/Shanghai",
							   PGC_SUSET,
							   0,
							   check_timezone_name, NULL, NULL);

	DefineCustomEnumVariable("hrguard.notify_mode",
							 hrguard_settings_list[1].description,
							 "commit: NOTIFY from the inserting transaction (delivered at commit); "
							 "relay: hrguard.relay_alerts() or the relay worker notifies; "
							 "off: no NOTIFY (alerts are rows only).",
							 &hrguard_notify_mode, HRGUARD_NOTIFY_COMMIT, notify_mode_options,
							 PGC_SUSET, 0, NULL, NULL, NULL);
	DefineCustomRealVariable("hrguard.default_accuracy_m",
							 hrguard_settings_list[2].description, NULL,
							 &hrguard_default_accuracy_m, 0.0, 0.0, 10000.0,
							 PGC_SUSET, 0, NULL, NULL, NULL);
	DefineCustomRealVariable("hrguard.max_speed_kmh",
							 hrguard_settings_list[3].description, NULL,
							 &hrguard_max_speed_kmh, 150.0, 1.0, 100000.0,
							 PGC_SUSET, 0, NULL, NULL, NULL);
	DefineCustomRealVariable("hrguard.min_travel_m",
							 hrguard_settings_list[4].description, NULL,
							 &hrguard_min_travel_m, 2000.0, 0.0, 1000000.0,
							 PGC_SUSET, 0, NULL, NULL, NULL);
	DefineCustomIntVariable("hrguard.risk_lookback_days",
							hrguard_settings_list[5].description, NULL,
							&hrguard_risk_lookback_days, 90, 1, 3660,
							PGC_SUSET, 0, NULL, NULL, NULL);
	DefineCustomIntVariable("hrguard.competitor_pattern_days",
							hrguard_settings_list[6].description, NULL,
							&hrguard_competitor_pattern_days, 3, 1, 366,
							PGC_SUSET, 0, NULL, NULL, NULL);
	DefineCustomIntVariable("hrguard.competitor_pattern_window_days",
							hrguard_settings_list[7].description, NULL,
							&hrguard_competitor_pattern_window_days, 7, 1, 366,
							PGC_SUSET, 0, NULL, NULL, NULL);

	DefineCustomIntVariable("hrguard.off_hours_grace_minutes",
							hrguard_settings_list[8].description, NULL,
							&hrguard_off_hours_grace_minutes, 30, 0, 720,
							PGC_SUSET, 0, NULL, NULL, NULL);

	DefineCustomStringVariable("hrguard.relay_databases",
							   hrguard_settings_list[9].description,
							   "'*', or database names separated by commas; empty: no relay worker "
							   "(call hrguard.relay_alerts() from a scheduler). Read at server start.",
							   &hrguard_relay_databases, "*",
							   /* a server-start setting where workers can exist */
							   process_shared_preload_libraries_in_progress ? PGC_POSTMASTER : PGC_SIGHUP,
							   GUC_LIST_INPUT, hrguard_relay_databases_check, NULL, NULL);
	DefineCustomIntVariable("hrguard.relay_interval_ms",
							hrguard_settings_list[10].description, NULL,
							&hrguard_relay_interval_ms, 1000, 10, 3600000,
							PGC_SIGHUP, GUC_UNIT_MS, NULL, NULL, NULL);

	DefineCustomIntVariable("hrguard.checkpoint_interval",
							hrguard_settings_list[11].description,
							"Each new checkpoint body is also sent with NOTIFY hrguard_checkpoint, "
							"for a client that archives them outside the database.",
							&hrguard_checkpoint_interval_s, 0, 0, 31 * 24 * 3600,
							PGC_SIGHUP, GUC_UNIT_S, NULL, NULL, NULL);

	DefineCustomBoolVariable("hrguard.allow_drop_evidence",
							 hrguard_settings_list[13].description,
							 "Off: DROP EXTENSION hrguard, or a cascading drop of its schema or of PostGIS, is refused while evidence exists.",
							 &hrguard_allow_drop_evidence, false, PGC_SUSET, 0,
							 NULL, NULL, NULL);
	DefineCustomBoolVariable("hrguard.restore_mode",
							 hrguard_settings_list[12].description,
							 "Rows restored this way are checked by hrguard.verify_all() like any other.",
							 &hrguard_restore_mode, false,
							 PGC_SUSET, 0, NULL, NULL, NULL);

	MarkGUCPrefixReserved("hrguard");

	hrguard_zone_cache_register();
	hrguard_canon_init();
	if (process_shared_preload_libraries_in_progress)
		hrguard_relay_launcher_register();
}

/*
 * hrguard.version() -- the version of the loaded shared library.
 */
PG_FUNCTION_INFO_V1(hrguard_version);
Datum
hrguard_version(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(cstring_to_text(HRGUARD_VERSION));
}

/*
 * hrguard.default_timezone() -- the current value of the setting; used as
 * the default of time zone columns, so it also works before any hrguard.*
 * setting has been read in this session.
 */
PG_FUNCTION_INFO_V1(hrguard_default_timezone_value);
Datum
hrguard_default_timezone_value(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(cstring_to_text(hrguard_default_timezone));
}

/*
 * hrguard.is_timezone(name) -- true when PostgreSQL knows the time zone.
 */
PG_FUNCTION_INFO_V1(hrguard_is_timezone);
Datum
hrguard_is_timezone(PG_FUNCTION_ARGS)
{
	char	   *name = text_to_cstring(PG_GETARG_TEXT_PP(0));

	PG_RETURN_BOOL(name[0] != '\0' && pg_tzset(name) != NULL);
}

/*
 * hrguard.settings() -- name, value and description of every hrguard.*
 * setting, as seen by this session.
 */
PG_FUNCTION_INFO_V1(hrguard_settings);
Datum
hrguard_settings(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	size_t		i;

	InitMaterializedSRF(fcinfo, 0);

	for (i = 0; i < lengthof(hrguard_settings_list); i++)
	{
		Datum		values[3];
		bool		nulls[3] = {false, false, false};
		const char *value;

		value = GetConfigOption(hrguard_settings_list[i].name, false, false);
		values[0] = CStringGetTextDatum(hrguard_settings_list[i].name);
		values[1] = CStringGetTextDatum(value);
		values[2] = CStringGetTextDatum(hrguard_settings_list[i].description);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}

	return (Datum) 0;
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

/*
 * A timestamp as RFC 3339 UTC with microseconds,
 * "YYYY-MM-DDTHH:MM:SS.ffffffZ", as evidence documents write times.
 */
char *
hrguard_utc_iso(TimestampTz t)
{
	struct pg_tm tm;
	fsec_t		fsec;

	if (TIMESTAMP_NOT_FINITE(t) || timestamp2tm(t, NULL, &tm, &fsec, NULL, NULL) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range")));
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

	if (TIMESTAMP_NOT_FINITE(t) || timestamp2tm(t, NULL, &tm, &fsec, NULL, NULL) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range")));
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
