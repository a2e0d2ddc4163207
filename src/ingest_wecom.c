/*-------------------------------------------------------------------------
 *
 * ingest_wecom.c
 *	  hrguard.ingest_wecom(payload): the response of WeCom's POST
 *	  /cgi-bin/checkin/getcheckindata as punches.
 *
 * checkin_time is in seconds; lat and lng are GCJ-02 degrees times 10^6,
 * as integers (strings of digits are taken too), and 0,0 means no
 * location; checkin_type 上班打卡 / 下班打卡 / 外出打卡 is on_duty /
 * off_duty / visit, anything else other.  exception_type lists the
 * vendor's findings separated by ';' or '；'; a row whose findings include
 * 未打卡 is the vendor's note of a missed punch, not a punch.  WeCom gives
 * its records no id: the source_record_id is the JSON array
 * [userid, checkin_time, checkin_type, groupid, timeline_id].
 *
 * IDENTIFICATION
 *	  src/ingest_wecom.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "fmgr.h"

#include <jansson.h>

#include "canon.h"
#include "ingest_batch.h"
#include "ingest_wecom.h"
#include "ingest_json.h"
#include "ingest_run.h"
#include "ingest_scan.h"
#include "punch.h"

#define FUNCTION "hrguard.ingest_wecom"
#define FULLWIDTH_SEMICOLON "\xef\xbc\x9b"	/* '；' in UTF-8 */

static const char *const record_flags[] = {
	"checkin_type", "exception_type", "groupname", "groupid", "schedule_id", "timeline_id",
	"sch_checkin_time", "location_title", "location_detail", "wifiname", "wifimac", "notes",
	"mediaids"
};

static const struct
{
	const char *checkin_type;
	const char *check_type;
}			check_types[] = {
	{"上班打卡", "on_duty"}, {"下班打卡", "off_duty"}, {"外出打卡", "visit"},
};

/* exception_type split on ';' and '；', each finding trimmed, empty ones dropped */
static json_t *
split_exceptions(const char *s, bool *missed)
{
	json_t	   *list = json_array();

	*missed = false;
	while (s != NULL && *s)
	{
		const char *ascii = strchr(s, ';');
		const char *wide = strstr(s, FULLWIDTH_SEMICOLON);
		const char *stop = ascii;
		const char *start = s;
		const char *end;
		int			skip = 1;

		if (wide != NULL && (stop == NULL || wide < stop))
		{
			stop = wide;
			skip = strlen(FULLWIDTH_SEMICOLON);
		}
		end = stop ? stop : s + strlen(s);
		s = stop ? stop + skip : NULL;
		while (start < end && (*start == ' ' || *start == '\t'))
			start++;
		while (end > start && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		if (end > start)
		{
			char	   *one = pnstrdup(start, end - start);

			if (strcmp(one, "未打卡") == 0)
				*missed = true;
			json_array_append_new(list, json_string(one));
			pfree(one);
		}
	}
	return list;
}

/* [userid, checkin_time, checkin_type, groupid, timeline_id] as compact JSON */
static char *
composite_key(json_t *record, const char *userid, int64 at, IngestPunch *p)
{
	json_t	   *key = json_array();
	json_t	   *type = json_object_get(record, "checkin_type");
	const char *const parts[2] = {"groupid", "timeline_id"};
	char	   *text;
	int			i;

	json_array_append_new(key, json_string(userid));
	json_array_append_new(key, json_integer(at));
	json_array_append_new(key, type != NULL && !json_is_null(type) ? json_incref(type) : json_null());
	for (i = 0; i < 2; i++)
	{
		int64		v;
		bool		present;

		if (!hrguard_ingest_int64(record, parts[i], false, &v, &present, p))
		{
			/* the record is rejected: it has no key */
			json_decref(key);
			return NULL;
		}
		json_array_append_new(key, present ? json_integer(v) : json_null());
	}
	text = json_dumps(key, JSON_COMPACT);
	json_decref(key);
	if (text != NULL && strlen(text) > PUNCH_TEXT_MAX_BYTES)
	{
		hrguard_ingest_reject(p, INGEST_INVALID_RECORD, "the record's key is longer than %d bytes",
							  PUNCH_TEXT_MAX_BYTES);
		return NULL;
	}
	return text;
}

void
hrguard_wecom_read_record(json_t *record, IngestSpan raw, MemoryContext scratch, IngestPunch *p)
{
	const char *type = hrguard_ingest_enum(record, "checkin_type", p);
	json_t	   *exception = json_object_get(record, "exception_type");
	json_t	   *exceptions = NULL;
	int64		at,
				lat = 0,
				lng = 0;
	bool		present,
				has_lat,
				has_lng,
				missed = false;
	int			i;

	p->vendor_userid = hrguard_ingest_string(record, "userid", p);
	if (hrguard_ingest_int64(record, "checkin_time", true, &at, &present, p) &&
		p->vendor_userid != NULL)
		p->record_id = composite_key(record, p->vendor_userid, at, p);
	hrguard_ingest_time_ms(record, "checkin_time", USECS_PER_SEC, &p->punched_at, p);

	/* micro-degrees; 0,0 is no location */
	if (hrguard_ingest_int64(record, "lat", false, &lat, &has_lat, p) &&
		hrguard_ingest_int64(record, "lng", false, &lng, &has_lng, p))
	{
		if (has_lat != has_lng)
			hrguard_ingest_reject(p, INGEST_INVALID_RECORD, "%s comes without %s",
								  has_lat ? "lat" : "lng", has_lat ? "lng" : "lat");
		else if (has_lat && (lat != 0 || lng != 0))
			hrguard_ingest_position(lat / 1e6, lng / 1e6, p);
	}
	p->device_id = hrguard_ingest_string(record, "deviceid", p);
	p->address = hrguard_ingest_string(record, "location_detail", p);
	if (p->address == NULL)
		p->address = hrguard_ingest_string(record, "location_title", p);
	hrguard_ingest_bssid(record, "wifimac", p);

	p->check_type = "other";
	for (i = 0; type != NULL && i < (int) lengthof(check_types); i++)
		if (strcmp(type, check_types[i].checkin_type) == 0)
			p->check_type = check_types[i].check_type;
	if (exception != NULL && !json_is_null(exception))
	{
		if (!json_is_string(exception))
			hrguard_ingest_reject(p, INGEST_INVALID_RECORD, "exception_type is not text");
		else
			exceptions = split_exceptions(json_string_value(exception), &missed);
	}
	hrguard_ingest_flags(record, raw, scratch, "wecom", record_flags, lengthof(record_flags),
						 "exceptions", exceptions, p);
	json_decref(exceptions);
	if (missed)
		hrguard_ingest_reject(p, INGEST_MISSED_PUNCH,
							  "WeCom's record of a punch that was not made (未打卡)");
}

PG_FUNCTION_INFO_V1(hrguard_ingest_wecom);
Datum
hrguard_ingest_wecom(PG_FUNCTION_ARGS)
{
	text	   *payload = PG_GETARG_TEXT_PP(0);
	IngestMember m[] = {{"errcode"}, {"errmsg"}, {"checkindata", true}};

	hrguard_ingest_require_utf8(FUNCTION);
	hrguard_ingest_members(FUNCTION, VARDATA_ANY(payload), VARSIZE_ANY_EXHDR(payload),
						   m, lengthof(m));
	hrguard_ingest_check_errcode(FUNCTION, "WeCom", &m[0], &m[1]);
	if (!m[2].found)
		ereport(ERROR,
				(errcode(ERRCODE_SQL_JSON_MEMBER_NOT_FOUND),
				 errmsg("%s: the payload has no \"checkindata\"", FUNCTION),
				 errdetail("Expected the response of checkin/getcheckindata."),
				 errhint("Pass the vendor's response as it came, not one of its records.")));
	PG_RETURN_DATUM(hrguard_ingest_run(fcinfo, FUNCTION, INGEST_WECOM, VARDATA_ANY(payload),
									   "checkindata", m[2].value, hrguard_wecom_read_record));
}
