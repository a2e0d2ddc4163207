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

#include "utils/builtins.h"
#include "utils/json.h"

#include "common.h"
#include "hrguard.h"
#include "punch_risk.h"

static void
json_key(StringInfo buf, const char *key)
{
	if (buf->len > 1)
		appendStringInfoChar(buf, ',');
	escape_json(buf, key);
	appendStringInfoChar(buf, ':');
}

static bool
bssid_allowed(const HrguardZone *zone, const char *bssid)
{
	int			i;

	for (i = 0; i < zone->nbssids; i++)
		if (strcmp(zone->bssids[i], bssid) == 0)
			return true;
	return false;
}

/* The risk object and the features it names. */
void
hrguard_punch_assess_risk(const PunchInput *in, const HrguardVerdict *v, const PunchHistory *h,
			const HrguardZoneCache *cache, PunchRisk *risk)
{
	StringInfo	json = &risk->json;

	memset(risk, 0, sizeof(*risk));
	initStringInfo(json);
	appendStringInfoChar(json, '{');
	if (!in->located)
	{
		json_key(json, "no_location");
		appendStringInfoString(json, "true");
	}
	if (in->located && v->no_allowed_zone)
	{
		json_key(json, "no_allowed_zone");
		appendStringInfoString(json, "true");
	}
	if (in->located && h->has_previous && h->previous_located)
	{
		double		metres = hrguard_haversine_m(h->previous_lat, h->previous_lon, in->lat, in->lon);
		double		seconds = (double) (in->at - h->previous_at) / USECS_PER_SEC;

		if (metres > hrguard_min_travel_m &&
			(seconds <= 0.0 || metres / seconds * 3.6 > hrguard_max_speed_kmh))
		{
			risk->impossible = true;
			json_key(json, "impossible_travel");
			appendStringInfo(json, "{\"distance_m\":%.0f,\"seconds\":%.0f,\"speed_kmh\":%s,"
							 "\"previous_punch_at\":",
							 metres, seconds,
							 seconds > 0.0 ? psprintf("%.1f", metres / seconds * 3.6) : "null");
			escape_json(json, hrguard_utc_iso(h->previous_at));
			appendStringInfo(json, ",\"max_speed_kmh\":%g}", hrguard_max_speed_kmh);
		}
	}
	if (in->located && h->repeated)
	{
		risk->repeated = true;
		json_key(json, "repeated_coordinates");
		appendStringInfo(json, "{\"raw_lat\":%.15g,\"raw_lon\":%.15g}", in->raw_lat, in->raw_lon);
	}
	if (in->device_id != NULL && !h->device_known && h->has_history)
	{
		risk->new_device = true;
		json_key(json, "new_device");
		escape_json(json, in->device_id);
	}
	if (in->has_bssid && v->verdict == HRGUARD_INSIDE && v->zone >= 0 &&
		cache->zones[v->zone].nbssids > 0 && !bssid_allowed(&cache->zones[v->zone], in->bssid))
	{
		risk->bssid_mismatch = true;
		json_key(json, "bssid_mismatch");
		escape_json(json, in->bssid);
	}
	if (in->mock)
	{
		json_key(json, "vendor_mock_location");
		appendStringInfoString(json, "true");
	}
	appendStringInfoChar(json, '}');
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
