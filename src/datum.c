/*-------------------------------------------------------------------------
 *
 * datum.c
 *	  SQL functions converting coordinates between WGS-84, GCJ-02 and
 *	  BD-09, and the coordinate validation every module shares.
 *
 * Each conversion takes (lat, lon) and returns a (lat, lon) record.  A bad
 * coordinate is an error with SQLSTATE 22023, never a silent NULL.
 *
 * IDENTIFICATION
 *	  src/datum.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/builtins.h"

#include "datum.h"
#include "geo.h"
#include "privilege.h"

/*
 * Raise an error unless (lat, lon) is a finite position on Earth.  "what"
 * names the value in the message ("punch", "zone vertex", ...).
 */
void
hrguard_check_lat_lon(double lat, double lon, const char *what)
{
	if (isnan(lat) || isnan(lon) || isinf(lat) || isinf(lon))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s coordinates must be finite numbers", what),
				 errdetail("Got latitude %g, longitude %g.", lat, lon)));
	if (lat < -90.0 || lat > 90.0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s latitude %.10g is out of range", what, lat),
				 errdetail("Latitude must be between -90 and 90 degrees."),
				 errhint("Check whether latitude and longitude were swapped.")));
	if (lon < -180.0 || lon > 180.0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s longitude %.10g is out of range", what, lon),
				 errdetail("Longitude must be between -180 and 180 degrees.")));
}

/* Raise an error unless a reported accuracy (metres) is usable. */
void
hrguard_check_accuracy(double accuracy_m)
{
	if (isnan(accuracy_m) || isinf(accuracy_m) || accuracy_m < 0.0 ||
		accuracy_m > HRGUARD_MAX_ACCURACY_M)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("accuracy %.10g m is not valid", accuracy_m),
				 errdetail("Accuracy is the radius of the position's uncertainty: a number of metres from 0 to %.0f.",
						   HRGUARD_MAX_ACCURACY_M)));
}

/* Parse a datum name or raise an error naming the accepted ones. */
HrguardDatum
hrguard_datum_or_error(const char *name)
{
	HrguardDatum datum;

	if (!hrguard_datum_from_name(name, &datum))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown datum \"%s\"", hrguard_echo(name)),
				 errdetail("Coordinates must name their datum: wgs84, gcj02 or bd09."),
				 errhint("DingTalk and WeCom report gcj02; GPS devices report wgs84; Baidu maps use bd09.")));
	return datum;
}

static Datum
lat_lon_record(FunctionCallInfo fcinfo, double lat, double lon)
{
	TupleDesc	tupdesc;
	Datum		values[2];
	bool		nulls[2] = {false, false};

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	values[0] = Float8GetDatum(lat);
	values[1] = Float8GetDatum(lon);
	return HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(tupdesc), values, nulls));
}

typedef void (*datum_transform) (double lat, double lon, double *out_lat, double *out_lon);

static Datum
convert(FunctionCallInfo fcinfo, datum_transform transform)
{
	double		lat = PG_GETARG_FLOAT8(0);
	double		lon = PG_GETARG_FLOAT8(1);
	double		out_lat;
	double		out_lon;

	hrguard_check_lat_lon(lat, lon, "input");
	transform(lat, lon, &out_lat, &out_lon);
	PG_RETURN_DATUM(lat_lon_record(fcinfo, out_lat, out_lon));
}

PG_FUNCTION_INFO_V1(hrguard_wgs84_to_gcj02_sql);
Datum
hrguard_wgs84_to_gcj02_sql(PG_FUNCTION_ARGS)
{
	return convert(fcinfo, hrguard_wgs84_to_gcj02);
}

PG_FUNCTION_INFO_V1(hrguard_gcj02_to_wgs84_sql);
Datum
hrguard_gcj02_to_wgs84_sql(PG_FUNCTION_ARGS)
{
	return convert(fcinfo, hrguard_gcj02_to_wgs84);
}

PG_FUNCTION_INFO_V1(hrguard_gcj02_to_bd09_sql);
Datum
hrguard_gcj02_to_bd09_sql(PG_FUNCTION_ARGS)
{
	return convert(fcinfo, hrguard_gcj02_to_bd09);
}

PG_FUNCTION_INFO_V1(hrguard_bd09_to_gcj02_sql);
Datum
hrguard_bd09_to_gcj02_sql(PG_FUNCTION_ARGS)
{
	return convert(fcinfo, hrguard_bd09_to_gcj02);
}

/* hrguard.to_wgs84(lat, lon, datum) */
PG_FUNCTION_INFO_V1(hrguard_to_wgs84_sql);
Datum
hrguard_to_wgs84_sql(PG_FUNCTION_ARGS)
{
	double		lat = PG_GETARG_FLOAT8(0);
	double		lon = PG_GETARG_FLOAT8(1);
	HrguardDatum datum = hrguard_datum_or_error(text_to_cstring(PG_GETARG_TEXT_PP(2)));
	double		out_lat;
	double		out_lon;

	hrguard_check_lat_lon(lat, lon, "input");
	hrguard_to_wgs84(datum, lat, lon, &out_lat, &out_lon);
	PG_RETURN_DATUM(lat_lon_record(fcinfo, out_lat, out_lon));
}

/* hrguard.geodesic_distance(lat1, lon1, lat2, lon2): metres on WGS-84 */
PG_FUNCTION_INFO_V1(hrguard_geodesic_distance);
Datum
hrguard_geodesic_distance(PG_FUNCTION_ARGS)
{
	double		lat1 = PG_GETARG_FLOAT8(0);
	double		lon1 = PG_GETARG_FLOAT8(1);
	double		lat2 = PG_GETARG_FLOAT8(2);
	double		lon2 = PG_GETARG_FLOAT8(3);

	hrguard_check_lat_lon(lat1, lon1, "first point");
	hrguard_check_lat_lon(lat2, lon2, "second point");
	PG_RETURN_FLOAT8(hrguard_geodesic_m(lat1, lon1, lat2, lon2));
}
