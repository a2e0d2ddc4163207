/*-------------------------------------------------------------------------
 *
 * ingest_dingtalk.h
 *	  The readers of DingTalk records, which a parallel worker runs too
 *	  (ingest_dingtalk.c).
 *
 * IDENTIFICATION
 *	  src/ingest_dingtalk.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef HRGUARD_INGEST_DINGTALK_H
#define HRGUARD_INGEST_DINGTALK_H

#include "postgres.h"

#include "ingest_json.h"

extern void hrguard_dingtalk_read_record(struct json_t *record, IngestSpan raw,
										 MemoryContext scratch, IngestPunch *punch);
extern void hrguard_dingtalk_read_event(struct json_t *record, IngestSpan raw,
										MemoryContext scratch, IngestPunch *punch);

#endif							/* HRGUARD_INGEST_DINGTALK_H */
