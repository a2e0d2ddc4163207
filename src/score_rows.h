/*-------------------------------------------------------------------------
 *
 * score_rows.h
 *	  Facts read in one pass, in no order, into a bucket per employee
 *	  (score_rows.c).
 *
 * IDENTIFICATION
 *	  src/score_rows.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef HRGUARD_SCORE_ROWS_H
#define HRGUARD_SCORE_ROWS_H

#include "postgres.h"

#include "executor/tuptable.h"
#include "utils/hsearch.h"

#include "score.h"

/* one employee's rows of one table, fixed-size entries, in no order */
typedef struct ScoreBucket
{
	void	   *v;
	int			n;
	int			cap;
} ScoreBucket;

/* a new entry of "size" bytes at the end of the bucket, allocated in "context" */
extern void *hrguard_bucket_push(ScoreBucket *b, size_t size, MemoryContext context);

/* employee id -> index (from 0) among employees first .. end - 1 */
extern HTAB *hrguard_score_employee_index(const ScoreEmployee *es, int first, int end,
										  MemoryContext context);

/* called for each row of an employee of the index: its index, the row's slot */
typedef void (*ScoreRowFn) (void *arg, int index, TupleTableSlot *slot);

extern uint64 hrguard_score_read_rows(const char *query, int nargs, Oid *types, Datum *args,
									  const char *nulls, HTAB *employees,
									  ScoreRowFn fn, void *arg);

#endif							/* HRGUARD_SCORE_ROWS_H */
