/*-------------------------------------------------------------------------
 *
 * chain_head.c
 *	  Locking and advancing evidence chain heads without the executor.
 *
 * Every punch statement locks the chain head of each of its employees (as
 * SELECT ... FOR UPDATE would) and advances it at its end.  For one punch
 * per statement, the two executor runs this took cost more than the rest
 * of the evidence, so the head is reached through the primary key and
 * locked with table_tuple_lock(), as the executor's row locking does:
 * under READ COMMITTED a head updated since the statement's snapshot is
 * followed to its newest version (after waiting for its updater), under
 * REPEATABLE READ or SERIALIZABLE that is a serialization failure.  It is
 * advanced with simple_heap_update(), with the primary key entry added
 * when the update is not HOT.
 *
 * This is only done while chain_head has its primary key as its only
 * index; otherwise hrguard_heads_open() returns NULL and the caller uses
 * SQL.  A head that does not exist yet is created by the caller, in SQL.
 *
 * IDENTIFICATION
 *	  src/chain_head.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/heapam.h"
#include "access/htup_details.h"
#include "access/relscan.h"
#include "access/stratnum.h"
#include "access/sysattr.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/index.h"
#include "catalog/namespace.h"
#include "executor/tuptable.h"
#include "nodes/execnodes.h"
#include "parser/parse_relation.h"
#include "storage/bufmgr.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"

#include "chain_head.h"

struct HrguardHeads
{
	Relation	heap;
	Relation	pkey;
	IndexInfo  *pkey_info;
	TupleTableSlot *slot;
	AttrNumber	att_employee;
	AttrNumber	att_seq;
	AttrNumber	att_head;
	AttrNumber	att_updated;
};

HrguardHeads *
hrguard_heads_open(void)
{
	Oid			relid = get_relname_relid("chain_head", get_namespace_oid("hrguard", false));
	HrguardHeads *h;
	List	   *indexes;
	Oid			pkey_oid;

	if (!OidIsValid(relid))
		elog(ERROR, "table hrguard.chain_head is missing");
	h = palloc0(sizeof(HrguardHeads));
	h->heap = table_open(relid, RowExclusiveLock);
	indexes = RelationGetIndexList(h->heap);
	pkey_oid = RelationGetPrimaryKeyIndex(h->heap);
	h->att_employee = attnameAttNum(h->heap, "employee_id", false);
	if (list_length(indexes) != 1 || !OidIsValid(pkey_oid))
	{
		table_close(h->heap, RowExclusiveLock);
		pfree(h);
		return NULL;
	}
	h->pkey = index_open(pkey_oid, RowExclusiveLock);
	h->pkey_info = BuildIndexInfo(h->pkey);
	if (h->pkey_info->ii_NumIndexAttrs != 1 ||
		h->pkey_info->ii_IndexAttrNumbers[0] != h->att_employee ||
		h->pkey_info->ii_Expressions != NIL || h->pkey_info->ii_Predicate != NIL)
	{
		hrguard_heads_close(h);
		return NULL;
	}
	h->att_seq = attnameAttNum(h->heap, "seq", false);
	h->att_head = attnameAttNum(h->heap, "head", false);
	h->att_updated = attnameAttNum(h->heap, "updated_at", false);
	h->slot = table_slot_create(h->heap, NULL);
	return h;
}

void
hrguard_heads_close(HrguardHeads *h)
{
	if (h->slot)
		ExecDropSingleTupleTableSlot(h->slot);
	index_close(h->pkey, NoLock);
	table_close(h->heap, NoLock);	/* locks are kept to the end of the transaction */
	pfree(h);
}

/*
 * Lock the head of an employee's chain and read it; false if there is
 * none (visible).  *tid is where the locked version is, *xmin the
 * transaction that wrote it.
 */
bool
hrguard_head_lock(HrguardHeads *h, const char *employee_id, int64 *seq,
				  uint8 head[PG_SHA256_DIGEST_LENGTH], ItemPointer tid, TransactionId *xmin)
{
	Snapshot	snapshot = GetActiveSnapshot();
	ScanKeyData key;
	IndexScanDesc scan;
	bool		found;
	TM_FailureData tmfd;
	TM_Result	result;
	bool		isnull;
	bytea	   *stored;

	ScanKeyEntryInitialize(&key, 0, 1, BTEqualStrategyNumber, InvalidOid,
						   h->pkey->rd_indcollation[0], F_TEXTEQ,
						   CStringGetTextDatum(employee_id));
	scan = index_beginscan(h->heap, h->pkey, snapshot, 1, 0);
	index_rescan(scan, &key, 1, NULL, 0);
	found = index_getnext_slot(scan, ForwardScanDirection, h->slot);
	if (found)
		ItemPointerCopy(&h->slot->tts_tid, tid);
	index_endscan(scan);
	if (!found)
		return false;

	result = table_tuple_lock(h->heap, tid, snapshot, h->slot, GetCurrentCommandId(true),
							  LockTupleExclusive, LockWaitBlock,
							  TUPLE_LOCK_FLAG_LOCK_UPDATE_IN_PROGRESS |
							  (IsolationUsesXactSnapshot() ? 0 : TUPLE_LOCK_FLAG_FIND_LAST_VERSION),
							  &tmfd);
	switch (result)
	{
		case TM_Ok:
			break;
		case TM_Updated:
		case TM_Deleted:
			if (IsolationUsesXactSnapshot())
				ereport(ERROR,
						(errcode(ERRCODE_T_R_SERIALIZATION_FAILURE),
						 errmsg("could not serialize access due to concurrent update")));
			/* FALLTHROUGH */
		default:
			elog(ERROR, "could not lock the chain head of employee \"%s\" (%d)",
				 employee_id, (int) result);
	}
	ItemPointerCopy(&h->slot->tts_tid, tid);
	*xmin = DatumGetTransactionId(slot_getsysattr(h->slot, MinTransactionIdAttributeNumber, &isnull));
	*seq = DatumGetInt64(slot_getattr(h->slot, h->att_seq, &isnull));
	stored = DatumGetByteaPP(slot_getattr(h->slot, h->att_head, &isnull));
	if (isnull || VARSIZE_ANY_EXHDR(stored) != PG_SHA256_DIGEST_LENGTH)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("chain head of employee \"%s\" is damaged", employee_id)));
	memcpy(head, VARDATA_ANY(stored), PG_SHA256_DIGEST_LENGTH);
	ExecClearTuple(h->slot);
	return true;
}

/* Advance a head this transaction has locked at *tid. */
void
hrguard_head_advance(HrguardHeads *h, ItemPointer tid, int64 seq,
					 const uint8 head[PG_SHA256_DIGEST_LENGTH])
{
	TupleDesc	desc = RelationGetDescr(h->heap);
	HeapTupleData old;
	Buffer		buffer;
	HeapTuple	updated;
	Datum		values[3];
	bool		nulls[3] = {false, false, false};
	int			cols[3] = {h->att_seq, h->att_head, h->att_updated};
	bytea	   *head_bytes = palloc(VARHDRSZ + PG_SHA256_DIGEST_LENGTH);

	old.t_self = *tid;
	if (!heap_fetch(h->heap, SnapshotAny, &old, &buffer, false))
		elog(ERROR, "could not read a locked chain head");
	SET_VARSIZE(head_bytes, VARHDRSZ + PG_SHA256_DIGEST_LENGTH);
	memcpy(VARDATA(head_bytes), head, PG_SHA256_DIGEST_LENGTH);
	values[0] = Int64GetDatum(seq);
	values[1] = PointerGetDatum(head_bytes);
	values[2] = TimestampTzGetDatum(GetCurrentTransactionStartTimestamp());
	updated = heap_modify_tuple_by_cols(&old, desc, 3, cols, values, nulls);
	ReleaseBuffer(buffer);

	simple_heap_update(h->heap, tid, updated);
	if (!HeapTupleIsHeapOnly(updated))
	{
		bool		isnull;
		Datum		employee = heap_getattr(updated, h->att_employee, desc, &isnull);

		(void) index_insert(h->pkey, &employee, &isnull, &updated->t_self, h->heap,
							UNIQUE_CHECK_YES, true, h->pkey_info);
	}
	/* the next advance in this transaction finds the new version here */
	ItemPointerCopy(&updated->t_self, tid);
	heap_freetuple(updated);
	pfree(head_bytes);
}
