/*-------------------------------------------------------------------------
 *
 * punch_risk.c
 *	  A punch's risk features (impossible travel, the same coordinates on
 *	  another day, a device never seen, a Wi-Fi BSSID the zone does not
 *	  know, the app's own mock flag) as the risk object the row keeps, and
 *	  the kinds of alert the punch deserves.
 *
 * IDENTIFICATION
 *	  src/punch_risk.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "common/shortest_dec.h"
#include "utils/builtins.h"

#include "common.h"
#include "hrguard.h"
#include "jsonb_builder.h"
#include "punch_risk.h"

static bool
bssid_allowed(const HrguardZone *zone, const char *bssid)
{
	int			i;

	for (i = 0; i < zone->nbssids; i++)
		if (strcmp(zone->bssids[i], bssid) == 0)
			return true;
	return false;
}

/* a key of the risk object, opening the object at the first one */
static void
risk_key(PunchRisk *risk, JsonbBuilder *b, const char *key)
{
	if (!risk->any)
	{
		hrguard_jb_begin_object(b);
		risk->any = true;
	}
	hrguard_jb_key(b, key);
}

/* a number as printf formats it */
static void
formatted_number(JsonbBuilder *b, const char *format, double value)
{
	hrguard_jb_number(b, psprintf(format, value));
}

/* The risk object and the features it names; risk->json is NULL if none. */
void
hrguard_punch_assess_risk(const PunchInput *in, const HrguardVerdict *v, const PunchHistory *h,
			const HrguardZoneCache *cache, PunchRisk *risk)
{
	JsonbBuilder b;

	memset(risk, 0, sizeof(*risk));
	hrguard_jb_init(&b);
	if (!in->located)
	{
		risk_key(risk, &b, "no_location");
		hrguard_jb_bool(&b, true);
	}
	if (in->located && v->no_allowed_zone)
	{
		risk_key(risk, &b, "no_allowed_zone");
		hrguard_jb_bool(&b, true);
	}
	if (in->located && h->has_previous && h->previous_located)
	{
		double		metres = hrguard_haversine_m(h->previous_lat, h->previous_lon, in->lat, in->lon);
		double		seconds = (double) (in->at - h->previous_at) / USECS_PER_SEC;

		if (metres > hrguard_min_travel_m &&
			(seconds <= 0.0 || metres / seconds * 3.6 > hrguard_max_speed_kmh))
		{
			risk->impossible = true;
			risk_key(risk, &b, "impossible_travel");
			hrguard_jb_begin_object(&b);
			hrguard_jb_key(&b, "distance_m");
			formatted_number(&b, "%.0f", metres);
			hrguard_jb_key(&b, "seconds");
			formatted_number(&b, "%.0f", seconds);
			hrguard_jb_key(&b, "speed_kmh");
			if (seconds > 0.0)
				formatted_number(&b, "%.1f", metres / seconds * 3.6);
			else
				hrguard_jb_null(&b);
			hrguard_jb_key(&b, "previous_punch_at");
			hrguard_jb_string(&b, hrguard_utc_iso(h->previous_at));
			hrguard_jb_key(&b, "max_speed_kmh");
			formatted_number(&b, "%g", hrguard_max_speed_kmh);
			hrguard_jb_end_object(&b);
		}
	}
	if (in->located && h->repeated)
	{
		risk->repeated = true;
		risk_key(risk, &b, "repeated_coordinates");
		hrguard_jb_begin_object(&b);
		hrguard_jb_key(&b, "raw_lat");
		hrguard_jb_number(&b, double_to_shortest_decimal(in->raw_lat));
		hrguard_jb_key(&b, "raw_lon");
		hrguard_jb_number(&b, double_to_shortest_decimal(in->raw_lon));
		hrguard_jb_end_object(&b);
	}
	if (in->device_id != NULL && !h->device_known && h->has_history)
	{
		risk->new_device = true;
		risk_key(risk, &b, "new_device");
		hrguard_jb_string(&b, in->device_id);
	}
	if (in->has_bssid && v->verdict == HRGUARD_INSIDE && v->zone >= 0 &&
		cache->zones[v->zone].nbssids > 0 && !bssid_allowed(&cache->zones[v->zone], in->bssid))
	{
		risk->bssid_mismatch = true;
		risk_key(risk, &b, "bssid_mismatch");
		hrguard_jb_string(&b, in->bssid);
	}
	if (in->mock)
	{
		risk_key(risk, &b, "vendor_mock_location");
		hrguard_jb_bool(&b, true);
	}
	if (risk->any)
	{
		hrguard_jb_end_object(&b);
		risk->json = hrguard_jb_finish(&b);
	}
}

/* The alerts the punch deserves (inserted by the AFTER trigger); how many. */
int
hrguard_punch_alert_kinds(const PunchInput *in, const HrguardVerdict *v, const PunchRisk *risk,
			Datum *kinds)
{
	int			n = 0;

	if (in->located && v->verdict == HRGUARD_OUTSIDE && v->work.open && !v->no_allowed_zone)
		kinds[n++] = CStringGetTextDatum("outside_zone");
	if (v->watched >= 0 && v->watched_where == HRGUARD_INSIDE)
		kinds[n++] = CStringGetTextDatum("competitor_zone");
	if (!v->work.open)
		kinds[n++] = CStringGetTextDatum("off_hours");
	if (risk->impossible)
		kinds[n++] = CStringGetTextDatum("impossible_travel");
	if (risk->repeated || risk->new_device || risk->bssid_mismatch || in->mock)
		kinds[n++] = CStringGetTextDatum("spoof_suspected");
	return n;
}
