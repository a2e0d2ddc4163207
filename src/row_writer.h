/*-------------------------------------------------------------------------
 *
 * row_writer.h
 *	  Inserting many rows into one of hrguard's own tables without the
 *	  executor.
 *
 * IDENTIFICATION
 *	  src/row_writer.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef HRGUARD_ROW_WRITER_H
#define HRGUARD_ROW_WRITER_H

#include "executor/tuptable.h"
#include "nodes/execnodes.h"
#include "utils/relcache.h"

/* rows kept before they are written together */
#define HRGUARD_ROW_BATCH 1000

typedef struct HrguardRowWriter
{
	Relation	rel;
	EState	   *estate;
	ResultRelInfo *rri;
	CommandId	cid;
	TupleTableSlot *slots[HRGUARD_ROW_BATCH];
	int			nslots;			/* created */
	int			used;			/* holding a row */
	/* set by hrguard_row_writer_columns: defaults and constraint checks */
	bool		checked;
	int			ndefaults;
	AttrNumber *default_attnum;
	ExprState **default_expr;
} HrguardRowWriter;

extern void hrguard_row_writer_open(HrguardRowWriter *w, const char *table);
extern void hrguard_row_writer_columns(HrguardRowWriter *w, const char *const *columns,
									   int ncolumns, int *indexes);
extern bool hrguard_row_writer_insert_equivalent(HrguardRowWriter *w, const char *own_guard);
extern TupleTableSlot *hrguard_row_writer_next(HrguardRowWriter *w);
extern void hrguard_row_writer_add(HrguardRowWriter *w);
extern void hrguard_row_writer_close(HrguardRowWriter *w);

#endif							/* HRGUARD_ROW_WRITER_H */
