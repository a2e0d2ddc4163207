/*-------------------------------------------------------------------------
 *
 * evidence_log.c
 *	  The Merkle log over all evidence entries, and checkpoints of it.
 *
 * Every chain entry is also a leaf of one RFC 9162 log, in the order
 * checkpoints take them in:
 *	  logent = "hrguard/v1/logent" || u32be(len) || employee_id || u64be(seq) || link
 *	  leaf   = SHA-256(0x00 || logent)
 * hrguard.checkpoint() appends the entries not yet in the log and returns a
 * checkpoint body (size, root, time, hash of the previous body) meant to be
 * kept outside the database; each new body is also sent with NOTIFY
 * hrguard_checkpoint.  hrguard.verify_checkpoint() recomputes the
 * log from the chains as they are now and compares it with such a body: a
 * chain rewritten after the checkpoint, even consistently, no longer gives
 * the same root.
 *
 * A checkpoint also stores the head of every perfect subtree of 2^8 leaves
 * and more that the log completes (hrguard.log_node, about one row per 128
 * leaves).  Inclusion and consistency proofs take such heads from there and
 * hash at most 255 leaves below them, so a proof reads O(log n) rows.  The
 * stored heads are not trusted: a changed one gives a proof that does not
 * lead to the checkpoint's root, which the package export checks and any
 * verifier finds; a missing one is recomputed from the levels below.
 *
 * IDENTIFICATION
 *	  src/evidence_log.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/pg_type.h"
#include "commands/async.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "port/pg_bitutils.h"
#include "port/pg_bswap.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

#include "evidence.h"
#include "hrguard.h"
#include "merkle.h"

#define HASH_LEN PG_SHA256_DIGEST_LENGTH
#define LOGENT_DOMAIN "hrguard/v1/logent"
#define CHECKPOINT_ORIGIN "hrguard/v1/checkpoint"

/* the lowest level of the stored subtree heads: 256 leaves */
#define LOG_NODE_MIN_LEVEL 8
#define LOG_NODE_MIN_LEAVES (INT64CONST(1) << LOG_NODE_MIN_LEVEL)

/* The stored subtree heads led astray, the leaves did not. */
static void
warn_heads_disagree(int64 leaves)
{
	ereport(WARNING,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("the stored subtree heads of the evidence log disagree with its leaves"),
			 errdetail("The proof was computed from the %lld leaves instead.", (long long) leaves),
			 errhint("Someone changed hrguard.log_node; its rows are not evidence, but find out who.")));
}

/* The log's leaf of a chain entry: its employee, seq and link. */
void
hrguard_log_leaf(pg_cryptohash_ctx *ctx, const char *employee_id, int64 seq,
				 const uint8 *link, uint8 *leaf)
{
	static const uint8 leaf_tag = 0x00;
	const char *employee = hrguard_to_utf8(employee_id);
	uint32		len_be = pg_hton32((uint32) strlen(employee));
	uint64		seq_be = pg_hton64((uint64) seq);
	const void *parts[6] = {&leaf_tag, LOGENT_DOMAIN, &len_be, employee, &seq_be, link};
	size_t		lens[6] = {1, strlen(LOGENT_DOMAIN), 4, strlen(employee), 8, HASH_LEN};

	hrguard_sha256_parts(ctx, parts, lens, 6, leaf);
}

static int64
log_size(void)
{
	bool		isnull;

	/*
	 * Not read-only: the caller may just have extended the log.  The log is
	 * dense from 0 (log_leaves checks), so its size is the last index + 1,
	 * found through the primary key.
	 */
	if (SPI_execute("SELECT pg_catalog.max(log_index) FROM hrguard.log_entry", false, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not size the log");
	{
		Datum		last = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);

		return isnull ? 0 : DatumGetInt64(last) + 1;
	}
}

/*
 * The leaf hashes of log entries from .. n-1.  With "recompute", each is
 * computed again from the evidence entry's link as it is now; missing or
 * changed entries are reported through *problem.
 */
static uint8 *
log_leaves(pg_cryptohash_ctx *ctx, int64 from, int64 n, bool recompute, char **problem)
{
	Oid			types[2] = {INT8OID, INT8OID};
	Datum		args[2] = {Int64GetDatum(from), Int64GetDatum(n)};
	uint8	   *leaves = palloc(HASH_LEN * Max(n - from, 1));
	uint64		i;

	/* the chain entries are joined only to recompute the leaves from them */
	if (SPI_execute_with_args(recompute ?
							  "SELECT l.log_index, l.employee_id, l.seq, l.leaf_hash, e.link "
							  "  FROM hrguard.log_entry l "
							  "  LEFT JOIN hrguard.evidence e "
							  "    ON e.employee_id OPERATOR(pg_catalog.=) l.employee_id "
							  "   AND e.seq OPERATOR(pg_catalog.=) l.seq "
							  " WHERE l.log_index OPERATOR(pg_catalog.>=) $1 "
							  "   AND l.log_index OPERATOR(pg_catalog.<) $2 ORDER BY l.log_index" :
							  "SELECT l.log_index, l.employee_id, l.seq, l.leaf_hash "
							  "  FROM hrguard.log_entry l "
							  " WHERE l.log_index OPERATOR(pg_catalog.>=) $1 "
							  "   AND l.log_index OPERATOR(pg_catalog.<) $2 ORDER BY l.log_index",
							  2, types, args, NULL, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read the log");
	if ((int64) SPI_processed != n - from)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("the evidence log has %lld entries below %lld",
						(long long) (from + SPI_processed), (long long) n)));
	for (i = 0; i < SPI_processed; i++)
	{
		HeapTuple	tuple = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		bool		isnull;
		int64		index = DatumGetInt64(SPI_getbinval(tuple, desc, 1, &isnull));
		bytea	   *stored = DatumGetByteaPP(SPI_getbinval(tuple, desc, 4, &isnull));
		uint8	   *leaf = leaves + i * HASH_LEN;
		Datum		link;

		if (index != from + (int64) i)
			ereport(ERROR,
					(errcode(ERRCODE_DATA_CORRUPTED),
					 errmsg("the evidence log skips index %lld", (long long) (from + i))));
		if (VARSIZE_ANY_EXHDR(stored) != HASH_LEN)
			ereport(ERROR,
					(errcode(ERRCODE_DATA_CORRUPTED),
					 errmsg("the evidence log is damaged at index %lld", (long long) index)));
		if (!recompute)
		{
			memcpy(leaf, VARDATA_ANY(stored), HASH_LEN);
			continue;
		}
		link = SPI_getbinval(tuple, desc, 5, &isnull);
		if (isnull)
		{
			if (*problem == NULL)
				*problem = psprintf("log entry %lld: evidence entry %s/%lld is missing",
									(long long) index,
									TextDatumGetCString(SPI_getbinval(tuple, desc, 2, &isnull)),
									(long long) DatumGetInt64(SPI_getbinval(tuple, desc, 3, &isnull)));
			memset(leaf, 0, HASH_LEN);
			continue;
		}
		hrguard_log_leaf(ctx, TextDatumGetCString(SPI_getbinval(tuple, desc, 2, &isnull)),
					DatumGetInt64(SPI_getbinval(tuple, desc, 3, &isnull)),
					(uint8 *) VARDATA_ANY(DatumGetByteaPP(link)), leaf);
		if (*problem == NULL && memcmp(leaf, VARDATA_ANY(stored), HASH_LEN) != 0)
			*problem = psprintf("log entry %lld (%s/%lld) no longer matches its chain entry",
								(long long) index,
								TextDatumGetCString(SPI_getbinval(tuple, desc, 2, &isnull)),
								(long long) DatumGetInt64(SPI_getbinval(tuple, desc, 3, &isnull)));
	}
	return leaves;
}

/*
 * The subtree heads a frontier completes, to be stored.  Appending leaves
 * from..to-1 completes floor(to / 2^L) - floor(from / 2^L) subtrees of
 * level L, at most (to - from) / 2^L + 1: fewer than (to - from) / 128 + 64
 * of levels 8 to 63 together, the capacity allocated.
 */
typedef struct NodeBatch
{
	int			n;
	Datum	   *level;
	Datum	   *index;
	Datum	   *hash;
} NodeBatch;

static void
collect_node(void *arg, int level, int64 index, const uint8 *hash)
{
	NodeBatch  *b = arg;

	if (level < LOG_NODE_MIN_LEVEL)
		return;
	b->level[b->n] = Int16GetDatum((int16) level);
	b->index[b->n] = Int64GetDatum(index);
	b->hash[b->n] = PointerGetDatum(hrguard_hash_bytea(hash));
	b->n++;
}

/*
 * Append the stored leaf hashes of log entries from the frontier's size to
 * to-1 to the frontier, and store the heads of the large subtrees that
 * completes (those already stored are kept).
 */
static void
extend_frontier(pg_cryptohash_ctx *ctx, HrguardMerkleFrontier *f, int64 to)
{
	int64		from = f->size,
				i;
	uint8	   *leaves;
	NodeBatch	nodes = {0};
	Size		capacity;

	if (from >= to)
		return;
	capacity = (Size) ((to - from) / (LOG_NODE_MIN_LEAVES / 2) + 64);
	nodes.level = palloc(sizeof(Datum) * capacity);
	nodes.index = palloc(sizeof(Datum) * capacity);
	nodes.hash = palloc(sizeof(Datum) * capacity);
	leaves = log_leaves(ctx, from, to, false, NULL);
	for (i = 0; i < to - from; i++)
		hrguard_frontier_append(ctx, f, leaves + i * HASH_LEN, collect_node, &nodes);
	pfree(leaves);
	if (nodes.n > 0)
	{
		Oid			types[3] = {INT2ARRAYOID, INT8ARRAYOID, BYTEAARRAYOID};
		Datum		args[3];

		args[0] = PointerGetDatum(construct_array(nodes.level, nodes.n, INT2OID, 2, true, TYPALIGN_SHORT));
		args[1] = PointerGetDatum(construct_array(nodes.index, nodes.n, INT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
		args[2] = PointerGetDatum(construct_array(nodes.hash, nodes.n, BYTEAOID, -1, false, TYPALIGN_INT));
		hrguard_evidence_insert("INSERT INTO hrguard.log_node (level, node_index, hash) "
								"SELECT * FROM ROWS FROM (pg_catalog.unnest($1), pg_catalog.unnest($2), "
								"                         pg_catalog.unnest($3)) "
								"ON CONFLICT DO NOTHING",
								3, types, args);
	}
}

/*
 * Add the chain entries not yet in the log, in the order they were recorded.
 * Like every query here, this one is not read-only, so that it takes a fresh
 * snapshot: a checkpoint that waited for the lock must see what the one it
 * waited for logged.
 */
static int64
append_pending(pg_cryptohash_ctx *ctx, int64 size)
{
	uint64		n,
				i;
	Datum	   *index,
			   *employee,
			   *seq,
			   *leaf;
	Datum		args[4];
	Oid			types[4] = {INT8ARRAYOID, TEXTARRAYOID, INT8ARRAYOID, BYTEAARRAYOID};

	/*
	 * A chain is appended to under its head's lock, so what a snapshot sees
	 * of it, and what the log holds of it, are each a run from seq 1: the
	 * pending entries of a chain are those after the last one logged, found
	 * through the two primary keys, without reading the logged ones (OFFSET
	 * 0 keeps the planner from joining all of hrguard.evidence instead).
	 */
	if (SPI_execute("SELECT e.employee_id, e.seq, e.link "
					"  FROM hrguard.chain_head h "
					" CROSS JOIN LATERAL (SELECT pg_catalog.max(l.seq) AS seq FROM hrguard.log_entry l "
					"                      WHERE l.employee_id OPERATOR(pg_catalog.=) h.employee_id) logged "
					" CROSS JOIN LATERAL (SELECT e.employee_id, e.seq, e.link, e.recorded_at "
					"                       FROM hrguard.evidence e "
					"                      WHERE e.employee_id OPERATOR(pg_catalog.=) h.employee_id "
					"                        AND e.seq OPERATOR(pg_catalog.>) coalesce(logged.seq, 0) "
					"                     OFFSET 0) e "
					" WHERE h.seq OPERATOR(pg_catalog.>) coalesce(logged.seq, 0) "
					" ORDER BY e.recorded_at, e.employee_id, e.seq", false, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read the entries to log");
	n = SPI_processed;
	if (n == 0)
		return size;
	index = palloc(sizeof(Datum) * n);
	employee = palloc(sizeof(Datum) * n);
	seq = palloc(sizeof(Datum) * n);
	leaf = palloc(sizeof(Datum) * n);
	for (i = 0; i < n; i++)
	{
		HeapTuple	tuple = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		bool		isnull;
		char	   *employee_id = TextDatumGetCString(SPI_getbinval(tuple, desc, 1, &isnull));
		int64		s = DatumGetInt64(SPI_getbinval(tuple, desc, 2, &isnull));
		bytea	   *link = DatumGetByteaPP(SPI_getbinval(tuple, desc, 3, &isnull));
		bytea	   *hash = palloc(VARHDRSZ + HASH_LEN);

		SET_VARSIZE(hash, VARHDRSZ + HASH_LEN);
		hrguard_log_leaf(ctx, employee_id, s, (uint8 *) VARDATA_ANY(link), (uint8 *) VARDATA(hash));
		index[i] = Int64GetDatum(size + (int64) i);
		employee[i] = CStringGetTextDatum(employee_id);
		seq[i] = Int64GetDatum(s);
		leaf[i] = PointerGetDatum(hash);
	}
	args[0] = PointerGetDatum(construct_array(index, n, INT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
	args[1] = PointerGetDatum(construct_array(employee, n, TEXTOID, -1, false, TYPALIGN_INT));
	args[2] = PointerGetDatum(construct_array(seq, n, INT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
	args[3] = PointerGetDatum(construct_array(leaf, n, BYTEAOID, -1, false, TYPALIGN_INT));
	/*
	 * Under REPEATABLE READ or SERIALIZABLE, a checkpoint that committed after
	 * this transaction's snapshot is invisible here even once its lock is
	 * released: its rows then conflict with these, and the caller retries.
	 */
	if (hrguard_evidence_insert("INSERT INTO hrguard.log_entry (log_index, employee_id, seq, leaf_hash) "
								"SELECT * FROM ROWS FROM (pg_catalog.unnest($1), pg_catalog.unnest($2), "
								"                         pg_catalog.unnest($3), pg_catalog.unnest($4)) "
								"ON CONFLICT DO NOTHING",
								4, types, args) != n)
		ereport(ERROR,
				(errcode(ERRCODE_T_R_SERIALIZATION_FAILURE),
				 errmsg("could not serialize access due to a concurrent checkpoint"),
				 errhint("Retry the transaction, or take checkpoints in READ COMMITTED.")));
	return size + (int64) n;
}

/*
 * Log the pending entries and return the body of a checkpoint of the whole
 * log, allocated in the caller's memory context.
 */
text *
hrguard_checkpoint_take(void)
{
	HrguardSavedUser saved;
	pg_cryptohash_ctx *ctx;
	int64		size;
	HrguardMerkleFrontier frontier;
	uint8		root[HASH_LEN];
	char	   *previous = NULL;
	StringInfoData body;
	TimestampTz now = GetCurrentTransactionStartTimestamp();
	bool		isnull;
	MemoryContext caller = CurrentMemoryContext;
	text	   *result;
	int			settings;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	hrguard_become_owner(hrguard_evidence_owner(), &saved);
	settings = hrguard_jit_off();
	/* one checkpoint at a time */
	if (SPI_execute("LOCK TABLE hrguard.log_checkpoint IN SHARE ROW EXCLUSIVE MODE", false, 0) != SPI_OK_UTILITY)
		elog(ERROR, "could not lock the checkpoints");

	ctx = pg_cryptohash_create(PG_SHA256);
	size = append_pending(ctx, log_size());

	/*
	 * The root, from the last checkpoint's frontier and the leaves logged
	 * since: time proportional to the new entries, not to the log.  The
	 * frontier must give the last checkpoint's root; without one (none
	 * taken yet) the whole log is read.
	 */
	hrguard_frontier_init(&frontier);
	if (SPI_execute("SELECT tree_size, body, root, frontier FROM hrguard.log_checkpoint "
					" ORDER BY tree_size DESC LIMIT 1", false, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read the last checkpoint");
	if (SPI_processed == 1)
	{
		HeapTuple	tuple = SPI_tuptable->vals[0];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		int64		last_size = DatumGetInt64(SPI_getbinval(tuple, desc, 1, &isnull));
		text	   *last_body = DatumGetTextPP(SPI_getbinval(tuple, desc, 2, &isnull));
		bytea	   *last_root = DatumGetByteaPP(SPI_getbinval(tuple, desc, 3, &isnull));
		Datum		last_frontier = SPI_getbinval(tuple, desc, 4, &isnull);

		if (last_size == size)
		{
			/* nothing new: the last checkpoint still holds */
			MemoryContextSwitchTo(caller);
			result = DatumGetTextPCopy(PointerGetDatum(last_body));
			pg_cryptohash_free(ctx);
			hrguard_restore_settings(settings);
			hrguard_restore_user(&saved);
			SPI_finish();
			return result;
		}
		{
			uint8		digest[HASH_LEN];
			const void *parts[1] = {VARDATA_ANY(last_body)};
			size_t		lens[1] = {VARSIZE_ANY_EXHDR(last_body)};

			hrguard_sha256_parts(ctx, parts, lens, 1, digest);
			previous = hrguard_hash_hex(digest);
		}
		if (!isnull && last_size < size)
		{
			if (!hrguard_frontier_from_bytes(&frontier, last_size, DatumGetByteaPP(last_frontier)))
				ereport(ERROR,
						(errcode(ERRCODE_DATA_CORRUPTED),
						 errmsg("the frontier of checkpoint %lld is damaged", (long long) last_size)));
			hrguard_frontier_root(ctx, &frontier, root);
			if (VARSIZE_ANY_EXHDR(last_root) != HASH_LEN ||
				memcmp(root, VARDATA_ANY(last_root), HASH_LEN) != 0)
				ereport(ERROR,
						(errcode(ERRCODE_DATA_CORRUPTED),
						 errmsg("the frontier of checkpoint %lld does not give its root", (long long) last_size)));
		}
	}
	extend_frontier(ctx, &frontier, size);
	hrguard_frontier_root(ctx, &frontier, root);

	initStringInfo(&body);
	appendStringInfo(&body, "%s\nsize %lld\nroot %s\ntime %s\nprevious %s\n",
					 CHECKPOINT_ORIGIN, (long long) size, hrguard_hash_hex(root),
					 hrguard_utc_iso(now), previous ? previous : "none");
	{
		Oid			types[5] = {INT8OID, BYTEAOID, TIMESTAMPTZOID, TEXTOID, BYTEAOID};
		Datum		args[5];

		args[0] = Int64GetDatum(size);
		args[1] = PointerGetDatum(hrguard_hash_bytea(root));
		args[2] = TimestampTzGetDatum(now);
		args[3] = CStringGetTextDatum(body.data);
		args[4] = PointerGetDatum(hrguard_frontier_bytes(&frontier));
		hrguard_evidence_insert("INSERT INTO hrguard.log_checkpoint (tree_size, root, created_at, body, frontier) "
								"VALUES ($1, $2, $3, $4, $5)", 5, types, args);
	}
	/* for a client that archives the bodies elsewhere; sent at commit */
	Async_Notify(HRGUARD_CHECKPOINT_CHANNEL, body.data);
	pg_cryptohash_free(ctx);
	MemoryContextSwitchTo(caller);
	result = cstring_to_text(body.data);
	hrguard_restore_settings(settings);
	hrguard_restore_user(&saved);
	SPI_finish();
	return result;
}

/* hrguard.checkpoint() */
PG_FUNCTION_INFO_V1(hrguard_checkpoint);
Datum
hrguard_checkpoint(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(hrguard_checkpoint_take());
}

/* the log size the caller asks about, checked against the log */
static int64
checked_size(int64 asked, int64 size, const char *what)
{
	if (asked < 1 || asked > size)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s %lld is not a size of the evidence log", what, (long long) asked),
				 errdetail("The log has %lld entries; call hrguard.checkpoint() to log new ones.",
						   (long long) size)));
	return asked;
}

/* ---- proofs from the stored log ---------------------------------------- */

static SPIPlanPtr log_node_plan = NULL;

/* the stored head of subtree "index" of "level"; false if there is none */
static bool
stored_node(int level, int64 index, uint8 *out)
{
	Datum		args[2] = {Int16GetDatum((int16) level), Int64GetDatum(index)};
	bool		isnull;
	bytea	   *hash;

	if (log_node_plan == NULL)
	{
		Oid			types[2] = {INT2OID, INT8OID};

		log_node_plan = hrguard_prepare_kept(
			"SELECT hash FROM hrguard.log_node "
			" WHERE level OPERATOR(pg_catalog.=) $1 AND node_index OPERATOR(pg_catalog.=) $2",
			2, types);
	}
	if (SPI_execute_plan(log_node_plan, args, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read the log's subtree heads");
	if (SPI_processed == 0)
		return false;
	hash = DatumGetByteaPP(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	if (VARSIZE_ANY_EXHDR(hash) != HASH_LEN)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("the evidence log's subtree head %d/%lld is damaged", level, (long long) index)));
	memcpy(out, VARDATA_ANY(hash), HASH_LEN);
	return true;
}

/*
 * MTH(D[start:end]) of the log: a perfect subtree of 256 leaves or more
 * from hrguard.log_node, a range of fewer leaves from the leaves, anything
 * else split as RFC 9162 splits it.
 */
static void
log_range_hash(HrguardMerkleSource *src, int64 start, int64 end, uint8 *out)
{
	int64		n = end - start;
	uint8		left[HASH_LEN];
	uint8		right[HASH_LEN];
	int64		k;

	if (n < LOG_NODE_MIN_LEAVES)
	{
		uint8	   *leaves = log_leaves(src->ctx, start, end, false, NULL);

		hrguard_merkle_root(src->ctx, leaves, n, out);
		pfree(leaves);
		return;
	}
	if ((n & (n - 1)) == 0 && start % n == 0 &&
		stored_node(pg_leftmost_one_pos64((uint64) n), start / n, out))
		return;
	k = hrguard_merkle_split(n);
	log_range_hash(src, start, start + k, left);
	log_range_hash(src, start + k, end, right);
	hrguard_merkle_node(src->ctx, left, right, out);
}

/* the root of the checkpoint of tree_size entries; false if there is none */
static bool
checkpoint_root(int64 tree_size, uint8 *root)
{
	Oid			types[1] = {INT8OID};
	Datum		args[1] = {Int64GetDatum(tree_size)};
	bool		isnull;
	bytea	   *stored;

	if (SPI_execute_with_args("SELECT root FROM hrguard.log_checkpoint "
							  " WHERE tree_size OPERATOR(pg_catalog.=) $1",
							  1, types, args, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read the checkpoints");
	if (SPI_processed == 0)
		return false;
	stored = DatumGetByteaPP(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	if (VARSIZE_ANY_EXHDR(stored) != HASH_LEN)
		return false;
	memcpy(root, VARDATA_ANY(stored), HASH_LEN);
	return true;
}

static void
log_source(HrguardMerkleSource *src, pg_cryptohash_ctx *ctx)
{
	src->ctx = ctx;
	src->range_hash = log_range_hash;
}

/*
 * The inclusion proof of evidence entry employee_id/seq in the log of
 * tree_size entries, with its log index, leaf hash and the tree's root.  SPI
 * must be connected, as the evidence owner.
 */
HrguardMerkleProof *
hrguard_log_inclusion(pg_cryptohash_ctx *ctx, const char *employee_id, int64 seq,
					  int64 tree_size, int64 *index, uint8 *leaf, uint8 *root)
{
	Oid			types[2] = {TEXTOID, INT8OID};
	Datum		args[2] = {CStringGetTextDatum(employee_id), Int64GetDatum(seq)};
	HrguardMerkleSource src;
	HrguardMerkleProof *proof;
	uint8		expected[HASH_LEN];
	bool		isnull;

	checked_size(tree_size, log_size(), "tree size");
	if (SPI_execute_with_args("SELECT log_index FROM hrguard.log_entry "
							  " WHERE employee_id OPERATOR(pg_catalog.=) $1 AND seq OPERATOR(pg_catalog.=) $2",
							  2, types, args, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not find the log entry");
	if (SPI_processed != 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("evidence entry %s/%lld is not in the log", employee_id, (long long) seq),
				 errhint("Entries join the log at the next hrguard.checkpoint().")));
	*index = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	if (*index >= tree_size)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("evidence entry %s/%lld is log entry %lld, beyond a tree of %lld",
						employee_id, (long long) seq, (long long) *index, (long long) tree_size)));

	log_source(&src, ctx);
	log_range_hash(&src, *index, *index + 1, leaf);
	proof = hrguard_merkle_inclusion_in(&src, tree_size, *index);
	if (!hrguard_merkle_inclusion_root(ctx, *index, tree_size, leaf, proof, root))
		elog(ERROR, "inclusion proof of log entry %lld has the wrong length", (long long) *index);

	/*
	 * Against a checkpoint of that size, if there is one: should the proof
	 * made from the stored heads not lead to its root, it is made again from
	 * the leaves alone.  The root returned is the one the proof leads to.
	 */
	if (checkpoint_root(tree_size, expected) && memcmp(root, expected, HASH_LEN) != 0)
	{
		uint8	   *leaves = log_leaves(ctx, 0, tree_size, false, NULL);

		hrguard_merkle_root(ctx, leaves, tree_size, root);
		if (memcmp(root, expected, HASH_LEN) == 0)
			warn_heads_disagree(tree_size);
		proof = hrguard_merkle_inclusion(ctx, leaves, tree_size, *index);
		pfree(leaves);
	}
	return proof;
}

/*
 * hrguard.inclusion_proof(employee_id, seq, tree_size)
 * -> (log_index, leaf_hash, proof, root)
 */
PG_FUNCTION_INFO_V1(hrguard_inclusion_proof);
Datum
hrguard_inclusion_proof(PG_FUNCTION_ARGS)
{
	char	   *employee_id = text_to_cstring(PG_GETARG_TEXT_PP(0));
	HrguardSavedUser saved;
	pg_cryptohash_ctx *ctx;
	int64		index;
	uint8		leaf[HASH_LEN];
	uint8		root[HASH_LEN];
	HrguardMerkleProof *proof;
	TupleDesc	tupdesc;
	Datum		values[4];
	bool		nulls[4] = {false, false, false, false};
	MemoryContext caller = CurrentMemoryContext;
	HeapTuple	result;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	hrguard_become_owner(hrguard_evidence_owner(), &saved);
	ctx = pg_cryptohash_create(PG_SHA256);
	proof = hrguard_log_inclusion(ctx, employee_id, PG_GETARG_INT64(1), PG_GETARG_INT64(2),
								  &index, leaf, root);
	pg_cryptohash_free(ctx);

	MemoryContextSwitchTo(caller);
	values[0] = Int64GetDatum(index);
	values[1] = PointerGetDatum(hrguard_hash_bytea(leaf));
	values[2] = PointerGetDatum(hrguard_merkle_proof_array(proof));
	values[3] = PointerGetDatum(hrguard_hash_bytea(root));
	result = heap_form_tuple(tupdesc, values, nulls);
	hrguard_restore_user(&saved);
	SPI_finish();
	PG_RETURN_DATUM(HeapTupleGetDatum(result));
}

/*
 * The consistency proof between two sizes of the log.  SPI must be
 * connected, as the evidence owner.
 */
/*
 * Do these leaves, or the stored heads when leaves is NULL, give the roots
 * of the checkpoints of old_size and new_size entries (where there is one)?
 */
static bool
roots_hold(HrguardMerkleSource *src, const uint8 *leaves, int64 old_size, int64 new_size)
{
	int64		sizes[2] = {old_size, new_size};
	int			i;

	for (i = 0; i < 2; i++)
	{
		uint8		expected[HASH_LEN];
		uint8		root[HASH_LEN];

		if (sizes[i] == 0 || !checkpoint_root(sizes[i], expected))
			continue;
		if (leaves != NULL)
			hrguard_merkle_root(src->ctx, leaves, sizes[i], root);
		else
			log_range_hash(src, 0, sizes[i], root);
		if (memcmp(root, expected, HASH_LEN) != 0)
			return false;
	}
	return true;
}

/*
 * The consistency proof between two sizes of the log.  Against the
 * checkpoints of those sizes, if there are: should the stored heads not
 * give their roots, the proof is made from the leaves alone; *held tells
 * whether the log still gives those roots at all (if not, the proof cannot
 * show that the checkpoints are consistent).
 */
HrguardMerkleProof *
hrguard_log_consistency(pg_cryptohash_ctx *ctx, int64 old_size, int64 new_size, bool *held)
{
	HrguardMerkleSource src;
	HrguardMerkleProof *proof;
	uint8	   *leaves;

	checked_size(new_size, log_size(), "new size");
	log_source(&src, ctx);
	proof = hrguard_merkle_consistency_in(&src, new_size, old_size);
	*held = true;
	if (roots_hold(&src, NULL, old_size, new_size))
		return proof;
	leaves = log_leaves(ctx, 0, new_size, false, NULL);
	*held = roots_hold(&src, leaves, old_size, new_size);
	if (*held)
		warn_heads_disagree(new_size);
	proof = hrguard_merkle_consistency(ctx, leaves, new_size, old_size);
	pfree(leaves);
	return proof;
}

/* hrguard.consistency_proof(old_size, new_size) -> bytea[] */
PG_FUNCTION_INFO_V1(hrguard_consistency_proof);
Datum
hrguard_consistency_proof(PG_FUNCTION_ARGS)
{
	int64		old_size = PG_GETARG_INT64(0);
	int64		new_size = PG_GETARG_INT64(1);
	HrguardSavedUser saved;
	pg_cryptohash_ctx *ctx;
	HrguardMerkleProof *proof;
	ArrayType  *result;
	MemoryContext caller = CurrentMemoryContext;
	bool		held;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	hrguard_become_owner(hrguard_evidence_owner(), &saved);
	ctx = pg_cryptohash_create(PG_SHA256);
	proof = hrguard_log_consistency(ctx, old_size, new_size, &held);
	pg_cryptohash_free(ctx);
	if (!held)
		ereport(WARNING,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("the evidence log no longer gives the root of its checkpoint of %lld or %lld entries",
						(long long) old_size, (long long) new_size),
				 errdetail("The proof is the log's as it is now; it does not lead to that checkpoint."),
				 errhint("Run hrguard.verify_checkpoint() on it.")));
	MemoryContextSwitchTo(caller);
	result = hrguard_merkle_proof_array(proof);
	hrguard_restore_user(&saved);
	SPI_finish();
	PG_RETURN_ARRAYTYPE_P(result);
}

/*
 * The size and root of a checkpoint body; raises an error for anything that
 * is not one.
 */
void
hrguard_checkpoint_parse(const char *body, int64 *size, char *root_hex)
{
	char	   *copy = pstrdup(body);
	char	   *line;

	if (strncmp(copy, CHECKPOINT_ORIGIN "\n", strlen(CHECKPOINT_ORIGIN) + 1) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("not an hrguard checkpoint"),
				 errdetail("A checkpoint body starts with \"%s\".", CHECKPOINT_ORIGIN)));
	*size = -1;
	root_hex[0] = '\0';
	for (line = strtok(copy, "\n"); line != NULL; line = strtok(NULL, "\n"))
	{
		if (strncmp(line, "size ", 5) == 0)
		{
			char	   *end;

			errno = 0;
			*size = strtoll(line + 5, &end, 10);
			if (errno != 0 || end == line + 5 || *end != '\0')
				*size = -1;
		}
		else if (strncmp(line, "root ", 5) == 0 && strlen(line + 5) == HASH_LEN * 2)
			strlcpy(root_hex, line + 5, HASH_LEN * 2 + 1);
	}
	if (*size < 0 || strlen(root_hex) != HASH_LEN * 2)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("the checkpoint has no size or root line")));
	pfree(copy);
}

/*
 * hrguard.verify_checkpoint(body) -> (ok, tree_size, reason): does the log,
 * recomputed from the chains as they are now, still give the checkpoint's
 * root?
 */
PG_FUNCTION_INFO_V1(hrguard_verify_checkpoint);
Datum
hrguard_verify_checkpoint(PG_FUNCTION_ARGS)
{
	char	   *body = text_to_cstring(PG_GETARG_TEXT_PP(0));
	int64		size;
	char		root_hex[HASH_LEN * 2 + 1];
	char	   *problem = NULL;
	HrguardSavedUser saved;
	pg_cryptohash_ctx *ctx;
	uint8	   *leaves;
	uint8		root[HASH_LEN];
	TupleDesc	tupdesc;
	Datum		values[3];
	bool		nulls[3] = {false, false, false};
	MemoryContext caller = CurrentMemoryContext;

	hrguard_checkpoint_parse(body, &size, root_hex);
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	hrguard_become_owner(hrguard_evidence_owner(), &saved);
	if (size > log_size())
		problem = psprintf("the log has fewer than %lld entries", (long long) size);
	else
	{
		ctx = pg_cryptohash_create(PG_SHA256);
		leaves = log_leaves(ctx, 0, size, true, &problem);
		hrguard_merkle_root(ctx, leaves, size, root);
		pg_cryptohash_free(ctx);
		if (strcmp(hrguard_hash_hex(root), root_hex) != 0)
			problem = psprintf("root mismatch%s%s", problem ? ": " : "", problem ? problem : "");
		else
			problem = NULL;
	}
	if (problem)
		problem = MemoryContextStrdup(caller, problem);
	hrguard_restore_user(&saved);
	SPI_finish();

	values[0] = BoolGetDatum(problem == NULL);
	values[1] = Int64GetDatum(size);
	values[2] = problem ? CStringGetTextDatum(problem) : (Datum) 0;
	nulls[2] = (problem == NULL);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}
