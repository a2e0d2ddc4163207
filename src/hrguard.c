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
#include "drop_guard.h"
#include "hrguard.h"
#include "relay_launcher.h"
#include "relay_worker.h"
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
