/*-------------------------------------------------------------------------
 *
 * hrguard.c
 *	  Module entry point of hrguard: the magic block, the hrguard.*
 *	  settings, and the functions that describe the installed module.
 *
 * Settings are defined here and nowhere else, so that every module reads
 * them through the variables declared in hrguard.h, and the "hrguard"
 * prefix is reserved so that a mistyped setting name is an error rather
 * than a silently ignored placeholder.
 *
 * IDENTIFICATION
 *	  src/hrguard.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "fmgr.h"
#include "funcapi.h"
#include "pgtime.h"
#include "utils/builtins.h"
#include "utils/guc.h"

#include "hrguard.h"
#include "zone_cache.h"

PG_MODULE_MAGIC;

char	   *hrguard_default_timezone = NULL;

/* One row of hrguard.settings(): the settings this module defines. */
typedef struct HrguardSetting
{
	const char *name;
	const char *description;
} HrguardSetting;

static const HrguardSetting hrguard_settings_list[] = {
	{"hrguard.default_timezone",
	"Time zone of employees and zones that do not name their own."},
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
							   PGC_USERSET,
							   0,
							   check_timezone_name, NULL, NULL);

	MarkGUCPrefixReserved("hrguard");

	hrguard_zone_cache_register();
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
