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
 * each with its employee's index, in blocks, then grouped by employee (a
 * counting sort) into one array, in the order read within each employee.
 */
#define SCORE_GROUPS_BLOCK 65536	/* entries */

typedef struct ScoreGroups
{
	size_t		size;			/* of an entry */
	MemoryContext context;
	int64		n;				/* entries */
	/* before grouping: the entries and each one's employee, by block */
	char	  **blocks;
	int		  **owners;
	int			nblocks;
	int			maxblocks;
	/* once grouped: employee k's entries are v[start[k]] .. v[start[k + 1] - 1] */
	char	   *v;
	int64	   *start;
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
									int employee_column, ScoreRowFn fn, void *arg);

#endif							/* HRGUARD_SCORE_ROWS_H */
