/*-------------------------------------------------------------------------
 *
 * row_writer.c
 *	  Inserting many rows into one of hrguard's own tables without the
 *	  executor: heap and indexes, in batches.
 *
 * The punch statement trigger writes an evidence entry for every punch and
 * alert of the statement.  Through SPI that meant building arrays, an
 * unnest into a tuplestore and an executor run; here the rows go straight
 * to table_multi_insert() (one WAL record per heap page) and then into
 * every index, as COPY does.  Unique indexes are checked as by INSERT.
 * Triggers are not fired, which is why this is only for hrguard's own
 * tables, while hrguard_row_writer_insert_equivalent() says that they have
 * no INSERT trigger but the guard that lets hrguard's own writes through,
 * no forced row security and no stored generated columns.  A writer told
 * which columns its caller fills
 * (hrguard_row_writer_columns) gives the others their defaults, identity
 * columns included, and checks each row against the table's NOT NULL and
 * CHECK constraints, as INSERT does.  No bulk-insert buffer ring is used:
 * its evictions flush WAL in the middle of the statement, which cost more
 * than they saved.
 *
 *	  open(w, table)
 *	  [columns(w, names, n, indexes)]  -- fill only these, defaults for the rest
 *	  slot = next(w); fill slot->tts_values / tts_isnull; add(w)  -- per row
 *	  close(w)  -- writes what is left
 *
 * The caller holds the rights: the code runs as the owner of the table.
 *
 * IDENTIFICATION
 *	  src/row_writer.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_trigger.h"
#include "executor/executor.h"
#include "optimizer/optimizer.h"
#include "nodes/readfuncs.h"
#include "parser/parse_relation.h"
#include "rewrite/rewriteHandler.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"

#include "common.h"
#include "row_writer.h"

void
hrguard_row_writer_open(HrguardRowWriter *w, const char *table)
{
	Oid			relid = get_relname_relid(table, get_namespace_oid("hrguard", false));

	if (!OidIsValid(relid))
		elog(ERROR, "table hrguard.%s is missing", table);
	memset(w, 0, sizeof(*w));
	w->rel = table_open(relid, RowExclusiveLock);
	w->estate = CreateExecutorState();
	w->rri = makeNode(ResultRelInfo);
	/* not in a range table: a constraint's error message has no column list */
	InitResultRelInfo(w->rri, w->rel, 0, NULL, 0);
	ExecOpenIndices(w->rri, false);
	w->cid = GetCurrentCommandId(true);
}

/*
 * What a table's rows need besides the caller's values, planned once and
 * kept until the table changes: the default expressions of the columns
 * the caller does not fill, and the CHECK constraint expressions, in the
 * order of the relation's constr->check.  Planning them means catalog
 * scans (an identity column's sequence) and parsing stored expressions,
 * which would otherwise be paid by every statement.  A relcache
 * invalidation of the table (ALTER TABLE, or any cache reset) drops it.
 */
typedef struct TableShape
{
	Oid			relid;			/* InvalidOid: free slot */
	MemoryContext context;
	int			natts;
	bool	   *given;			/* columns the caller fills */
	int			ndefaults;
	AttrNumber *default_attnum;
	Expr	  **default_expr;	/* planned; NULL: no default, so null */
	int			ncheck;
	Expr	  **check_expr;		/* planned */
} TableShape;

#define MAX_TABLE_SHAPES 4

static TableShape table_shapes[MAX_TABLE_SHAPES];
static bool shape_callback_registered = false;

static void
forget_shape(TableShape *shape)
{
	if (shape->context != NULL)
		MemoryContextDelete(shape->context);
	memset(shape, 0, sizeof(*shape));
}

static void
table_shape_invalidate(Datum arg, Oid relid)
{
	int			i;

	for (i = 0; i < MAX_TABLE_SHAPES; i++)
		if (OidIsValid(table_shapes[i].relid) &&
			(!OidIsValid(relid) || table_shapes[i].relid == relid))
			forget_shape(&table_shapes[i]);
}

/* plan the shape of rel for a caller filling the given columns */
static TableShape *
table_shape(Relation rel, const bool *given)
{
	TupleDesc	desc = RelationGetDescr(rel);
	int			ncheck = desc->constr ? desc->constr->num_check : 0;
	TableShape *shape = NULL;
	MemoryContext old;
	int			i;

	for (i = 0; i < MAX_TABLE_SHAPES; i++)
	{
		TableShape *s = &table_shapes[i];

		if (s->relid == RelationGetRelid(rel) && s->natts == desc->natts &&
			s->ncheck == ncheck && memcmp(s->given, given, sizeof(bool) * desc->natts) == 0)
			return s;
		if (shape == NULL && !OidIsValid(s->relid))
			shape = s;
	}
	if (shape == NULL)
		shape = &table_shapes[0];	/* a few tables use this: any will do */
	forget_shape(shape);
	if (!shape_callback_registered)
	{
		CacheRegisterRelcacheCallback(table_shape_invalidate, (Datum) 0);
		shape_callback_registered = true;
	}

	shape->context = AllocSetContextCreate(CacheMemoryContext, "hrguard table shape",
										   ALLOCSET_SMALL_SIZES);
	/*
	 * On an error below the slot stays free (relid invalid), and the next
	 * use of it deletes what was built.
	 */
	old = MemoryContextSwitchTo(shape->context);
	shape->natts = desc->natts;
	shape->given = palloc(sizeof(bool) * desc->natts);
	memcpy(shape->given, given, sizeof(bool) * desc->natts);
	shape->default_attnum = palloc(sizeof(AttrNumber) * desc->natts);
	shape->default_expr = palloc(sizeof(Expr *) * desc->natts);
	for (i = 0; i < desc->natts; i++)
	{
		Expr	   *expr;

		if (given[i] || TupleDescAttr(desc, i)->attisdropped)
			continue;
		expr = (Expr *) build_column_default(rel, i + 1);
		shape->default_attnum[shape->ndefaults] = i + 1;
		shape->default_expr[shape->ndefaults] = expr ? expression_planner(expr) : NULL;
		shape->ndefaults++;
	}
	shape->ncheck = ncheck;
	shape->check_expr = palloc(sizeof(Expr *) * Max(ncheck, 1));
	for (i = 0; i < ncheck; i++)
		shape->check_expr[i] = expression_planner(stringToNode(desc->constr->check[i].ccbin));
	MemoryContextSwitchTo(old);
	shape->relid = RelationGetRelid(rel);
	return shape;
}

/*
 * The caller fills only the named columns (their indexes in a slot's
 * tts_values are returned in indexes[]); every other column gets its
 * default when a row is added, and each row is checked against the
 * table's constraints.  A column that does not exist is an error.
 *
 * The writer's expression states are built from copies of the table's
 * shape, which an invalidation may free while the writer is in use.
 */
void
hrguard_row_writer_columns(HrguardRowWriter *w, const char *const *columns, int ncolumns,
						   int *indexes)
{
	TupleDesc	desc = RelationGetDescr(w->rel);
	bool	   *given = palloc0(sizeof(bool) * desc->natts);
	TableShape *shape;
	ExprState **checks;
	MemoryContext old;
	int			i;

	for (i = 0; i < ncolumns; i++)
	{
		AttrNumber	attnum = attnameAttNum(w->rel, columns[i], false);

		if (attnum == InvalidAttrNumber)
			hrguard_missing_column(RelationGetRelationName(w->rel), columns[i]);
		indexes[i] = attnum - 1;
		given[attnum - 1] = true;
	}
	shape = table_shape(w->rel, given);
	pfree(given);

	w->ndefaults = shape->ndefaults;
	w->default_attnum = palloc(sizeof(AttrNumber) * Max(shape->ndefaults, 1));
	w->default_expr = palloc(sizeof(ExprState *) * Max(shape->ndefaults, 1));
	for (i = 0; i < shape->ndefaults; i++)
	{
		w->default_attnum[i] = shape->default_attnum[i];
		w->default_expr[i] = shape->default_expr[i] ?
			ExecInitExpr(copyObject(shape->default_expr[i]), NULL) : NULL;
	}

	/* what ExecConstraints would otherwise prepare from the catalog text */
	old = MemoryContextSwitchTo(w->estate->es_query_cxt);
	checks = palloc(sizeof(ExprState *) * Max(shape->ncheck, 1));
	for (i = 0; i < shape->ncheck; i++)
		checks[i] = ExecInitExpr(copyObject(shape->check_expr[i]), NULL);
	MemoryContextSwitchTo(old);
	w->rri->ri_ConstraintExprs = checks;
	w->checked = true;
}

/*
 * Whether writing rows here is what an INSERT would do: no INSERT trigger
 * but the table's own guard (own_guard, which admits hrguard's writes; a
 * foreign key is an INSERT trigger too), no row security forced on the
 * owner, no stored generated columns.  Otherwise the caller must INSERT.
 */
bool
hrguard_row_writer_insert_equivalent(HrguardRowWriter *w, const char *own_guard)
{
	Relation	rel = w->rel;
	TriggerDesc *trig = rel->trigdesc;
	TupleConstr *constr = RelationGetDescr(rel)->constr;
	int			i;

	if (rel->rd_rel->relkind != RELKIND_RELATION)
		return false;
	if (rel->rd_rel->relrowsecurity && rel->rd_rel->relforcerowsecurity)
		return false;
	if (constr != NULL && constr->has_generated_stored)
		return false;
	for (i = 0; trig != NULL && i < trig->numtriggers; i++)
	{
		Trigger    *t = &trig->triggers[i];

		if (TRIGGER_FOR_INSERT(t->tgtype) && t->tgenabled != TRIGGER_DISABLED &&
			strcmp(t->tgname, own_guard) != 0)
			return false;
	}
	return true;
}

/* write the rows held: heap first, all at once, then every index */
static void
flush(HrguardRowWriter *w)
{
	int			i;

	if (w->used == 0)
		return;
	table_multi_insert(w->rel, w->slots, w->used, w->cid, 0, NULL);
	for (i = 0; i < w->used; i++)
	{
		List	   *recheck = NIL;

		if (w->rri->ri_NumIndices > 0)
			recheck = ExecInsertIndexTuples(w->rri, w->slots[i], w->estate,
											false, false, NULL, NIL);
		list_free(recheck);
		ExecClearTuple(w->slots[i]);
	}
	w->used = 0;
	ResetPerTupleExprContext(w->estate);
}

/*
 * The slot for the next row, cleared: fill its tts_values and tts_isnull
 * and call hrguard_row_writer_add.
 */
TupleTableSlot *
hrguard_row_writer_next(HrguardRowWriter *w)
{
	TupleTableSlot *slot;

	if (w->used == HRGUARD_ROW_BATCH)
		flush(w);
	if (w->used == w->nslots)
		w->slots[w->nslots++] = table_slot_create(w->rel, NULL);
	slot = w->slots[w->used];
	ExecClearTuple(slot);
	return slot;
}

/* the slot from hrguard_row_writer_next holds a row: keep it for writing */
void
hrguard_row_writer_add(HrguardRowWriter *w)
{
	TupleTableSlot *slot = w->slots[w->used];
	ExprContext *econtext = GetPerTupleExprContext(w->estate);
	int			i;

	for (i = 0; i < w->ndefaults; i++)
	{
		int			index = w->default_attnum[i] - 1;

		if (w->default_expr[i] == NULL)
		{
			slot->tts_values[index] = (Datum) 0;
			slot->tts_isnull[index] = true;
		}
		else
			slot->tts_values[index] = ExecEvalExprSwitchContext(w->default_expr[i], econtext,
																&slot->tts_isnull[index]);
	}
	/* a dropped column is null, whatever the caller left there */
	for (i = 0; i < slot->tts_tupleDescriptor->natts; i++)
		if (TupleDescAttr(slot->tts_tupleDescriptor, i)->attisdropped)
		{
			slot->tts_values[i] = (Datum) 0;
			slot->tts_isnull[i] = true;
		}
	ExecStoreVirtualTuple(slot);
	if (w->checked && RelationGetDescr(w->rel)->constr != NULL)
		ExecConstraints(w->rri, slot, w->estate);
	/* the row is copied into the slot: the caller may free its values */
	ExecMaterializeSlot(slot);
	if (w->checked)
		ResetPerTupleExprContext(w->estate);
	w->used++;
}

void
hrguard_row_writer_close(HrguardRowWriter *w)
{
	int			i;

	flush(w);
	for (i = 0; i < w->nslots; i++)
		ExecDropSingleTupleTableSlot(w->slots[i]);
	ExecCloseIndices(w->rri);
	FreeExecutorState(w->estate);
	table_close(w->rel, NoLock);	/* the lock is kept to the end of the transaction */
	w->rel = NULL;
}
