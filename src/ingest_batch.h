/*-------------------------------------------------------------------------
 *
 * ingest_batch.h
 *	  The batch that maps vendor user ids to employees, inserts punches and
 *	  keeps rejected records (ingest_batch.c).
 *
 * IDENTIFICATION
 *	  src/ingest_batch.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef HRGUARD_INGEST_BATCH_H
#define HRGUARD_INGEST_BATCH_H

#include "postgres.h"

#include "fmgr.h"

#include "ingest_json.h"

typedef struct IngestBatch IngestBatch;

/* a vendor user id and its employee */
typedef struct IngestUser
{
	const char *userid;			/* the key: the text of one of its records */
	bool		looked_up;
	char	   *employee_id;	/* NULL: no employee has this user id */
	Datum		employee_text;	/* employee_id as text, when there is one */
	int			rank;			/* of employee_id among those mapped, in "C" order */
} IngestUser;

typedef enum IngestVendor
{
	INGEST_DINGTALK,
	INGEST_WECOM
} IngestVendor;

extern IngestBatch *hrguard_ingest_begin(const char *function, IngestVendor vendor);
extern IngestUser *hrguard_ingest_note_user(IngestBatch *batch, const char *userid);
extern void hrguard_ingest_map_users(IngestBatch *batch);
extern void hrguard_ingest_add(IngestBatch *batch, IngestPunch *punch, IngestSpan raw,
							   IngestUser *user);
extern Datum hrguard_ingest_finish(IngestBatch *batch, FunctionCallInfo fcinfo);
extern void hrguard_ingest_require_utf8(const char *function);

#endif							/* HRGUARD_INGEST_BATCH_H */
