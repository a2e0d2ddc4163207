/*-------------------------------------------------------------------------
 *
 * ingest_parallel.h
 *	  The records of a large payload read by two processes: the calling
 *	  backend reads the first half while a parallel worker reads the second
 *	  and hands its punches over (ingest_parallel.c).
 *
 * IDENTIFICATION
 *	  src/ingest_parallel.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef HRGUARD_INGEST_PARALLEL_H
#define HRGUARD_INGEST_PARALLEL_H

#include "postgres.h"

#include "ingest_json.h"

typedef struct IngestParallel IngestParallel;

extern IngestParallel *hrguard_ingest_parallel_begin(const char *function, IngestReader reader,
													 const IngestArray *it);
extern const char *hrguard_ingest_parallel_split(const IngestParallel *par);
extern bool hrguard_ingest_parallel_next(IngestParallel *par, bool wait,
										 IngestSpan *raw, IngestPunch *punch);
extern void hrguard_ingest_parallel_end(IngestParallel *par, IngestArray *it, bool use);

#endif							/* HRGUARD_INGEST_PARALLEL_H */
