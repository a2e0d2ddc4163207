/*-------------------------------------------------------------------------
 *
 * score_rows.h
 *	  Facts read in one pass, in no order, then grouped by employee
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

#include "score.h"

/*
 * The rows of one table for many employees: appended as they are read,
 * each with its employee's index, then grouped by employee (a counting
 * sort), in the order read within each employee.
 */
typedef struct ScoreGroups
{
	size_t		size;			/* of an entry */
	MemoryContext context;
	char	   *v;				/* the entries */
	int		   *owner;			/* before grouping: each entry's employee */
	int64		n;
	int64		cap;
	int64	   *start;			/* once grouped: employee k's are start[k] .. start[k + 1] - 1 */
} ScoreGroups;

extern void hrguard_groups_init(ScoreGroups *g, size_t size, MemoryContext context);
extern void *hrguard_groups_push(ScoreGroups *g, int employee);
extern void hrguard_groups_group(ScoreGroups *g, int nemployees);

/* employee k's entries once grouped, and their number */
#define SCORE_GROUP(g, k)		((void *) ((g)->v + (g)->size * (g)->start[k]))
#define SCORE_GROUP_SIZE(g, k)	((int) ((g)->start[(k) + 1] - (g)->start[k]))

/* employee id -> index (from 0) among employees first .. end - 1 */
typedef struct ScoreEmployeeIndex ScoreEmployeeIndex;

extern ScoreEmployeeIndex *hrguard_score_employee_index(const ScoreEmployee *es, int first, int end,
										  MemoryContext context);

/* called for each row of an employee of the index: its index, the row's slot */
typedef void (*ScoreRowFn) (void *arg, int index, TupleTableSlot *slot);

extern void hrguard_score_read_rows(const char *query, int nargs, Oid *types, Datum *args,
									const char *nulls, ScoreEmployeeIndex *employees,
									ScoreRowFn fn, void *arg);

#endif							/* HRGUARD_SCORE_ROWS_H */
