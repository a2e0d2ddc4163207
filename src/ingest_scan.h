/*-------------------------------------------------------------------------
 *
 * ingest_scan.h
 *	  The vendor payload scanned without building it: its top-level
 *	  members, the elements of its records array, the vendor's error code
 *	  (ingest_scan.c).
 *
 * IDENTIFICATION
 *	  src/ingest_scan.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef HRGUARD_INGEST_SCAN_H
#define HRGUARD_INGEST_SCAN_H

#include "postgres.h"

/* jansson's json_t, without jansson's header (it clashes with builtins.h) */
struct json_t;

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
	bool		streamed;		/* in: an array whose elements are checked as read */
	bool		found;			/* out */
	IngestSpan	value;			/* out */
} IngestMember;

extern void hrguard_ingest_members(const char *function, const char *payload, size_t len,
								   IngestMember *members, int nmembers);
extern bool hrguard_ingest_record_member(IngestSpan record, const char *key, IngestSpan *value);
extern void hrguard_ingest_check_value(const char *function, const char *payload,
									   IngestSpan value);

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
extern bool hrguard_ingest_array_next(IngestArray *it, IngestSpan *element,
									  struct json_t **tree);

extern const char *hrguard_ingest_array_position(const IngestArray *it);
extern const char *hrguard_ingest_array_guess(const IngestArray *it, const char *from);

/* how jansson parses a record (with jansson.h included) */
#define INGEST_RECORD_JSON_FLAGS (JSON_REJECT_DUPLICATES | JSON_DECODE_ANY)

extern struct json_t *hrguard_ingest_parse_value(const char *function, const char *member,
												 IngestSpan value);
extern void hrguard_ingest_check_errcode(const char *function, const char *vendor,
										 IngestMember *code_member, IngestMember *message_member);

#endif							/* HRGUARD_INGEST_SCAN_H */
