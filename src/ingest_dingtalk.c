/*-------------------------------------------------------------------------
 *
 * ingest_dingtalk.c
 *	  hrguard.ingest_dingtalk(payload): DingTalk attendance records as
 *	  punches.  Takes the response of POST /attendance/listRecord (and of
 *	  /attendance/list, whose NotSigned results are kept as missed
 *	  punches) and the attendance_check_record push event.
 *
 * listRecord records: userCheckTime in milliseconds, userLatitude and
 * userLongitude in GCJ-02 as numbers or strings, userAccuracy in metres,
 * checkType OnDuty/OffDuty; the record id is the source_record_id.  Push
 * events carry checkTime, latitude and longitude, and no record id: their
 * source_record_id is "event:<userId>:<checkTime>".  The vendor's
 * verdicts (timeResult, locationResult, sourceType, ...) are kept in
 * vendor_flags as sent, unknown values included.
 *
 * IDENTIFICATION
 *	  src/ingest_dingtalk.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "fmgr.h"

#include <jansson.h>

#include "canon.h"
#include "geo.h"
#include "ingest_batch.h"
#include "ingest_dingtalk.h"
#include "ingest_json.h"
#include "ingest_run.h"
#include "ingest_scan.h"
#include "privilege.h"

#define FUNCTION "hrguard.ingest_dingtalk"

/* the fields of a listRecord record kept in vendor_flags */
static const char *const record_flags[] = {
	"checkType", "timeResult", "locationResult", "isLegal", "sourceType", "locationMethod",
	"invalidRecordType", "invalidRecordMsg", "outsideRemark", "corpId", "groupId", "planId",
	"classId", "approveId", "procInstId", "bizId", "baseCheckTime", "planCheckTime",
	"workDate", "gmtCreate", "gmtModified", "baseAddress", "baseLatitude", "baseLongitude",
	"baseAccuracy", "baseSsid", "baseMacAddr", "userSsid", "userMacAddr", "deviceSN"
};

/* fields of a listRecord record that are text when present */
static const char *const text_verdicts[] = {
	"isLegal", "locationMethod", "invalidRecordType", "invalidRecordMsg", "outsideRemark"
};

/* the fields of a push event's item kept in vendor_flags */
static const char *const event_flags[] = {
	"bizId", "corpId", "groupId", "locationMethod", "checkByUser", "deviceName", "deviceSN",
	"baseMacAddr"
};

/* who made a record, by its sourceType (older documents prefix APP_) */
static const struct
{
	const char *source_type;
	const char *made_by;
}			made_by[] = {
	{"USER", "employee"}, {"APP_USER", "employee"},
	{"BOSS", "manager"}, {"APP_BOSS", "manager"},
	{"APPROVE", "approval"}, {"APP_APPROVE", "approval"},
	{"SYSTEM", "system"}, {"AUTO_CHECK", "system"}, {"APP_AUTO_CHECK", "system"},
	{"ATM", "device"}, {"BEACON", "device"}, {"DING_ATM", "device"},
};

/* both coordinates or neither; a pair is GCJ-02 */
static void
read_position(json_t *record, const char *lat_key, const char *lon_key, IngestPunch *p)
{
	double		lat = 0,
				lon = 0;
	bool		has_lat,
				has_lon;

	if (!hrguard_ingest_double(record, lat_key, &lat, &has_lat, p) ||
		!hrguard_ingest_double(record, lon_key, &lon, &has_lon, p))
		return;
	if (has_lat != has_lon)
		hrguard_ingest_reject(p, INGEST_INVALID_RECORD, "%s comes without %s",
							  has_lat ? lat_key : lon_key, has_lat ? lon_key : lat_key);
	else if (has_lat)
		hrguard_ingest_position(lat, lon, p);
}

/* one record of a listRecord (or list) response */
void
hrguard_dingtalk_read_record(json_t *record, IngestSpan raw, MemoryContext scratch, IngestPunch *p)
{
	const char *check_type = hrguard_ingest_enum(record, "checkType", p);
	const char *source_type = hrguard_ingest_enum(record, "sourceType", p);
	const char *time_result = hrguard_ingest_enum(record, "timeResult", p);
	const char *location_result = hrguard_ingest_enum(record, "locationResult", p);
	json_t	   *made_by_value = NULL;
	int64		id;
	bool		present;
	int			i;

	p->vendor_userid = hrguard_ingest_string(record, "userId", p);
	if (hrguard_ingest_int64(record, "id", true, &id, &present, p))
		p->record_id = hrguard_ingest_int64_text(id);
	hrguard_ingest_time_ms(record, "userCheckTime", 1000, &p->punched_at, p);
	read_position(record, "userLatitude", "userLongitude", p);
	if (hrguard_ingest_double(record, "userAccuracy", &p->accuracy_m, &p->has_accuracy, p) &&
		p->has_accuracy && (p->accuracy_m < 0 || p->accuracy_m > HRGUARD_MAX_ACCURACY_M))
		hrguard_ingest_reject(p, INGEST_INVALID_RECORD, "userAccuracy %.10g m is not valid",
							  p->accuracy_m);
	p->device_id = hrguard_ingest_string(record, "deviceId", p);
	if (p->device_id == NULL)
		p->device_id = hrguard_ingest_string(record, "deviceSN", p);
	p->address = hrguard_ingest_string(record, "userAddress", p);
	hrguard_ingest_bssid(record, "userMacAddr", p);

	if (check_type != NULL && strcmp(check_type, "OnDuty") == 0)
		p->check_type = "on_duty";
	else if (check_type != NULL && strcmp(check_type, "OffDuty") == 0)
		p->check_type = "off_duty";
	else
		p->check_type = "other";
	for (i = 0; source_type != NULL && i < (int) lengthof(made_by); i++)
		if (strcmp(source_type, made_by[i].source_type) == 0)
		{
			made_by_value = json_string(made_by[i].made_by);
			break;
		}
	/* the vendor's other verdicts and notes are text too */
	for (i = 0; i < (int) lengthof(text_verdicts); i++)
		hrguard_ingest_enum(record, text_verdicts[i], p);
	hrguard_ingest_flags(record, raw, scratch, "dingtalk", record_flags, lengthof(record_flags),
						 "made_by", made_by_value, p);
	json_decref(made_by_value);

	/* a NotSigned result is the vendor's note that no punch was made */
	if ((time_result != NULL && strcmp(time_result, "NotSigned") == 0) ||
		(location_result != NULL && strcmp(location_result, "NotSigned") == 0))
		hrguard_ingest_reject(p, INGEST_MISSED_PUNCH,
							  "DingTalk's record of a punch that was not made (NotSigned)");
}

/* one item of an attendance_check_record event */
void
hrguard_dingtalk_read_event(json_t *record, IngestSpan raw, MemoryContext scratch, IngestPunch *p)
{
	int64		at_ms;
	bool		present;

	p->vendor_userid = hrguard_ingest_string(record, "userId", p);
	if (hrguard_ingest_int64(record, "checkTime", true, &at_ms, &present, p) &&
		p->vendor_userid != NULL)
		p->record_id = psprintf("event:%s:%s", p->vendor_userid, hrguard_ingest_int64_text(at_ms));
	hrguard_ingest_time_ms(record, "checkTime", 1000, &p->punched_at, p);
	read_position(record, "latitude", "longitude", p);
	p->device_id = hrguard_ingest_string(record, "deviceSN", p);
	p->address = hrguard_ingest_string(record, "address", p);
	p->check_type = "other";
	hrguard_ingest_enum(record, "locationMethod", p);
	hrguard_ingest_flags(record, raw, scratch, "dingtalk", event_flags, lengthof(event_flags),
						 NULL, NULL, p);
}

PG_FUNCTION_INFO_V1(hrguard_ingest_dingtalk);
Datum
hrguard_ingest_dingtalk(PG_FUNCTION_ARGS)
{
	text	   *payload = PG_GETARG_TEXT_PP(0);
	IngestMember m[] = {
		{"errcode"}, {"errmsg"}, {"recordresult", true}, {"EventType"}, {"DataList", true}
	};

	hrguard_ingest_require_utf8(FUNCTION);
	hrguard_ingest_members(FUNCTION, VARDATA_ANY(payload), VARSIZE_ANY_EXHDR(payload),
						   m, lengthof(m));
	if (m[3].found && m[2].found)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: the payload is both an event (EventType) and a response (recordresult)",
						FUNCTION),
				 errdetail("Nothing from this payload was stored.")));
	if (m[3].found)
	{
		json_t	   *type = hrguard_ingest_parse_value(FUNCTION, "EventType", m[3].value);

		if (!json_is_string(type) ||
			strcmp(json_string_value(type), "attendance_check_record") != 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: the event is not an attendance_check_record event", FUNCTION),
					 errdetail("EventType is %s. Nothing from this payload was stored.",
							   json_is_string(type) ?
							   hrguard_echo(json_string_value(type)) : "not text")));
		if (!m[4].found)
			ereport(ERROR,
					(errcode(ERRCODE_SQL_JSON_MEMBER_NOT_FOUND),
					 errmsg("%s: the attendance_check_record event has no \"DataList\"",
							FUNCTION)));
		PG_RETURN_DATUM(hrguard_ingest_run(fcinfo, FUNCTION, INGEST_DINGTALK,
										   VARDATA_ANY(payload), "DataList", m[4].value,
										   hrguard_dingtalk_read_event));
	}
	/* a response's DataList is not read, but must be JSON like the rest */
	if (m[4].found)
		hrguard_ingest_check_value(FUNCTION, VARDATA_ANY(payload), m[4].value);
	hrguard_ingest_check_errcode(FUNCTION, "DingTalk", &m[0], &m[1]);
	if (!m[2].found)
		ereport(ERROR,
				(errcode(ERRCODE_SQL_JSON_MEMBER_NOT_FOUND),
				 errmsg("%s: the payload has no \"recordresult\"", FUNCTION),
				 errdetail("Expected the response of attendance/listRecord or an attendance_check_record event."),
				 errhint("Pass the vendor's response as it came, not one of its records.")));
	PG_RETURN_DATUM(hrguard_ingest_run(fcinfo, FUNCTION, INGEST_DINGTALK, VARDATA_ANY(payload),
									   "recordresult", m[2].value, hrguard_dingtalk_read_record));
}
