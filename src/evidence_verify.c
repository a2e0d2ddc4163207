/*-------------------------------------------------------------------------
 *
 * evidence_verify.c
 *	  Verifying evidence chains in the database: hrguard.verify_chain()
 *	  and hrguard.verify_all().
 *
 * A chain is walked in seq order from 1.  The first entry that does not
 * hold is named with the reason:
 *	- "seq gap": the next seq is missing (an entry was deleted, or a
 *	  foreign one inserted with a seq out of line);
 *	- "leaf mismatch": the canonical bytes no longer hash to the stored
 *	  leaf (the entry's content was edited);
 *	- "link mismatch": the link does not follow from the previous link and
 *	  the leaf (entries reordered, inserted, or links rewritten);
 *	- "head mismatch": the chain head does not end where the entries do.
 * A chain rewritten consistently from some entry on passes here: only a
 * checkpoint kept outside the database can show that.
 *
 * IDENTIFICATION
 *	  src/evidence_verify.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/relscan.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "access/tableam.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "common/cryptohash.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "executor/tuptable.h"
#include "miscadmin.h"
#include "parser/parse_relation.h"
#include "utils/fmgroids.h"
#include "utils/hsearch.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/relcache.h"
#include "utils/snapmgr.h"

#include "evidence.h"
#include "hrguard.h"

typedef struct ChainState
{
	char		employee_id[NAMEDATALEN * 2];
	int64		entries;
	int64		expected_seq;
	uint8		previous[PG_SHA256_DIGEST_LENGTH];
	bool		failed;
	int64		first_bad_seq;
	const char *reason;
} ChainState;

typedef struct ChainHead
{
	char		employee_id[NAMEDATALEN * 2];	/* hash key */
	int64		seq;
	uint8		head[PG_SHA256_DIGEST_LENGTH];
	bool		seen;
} ChainHead;

static void
chain_start(ChainState *c, const char *employee_id)
{
	memset(c, 0, sizeof(ChainState));
	strlcpy(c->employee_id, employee_id, sizeof(c->employee_id));
	c->expected_seq = 1;
}

static void
chain_fail(ChainState *c, int64 seq, const char *reason)
{
	if (c->failed)
		return;
	c->failed = true;
	c->first_bad_seq = seq;
	c->reason = reason;
}

/* Check one entry against the chain so far. */
static void
chain_step(pg_cryptohash_ctx *hasher, ChainState *c, int64 seq, const bytea *canon,
		   const bytea *leaf_prefix, const bytea *link)
{
	uint8		leaf[PG_SHA256_DIGEST_LENGTH];
	uint8		expected[PG_SHA256_DIGEST_LENGTH];

	c->entries++;
	if (c->failed)
		return;
	if (seq != c->expected_seq)
	{
		chain_fail(c, c->expected_seq, "seq gap");
		return;
	}
	c->expected_seq = seq + 1;

	if (canon == NULL || leaf_prefix == NULL)
	{
		chain_fail(c, seq, "leaf mismatch");
		return;
	}
	hrguard_evidence_leaf(hasher, VARDATA_ANY(canon), VARSIZE_ANY_EXHDR(canon), leaf);
	if (VARSIZE_ANY_EXHDR(leaf_prefix) != HRGUARD_LEAF_PREFIX ||
		memcmp(VARDATA_ANY(leaf_prefix), leaf, HRGUARD_LEAF_PREFIX) != 0)
	{
		chain_fail(c, seq, "leaf mismatch");
		return;
	}
	hrguard_evidence_link(hasher, c->employee_id, seq, c->previous, leaf, expected);
	if (link == NULL || VARSIZE_ANY_EXHDR(link) != PG_SHA256_DIGEST_LENGTH ||
		memcmp(VARDATA_ANY(link), expected, PG_SHA256_DIGEST_LENGTH) != 0)
	{
		chain_fail(c, seq, "link mismatch");
		return;
	}
	memcpy(c->previous, expected, PG_SHA256_DIGEST_LENGTH);
}

/* The chain's entries end where its head says. */
static void
chain_finish(ChainState *c, const ChainHead *head)
{
	int64		last = c->expected_seq - 1;

	if (c->failed)
		return;
	if (head == NULL)
	{
		if (c->entries > 0)
			chain_fail(c, 1, "head mismatch");
		return;
	}
	if (head->seq != last)
		chain_fail(c, Min(head->seq, last) + 1, "head mismatch");
	else if (last > 0 && memcmp(head->head, c->previous, PG_SHA256_DIGEST_LENGTH) != 0)
		chain_fail(c, last, "head mismatch");
}

static void
emit(ReturnSetInfo *rsinfo, const ChainState *c, bool with_employee)
{
	Datum		values[5];
	bool		nulls[5] = {false, false, false, false, false};
	int			i = 0;

	if (with_employee)
		values[i++] = CStringGetTextDatum(c->employee_id);
	values[i++] = BoolGetDatum(!c->failed);
	values[i++] = Int64GetDatum(c->entries);
	values[i] = Int64GetDatum(c->first_bad_seq);
	nulls[i++] = !c->failed;
	values[i] = c->failed ? CStringGetTextDatum(c->reason) : (Datum) 0;
	nulls[i++] = !c->failed;
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
}

static HTAB *
load_heads(const char *only_employee)
{
	HASHCTL		hctl;
	HTAB	   *heads;
	uint64		i;
	int			rc;

	hctl.keysize = sizeof(((ChainHead *) NULL)->employee_id);
	hctl.entrysize = sizeof(ChainHead);
	hctl.hcxt = CurrentMemoryContext;
	heads = hash_create("hrguard chain heads", 1024, &hctl, HASH_ELEM | HASH_STRINGS | HASH_CONTEXT);

	if (only_employee)
	{
		Oid			types[1] = {TEXTOID};
		Datum		args[1] = {CStringGetTextDatum(only_employee)};

		rc = SPI_execute_with_args("SELECT employee_id, seq, head FROM hrguard.chain_head "
								   " WHERE employee_id OPERATOR(pg_catalog.=) $1",
								   1, types, args, NULL, true, 0);
	}
	else
		rc = SPI_execute("SELECT employee_id, seq, head FROM hrguard.chain_head", true, 0);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "could not read chain heads");
	for (i = 0; i < SPI_processed; i++)
	{
		HeapTuple	tuple = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		bool		isnull;
		char	   *employee_id = TextDatumGetCString(SPI_getbinval(tuple, desc, 1, &isnull));
		bytea	   *head = DatumGetByteaPP(SPI_getbinval(tuple, desc, 3, &isnull));
		ChainHead  *h;

		if (strlen(employee_id) >= sizeof(h->employee_id))
			continue;
		h = hash_search(heads, employee_id, HASH_ENTER, NULL);
		h->seq = DatumGetInt64(SPI_getbinval(tuple, desc, 2, &isnull));
		memset(h->head, 0, sizeof(h->head));
		memcpy(h->head, VARDATA_ANY(head), Min(VARSIZE_ANY_EXHDR(head), PG_SHA256_DIGEST_LENGTH));
		h->seen = false;
	}
	return heads;
}

/*
 * Read one text column of the slot as a C string bounded by "size"; false
 * if it does not fit (no employee_id of hrguard's is that long).
 */
static bool
slot_text(TupleTableSlot *slot, AttrNumber att, char *out, size_t size)
{
	bool		isnull;
	text	   *t = DatumGetTextPP(slot_getattr(slot, att, &isnull));
	size_t		len = VARSIZE_ANY_EXHDR(t);

	if (isnull || len >= size)
		return false;
	memcpy(out, VARDATA_ANY(t), len);
	out[len] = '\0';
	return true;
}

static bytea *
slot_bytea(TupleTableSlot *slot, AttrNumber att)
{
	bool		isnull;
	Datum		d = slot_getattr(slot, att, &isnull);

	return isnull ? NULL : DatumGetByteaPP(d);
}

/*
 * Walk the evidence table in (employee_id, seq) order, through its primary
 * key, without the executor: verification reads every entry, and copying
 * each one through SPI would cost more than hashing it.
 */
static void
verify(FunctionCallInfo fcinfo, const char *only_employee)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	HrguardSavedUser saved;
	pg_cryptohash_ctx *hasher;
	HTAB	   *heads;
	Relation	heap;
	Relation	pkey;
	IndexScanDesc scan;
	ScanKeyData key;
	TupleTableSlot *slot;
	AttrNumber	att_employee,
				att_seq,
				att_canon,
				att_leaf,
				att_link;
	MemoryContext per_entry;
	MemoryContext old;
	ChainState	chain;
	bool		in_chain = false;
	HASH_SEQ_STATUS status;
	ChainHead  *h;
	char		employee_id[NAMEDATALEN * 2];

	InitMaterializedSRF(fcinfo, 0);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	hrguard_become_owner(hrguard_evidence_owner(), &saved);
	hasher = pg_cryptohash_create(PG_SHA256);
	heads = load_heads(only_employee);

	heap = table_open(get_relname_relid("evidence", get_namespace_oid("hrguard", false)),
					  AccessShareLock);
	pkey = index_open(RelationGetPrimaryKeyIndex(heap), AccessShareLock);
	att_employee = attnameAttNum(heap, "employee_id", false);
	att_seq = attnameAttNum(heap, "seq", false);
	att_canon = attnameAttNum(heap, "canon", false);
	att_leaf = attnameAttNum(heap, "leaf", false);
	att_link = attnameAttNum(heap, "link", false);
	slot = table_slot_create(heap, NULL);
	scan = index_beginscan(heap, pkey, GetActiveSnapshot(), only_employee ? 1 : 0, 0);
	if (only_employee)
	{
		ScanKeyEntryInitialize(&key, 0, 1, BTEqualStrategyNumber, InvalidOid,
							   pkey->rd_indcollation[0], F_TEXTEQ,
							   CStringGetTextDatum(only_employee));
		index_rescan(scan, &key, 1, NULL, 0);
		chain_start(&chain, only_employee);
		in_chain = true;
	}
	else
		index_rescan(scan, NULL, 0, NULL, 0);

	per_entry = AllocSetContextCreate(CurrentMemoryContext, "hrguard verify entry",
									  ALLOCSET_SMALL_SIZES);
	while (index_getnext_slot(scan, ForwardScanDirection, slot))
	{
		bytea	   *canon,
				   *leaf,
				   *link;
		bool		isnull;

		CHECK_FOR_INTERRUPTS();
		if (!slot_text(slot, att_employee, employee_id, sizeof(employee_id)))
			continue;			/* cannot be one of hrguard's chains */
		if (!in_chain || strcmp(employee_id, chain.employee_id) != 0)
		{
			if (in_chain)
			{
				h = hash_search(heads, chain.employee_id, HASH_FIND, NULL);
				chain_finish(&chain, h);
				if (h)
					h->seen = true;
				emit(rsinfo, &chain, true);
			}
			chain_start(&chain, employee_id);
			in_chain = true;
		}
		/* toasted or compressed values are expanded into per_entry */
		old = MemoryContextSwitchTo(per_entry);
		canon = slot_bytea(slot, att_canon);
		leaf = slot_bytea(slot, att_leaf);
		link = slot_bytea(slot, att_link);
		chain_step(hasher, &chain,
				   DatumGetInt64(slot_getattr(slot, att_seq, &isnull)),
				   canon, leaf, link);
		MemoryContextSwitchTo(old);
		MemoryContextReset(per_entry);
	}
	index_endscan(scan);
	ExecDropSingleTupleTableSlot(slot);
	index_close(pkey, AccessShareLock);
	table_close(heap, AccessShareLock);

	if (in_chain)
	{
		h = hash_search(heads, chain.employee_id, HASH_FIND, NULL);
		chain_finish(&chain, h);
		if (h)
			h->seen = true;
		emit(rsinfo, &chain, only_employee == NULL);
	}
	/* heads whose entries are all gone */
	hash_seq_init(&status, heads);
	while ((h = hash_seq_search(&status)) != NULL)
	{
		if (h->seen || only_employee)
			continue;
		chain_start(&chain, h->employee_id);
		chain_finish(&chain, h);
		emit(rsinfo, &chain, true);
	}

	pg_cryptohash_free(hasher);
	hrguard_restore_user(&saved);
	SPI_finish();
}

/* hrguard.verify_chain(employee_id) -> (ok, entries, first_bad_seq, reason) */
PG_FUNCTION_INFO_V1(hrguard_verify_chain);
Datum
hrguard_verify_chain(PG_FUNCTION_ARGS)
{
	verify(fcinfo, text_to_cstring(PG_GETARG_TEXT_PP(0)));
	return (Datum) 0;
}

/* hrguard.verify_all() -> one row per chain */
PG_FUNCTION_INFO_V1(hrguard_verify_all);
Datum
hrguard_verify_all(PG_FUNCTION_ARGS)
{
	verify(fcinfo, NULL);
	return (Datum) 0;
}
