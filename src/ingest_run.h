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

extern Datum hrguard_ingest_run(FunctionCallInfo fcinfo, const char *function,
								IngestVendor vendor, const char *payload,
								const char *member, IngestSpan records,
								IngestReader reader);

#endif							/* HRGUARD_INGEST_RUN_H */
