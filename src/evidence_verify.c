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
 * verify_chain() walks its chain through the primary key.  verify_all()
 * reads the whole heap once, in physical order, checking each chain's
 * entries in seq order by keeping those read before their turn (see
 * walk_by_heap); it gives every chain the verdict a walk through the key
 * would give.
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
#include "utils/memutils.h"
#include "parser/parse_relation.h"
#include "utils/fmgroids.h"
#include "utils/hsearch.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/relcache.h"
#include "utils/snapmgr.h"

#include "common.h"
#include "evidence.h"
#include "privilege.h"

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

/* what verification reads of hrguard.evidence */
typedef struct EvidenceScan
{
	Relation	heap;
	AttrNumber	employee,
				seq,
				canon,
				leaf,
				link;
	TupleTableSlot *slot;
	pg_cryptohash_ctx *hasher;
	MemoryContext per_entry;	/* toasted or compressed values expanded */
	List	   *done;			/* ChainState *, one per chain verified */
} EvidenceScan;

static void
chain_done(EvidenceScan *es, const ChainState *c)
{
	ChainState *copy = palloc(sizeof(ChainState));

	memcpy(copy, c, sizeof(ChainState));
	es->done = lappend(es->done, copy);
}

/* Check the entry in the scan's slot as the next of chain c. */
static void
step_slot(EvidenceScan *es, ChainState *c, int64 seq)
{
	MemoryContext old = MemoryContextSwitchTo(es->per_entry);

	chain_step(es->hasher, c, seq, slot_bytea(es->slot, es->canon),
			   slot_bytea(es->slot, es->leaf), slot_bytea(es->slot, es->link));
	MemoryContextSwitchTo(old);
	MemoryContextReset(es->per_entry);
}

/*
 * Walk one chain, or all of them, in (employee_id, seq) order through the
 * primary key.
 */
static void
walk_by_index(EvidenceScan *es, const char *only_employee)
{
	Relation	pkey = index_open(RelationGetPrimaryKeyIndex(es->heap), AccessShareLock);
	IndexScanDesc scan = index_beginscan(es->heap, pkey, GetActiveSnapshot(),
										 only_employee ? 1 : 0, 0);
	ScanKeyData key;
	ChainState	chain;
	bool		in_chain = false;
	char		employee_id[NAMEDATALEN * 2];

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

	while (index_getnext_slot(scan, ForwardScanDirection, es->slot))
	{
		bool		isnull;

		CHECK_FOR_INTERRUPTS();
		if (!slot_text(es->slot, es->employee, employee_id, sizeof(employee_id)))
			continue;			/* cannot be one of hrguard's chains */
		if (!in_chain || strcmp(employee_id, chain.employee_id) != 0)
		{
			if (in_chain)
				chain_done(es, &chain);
			chain_start(&chain, employee_id);
			in_chain = true;
		}
		step_slot(es, &chain, DatumGetInt64(slot_getattr(es->slot, es->seq, &isnull)));
	}
	if (in_chain)
		chain_done(es, &chain);
	index_endscan(scan);
	index_close(pkey, AccessShareLock);
}

/* an entry read before its turn, kept until the entries before it come */
typedef struct EarlyEntry
{
	int64		seq;
	bytea	   *canon;
	bytea	   *leaf;
	bytea	   *link;
	Size		size;
} EarlyEntry;

/* a chain met by the pass over the heap */
typedef struct ScannedChain
{
	char		employee_id[NAMEDATALEN * 2];	/* hash key */
	int64		next_seq;		/* the seq whose turn it is */
	List	   *early;			/* EarlyEntry *, by seq */
	bool		by_index;		/* out of line: walked through the key later */
	ChainState	state;
} ScannedChain;

typedef struct HeapPass
{
	EvidenceScan *es;
	MemoryContext early_context;
	Size		early_bytes;	/* held in early entries, at most work_mem */
	Size		early_peak;
	List	   *by_index;		/* employee ids of chains to walk by key */
} HeapPass;

static bytea *
copy_bytea(const bytea *b, Size *size)
{
	bytea	   *copy;

	if (b == NULL)
		return NULL;
	copy = palloc(VARSIZE_ANY(b));
	memcpy(copy, b, VARSIZE_ANY(b));
	*size += VARSIZE_ANY(b);
	return copy;
}

static void
free_early(HeapPass *hp, EarlyEntry *e)
{
	hp->early_bytes -= e->size;
	if (e->canon)
		pfree(e->canon);
	if (e->leaf)
		pfree(e->leaf);
	if (e->link)
		pfree(e->link);
	pfree(e);
}

static void
forget_early(HeapPass *hp, ScannedChain *sc)
{
	ListCell   *lc;

	foreach(lc, sc->early)
		free_early(hp, lfirst(lc));
	list_free(sc->early);
	sc->early = NIL;
}

/* the chain is left to a walk through the primary key */
static void
leave_to_index(HeapPass *hp, ScannedChain *sc)
{
	forget_early(hp, sc);
	sc->by_index = true;
	hp->by_index = lappend(hp->by_index, pstrdup(sc->employee_id));
}

/* keep the slot's entry until its turn; false if that would take too much */
static bool
keep_early(HeapPass *hp, ScannedChain *sc, int64 seq)
{
	EvidenceScan *es = hp->es;
	MemoryContext old = MemoryContextSwitchTo(es->per_entry);
	bytea	   *canon = slot_bytea(es->slot, es->canon);
	bytea	   *leaf = slot_bytea(es->slot, es->leaf);
	bytea	   *link = slot_bytea(es->slot, es->link);
	EarlyEntry *e;
	ListCell   *lc;
	int			pos = 0;

	MemoryContextSwitchTo(hp->early_context);
	e = palloc(sizeof(EarlyEntry));
	e->seq = seq;
	e->size = sizeof(EarlyEntry);
	e->canon = copy_bytea(canon, &e->size);
	e->leaf = copy_bytea(leaf, &e->size);
	e->link = copy_bytea(link, &e->size);
	foreach(lc, sc->early)
	{
		if (((EarlyEntry *) lfirst(lc))->seq > seq)
			break;
		pos++;
	}
	sc->early = list_insert_nth(sc->early, pos, e);
	MemoryContextSwitchTo(old);
	MemoryContextReset(es->per_entry);
	hp->early_bytes += e->size;
	hp->early_peak = Max(hp->early_peak, hp->early_bytes);
	return hp->early_bytes <= (Size) work_mem * 1024;
}

/* the chain's early entries whose turn has come */
static void
step_early(HeapPass *hp, ScannedChain *sc)
{
	while (sc->early != NIL)
	{
		EarlyEntry *e = linitial(sc->early);

		if (e->seq != sc->next_seq)
			break;
		chain_step(hp->es->hasher, &sc->state, e->seq, e->canon, e->leaf, e->link);
		sc->next_seq++;
		sc->early = list_delete_first(sc->early);
		free_early(hp, e);
	}
}

/*
 * Verify every chain with one pass over the heap, in physical order: no
 * btree descent and no random heap visit per entry.  Each chain's entries
 * are checked in seq order all the same: one read before its turn (after
 * concurrent inserts they often are, a page or a few apart) is kept until
 * the entries before it have come, in at most work_mem for all chains.  A
 * chain that would need more, or that is not a run of seqs from 1 (a gap,
 * a duplicate: it will not verify), is walked through the primary key
 * afterwards, so every chain gets exactly the verdict of a walk in seq
 * order.
 */
static void
walk_by_heap(EvidenceScan *es)
{
	TableScanDesc scan = table_beginscan(es->heap, GetActiveSnapshot(), 0, NULL);
	HeapPass	hp;
	HASHCTL		hctl;
	HTAB	   *chains;
	HASH_SEQ_STATUS status;
	ScannedChain *sc;
	char		employee_id[NAMEDATALEN * 2];
	ListCell   *lc;

	memset(&hp, 0, sizeof(hp));
	hp.es = es;
	hp.early_context = AllocSetContextCreate(CurrentMemoryContext, "hrguard early entries",
											 ALLOCSET_DEFAULT_SIZES);
	hctl.keysize = sizeof(((ScannedChain *) NULL)->employee_id);
	hctl.entrysize = sizeof(ScannedChain);
	hctl.hcxt = CurrentMemoryContext;
	chains = hash_create("hrguard chains scanned", 1024, &hctl,
						 HASH_ELEM | HASH_STRINGS | HASH_CONTEXT);

	while (table_scan_getnextslot(scan, ForwardScanDirection, es->slot))
	{
		bool		found;
		bool		isnull;
		int64		seq;

		CHECK_FOR_INTERRUPTS();
		if (!slot_text(es->slot, es->employee, employee_id, sizeof(employee_id)))
			continue;			/* cannot be one of hrguard's chains */
		sc = hash_search(chains, employee_id, HASH_ENTER, &found);
		if (!found)
		{
			sc->next_seq = 1;
			sc->early = NIL;
			sc->by_index = false;
			chain_start(&sc->state, employee_id);
		}
		if (sc->by_index)
			continue;
		seq = DatumGetInt64(slot_getattr(es->slot, es->seq, &isnull));
		if (seq == sc->next_seq)
		{
			step_slot(es, &sc->state, seq);
			sc->next_seq++;
			step_early(&hp, sc);
		}
		else if (seq < sc->next_seq || !keep_early(&hp, sc, seq))
			leave_to_index(&hp, sc);
	}
	table_endscan(scan);

	hash_seq_init(&status, chains);
	while ((sc = hash_seq_search(&status)) != NULL)
	{
		if (sc->by_index)
			continue;
		if (sc->early != NIL)
			leave_to_index(&hp, sc);	/* a gap */
		else
			chain_done(es, &sc->state);
	}
	elog(DEBUG1, "verify_all: %ld chains checked in one pass over the heap, %d through the primary key",
		 hash_get_num_entries(chains) - list_length(hp.by_index), list_length(hp.by_index));
	elog(DEBUG2, "verify_all: at most %zu bytes of entries read before their turn", hp.early_peak);
	foreach(lc, hp.by_index)
		walk_by_index(es, lfirst(lc));
	hash_destroy(chains);
	MemoryContextDelete(hp.early_context);
}

static int
compare_chains(const ListCell *a, const ListCell *b)
{
	return strcmp(((ChainState *) lfirst(a))->employee_id,
				  ((ChainState *) lfirst(b))->employee_id);
}

/* the number of one of the evidence table's columns */
static AttrNumber
evidence_attnum(Relation heap, const char *column)
{
	AttrNumber	attnum = attnameAttNum(heap, column, false);

	if (attnum == InvalidAttrNumber)
		hrguard_missing_column("evidence", column);
	return attnum;
}

/*
 * Verify one chain (through the primary key) or every chain (one pass over
 * the heap), without the executor: verification reads every entry, and
 * copying each one through SPI would cost more than hashing it.  One row
 * per chain, in employee_id order, heads without entries included.
 */
static void
verify(FunctionCallInfo fcinfo, const char *only_employee)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	HrguardSavedUser saved;
	HTAB	   *heads;
	EvidenceScan es;
	ChainState	chain;
	HASH_SEQ_STATUS status;
	ChainHead  *h;
	ListCell   *lc;

	InitMaterializedSRF(fcinfo, 0);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	hrguard_become_owner(hrguard_evidence_owner(), &saved);
	heads = load_heads(only_employee);

	memset(&es, 0, sizeof(es));
	es.heap = table_open(get_relname_relid("evidence", get_namespace_oid("hrguard", false)),
						 AccessShareLock);
	es.employee = evidence_attnum(es.heap, "employee_id");
	es.seq = evidence_attnum(es.heap, "seq");
	es.canon = evidence_attnum(es.heap, "canon");
	es.leaf = evidence_attnum(es.heap, "leaf");
	es.link = evidence_attnum(es.heap, "link");
	es.slot = table_slot_create(es.heap, NULL);
	es.hasher = pg_cryptohash_create(PG_SHA256);
	es.per_entry = AllocSetContextCreate(CurrentMemoryContext, "hrguard verify entry",
										 ALLOCSET_SMALL_SIZES);
	if (only_employee)
		walk_by_index(&es, only_employee);
	else
		walk_by_heap(&es);
	ExecDropSingleTupleTableSlot(es.slot);
	table_close(es.heap, AccessShareLock);
	pg_cryptohash_free(es.hasher);

	/* the chains against their heads, then the heads whose entries are gone */
	foreach(lc, es.done)
	{
		ChainState *c = lfirst(lc);

		h = hash_search(heads, c->employee_id, HASH_FIND, NULL);
		chain_finish(c, h);
		if (h)
			h->seen = true;
	}
	hash_seq_init(&status, heads);
	while ((h = hash_seq_search(&status)) != NULL)
	{
		if (h->seen)
			continue;
		chain_start(&chain, h->employee_id);
		chain_finish(&chain, h);
		chain_done(&es, &chain);
	}
	list_sort(es.done, compare_chains);
	foreach(lc, es.done)
		emit(rsinfo, lfirst(lc), only_employee == NULL);

	hrguard_restore_user(&saved);
	SPI_finish();
}

/* hrguard.verify_chain(employee_id) -> (ok, entries, first_bad_seq, reason) */
PG_FUNCTION_INFO_V1(hrguard_verify_chain);
Datum
hrguard_verify_chain(PG_FUNCTION_ARGS)
{
	hrguard_require_select("hrguard.verify_chain()", "evidence");
	verify(fcinfo, hrguard_checked_employee_id(PG_GETARG_DATUM(0), false));
	return (Datum) 0;
}

/* hrguard.verify_all() -> one row per chain */
PG_FUNCTION_INFO_V1(hrguard_verify_all);
Datum
hrguard_verify_all(PG_FUNCTION_ARGS)
{
	hrguard_require_select("hrguard.verify_all()", "evidence");
	verify(fcinfo, NULL);
	return (Datum) 0;
}
