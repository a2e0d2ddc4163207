/*-------------------------------------------------------------------------
 *
 * classify.c
 *	  Where is an employee at a moment: inside, outside or uncertain
 *	  against the allowed zones in force, which watched zone (competitor,
 *	  restricted) they are in, and whether it is within working hours.
 *	  Also hrguard.classify_point(), which answers this from SQL without
 *	  recording anything.
 *
 * A zone takes part only while it is in force: inside its validity range,
 * and inside its own schedule's windows when it has one.  The verdict
 * against allowed zones is inside if the point is inside any of them,
 * uncertain if it is in none but within the accuracy of one, and outside
 * otherwise (also when the employee has no allowed zone at all, which is
 * reported separately).
 *
 * IDENTIFICATION
 *	  src/classify.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/timestamp.h"

#include "classify.h"
#include "common.h"
#include "datum.h"
#include "employee_cache.h"
#include "hrguard.h"
#include "privilege.h"
#include "zone_grid.h"

/* reused candidate buffer, kept in TopMemoryContext */
static HrguardCandidates candidates;

const char *
hrguard_location_name(HrguardLocation where)
{
	switch (where)
	{
		case HRGUARD_INSIDE:
			return "inside";
		case HRGUARD_OUTSIDE:
			return "outside";
		case HRGUARD_UNCERTAIN:
			return "uncertain";
	}
	return "unknown";
}

const char *
hrguard_zone_kind_name(HrguardZoneKind kind)
{
	static const char *const names[] = {"office", "client", "project", "competitor", "restricted"};

	return names[kind];
}

/*
 * Is the zone there at that moment: validity range and own schedule?  A
 * zone's schedule is read in its own time zone, or else in
 * hrguard.default_timezone, whoever punches: the same site at the same
 * instant is open or closed for everyone.
 */
static bool
zone_active(HrguardZoneCache *cache, const HrguardZone *zone, TimestampTz at)
{
	HrguardWindowMatch match;

	if (!hrguard_zone_in_force(zone, at))
		return false;
	if (zone->schedule == NULL)
		return true;
	hrguard_schedule_match(zone->schedule, hrguard_default_tz(), &cache->calendar,
						   zone->tenant, at, 0, &match);
	return match.open;
}

void
hrguard_classify(HrguardZoneCache *cache, const HrguardEmployee *employee,
				 TimestampTz at, double lat, double lon, double accuracy_m,
				 HrguardVerdict *v)
{
	bool		any_uncertain = false;
	double		uncertain_depth = 0.0;
	int			i;

	v->verdict = HRGUARD_OUTSIDE;
	v->no_allowed_zone = !employee->has_allowed_zone;
	v->zone = -1;
	v->watched = -1;
	v->watched_where = HRGUARD_OUTSIDE;
	hrguard_schedule_match(employee->schedule, employee->tz, &cache->calendar,
						   employee->tenant, at, HRGUARD_OFF_HOURS_GRACE_US, &v->work);

	if (employee->tenant < 0)
		return;					/* a tenant without zones */

	hrguard_zone_candidates(cache, lon, lat, accuracy_m, &candidates);
	for (i = 0; i < candidates.n; i++)
	{
		int			z = candidates.zones[i];
		const HrguardZone *zone = &cache->zones[z];
		HrguardLocation where;
		bool		watched = ZONE_KIND_IS_WATCHED(zone->kind);

		if (zone->tenant != employee->tenant)
			continue;
		if (!watched && (v->verdict == HRGUARD_INSIDE ||
						 !hrguard_zone_allowed_for(cache, z, employee)))
			continue;
		if (watched && v->watched_where == HRGUARD_INSIDE)
			continue;
		if (!zone_active(cache, zone, at))
			continue;

		where = hrguard_shape_locate(&zone->shape, lon, lat, accuracy_m, NULL);
		if (watched)
		{
			if (where != HRGUARD_OUTSIDE &&
				(v->watched < 0 || where == HRGUARD_INSIDE))
			{
				v->watched = z;
				v->watched_where = where;
			}
		}
		else if (where == HRGUARD_INSIDE)
		{
			v->verdict = HRGUARD_INSIDE;
			v->zone = z;
		}
		else if (where == HRGUARD_UNCERTAIN)
		{
			/* of the zones it may be in, the one it is deepest in */
			double		d;

			(void) hrguard_shape_locate(&zone->shape, lon, lat, 0.0, &d);
			if (!any_uncertain || d > uncertain_depth)
			{
				v->zone = z;
				uncertain_depth = d;
			}
			any_uncertain = true;
		}
	}
	if (v->verdict != HRGUARD_INSIDE && any_uncertain)
		v->verdict = HRGUARD_UNCERTAIN;
}

/* Signed distance in metres from a point to a zone's edge (positive inside). */
double
hrguard_zone_signed_distance(HrguardZoneCache *cache, int zone, double lat, double lon)
{
	double		d;

	(void) hrguard_shape_locate(&cache->zones[zone].shape, lon, lat, 0.0, &d);
	return d;
}

/*
 * The allowed zone in force whose edge is nearest to the point, searching
 * search_m around it; -1 if there is none that close.  The search widens in
 * steps, since zones are usually close and a wide search costs many
 * candidates: a zone found within a radius is the nearest overall.
 */
int
hrguard_nearest_allowed_zone(HrguardZoneCache *cache, const HrguardEmployee *employee,
							 TimestampTz at, double lat, double lon, double search_m,
							 double *signed_distance_m)
{
	double		radii[3] = {250.0, 1000.0, search_m};
	int			r;

	*signed_distance_m = -INFINITY;
	if (employee->tenant < 0)
		return -1;
	for (r = 0; r < (int) lengthof(radii); r++)
	{
		double		radius = Min(radii[r], search_m);
		int			best = -1;
		double		best_d = -INFINITY;
		int			i;

		hrguard_zone_candidates(cache, lon, lat, radius, &candidates);
		for (i = 0; i < candidates.n; i++)
		{
			int			z = candidates.zones[i];
			double		d;

			/* a zone whose box is farther than the best so far cannot win */
			if (best >= 0 &&
				-hrguard_shape_distance_lower_bound(&cache->zones[z].shape, lon, lat) <= best_d)
				continue;
			if (!hrguard_zone_allowed_for(cache, z, employee) ||
				!zone_active(cache, &cache->zones[z], at))
				continue;
			d = hrguard_zone_signed_distance(cache, z, lat, lon);
			if (d > best_d)
			{
				best = z;
				best_d = d;
			}
		}
		if (best >= 0 && best_d >= -radius)
		{
			*signed_distance_m = best_d;
			return best;
		}
		if (radius >= search_m)
			break;
	}
	return -1;
}

/* Local time of a window match as a timestamp without time zone. */
Timestamp
hrguard_match_local_timestamp(const HrguardWindowMatch *match)
{
	return (Timestamp) match->local_day * USECS_PER_DAY + match->local_time_us;
}

/*
 * Find a cached employee or raise the error an unknown employee gets.
 */
HrguardEmployee *
hrguard_employee_or_error(HrguardZoneCache *cache, const char *employee_id)
{
	HrguardEmployee *employee = hrguard_cached_employee(cache, employee_id);

	if (employee == NULL || !employee->exists)
		ereport(ERROR,
				(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
				 errmsg("unknown employee \"%s\"", employee_id),
				 errhint("Register the employee in hrguard.employee first.")));
	return employee;
}

/*
 * hrguard.classify_point(employee_id, at, lat, lon, accuracy_m, datum)
 * -- what a punch there and then would be, without recording anything.
 */
PG_FUNCTION_INFO_V1(hrguard_classify_point);
Datum
hrguard_classify_point(PG_FUNCTION_ARGS)
{
	char	   *employee_id;
	TimestampTz at;
	double		lat;
	double		lon;
	double		accuracy;
	HrguardDatum datum;
	HrguardZoneCache *cache;
	HrguardEmployee *employee;
	HrguardVerdict v;
	TupleDesc	tupdesc;
	Datum		values[11];
	bool		nulls[11];
	int			z;

	hrguard_require_select("hrguard.classify_point()", "employee");
	hrguard_require_select("hrguard.classify_point()", "zone");
	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3))
		PG_RETURN_NULL();
	employee_id = hrguard_checked_employee_id(PG_GETARG_DATUM(0), false);
	at = PG_GETARG_TIMESTAMPTZ(1);
	lat = PG_GETARG_FLOAT8(2);
	lon = PG_GETARG_FLOAT8(3);
	accuracy = PG_ARGISNULL(4) ? 0.0 : PG_GETARG_FLOAT8(4);
	datum = hrguard_datum_or_error(PG_ARGISNULL(5) ? "wgs84" :
								   text_to_cstring(PG_GETARG_TEXT_PP(5)));

	if (TIMESTAMP_NOT_FINITE(at))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("the moment to classify must be finite")));
	hrguard_check_lat_lon(lat, lon, "point");
	hrguard_check_accuracy(accuracy);
	hrguard_to_wgs84(datum, lat, lon, &lat, &lon);

	cache = hrguard_zone_cache();
	employee = hrguard_employee_or_error(cache, employee_id);
	hrguard_classify(cache, employee, at, lat, lon, accuracy, &v);

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	memset(nulls, true, sizeof(nulls));

	values[0] = CStringGetTextDatum(hrguard_location_name(v.verdict));
	nulls[0] = false;
	z = v.zone;
	if (z < 0 && v.verdict == HRGUARD_OUTSIDE)
	{
		double		d;

		z = hrguard_nearest_allowed_zone(cache, employee, at, lat, lon,
										 HRGUARD_NEAREST_ZONE_SEARCH_M, &d);
	}
	if (z >= 0)
	{
		values[1] = Int64GetDatum(cache->zones[z].zone_id);
		values[2] = CStringGetTextDatum(cache->zones[z].name);
		values[3] = Float8GetDatum(hrguard_zone_signed_distance(cache, z, lat, lon));
		nulls[1] = nulls[2] = nulls[3] = false;
	}
	if (v.watched >= 0)
	{
		const HrguardZone *w = &cache->zones[v.watched];

		values[4] = Int64GetDatum(w->zone_id);
		values[5] = CStringGetTextDatum(w->name);
		values[6] = CStringGetTextDatum(hrguard_zone_kind_name(w->kind));
		values[7] = CStringGetTextDatum(hrguard_location_name(v.watched_where));
		nulls[4] = nulls[5] = nulls[6] = nulls[7] = false;
	}
	values[8] = BoolGetDatum(!v.work.open);
	values[9] = TimestampGetDatum(hrguard_match_local_timestamp(&v.work));
	values[10] = BoolGetDatum(v.no_allowed_zone);
	nulls[8] = nulls[9] = nulls[10] = false;

	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(tupdesc), values, nulls)));
}

static int
zone_or_error(HrguardZoneCache *cache, int64 zone_id)
{
	int			z = hrguard_zone_index(cache, zone_id);

	if (z < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown zone " INT64_FORMAT, zone_id)));
	return z;
}

/*
 * hrguard.zone_locate(zone_id, lat, lon, accuracy_m) -- inside, outside or
 * uncertain against one zone's shape (WGS-84), ignoring time and assignment.
 */
PG_FUNCTION_INFO_V1(hrguard_zone_locate);
Datum
hrguard_zone_locate(PG_FUNCTION_ARGS)
{
	int64		zone_id = PG_GETARG_INT64(0);
	double		lat = PG_GETARG_FLOAT8(1);
	double		lon = PG_GETARG_FLOAT8(2);
	double		accuracy = PG_GETARG_FLOAT8(3);
	HrguardZoneCache *cache;
	int			z;

	hrguard_require_select("hrguard.zone_locate()", "zone");
	hrguard_check_lat_lon(lat, lon, "point");
	hrguard_check_accuracy(accuracy);
	cache = hrguard_zone_cache();
	z = zone_or_error(cache, zone_id);
	PG_RETURN_TEXT_P(cstring_to_text(hrguard_location_name(
		hrguard_shape_locate(&cache->zones[z].shape, lon, lat, accuracy, NULL))));
}

/*
 * hrguard.zone_distance(zone_id, lat, lon) -- metres from a WGS-84 point to
 * the zone's edge, positive inside.
 */
PG_FUNCTION_INFO_V1(hrguard_zone_distance);
Datum
hrguard_zone_distance(PG_FUNCTION_ARGS)
{
	int64		zone_id = PG_GETARG_INT64(0);
	double		lat = PG_GETARG_FLOAT8(1);
	double		lon = PG_GETARG_FLOAT8(2);
	HrguardZoneCache *cache;

	hrguard_require_select("hrguard.zone_distance()", "zone");
	hrguard_check_lat_lon(lat, lon, "point");
	cache = hrguard_zone_cache();
	PG_RETURN_FLOAT8(hrguard_zone_signed_distance(cache, zone_or_error(cache, zone_id),
												  lat, lon));
}
