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
 * append-only tables, whose only triggers are the guards that keep
 * everyone but hrguard's appends out.  No bulk-insert buffer ring is used:
 * its evictions flush WAL in the middle of the statement, which cost more
 * than they saved.
 *
 *	  open(w, table)
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
#include "executor/executor.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"

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
	InitResultRelInfo(w->rri, w->rel, 1, NULL, 0);
	ExecOpenIndices(w->rri, false);
	w->cid = GetCurrentCommandId(true);
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

	ExecStoreVirtualTuple(slot);
	/* the row is copied into the slot: the caller may free its values */
	ExecMaterializeSlot(slot);
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
