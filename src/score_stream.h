/*-------------------------------------------------------------------------
 *
 * score_stream.h
 *	  Facts read in employee order through a cursor (score_stream.c).
 *
 * IDENTIFICATION
 *	  src/score_stream.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef HRGUARD_SCORE_STREAM_H
#define HRGUARD_SCORE_STREAM_H

#include "postgres.h"

#include "access/htup.h"
#include "executor/spi.h"

/* a query's rows, ordered by employee_id (column 1) */
typedef struct ScoreStream
{
	Portal		portal;
	SPITupleTable *batch;
	uint64		pos;
	uint64		n;
	bool		done;
} ScoreStream;

extern void hrguard_stream_open(ScoreStream *s, const char *query, int nargs, Oid *types,
								Datum *args, const char *nulls);
extern HeapTuple hrguard_stream_peek(ScoreStream *s);
extern HeapTuple hrguard_stream_next_of(ScoreStream *s, const char *employee_id);
extern Datum hrguard_stream_column(ScoreStream *s, HeapTuple tuple, int col, bool *isnull);
extern char *hrguard_stream_text(ScoreStream *s, HeapTuple tuple, int col);

#endif							/* HRGUARD_SCORE_STREAM_H */
