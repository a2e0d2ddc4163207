/*-------------------------------------------------------------------------
 *
 * evidence_stage.c
 *	  Evidence entries of a punch statement: numbered as the rows come,
 *	  written once at the end of the statement; and the one place a chain
 *	  head is locked or created, for them and for single appends.
 *
 * The punch trigger must record each punch's evidence_seq in the row, so
 * the entry is numbered in the BEFORE trigger: the first punch of an
 * employee in a statement locks that employee's chain head (FOR UPDATE, in
 * the inserting transaction, so chains cannot fork), later ones continue
 * from memory.  The entries, and those of the alerts the statement raises,
 * are kept in memory and written straight into the table (row_writer.c)
 * by the statement trigger, or every 4096 entries as they come, so that a
 * large statement's memory stays bounded; the heads are advanced at the
 * end with one UPDATE per chain (or one for many chains).  Nothing
 * here survives the statement: after a write, or an abort, the next
 * statement locks again and reads the heads from the table.
 *
 * What is staged belongs to the subtransaction that staged it (a PL/pgSQL
 * exception block, a savepoint, a function's block called by the
 * statement): each entry, and each first change of a chain in a
 * subtransaction (with the chain as it was), is logged with its
 * subtransaction id, in order.  A subtransaction that aborts takes back
 * exactly its own: its entries are dropped, its chains return to where
 * they were, and chains it locked are forgotten (their lock went with it).
 * One that commits hands its part to its parent.  Entries are written only
 * while everything staged belongs to the running subtransaction, so that
 * no write can vanish under entries an outer block still counts on; a
 * nested statement that finds outer work staged leaves the writing to the
 * outer statement.  Anything left unwritten at commit is an error.
 *
 * IDENTIFICATION
 *	  src/evidence_stage.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/pg_class.h"
#include "catalog/pg_trigger.h"
#include "commands/trigger.h"
#include "utils/resowner.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "nodes/pg_list.h"
#include "parser/parse_relation.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/hsearch.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"

#include "common.h"
#include "evidence.h"
#include "evidence_stage.h"
#include "privilege.h"
#include "row_writer.h"
#include "subxact_list.h"

/* a chain this statement appends to */
typedef struct StagedChain
{
	char		employee_id[NAMEDATALEN * 2];	/* hash key */
	int64		seq;			/* last seq, staged entries included */
	uint8		head[PG_SHA256_DIGEST_LENGTH];
	bool		changed;
	bool		dead;			/* its lock went with an aborted subtransaction */
	SubTransactionId touched_in;	/* last subtransaction that logged it */
	TransactionId locked_xmin;	/* the writer of the head version locked */
} StagedChain;

/* a chain's first lock or change in a subtransaction, and how it was */
typedef struct ChainTouch
{
	SubTransactionId subid;		/* first, for subxact_list.c */
	StagedChain *chain;
	bool		locked_here;
	int64		seq;
	bool		changed;
	uint8		head[PG_SHA256_DIGEST_LENGTH];
} ChainTouch;

typedef struct StagedEntry
{
	SubTransactionId subid;		/* that staged it (or took it over); first */
	char	   *employee_id;
	int64		seq;
	char	   *kind;
	TimestampTz occurred_at;
	bytea	   *canon;
	uint8		leaf[HRGUARD_LEAF_PREFIX];
	uint8		link[PG_SHA256_DIGEST_LENGTH];
} StagedEntry;

static HTAB *staged_chains = NULL;
static List *staged_entries = NIL;	/* in order; subids never decrease */
static List *chain_touches = NIL;	/* likewise */
static MemoryContext stage_context = NULL;
static MemoryContext batch_context = NULL;	/* staged_entries; reset when written */
static pg_cryptohash_ctx *stage_hasher = NULL;	/* of the top transaction */
static bool stage_callbacks_registered = false;

/* staged entries are written when this many are waiting */
#define WRITE_EVERY_ENTRIES 4096

/* the evidence table's columns hrguard fills, in this order */
enum
{
	EC_EMPLOYEE, EC_SEQ, EC_KIND, EC_OCCURRED, EC_RECORDED, EC_CANON, EC_LEAF, EC_LINK, EC_COUNT
};
static const char *const evidence_columns[EC_COUNT] = {
	"employee_id", "seq", "kind", "occurred_at", "recorded_at", "canon", "leaf", "link"
};

static void write_entries(void);
static bool stage_flat(void);

static SPIPlanPtr lock_plan = NULL;
static SPIPlanPtr lock_at_plan = NULL;
static SPIPlanPtr create_plan = NULL;
static SPIPlanPtr lock_many_plan = NULL;
static SPIPlanPtr update_one_plan = NULL;
static SPIPlanPtr update_many_plan = NULL;

/* above this many chains one UPDATE joins them all */
#define UPDATE_ONE_BY_ONE 8

/*
 * After the transaction, the memory (a child of TopTransactionContext) and
 * what the resource owner held (the hasher) are gone.
 */
static void
forget_stage(void)
{
	staged_chains = NULL;
	staged_entries = NIL;
	chain_touches = NIL;
	stage_context = NULL;
	batch_context = NULL;
	stage_hasher = NULL;
}

static void
stage_xact_callback(XactEvent event, void *arg)
{
	switch (event)
	{
		case XACT_EVENT_PRE_COMMIT:
		case XACT_EVENT_PARALLEL_PRE_COMMIT:
		case XACT_EVENT_PRE_PREPARE:
			if (staged_entries != NIL)
				elog(ERROR, "%d evidence entries of this transaction were not written",
					 list_length(staged_entries));
			if (stage_hasher != NULL)
				pg_cryptohash_free(stage_hasher);
			stage_hasher = NULL;
			break;
		default:
			forget_stage();
			break;
	}
}

/*
 * A subtransaction that aborts takes back what it staged: its entries, its
 * changes of chains (undone newest first), and the chains it locked.  One
 * that commits hands its part to its parent.
 */
static void
stage_subxact_callback(SubXactEvent event, SubTransactionId mySubid,
					   SubTransactionId parentSubid, void *arg)
{
	int			i;

	if (stage_context == NULL)
		return;
	if (event == SUBXACT_EVENT_ABORT_SUB)
	{
		staged_entries = hrguard_subxact_abort(staged_entries, mySubid);
		for (i = list_length(chain_touches) - 1; i >= hrguard_subxact_tail(chain_touches, mySubid); i--)
		{
			ChainTouch *t = list_nth(chain_touches, i);

			if (t->locked_here)
				t->chain->dead = true;
			else
			{
				t->chain->seq = t->seq;
				t->chain->changed = t->changed;
				memcpy(t->chain->head, t->head, PG_SHA256_DIGEST_LENGTH);
			}
			t->chain->touched_in = InvalidSubTransactionId;
		}
		chain_touches = hrguard_subxact_abort(chain_touches, mySubid);
	}
	else if (event == SUBXACT_EVENT_COMMIT_SUB)
	{
		for (i = hrguard_subxact_tail(chain_touches, mySubid); i < list_length(chain_touches); i++)
		{
			ChainTouch *t = list_nth(chain_touches, i);

			if (t->chain->touched_in == mySubid)
				t->chain->touched_in = parentSubid;
		}
		hrguard_subxact_commit(staged_entries, mySubid, parentSubid);
		hrguard_subxact_commit(chain_touches, mySubid, parentSubid);
	}
}

/* Log a chain's first lock or change in the running subtransaction. */
static void
touch_chain(StagedChain *chain, bool locked_here)
{
	SubTransactionId subid = GetCurrentSubTransactionId();
	MemoryContext old;
	ChainTouch *t;

	if (!locked_here && chain->touched_in == subid)
		return;
	old = MemoryContextSwitchTo(stage_context);
	t = palloc(sizeof(ChainTouch));
	t->subid = subid;
	t->chain = chain;
	t->locked_here = locked_here;
	t->seq = chain->seq;
	t->changed = chain->changed;
	memcpy(t->head, chain->head, PG_SHA256_DIGEST_LENGTH);
	chain_touches = lappend(chain_touches, t);
	MemoryContextSwitchTo(old);
	chain->touched_in = subid;
}

/*
 * May the staged entries be written now?  Only while all of them belong
 * to the running subtransaction: a write in a subtransaction that later
 * aborts would take entries of an outer block with it.
 */
static bool
stage_flat(void)
{
	return hrguard_subxact_all_current(staged_entries);
}

bool
hrguard_evidence_stage_writable(void)
{
	return stage_flat();
}

static void
ensure_stage(void)
{
	HASHCTL		hctl;

	if (!stage_callbacks_registered)
	{
		RegisterXactCallback(stage_xact_callback, NULL);
		RegisterSubXactCallback(stage_subxact_callback, NULL);
		stage_callbacks_registered = true;
	}
	if (stage_context != NULL)
		return;
	stage_context = AllocSetContextCreate(TopTransactionContext, "hrguard staged evidence",
										  ALLOCSET_DEFAULT_SIZES);
	batch_context = AllocSetContextCreate(stage_context, "hrguard staged entries",
										  ALLOCSET_DEFAULT_SIZES);
	hctl.keysize = sizeof(((StagedChain *) NULL)->employee_id);
	hctl.entrysize = sizeof(StagedChain);
	hctl.hcxt = stage_context;
	staged_chains = hash_create("hrguard staged chains", 64, &hctl,
								HASH_ELEM | HASH_STRINGS | HASH_CONTEXT);
}

bool
hrguard_evidence_staged(void)
{
	return stage_context != NULL;
}

/* Create an employee's chain head at seq 0. */
static void
create_head(Datum *args)
{
	bool		was_writing = hrguard_evidence_writing(true);

	PG_TRY();
	{
		if (SPI_execute_plan(create_plan, args, NULL, false, 0) != SPI_OK_INSERT)
			elog(ERROR, "could not create the chain head");
	}
	PG_FINALLY();
	{
		hrguard_evidence_writing(was_writing);
	}
	PG_END_TRY();
}

/* a chain head as a lock query returns it: seq, head, xmin, ctid from column "first" */
static void
read_head(HeapTuple tuple, TupleDesc desc, int first, const char *employee_id,
		  HrguardChainHead *out)
{
	bool		isnull;
	bytea	   *head;

	out->seq = DatumGetInt64(SPI_getbinval(tuple, desc, first, &isnull));
	head = DatumGetByteaPP(SPI_getbinval(tuple, desc, first + 1, &isnull));
	if (VARSIZE_ANY_EXHDR(head) != PG_SHA256_DIGEST_LENGTH)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("chain head of employee \"%s\" is damaged", employee_id)));
	memcpy(out->head, VARDATA_ANY(head), PG_SHA256_DIGEST_LENGTH);
	out->xmin = DatumGetTransactionId(SPI_getbinval(tuple, desc, first + 2, &isnull));
	ItemPointerCopy((ItemPointer) DatumGetPointer(SPI_getbinval(tuple, desc, first + 3, &isnull)),
					&out->ctid);
}

/*
 * Lock an employee's chain head FOR UPDATE (creating it at seq 0 for a
 * first entry) and read where it stands: the one place a head is locked
 * or created.  In SQL: SELECT ... FOR UPDATE follows a head another
 * transaction advanced (READ COMMITTED) or fails with 40001, and sees one
 * this transaction advanced in a later command (a nested statement).
 * "at", if not NULL, is where this transaction last left the head, looked
 * at first.  The caller is connected to SPI, as the owner.
 */
void
hrguard_chain_head_lock(const char *employee_id, ItemPointer at, HrguardChainHead *out)
{
	Datum		args[2] = {CStringGetTextDatum(employee_id), PointerGetDatum(at)};

	if (lock_plan == NULL)
	{
		Oid			t1[1] = {TEXTOID};
		Oid			t_at[2] = {TEXTOID, TIDOID};

		lock_plan = hrguard_prepare_kept(
			"SELECT seq, head, xmin, ctid FROM hrguard.chain_head "
			" WHERE employee_id OPERATOR(pg_catalog.=) $1 FOR UPDATE", 1, t1);
		lock_at_plan = hrguard_prepare_kept(
			"SELECT seq, head, xmin, ctid FROM hrguard.chain_head "
			" WHERE ctid OPERATOR(pg_catalog.=) $2 AND employee_id OPERATOR(pg_catalog.=) $1 FOR UPDATE",
			2, t_at);
		create_plan = hrguard_prepare_kept(
			"INSERT INTO hrguard.chain_head (employee_id, seq, head) "
			"VALUES ($1, 0, pg_catalog.decode(pg_catalog.repeat('00', 32), 'hex')) "
			"ON CONFLICT (employee_id) DO NOTHING", 1, t1);
	}
	SPI_processed = 0;
	if (at != NULL && SPI_execute_plan(lock_at_plan, args, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not lock the chain head");
	if (SPI_processed == 0 && SPI_execute_plan(lock_plan, args, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not lock the chain head");
	if (SPI_processed == 0)
	{
		create_head(args);
		if (SPI_execute_plan(lock_plan, args, NULL, false, 1) != SPI_OK_SELECT ||
			SPI_processed != 1)
			elog(ERROR, "could not lock the new chain head");
	}
	read_head(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, employee_id, out);
}

/* A chain entered (or entered again) in the hash, not yet locked. */
static StagedChain *
enter_chain(const char *employee_id)
{
	StagedChain *chain = hash_search(staged_chains, employee_id, HASH_ENTER, NULL);

	chain->changed = false;
	chain->dead = false;
	chain->touched_in = InvalidSubTransactionId;
	return chain;
}

/* The chain as its head was locked. */
static void
set_locked(StagedChain *chain, const HrguardChainHead *head)
{
	chain->seq = head->seq;
	memcpy(chain->head, head->head, PG_SHA256_DIGEST_LENGTH);
	chain->locked_xmin = head->xmin;
}

/* Lock the chain for this statement, as the owner. */
static void
lock_chain(StagedChain *chain)
{
	HrguardSavedUser saved;
	HrguardChainHead head;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	hrguard_become_owner(hrguard_evidence_owner(), &saved);
	hrguard_chain_head_lock(chain->employee_id, NULL, &head);
	set_locked(chain, &head);
	hrguard_restore_user(&saved);
	SPI_finish();
}

/* The employee's chain as this statement holds it, locked on first use. */
static StagedChain *
staged_chain(const char *employee_id)
{
	StagedChain *chain;
	bool		found;

	ensure_stage();
	chain = hash_search(staged_chains, employee_id, HASH_FIND, &found);
	if (!found || chain->dead)
	{
		hrguard_refuse_on_subscriber();
		chain = enter_chain(employee_id);
		PG_TRY();
		{
			lock_chain(chain);
		}
		PG_CATCH();
		{
			/* no touch refers to it: it was never locked, or died */
			hash_search(staged_chains, employee_id, HASH_REMOVE, NULL);
			PG_RE_THROW();
		}
		PG_END_TRY();
		touch_chain(chain, true);
	}
	return chain;
}

/*
 * Lock the chains of n employees for the statement, as their first entries
 * would one at a time, with one query: FOR UPDATE, in employee_id order
 * (COLLATE "C", the order in which statements that append to many chains
 * take them).  Chains this statement holds already are left as they are;
 * an employee with no chain head yet is left to their first entry, which
 * creates it.
 */
void
hrguard_evidence_lock_chains(const char *const *employee_ids, int n)
{
	Datum	   *ids = palloc(sizeof(Datum) * Max(n, 1));
	int			k = 0;
	int			i;
	HrguardSavedUser saved;
	Datum		args[1];

	ensure_stage();
	for (i = 0; i < n; i++)
	{
		bool		found;
		StagedChain *chain = hash_search(staged_chains, employee_ids[i], HASH_FIND, &found);

		if (!found || chain->dead)
			ids[k++] = CStringGetTextDatum(employee_ids[i]);
	}
	if (k == 0)
		return;
	hrguard_refuse_on_subscriber();
	args[0] = PointerGetDatum(construct_array(ids, k, TEXTOID, -1, false, TYPALIGN_INT));
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	hrguard_become_owner(hrguard_evidence_owner(), &saved);
	if (lock_many_plan == NULL)
	{
		Oid			types[1] = {TEXTARRAYOID};

		lock_many_plan = hrguard_prepare_kept(
			"SELECT employee_id, seq, head, xmin, ctid FROM hrguard.chain_head "
			" WHERE employee_id OPERATOR(pg_catalog.=) ANY ($1) "
			" ORDER BY employee_id COLLATE pg_catalog.\"C\" FOR UPDATE", 1, types);
	}
	if (SPI_execute_plan(lock_many_plan, args, NULL, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not lock the chain heads");
	/* every head returned is locked now: each becomes a chain of the statement */
	for (i = 0; i < (int) SPI_processed; i++)
	{
		HeapTuple	tuple = SPI_tuptable->vals[i];
		bool		isnull;
		char	   *employee_id = TextDatumGetCString(SPI_getbinval(tuple, SPI_tuptable->tupdesc,
																	1, &isnull));
		HrguardChainHead head;
		StagedChain *chain;

		if (strlen(employee_id) >= sizeof(((StagedChain *) NULL)->employee_id))
			continue;			/* no such chain is staged: left to its entry, which says why */
		read_head(tuple, SPI_tuptable->tupdesc, 2, employee_id, &head);
		chain = enter_chain(employee_id);
		set_locked(chain, &head);
		touch_chain(chain, true);
	}
	hrguard_restore_user(&saved);
	SPI_finish();
}

/*
 * Lock an employee's chain for the rest of the transaction, as numbering
 * its next entry does.  Returns whether the head now locked was written by
 * a transaction that "snapshot" does not see: one that appended to the
 * chain, holding its head, and committed after the snapshot was taken
 * (only under READ COMMITTED; otherwise locking such a head fails).
 */
bool
hrguard_evidence_lock(const char *employee_id, Snapshot snapshot)
{
	TransactionId xmin = staged_chain(employee_id)->locked_xmin;

	return TransactionIdIsNormal(xmin) && !TransactionIdIsCurrentTransactionId(xmin) &&
		XidInMVCCSnapshot(xmin, snapshot);
}

/*
 * Number the next entry of an employee's chain and keep it for the end of
 * the statement; returns its seq.  The payload is canonical bytes, from the
 * canon writer.
 */
int64
hrguard_evidence_stage(const char *employee_id, const char *kind,
					   TimestampTz occurred_at, const StringInfoData *canonical_payload)
{
	StagedChain *chain = staged_chain(employee_id);
	StagedEntry *entry;
	StringInfoData canon;
	uint8		leaf[PG_SHA256_DIGEST_LENGTH];
	MemoryContext old;

	touch_chain(chain, false);
	old = MemoryContextSwitchTo(batch_context);
	initStringInfo(&canon);
	hrguard_evidence_canon_of(&canon, employee_id, kind, occurred_at,
							  GetCurrentTransactionStartTimestamp(),
							  canonical_payload->data, canonical_payload->len);
	entry = palloc(sizeof(StagedEntry));
	entry->employee_id = pstrdup(employee_id);
	entry->seq = chain->seq + 1;
	entry->kind = pstrdup(kind);
	entry->occurred_at = occurred_at;
	entry->subid = GetCurrentSubTransactionId();
	entry->canon = hrguard_bytea_from(canon.data, canon.len);
	if (stage_hasher == NULL)
	{
		/* kept across subtransactions: the top transaction's owner holds it */
		ResourceOwner owner = CurrentResourceOwner;

		CurrentResourceOwner = TopTransactionResourceOwner;
		stage_hasher = pg_cryptohash_create(PG_SHA256);
		CurrentResourceOwner = owner;
	}
	hrguard_evidence_leaf(stage_hasher, canon.data, canon.len, leaf);
	memcpy(entry->leaf, leaf, HRGUARD_LEAF_PREFIX);
	hrguard_evidence_link(stage_hasher, employee_id, entry->seq, chain->head, leaf, entry->link);
	staged_entries = lappend(staged_entries, entry);
	pfree(canon.data);
	MemoryContextSwitchTo(old);

	chain->seq = entry->seq;
	memcpy(chain->head, entry->link, PG_SHA256_DIGEST_LENGTH);
	chain->changed = true;

	/* a large statement writes as it goes, so its memory stays bounded */
	if (list_length(staged_entries) >= WRITE_EVERY_ENTRIES && stage_flat())
		write_entries();		/* frees the entries */
	return chain->seq;
}

/* The staged entries through INSERT: what the table has, fires. */
static void
write_entries_sql(Datum recorded_at)
{
	Oid			types[8] = {TEXTOID, INT8OID, TEXTOID, TIMESTAMPTZOID, TIMESTAMPTZOID,
	BYTEAOID, BYTEAOID, BYTEAOID};
	ListCell   *lc;

	foreach(lc, staged_entries)
	{
		StagedEntry *e = lfirst(lc);
		Datum		args[8];

		args[0] = CStringGetTextDatum(e->employee_id);
		args[1] = Int64GetDatum(e->seq);
		args[2] = CStringGetTextDatum(e->kind);
		args[3] = TimestampTzGetDatum(e->occurred_at);
		args[4] = recorded_at;
		args[5] = PointerGetDatum(e->canon);
		args[6] = PointerGetDatum(hrguard_bytea_from(e->leaf, HRGUARD_LEAF_PREFIX));
		args[7] = PointerGetDatum(hrguard_bytea_from(e->link, PG_SHA256_DIGEST_LENGTH));
		hrguard_evidence_insert("INSERT INTO hrguard.evidence (employee_id, seq, kind, occurred_at, "
								"recorded_at, canon, leaf, link) "
								"VALUES ($1, $2, $3, $4, $5, $6, $7, $8)", 8, types, args);
	}
}

/*
 * Write the staged entries, and forget them: through a row writer opened
 * for this write, or through INSERT when the table asks for what the
 * writer does not do.  Runs inside SPI as the owner of hrguard's tables,
 * while stage_flat().
 */
static void
write_entries(void)
{
	Datum		recorded_at = TimestampTzGetDatum(GetCurrentTransactionStartTimestamp());
	HrguardRowWriter writer;
	int			index[EC_COUNT];	/* the columns' positions, 0-based */
	ListCell   *lc;

	if (staged_entries == NIL)
		return;
	Assert(stage_flat());
	hrguard_row_writer_open(&writer, "evidence");
	if (!hrguard_row_writer_insert_equivalent(&writer, "evidence_guard"))
	{
		hrguard_row_writer_close(&writer);
		write_entries_sql(recorded_at);
		staged_entries = NIL;
		MemoryContextReset(batch_context);
		return;
	}
	hrguard_row_writer_columns(&writer, evidence_columns, EC_COUNT, index);
	foreach(lc, staged_entries)
	{
		StagedEntry *e = lfirst(lc);
		TupleTableSlot *slot = hrguard_row_writer_next(&writer);
		Datum	   *values = slot->tts_values;

		memset(slot->tts_isnull, false, sizeof(bool) * slot->tts_tupleDescriptor->natts);
		values[index[EC_EMPLOYEE]] = CStringGetTextDatum(e->employee_id);
		values[index[EC_SEQ]] = Int64GetDatum(e->seq);
		values[index[EC_KIND]] = CStringGetTextDatum(e->kind);
		values[index[EC_OCCURRED]] = TimestampTzGetDatum(e->occurred_at);
		values[index[EC_RECORDED]] = recorded_at;
		values[index[EC_CANON]] = PointerGetDatum(e->canon);
		values[index[EC_LEAF]] = PointerGetDatum(hrguard_bytea_from(e->leaf, HRGUARD_LEAF_PREFIX));
		values[index[EC_LINK]] = PointerGetDatum(hrguard_bytea_from(e->link, PG_SHA256_DIGEST_LENGTH));
		hrguard_row_writer_add(&writer);
	}
	hrguard_row_writer_close(&writer);
	staged_entries = NIL;
	MemoryContextReset(batch_context);
}

static void
write_heads(void)
{
	HASH_SEQ_STATUS status;
	StagedChain *chain;
	long		n = 0;

	if (update_one_plan == NULL)
	{
		Oid			t3[3] = {TEXTOID, INT8OID, BYTEAOID};
		Oid			a3[3] = {TEXTARRAYOID, INT8ARRAYOID, BYTEAARRAYOID};

		update_one_plan = hrguard_prepare_kept(
			"UPDATE hrguard.chain_head SET seq = $2, head = $3, updated_at = pg_catalog.now() "
			" WHERE employee_id OPERATOR(pg_catalog.=) $1", 3, t3);
		update_many_plan = hrguard_prepare_kept(
			"UPDATE hrguard.chain_head h SET seq = u.s, head = u.h, updated_at = pg_catalog.now() "
			"  FROM ROWS FROM (pg_catalog.unnest($1), pg_catalog.unnest($2), pg_catalog.unnest($3)) "
			"       AS u(e, s, h) "
			" WHERE h.employee_id OPERATOR(pg_catalog.=) u.e", 3, a3);
	}

	hash_seq_init(&status, staged_chains);
	while ((chain = hash_seq_search(&status)) != NULL)
	{
		if (chain->changed && !chain->dead)
			n++;
	}
	if (n == 0)
		return;
	if (n <= UPDATE_ONE_BY_ONE)
	{
		hash_seq_init(&status, staged_chains);
		while ((chain = hash_seq_search(&status)) != NULL)
		{
			Datum		args[3];

			if (!chain->changed || chain->dead)
				continue;
			args[0] = CStringGetTextDatum(chain->employee_id);
			args[1] = Int64GetDatum(chain->seq);
			args[2] = PointerGetDatum(hrguard_bytea_from(chain->head, PG_SHA256_DIGEST_LENGTH));
			if (SPI_execute_plan(update_one_plan, args, NULL, false, 0) != SPI_OK_UPDATE)
				elog(ERROR, "could not advance a chain head");
		}
	}
	else
	{
		Datum	   *employee = palloc(sizeof(Datum) * n);
		Datum	   *seq = palloc(sizeof(Datum) * n);
		Datum	   *head = palloc(sizeof(Datum) * n);
		Datum		args[3];
		int			i = 0;

		hash_seq_init(&status, staged_chains);
		while ((chain = hash_seq_search(&status)) != NULL)
		{
			if (!chain->changed || chain->dead)
				continue;
			employee[i] = CStringGetTextDatum(chain->employee_id);
			seq[i] = Int64GetDatum(chain->seq);
			head[i] = PointerGetDatum(hrguard_bytea_from(chain->head, PG_SHA256_DIGEST_LENGTH));
			i++;
		}
		args[0] = PointerGetDatum(construct_array(employee, i, TEXTOID, -1, false, TYPALIGN_INT));
		args[1] = PointerGetDatum(construct_array(seq, i, INT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
		args[2] = PointerGetDatum(construct_array(head, i, BYTEAOID, -1, false, TYPALIGN_INT));
		if (SPI_execute_plan(update_many_plan, args, NULL, false, 0) != SPI_OK_UPDATE ||
			SPI_processed != (uint64) i)
			elog(ERROR, "could not advance %d chain heads", i);
	}
}

/*
 * Write the staged entries and advance their chain heads, then forget the
 * stage.  Runs inside SPI as the owner of hrguard's tables.  While work of
 * an outer subtransaction is staged (a nested statement), nothing is
 * written: that is left to the outer statement, and false returned.
 */
bool
hrguard_evidence_write_staged(void)
{
	if (stage_context == NULL)
		return true;
	if (!stage_flat())
		return false;
	write_entries();
	if (stage_hasher != NULL)
		pg_cryptohash_free(stage_hasher);
	stage_hasher = NULL;
	hrguard_evidence_writing(true);
	PG_TRY();
	{
		write_heads();
	}
	PG_FINALLY();
	{
		hrguard_evidence_writing(false);
	}
	PG_END_TRY();
	MemoryContextDelete(stage_context);
	forget_stage();
	return true;
}
