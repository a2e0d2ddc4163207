/*-------------------------------------------------------------------------
 *
 * punch_input.c
 *	  What an inserted punch row says, validated and normalised: who and
 *	  when, within the bounds the table allows; where, in WGS-84 and as
 *	  given, with (0, 0) taken as "no location"; how sure; and what the
 *	  device says about itself (device id, Wi-Fi BSSID, the app's mock
 *	  flag).
 *
 * IDENTIFICATION
 *	  src/punch_input.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/detoast.h"
#include "access/htup_details.h"
#include "access/xact.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/timestamp.h"

#include "common.h"
#include "datum.h"
#include "hrguard.h"
#include "privilege.h"
#include "punch_input.h"
#include "zone.h"

static void
check_punch_sizes(HeapTuple tuple, TupleDesc desc, const int *attnum)
{
	static const struct
	{
		int			column;
		const char *what;
		int64		limit;
	}			limits[] = {
		{PC_SOURCE, "punch source", PUNCH_TEXT_MAX_BYTES},
		{PC_SOURCE_RECORD_ID, "punch source_record_id", PUNCH_TEXT_MAX_BYTES},
		{PC_DEVICE_ID, "punch device_id", PUNCH_TEXT_MAX_BYTES},
		{PC_ADDRESS, "punch address", PUNCH_TEXT_MAX_BYTES},
		{PC_VENDOR_FLAGS, "punch vendor_flags", PUNCH_FLAGS_MAX_BYTES},
	};
	int			i;

	for (i = 0; i < (int) lengthof(limits); i++)
	{
		bool		isnull;
		Datum		d = heap_getattr(tuple, attnum[limits[i].column], desc, &isnull);

		if (!isnull)
			hrguard_check_input_size(limits[i].what,
									 (int64) toast_raw_datum_size(d) - VARHDRSZ,
									 limits[i].limit, "bytes");
	}
}

static double
float8_column(HeapTuple tuple, TupleDesc desc, int attnum, bool *isnull)
{
	Datum		d = heap_getattr(tuple, attnum, desc, isnull);

	return *isnull ? 0.0 : DatumGetFloat8(d);
}


/*
 * Work out the punch's position.  Fills the WGS-84 position and the raw
 * position with its datum.
 */
static PunchPosition
normalise_position(HeapTuple tuple, TupleDesc desc, const int *attnum,
				   double *lat, double *lon, double *raw_lat, double *raw_lon,
				   HrguardDatum *datum)
{
	bool		lat_null,
				lon_null,
				rlat_null,
				rlon_null,
				crs_null;
	Datum		crs;

	*lat = float8_column(tuple, desc, attnum[PC_LAT], &lat_null);
	*lon = float8_column(tuple, desc, attnum[PC_LON], &lon_null);
	*raw_lat = float8_column(tuple, desc, attnum[PC_RAW_LAT], &rlat_null);
	*raw_lon = float8_column(tuple, desc, attnum[PC_RAW_LON], &rlon_null);
	crs = heap_getattr(tuple, attnum[PC_RAW_CRS], desc, &crs_null);
	*datum = crs_null ? HRGUARD_DATUM_WGS84 : hrguard_datum_or_error(TextDatumGetCString(crs));

	if (lat_null != lon_null || rlat_null != rlon_null)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a punch needs both coordinates of a position or neither"),
				 errdetail("Latitude and longitude come in pairs: lat with lon, raw_lat with raw_lon.")));
	if (!lat_null && !rlat_null)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a punch gives its position either as lat/lon or as raw_lat/raw_lon"),
				 errhint("Use lat/lon for WGS-84, or raw_lat/raw_lon with raw_crs for other datums; a dump of hrguard.punch holds both and is restored with hrguard.restore_mode on (README, Backup and restore).")));
	if (!lat_null)
	{
		if (!crs_null && *datum != HRGUARD_DATUM_WGS84)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("lat/lon are WGS-84, but raw_crs says %s",
							hrguard_datum_name(*datum)),
					 errhint("Put %s coordinates in raw_lat/raw_lon.",
							 hrguard_datum_name(*datum))));
		*raw_lat = *lat;
		*raw_lon = *lon;
		*datum = HRGUARD_DATUM_WGS84;
	}
	else if (rlat_null)
	{
		if (!crs_null)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("raw_crs is given without raw_lat/raw_lon")));
		return POSITION_NONE;
	}
	else if (crs_null)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("raw_lat/raw_lon need raw_crs"),
				 errdetail("Coordinates must name their datum: wgs84, gcj02 or bd09."),
				 errhint("DingTalk and WeCom report gcj02.")));

	hrguard_check_lat_lon(*raw_lat, *raw_lon, "punch");
	if (*raw_lat == 0.0 && *raw_lon == 0.0)
		return POSITION_ZERO;	/* apps send (0, 0) when they have no fix */
	hrguard_to_wgs84(*datum, *raw_lat, *raw_lon, lat, lon);
	return POSITION_KNOWN;
}

static bool
vendor_says_mock(Datum vendor_flags)
{
	Jsonb	   *jb = DatumGetJsonbP(vendor_flags);
	JsonbValue	key;
	JsonbValue *v;

	if (!JB_ROOT_IS_OBJECT(jb))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("vendor_flags must be a JSON object")));
	key.type = jbvString;
	key.val.string.val = "mock";
	key.val.string.len = 4;
	v = findJsonbValueFromContainer(&jb->root, JB_FOBJECT, &key);
	return v != NULL && v->type == jbvBool && v->val.boolean;
}

/* Validate: who and when, within the bounds the table allows. */
void
hrguard_punch_read_who_and_when(HeapTuple tuple, TupleDesc desc, const int *attnum,
								TimestampTz latest_allowed, PunchInput *in)
{
	bool		isnull;
	Datum		d;

	d = heap_getattr(tuple, attnum[PC_EMPLOYEE_ID], desc, &isnull);
	in->employee_id = hrguard_checked_employee_id(d, isnull);
	check_punch_sizes(tuple, desc, attnum);
	d = heap_getattr(tuple, attnum[PC_PUNCHED_AT], desc, &isnull);
	if (isnull)
		ereport(ERROR,
				(errcode(ERRCODE_NOT_NULL_VIOLATION),
				 errmsg("punched_at must not be null")));
	in->at = DatumGetTimestampTz(d);
	if (TIMESTAMP_NOT_FINITE(in->at))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("punched_at must be a finite time")));
	if (in->at > latest_allowed)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("punch of employee \"%s\" is more than 10 minutes in the future",
						in->employee_id),
				 errdetail("punched_at is %s; the statement started at %s.",
						   pstrdup(timestamptz_to_str(in->at)),
						   pstrdup(timestamptz_to_str(GetCurrentStatementStartTimestamp()))),
				 errhint("Check the device clock and the time zone of punched_at.")));
	hrguard_check_recordable_time(in->at, "punched_at");
}

/* Normalise: where, how sure, and what the device says about itself. */
void
hrguard_punch_read_where(HeapTuple tuple, TupleDesc desc, const int *attnum, PunchInput *in)
{
	bool		isnull;
	Datum		d;

	in->lat = in->lon = in->raw_lat = in->raw_lon = 0;
	in->position = normalise_position(tuple, desc, attnum, &in->lat, &in->lon,
									  &in->raw_lat, &in->raw_lon, &in->datum);
	in->located = (in->position == POSITION_KNOWN);
	in->accuracy = float8_column(tuple, desc, attnum[PC_ACCURACY], &isnull);
	if (isnull)
		in->accuracy = hrguard_default_accuracy_m;
	else
		hrguard_check_accuracy(in->accuracy);

	d = heap_getattr(tuple, attnum[PC_DEVICE_ID], desc, &isnull);
	in->device_id = isnull ? NULL : TextDatumGetCString(d);
	in->has_bssid = false;
	d = heap_getattr(tuple, attnum[PC_WIFI_BSSID], desc, &isnull);
	if (!isnull)
	{
		char	   *given = TextDatumGetCString(d);

		if (!hrguard_normalize_bssid(given, in->bssid))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("\"%s\" is not a Wi-Fi BSSID", hrguard_echo(given)),
					 errhint("Write a BSSID as six hexadecimal pairs, like 3c:46:d8:0a:1b:2c.")));
		in->has_bssid = true;
	}
	d = heap_getattr(tuple, attnum[PC_VENDOR_FLAGS], desc, &isnull);
	in->mock = !isnull && vendor_says_mock(d);
}
