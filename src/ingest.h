/*-------------------------------------------------------------------------
 *
 * ingest.h
 *	  Vendor attendance payloads (DingTalk, WeCom) turned into punches: the
 *	  payload scanner (ingest_scan.c), the record field readers
 *	  (ingest_json.c) and the batch that maps user ids, inserts punches and
 *	  keeps rejected records (ingest_batch.c).
 *
 * IDENTIFICATION
 *	  src/ingest.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef HRGUARD_INGEST_H
#define HRGUARD_INGEST_H

#include "datatype/timestamp.h"
#include "fmgr.h"
#include "utils/jsonb.h"
#include "utils/palloc.h"

/* jansson's json_t, without jansson's header (it clashes with builtins.h) */
struct json_t;

/* ---- the payload ----------------------------------------------------------- */

/* a run of bytes of the payload: one JSON value */
typedef struct IngestSpan
{
	const char *start;
	size_t		len;
} IngestSpan;

/* the top-level members of a payload object that ingestion looks at */
typedef struct IngestMember
{
	const char *name;			/* in: the member's key */
	bool		found;			/* out */
	IngestSpan	value;			/* out */
} IngestMember;

extern void hrguard_ingest_members(const char *function, const char *payload, size_t len,
								   IngestMember *members, int nmembers);

/* the elements of an array value, one at a time */
typedef struct IngestArray
{
	const char *function;
	const char *base;			/* the payload, for error positions */
	const char *pos;
	const char *end;
	int			index;
} IngestArray;

extern void hrguard_ingest_array_open(IngestArray *it, const char *function,
									  const char *payload, const char *member,
									  IngestSpan array);
extern bool hrguard_ingest_array_next(IngestArray *it, IngestSpan *element);

extern struct json_t *hrguard_ingest_parse_value(const char *function, const char *member,
												 IngestSpan value);
extern void hrguard_ingest_check_errcode(const char *function, const char *vendor,
										 IngestMember *code_member, IngestMember *message_member);

/* ---- one record ------------------------------------------------------------- */

/* why a record was not ingested (hrguard.ingest_reject.reason) */
typedef enum IngestReason
{
	INGEST_OK,
	INGEST_UNKNOWN_USER,
	INGEST_MISSED_PUNCH,
	INGEST_INVALID_RECORD
} IngestReason;

/* a vendor record, read into the columns of hrguard.punch */
typedef struct IngestPunch
{
	IngestReason reason;		/* INGEST_OK, or why not */
	char	   *detail;			/* for a rejected record */
	char	   *vendor_userid;
	char	   *record_id;		/* source_record_id */
	TimestampTz punched_at;
	bool		located;
	double		raw_lat;		/* GCJ-02 */
	double		raw_lon;
	bool		has_accuracy;
	double		accuracy_m;
	const char *check_type;		/* on_duty, off_duty, visit or other */
	char	   *device_id;
	char	   *wifi_bssid;		/* normalised, or NULL */
	char	   *address;
	Jsonb	   *vendor_flags;	/* the vendor's fields, an object */
} IngestPunch;

/* the record's JSON: a parsed object, or why it could not be */
extern struct json_t *hrguard_ingest_parse_record(const char *function, IngestSpan record,
												  IngestPunch *punch);

/* field readers: false (and punch->reason set) when the value is unusable */
extern bool hrguard_ingest_int64(struct json_t *record, const char *key, bool required,
								 int64 *out, bool *present, IngestPunch *punch);
extern bool hrguard_ingest_double(struct json_t *record, const char *key,
								  double *out, bool *present, IngestPunch *punch);
extern char *hrguard_ingest_string(struct json_t *record, const char *key,
								   IngestPunch *punch);
extern bool hrguard_ingest_time_ms(struct json_t *record, const char *key, int64 unit_us,
								   TimestampTz *out, IngestPunch *punch);
extern bool hrguard_ingest_position(double lat, double lon, IngestPunch *punch);
extern void hrguard_ingest_bssid(struct json_t *record, const char *key, IngestPunch *punch);
extern const char *hrguard_ingest_enum(struct json_t *record, const char *key,
									   IngestPunch *punch);
extern void hrguard_ingest_flags(struct json_t *record, const char *vendor,
								 const char *const *keys, int nkeys,
								 struct json_t *extra, IngestPunch *punch);
extern void hrguard_ingest_copy_punch(IngestPunch *dst, const IngestPunch *src);
extern void hrguard_ingest_reject(IngestPunch *punch, IngestReason reason,
								  const char *fmt,...) pg_attribute_printf(3, 4);

/* ---- the batch --------------------------------------------------------------- */

typedef struct IngestBatch IngestBatch;

/* the longest vendor user id looked up */
#define INGEST_USERID_MAX 256

/* a vendor user id and its employee */
typedef struct IngestUser
{
	char		userid[INGEST_USERID_MAX];
	bool		looked_up;
	char	   *employee_id;	/* NULL: no employee has this user id */
} IngestUser;

typedef enum IngestVendor
{
	INGEST_DINGTALK,
	INGEST_WECOM
} IngestVendor;

extern IngestBatch *hrguard_ingest_begin(const char *function, IngestVendor vendor);
extern IngestUser *hrguard_ingest_note_user(IngestBatch *batch, const char *userid);
extern void hrguard_ingest_map_users(IngestBatch *batch);
extern void hrguard_ingest_add(IngestBatch *batch, IngestPunch *punch, IngestSpan raw);
extern Datum hrguard_ingest_finish(IngestBatch *batch, FunctionCallInfo fcinfo);
extern void hrguard_ingest_require_utf8(const char *function);

/* reads one parsed record (a JSON object) into *punch */
typedef void (*IngestReader) (struct json_t *record, IngestPunch *punch);

extern Datum hrguard_ingest_run(FunctionCallInfo fcinfo, const char *function,
								IngestVendor vendor, const char *payload,
								const char *member, IngestSpan records,
								IngestReader reader);

#endif							/* HRGUARD_INGEST_H */
