/*-------------------------------------------------------------------------
 *
 * ingest_run.h
 *	  One vendor payload ingested, record by record (ingest_run.c).
 *
 * IDENTIFICATION
 *	  src/ingest_run.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef HRGUARD_INGEST_RUN_H
#define HRGUARD_INGEST_RUN_H

#include "postgres.h"

#include "fmgr.h"

#include "ingest_batch.h"

/*
 * Reads one parsed record (a JSON object; raw, its text) into *punch, in
 * the memory context where punches are kept; scratch is for what reading
 * needs only briefly (reset after each record).
 */
typedef void (*IngestReader) (struct json_t *record, IngestSpan raw, MemoryContext scratch,
							  IngestPunch *punch);

/* the vendors' readers (ingest_dingtalk.c, ingest_wecom.c) */
extern void hrguard_dingtalk_read_record(struct json_t *record, IngestSpan raw,
										 MemoryContext scratch, IngestPunch *punch);
extern void hrguard_dingtalk_read_event(struct json_t *record, IngestSpan raw,
										MemoryContext scratch, IngestPunch *punch);
extern void hrguard_wecom_read_record(struct json_t *record, IngestSpan raw,
									  MemoryContext scratch, IngestPunch *punch);

extern bool hrguard_ingest_read_next(IngestArray *it, IngestReader reader,
									 MemoryContext scratch, MemoryContext keep,
									 IngestSpan *raw, IngestPunch *punch);
extern Datum hrguard_ingest_run(FunctionCallInfo fcinfo, const char *function,
								IngestVendor vendor, const char *payload,
								const char *member, IngestSpan records,
								IngestReader reader);

#endif							/* HRGUARD_INGEST_RUN_H */
