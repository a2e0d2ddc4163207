/*-------------------------------------------------------------------------
 *
 * ingest_json.h
 *	  One vendor record read into the columns of a punch, or rejected with
 *	  its reason (ingest_json.c).
 *
 * IDENTIFICATION
 *	  src/ingest_json.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef HRGUARD_INGEST_JSON_H
#define HRGUARD_INGEST_JSON_H

#include "postgres.h"

#include "datatype/timestamp.h"
#include "utils/jsonb.h"

#include "ingest_scan.h"

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

/* the record's JSON: a parsed object, or why it could not be (it: the records' array) */
extern struct json_t *hrguard_ingest_parse_record(const IngestArray *it, IngestSpan record,
												  struct json_t *tree, IngestPunch *punch);

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
extern char *hrguard_ingest_int64_text(int64 value);
extern void hrguard_ingest_bssid(struct json_t *record, const char *key, IngestPunch *punch);
extern const char *hrguard_ingest_enum(struct json_t *record, const char *key,
									   IngestPunch *punch);
extern void hrguard_ingest_flags(struct json_t *record, IngestSpan raw, MemoryContext scratch,
								 const char *vendor,
								 const char *const *keys, int nkeys,
								 const char *extra_key, struct json_t *extra,
								 IngestPunch *punch);
extern void hrguard_ingest_reject(IngestPunch *punch, IngestReason reason,
								  const char *fmt,...) pg_attribute_printf(3, 4);

/*
 * Reads one parsed record (a JSON object; raw, its text) into *punch, in
 * the memory context where punches are kept; scratch is for what reading
 * needs only briefly (reset after each record).
 */
typedef void (*IngestReader) (struct json_t *record, IngestSpan raw, MemoryContext scratch,
							  IngestPunch *punch);

extern bool hrguard_ingest_read_next(IngestArray *it, IngestReader reader,
									 MemoryContext scratch, MemoryContext keep,
									 IngestSpan *raw, IngestPunch *punch);

#endif							/* HRGUARD_INGEST_JSON_H */
