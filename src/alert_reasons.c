/*-------------------------------------------------------------------------
 *
 * alert_reasons.c
 *	  The reasons of a punch's alerts: what the stored punch says, the zone
 *	  it was nearest or inside, the schedule it was outside of, the risk
 *	  features behind it, and the severity each kind gets.
 *
 * IDENTIFICATION
 *	  src/alert_reasons.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/pg_type.h"
#include "commands/async.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "nodes/pg_list.h"
#include "parser/parse_relation.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "alert_reasons.h"
#include "classify.h"
#include "common.h"
#include "hrguard.h"
#include "jsonb_builder.h"
#include "privilege.h"
#include "punch.h"

static bool
jsonb_has_key(Jsonb *jb, const char *key)
{
	JsonbValue	k;

	k.type = jbvString;
	k.val.string.val = (char *) key;
	k.val.string.len = strlen(key);
	return findJsonbValueFromContainer(&jb->root, JB_FOBJECT, &k) != NULL;
}

/* a number as the text JSON would have, formatted printf-style */
static void
reason_number(JsonbBuilder *b, const char *key, const char *format, double value)
{
	hrguard_jb_key(b, key);
	hrguard_jb_number(b, psprintf(format, value));
}

/* a number with a fixed count of decimals */
static void
reason_decimal(JsonbBuilder *b, const char *key, double value, int decimals)
{
	hrguard_jb_key(b, key);
	hrguard_jb_decimal(b, value, decimals);
}

static void
reason_zone(JsonbBuilder *b, const char *key, const HrguardZone *zone, double signed_distance)
{
	hrguard_jb_key(b, key);
	hrguard_jb_begin_object(b);
	hrguard_jb_key(b, "zone_id");
	hrguard_jb_int8(b, zone->zone_id);
	hrguard_jb_key(b, "name");
	hrguard_jb_string(b, zone->name);
	hrguard_jb_key(b, "kind");
	hrguard_jb_string(b, hrguard_zone_kind_name(zone->kind));
	reason_decimal(b, "distance_to_edge_m", fabs(signed_distance), 1);
	hrguard_jb_key(b, "inside");
	hrguard_jb_bool(b, signed_distance >= 0);
	hrguard_jb_end_object(b);
}

static const char *
day_type(const HrguardWindowMatch *work)
{
	if (work->day_isodow < 0)
		return "holiday";
	if (work->day_isodow != hrguard_isodow(work->local_day))
		return "make-up working day";
	return "ordinary day";
}

/* Read what the alerts of a stored punch are made of. */
void
hrguard_read_stored_punch(HeapTuple tuple, TupleDesc desc, const int *attnum, StoredPunch *p)
{
	bool		isnull;
	Datum		d;

	p->punch_id = DatumGetInt64(heap_getattr(tuple, attnum[PC_PUNCH_ID], desc, &isnull));
	p->employee_id = TextDatumGetCString(heap_getattr(tuple, attnum[PC_EMPLOYEE_ID], desc, &isnull));
	p->at = DatumGetTimestampTz(heap_getattr(tuple, attnum[PC_PUNCHED_AT], desc, &isnull));
	d = heap_getattr(tuple, attnum[PC_LAT], desc, &isnull);
	p->located = !isnull;
	p->lat = p->lon = 0;
	if (p->located)
	{
		p->lat = DatumGetFloat8(d);
		p->lon = DatumGetFloat8(heap_getattr(tuple, attnum[PC_LON], desc, &isnull));
	}
	d = heap_getattr(tuple, attnum[PC_ACCURACY], desc, &isnull);
	p->accuracy = isnull ? hrguard_default_accuracy_m : DatumGetFloat8(d);
	p->risk = DatumGetJsonbP(heap_getattr(tuple, attnum[PC_RISK], desc, &isnull));

	p->cache = hrguard_zone_cache();
	p->employee = hrguard_employee_or_error(p->cache, p->employee_id);
	hrguard_schedule_match(p->employee->schedule, p->employee->tz, &p->cache->calendar,
						   p->employee->tenant, p->at, HRGUARD_OFF_HOURS_GRACE_US, &p->work);
	d = heap_getattr(tuple, attnum[PC_ZONE_ID], desc, &isnull);
	p->zone = isnull ? -1 : hrguard_zone_index(p->cache, DatumGetInt64(d));
	d = heap_getattr(tuple, attnum[PC_WATCHED_ZONE_ID], desc, &isnull);
	p->watched = isnull ? -1 : hrguard_zone_index(p->cache, DatumGetInt64(d));

	p->punched_at = hrguard_utc_iso(p->at);
	p->local_time = hrguard_local_iso(hrguard_match_local_timestamp(&p->work));
}

/* The reasons of an outside_zone alert; its zone's id, or 0. */
static int64
reasons_outside(JsonbBuilder *reasons, const StoredPunch *p)
{
	hrguard_jb_key(reasons, "verdict");
	hrguard_jb_string(reasons, "outside");
	if (p->zone < 0)
	{
		hrguard_jb_key(reasons, "nearest_zone");
		hrguard_jb_null(reasons);
		reason_number(reasons, "searched_m", "%g", HRGUARD_NEAREST_ZONE_SEARCH_M);
		return 0;
	}
	reason_zone(reasons, "nearest_zone", &p->cache->zones[p->zone],
				hrguard_zone_signed_distance(p->cache, p->zone, p->lat, p->lon));
	return p->cache->zones[p->zone].zone_id;
}

/* The reasons of an off_hours alert: the schedule the punch is outside of. */
static void
reasons_off_hours(JsonbBuilder *reasons, const StoredPunch *p)
{
	const HrguardEmployee *employee = p->employee;

	hrguard_jb_key(reasons, "timezone");
	hrguard_jb_string(reasons, pg_get_timezone_name(employee->schedule->tz ?
													employee->schedule->tz : employee->tz));
	hrguard_jb_key(reasons, "schedule_id");
	if (employee->schedule->schedule_id != 0)
		hrguard_jb_int8(reasons, employee->schedule->schedule_id);
	else
	{
		hrguard_jb_null(reasons);
		hrguard_jb_key(reasons, "schedule");
		hrguard_jb_string(reasons, "Monday to Friday 09:00-18:00");
	}
	hrguard_jb_key(reasons, "day");
	hrguard_jb_string(reasons, day_type(&p->work));
	hrguard_jb_key(reasons, "grace_minutes");
	hrguard_jb_int8(reasons, hrguard_off_hours_grace_minutes);
}

/*
 * The reasons of one alert of the punch, as jsonb; sets its severity and
 * the zone it names (0: none).
 */
Jsonb *
hrguard_alert_reasons(const StoredPunch *p, const char *kind, const char **severity, int64 *zone_id)
{
	JsonbBuilder reasons;

	*severity = "alert";
	*zone_id = 0;

	/* what every reason starts with */
	hrguard_jb_init(&reasons);
	hrguard_jb_begin_object(&reasons);
	hrguard_jb_key(&reasons, "punch_id");
	hrguard_jb_int8(&reasons, p->punch_id);
	hrguard_jb_key(&reasons, "punched_at");
	hrguard_jb_string(&reasons, p->punched_at);
	hrguard_jb_key(&reasons, "local_time");
	hrguard_jb_string(&reasons, p->local_time);
	if (p->located)
	{
		reason_decimal(&reasons, "lat", p->lat, 7);
		reason_decimal(&reasons, "lon", p->lon, 7);
		reason_number(&reasons, "accuracy_m", "%g", p->accuracy);
	}

	if (strcmp(kind, "outside_zone") == 0)
		*zone_id = reasons_outside(&reasons, p);
	else if (strcmp(kind, "competitor_zone") == 0 && p->watched >= 0)
	{
		const HrguardZone *w = &p->cache->zones[p->watched];

		reason_zone(&reasons, "zone", w,
					hrguard_zone_signed_distance(p->cache, p->watched, p->lat, p->lon));
		hrguard_jb_key(&reasons, "in_working_hours");
		hrguard_jb_bool(&reasons, p->work.open);
		*zone_id = w->zone_id;
		*severity = (w->kind == ZONE_COMPETITOR && !p->work.open) ? "watch" : "alert";
	}
	else if (strcmp(kind, "off_hours") == 0)
	{
		*severity = "watch";
		reasons_off_hours(&reasons, p);
	}
	else
	{
		/* impossible_travel, spoof_suspected: the risk features say why */
		if (strcmp(kind, "spoof_suspected") == 0 &&
			!jsonb_has_key(p->risk, "repeated_coordinates") &&
			!jsonb_has_key(p->risk, "vendor_mock_location"))
			*severity = "watch";
		hrguard_jb_key(&reasons, "risk");
		hrguard_jb_jsonb(&reasons, p->risk);
	}
	hrguard_jb_end_object(&reasons);
	return hrguard_jb_finish(&reasons);
}
