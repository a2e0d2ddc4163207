/*-------------------------------------------------------------------------
 *
 * ingest_wecom.h
 *	  The readers of WeCom records, which a parallel worker runs too
 *	  (ingest_wecom.c).
 *
 * IDENTIFICATION
 *	  src/ingest_wecom.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef HRGUARD_INGEST_WECOM_H
#define HRGUARD_INGEST_WECOM_H

#include "postgres.h"

#include "ingest_json.h"

extern void hrguard_wecom_read_record(struct json_t *record, IngestSpan raw,
									  MemoryContext scratch, IngestPunch *punch);

#endif							/* HRGUARD_INGEST_WECOM_H */
