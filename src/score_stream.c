/*-------------------------------------------------------------------------
 *
 * score_stream.c
 *	  The facts a scoring run reads, one query per table ordered by
 *	  employee, read through a cursor in batches and taken employee by
 *	  employee as the employees are read.
 *
 * IDENTIFICATION
 *	  src/score_stream.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "executor/spi.h"
#include "utils/builtins.h"

#include "score_stream.h"

/* rows fetched from a cursor at a time */
#define STREAM_BATCH 10000

void
hrguard_stream_open(ScoreStream *s, const char *query, int nargs, Oid *types, Datum *args, const char *nulls)
{
	SPIPlanPtr	plan = SPI_prepare(query, nargs, types);

	if (plan == NULL)
		elog(ERROR, "could not prepare a scoring query: %s", SPI_result_code_string(SPI_result));
	s->portal = SPI_cursor_open(NULL, plan, args, nulls, true);
	s->batch = NULL;
	s->pos = s->n = 0;
	s->done = false;
}

/* the next row of the stream, any employee's; NULL at the end */
HeapTuple
hrguard_stream_peek(ScoreStream *s)
{
	if (s->pos < s->n)
		return s->batch->vals[s->pos];
	if (s->done)
		return NULL;
	if (s->batch != NULL)
		SPI_freetuptable(s->batch);
	SPI_cursor_fetch(s->portal, true, STREAM_BATCH);
	s->batch = SPI_tuptable;
	s->n = SPI_processed;
	s->pos = 0;
	if (s->n == 0)
	{
		s->done = true;
		SPI_cursor_close(s->portal);
		return NULL;
	}
	return s->batch->vals[0];
}

/*
 * The stream's next row of this employee, or NULL when it has no more;
 * rows of employees that come before it (not scored) are passed over.
 * The row is valid until the next call.
 */
HeapTuple
hrguard_stream_next_of(ScoreStream *s, const char *employee_id)
{
	HeapTuple	tuple;

	while ((tuple = hrguard_stream_peek(s)) != NULL)
	{
		bool		isnull;
		Datum		id = SPI_getbinval(tuple, s->batch->tupdesc, 1, &isnull);
		text	   *t = DatumGetTextPP(id);
		int			len = VARSIZE_ANY_EXHDR(t);
		int			c = strncmp(VARDATA_ANY(t), employee_id, len);

		if (c == 0 && employee_id[len] != '\0')
			c = -1;
		if (c > 0)
			return NULL;
		s->pos++;
		if (c == 0)
			return tuple;
	}
	return NULL;
}

Datum
hrguard_stream_column(ScoreStream *s, HeapTuple tuple, int col, bool *isnull)
{
	return SPI_getbinval(tuple, s->batch->tupdesc, col, isnull);
}

char *
hrguard_stream_text(ScoreStream *s, HeapTuple tuple, int col)
{
	bool		isnull;
	Datum		d = hrguard_stream_column(s, tuple, col, &isnull);

	return isnull ? NULL : TextDatumGetCString(d);
}
