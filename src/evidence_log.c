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
 * leaves), from which log_proofs.c makes inclusion and consistency proofs
 * reading O(log n) rows.
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
#include "port/pg_bswap.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/timestamp.h"

#include "chain_heads.h"
#include "common.h"
#include "evidence.h"
#include "evidence_log.h"
#include "hrguard.h"
#include "merkle.h"
#include "privilege.h"
#include "sha256.h"

#define HASH_LEN PG_SHA256_DIGEST_LENGTH
#define LOGENT_DOMAIN "hrguard/v1/logent"
#define CHECKPOINT_ORIGIN_V1 "hrguard/v1/checkpoint"
#define CHECKPOINT_ORIGIN "hrguard/v2/checkpoint"

/* the lowest level of the stored subtree heads: 256 leaves */

/* The log's leaf of a chain entry: its employee, seq and link. */
void
hrguard_log_leaf(pg_cryptohash_ctx *ctx, const char *employee_id, int64 seq,
				 const uint8 *link, uint8 *leaf)
{
	hrguard_chain_leaf(ctx, LOGENT_DOMAIN, employee_id, seq, link, leaf);
}

int64
hrguard_log_size(void)
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
uint8 *
hrguard_log_leaves(pg_cryptohash_ctx *ctx, int64 from, int64 n, bool recompute, char **problem)
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

	if (level < HRGUARD_LOG_NODE_MIN_LEVEL)
		return;
	b->level[b->n] = Int16GetDatum((int16) level);
	b->index[b->n] = Int64GetDatum(index);
	b->hash[b->n] = PointerGetDatum(hrguard_bytea_from(hash, HASH_LEN));
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
	capacity = (Size) ((to - from) / (HRGUARD_LOG_NODE_MIN_LEAVES / 2) + 64);
	nodes.level = palloc(sizeof(Datum) * capacity);
	nodes.index = palloc(sizeof(Datum) * capacity);
	nodes.hash = palloc(sizeof(Datum) * capacity);
	leaves = hrguard_log_leaves(ctx, from, to, false, NULL);
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
 * The last checkpoint with a heads tree (none before version 2 of the
 * body): its log size (0 if there is none), and its heads and heads root.
 */
static int64
heads_done(HrguardHeadsState *last)
{
	bool		isnull;
	HeapTuple	tuple;
	TupleDesc	desc;
	bytea	   *root;

	memset(last, 0, sizeof(*last));
	if (SPI_execute("SELECT tree_size, heads, heads_root FROM hrguard.log_checkpoint "
					" WHERE heads IS NOT NULL ORDER BY tree_size DESC LIMIT 1", false, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read the last checkpoint's heads");
	if (SPI_processed == 0)
		return 0;
	tuple = SPI_tuptable->vals[0];
	desc = SPI_tuptable->tupdesc;
	last->tree_size = DatumGetInt64(SPI_getbinval(tuple, desc, 1, &isnull));
	last->heads = DatumGetInt64(SPI_getbinval(tuple, desc, 2, &isnull));
	root = DatumGetByteaPP(SPI_getbinval(tuple, desc, 3, &isnull));
	if (isnull || VARSIZE_ANY_EXHDR(root) != PG_SHA256_DIGEST_LENGTH)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("the heads root of checkpoint %lld is damaged", (long long) last->tree_size)));
	memcpy(last->heads_root, VARDATA_ANY(root), PG_SHA256_DIGEST_LENGTH);
	return last->tree_size;
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
	uint8		heads_root[HASH_LEN];
	int64		heads;
	char	   *previous = NULL;
	StringInfoData body;
	TimestampTz now = GetCurrentTransactionStartTimestamp();
	bool		isnull;
	MemoryContext caller = CurrentMemoryContext;
	text	   *result;
	int			settings;

	hrguard_refuse_on_subscriber();
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	hrguard_become_owner(hrguard_evidence_owner(), &saved);
	settings = hrguard_jit_off();
	/* one checkpoint at a time */
	if (SPI_execute("LOCK TABLE hrguard.log_checkpoint IN SHARE ROW EXCLUSIVE MODE", false, 0) != SPI_OK_UTILITY)
		elog(ERROR, "could not lock the checkpoints");

	ctx = pg_cryptohash_create(PG_SHA256);
	size = append_pending(ctx, hrguard_log_size());

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
	{
		HrguardHeadsState last;

		heads_done(&last);
		heads = hrguard_heads_update(ctx, &last, size, heads_root);
	}

	initStringInfo(&body);
	appendStringInfo(&body, "%s\nsize %lld\nroot %s\nheads %lld\nheads_root %s\ntime %s\nprevious %s\n",
					 CHECKPOINT_ORIGIN, (long long) size, hrguard_hash_hex(root),
					 (long long) heads, hrguard_hash_hex(heads_root),
					 hrguard_utc_iso(now), previous ? previous : "none");
	{
		Oid			types[7] = {INT8OID, BYTEAOID, TIMESTAMPTZOID, TEXTOID, BYTEAOID, INT8OID, BYTEAOID};
		Datum		args[7];

		args[0] = Int64GetDatum(size);
		args[1] = PointerGetDatum(hrguard_bytea_from(root, HASH_LEN));
		args[2] = TimestampTzGetDatum(now);
		args[3] = CStringGetTextDatum(body.data);
		args[4] = PointerGetDatum(hrguard_frontier_bytes(&frontier));
		args[5] = Int64GetDatum(heads);
		args[6] = PointerGetDatum(hrguard_bytea_from(heads_root, HASH_LEN));
		hrguard_evidence_insert("INSERT INTO hrguard.log_checkpoint "
								"(tree_size, root, created_at, body, frontier, heads, heads_root) "
								"VALUES ($1, $2, $3, $4, $5, $6, $7)", 7, types, args);
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
int64
hrguard_log_checked_size(int64 asked, int64 size, const char *what)
{
	if (asked < 1 || asked > size)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s %lld is not a size of the evidence log", what, (long long) asked),
				 errdetail("The log has %lld entries; call hrguard.checkpoint() to log new ones.",
						   (long long) size)));
	return asked;
}

/*
 * A checkpoint body as received: whatever follows its last line (a file's
 * final newline, CR LF, blanks) is not part of it.  Returns the body as
 * hrguard.checkpoint() wrote it, each line ending in LF.
 */
char *
hrguard_checkpoint_normal(const char *body)
{
	size_t		len = strlen(body);
	char	   *normal;

	while (len > 0 && (body[len - 1] == '\n' || body[len - 1] == '\r' ||
					   body[len - 1] == ' ' || body[len - 1] == '\t'))
		len--;
	normal = palloc(len + 2);
	memcpy(normal, body, len);
	normal[len] = '\n';
	normal[len + 1] = '\0';
	return normal;
}

/* does "line" (up to its LF) read "key <value>"?  The value in *value. */
static bool
body_line(const char **at, const char *key, const char **value, size_t *len)
{
	const char *line = *at;
	const char *end = strchr(line, '\n');
	size_t		key_len = strlen(key);

	if (end == NULL || (size_t) (end - line) <= key_len + 1 ||
		strncmp(line, key, key_len) != 0 || line[key_len] != ' ')
		return false;
	*value = line + key_len + 1;
	*len = (size_t) (end - *value);
	*at = end + 1;
	return true;
}

/* a non-negative decimal without leading zeros, at most 18 digits */
static bool
body_count(const char *value, size_t len, int64 *out)
{
	size_t		i;

	if (len == 0 || len > 18 || (value[0] == '0' && len > 1))
		return false;
	*out = 0;
	for (i = 0; i < len; i++)
	{
		if (value[i] < '0' || value[i] > '9')
			return false;
		*out = *out * 10 + (value[i] - '0');
	}
	return true;
}

/* 64 lower-case hex digits */
static bool
body_hash(const char *value, size_t len, char *out)
{
	size_t		i;

	if (len != HASH_LEN * 2)
		return false;
	for (i = 0; i < len; i++)
		if (!((value[i] >= '0' && value[i] <= '9') || (value[i] >= 'a' && value[i] <= 'f')))
			return false;
	memcpy(out, value, len);
	out[len] = '\0';
	return true;
}

/* YYYY-MM-DDTHH:MM:SS.ffffffZ, a time of the calendar (no leap second) */
static bool
body_time(const char *value, size_t len)
{
	const char *pattern = "dddd-dd-ddTdd:dd:dd.ddddddZ";
	size_t		i;
	int			year,
				month,
				day;

	if (len != strlen(pattern))
		return false;
	for (i = 0; i < len; i++)
		if (pattern[i] == 'd' ? !(value[i] >= '0' && value[i] <= '9') : value[i] != pattern[i])
			return false;
#define DIGITS2(at) ((value[at] - '0') * 10 + (value[(at) + 1] - '0'))
	year = DIGITS2(0) * 100 + DIGITS2(2);
	month = DIGITS2(5);
	day = DIGITS2(8);
	return month >= 1 && month <= 12 && day >= 1 && day <= day_tab[isleap(year)][month - 1] &&
		DIGITS2(11) <= 23 && DIGITS2(14) <= 59 && DIGITS2(17) <= 59;
#undef DIGITS2
}

static void
body_refused(const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("not an hrguard checkpoint: %s", what),
			 errhint("Pass a body returned by hrguard.checkpoint(); docs/package-format.md gives its grammar.")));
}

/*
 * A checkpoint body, version 1 or 2, read by its grammar
 * (docs/package-format.md); raises an error for anything else.
 */
void
hrguard_checkpoint_parse(const char *given, HrguardCheckpointBody *out)
{
	char	   *body = hrguard_checkpoint_normal(given);
	const char *at = body;
	const char *value;
	size_t		len;
	char		previous[HASH_LEN * 2 + 1];

	memset(out, 0, sizeof(*out));
	if (strchr(body, '\r') != NULL)
		body_refused("it holds a CR (its lines end in LF alone)");
	if (strncmp(at, CHECKPOINT_ORIGIN "\n", strlen(CHECKPOINT_ORIGIN) + 1) == 0)
		out->version = 2;
	else if (strncmp(at, CHECKPOINT_ORIGIN_V1 "\n", strlen(CHECKPOINT_ORIGIN_V1) + 1) == 0)
		out->version = 1;
	else if (strncmp(at, "hrguard/v", 9) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("the checkpoint is of a version this hrguard does not know"),
				 errdetail("It starts with \"%.*s\"; this hrguard reads versions 1 and 2.",
						   (int) strcspn(at, "\n"), at)));
	else
		body_refused("it does not start with \"" CHECKPOINT_ORIGIN "\"");
	at = strchr(at, '\n') + 1;
	if (!body_line(&at, "size", &value, &len) || !body_count(value, len, &out->size))
		body_refused("the second line is not \"size\" and a count");
	if (!body_line(&at, "root", &value, &len) || !body_hash(value, len, out->root_hex))
		body_refused("the third line is not \"root\" and 64 lower-case hex digits");
	if (out->version == 2)
	{
		if (!body_line(&at, "heads", &value, &len) || !body_count(value, len, &out->heads))
			body_refused("the fourth line is not \"heads\" and a count");
		if (!body_line(&at, "heads_root", &value, &len) || !body_hash(value, len, out->heads_root_hex))
			body_refused("the fifth line is not \"heads_root\" and 64 lower-case hex digits");
	}
	if (!body_line(&at, "time", &value, &len) || !body_time(value, len))
		body_refused("the \"time\" line is missing or not a UTC time with microseconds");
	if (!body_line(&at, "previous", &value, &len) ||
		!((len == 4 && strncmp(value, "none", 4) == 0) || body_hash(value, len, previous)))
		body_refused("the \"previous\" line is missing or not 64 lower-case hex digits or \"none\"");
	if (*at != '\0')
		body_refused("it has lines after \"previous\"");
	pfree(body);
}

/*
 * Did hrguard issue another body for a log of "size" entries?  (A body
 * whose time or previous line was changed still has the log's root.)
 * Returns why, or NULL.
 */
static char *
body_issued_differs(const char *given, int64 size)
{
	Oid			types[1] = {INT8OID};
	Datum		args[1] = {Int64GetDatum(size)};
	bool		isnull;
	char	   *issued;

	if (SPI_execute_with_args("SELECT body FROM hrguard.log_checkpoint WHERE tree_size OPERATOR(pg_catalog.=) $1",
							  1, types, args, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read the checkpoints");
	if (SPI_processed == 0)
		return NULL;
	issued = TextDatumGetCString(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	if (strcmp(hrguard_checkpoint_normal(issued), hrguard_checkpoint_normal(given)) == 0)
		return NULL;
	return psprintf("the body differs from the one hrguard issued for a log of %lld entries "
					"(hrguard.log_checkpoint holds another)", (long long) size);
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
	HrguardCheckpointBody body;
	char	   *given;
	int64		size;
	char	   *problem = NULL;
	HrguardSavedUser saved;
	pg_cryptohash_ctx *ctx;
	uint8	   *leaves;
	uint8		root[HASH_LEN];
	TupleDesc	tupdesc;
	Datum		values[3];
	bool		nulls[3] = {false, false, false};
	MemoryContext caller = CurrentMemoryContext;

	hrguard_require_select("hrguard.verify_checkpoint()", "log_entry");
	hrguard_check_input_size("checkpoint body", VARSIZE_ANY_EXHDR(PG_GETARG_TEXT_PP(0)),
							 HRGUARD_MAX_CHECKPOINT_BODY_BYTES, "bytes");
	given = text_to_cstring(PG_GETARG_TEXT_PP(0));
	hrguard_checkpoint_parse(given, &body);
	size = body.size;
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	hrguard_become_owner(hrguard_evidence_owner(), &saved);
	if (size > hrguard_log_size())
		problem = psprintf("the log has fewer than %lld entries", (long long) size);
	else
	{
		ctx = pg_cryptohash_create(PG_SHA256);
		leaves = hrguard_log_leaves(ctx, 0, size, true, &problem);
		hrguard_merkle_root(ctx, leaves, size, root);
		if (strcmp(hrguard_hash_hex(root), body.root_hex) != 0)
			problem = psprintf("root mismatch%s%s", problem ? ": " : "", problem ? problem : "");
		else if (body.version >= 2)
		{
			/* the heads it commits to: those of the log, recomputed */
			int64		heads;

			problem = NULL;
			heads = hrguard_heads_recompute(ctx, size, root, &problem);
			if (heads != body.heads || strcmp(hrguard_hash_hex(root), body.heads_root_hex) != 0)
				problem = psprintf("heads mismatch: the log of %lld entries has %lld chains, heads root %s%s%s",
								   (long long) size, (long long) heads, hrguard_hash_hex(root),
								   problem ? "; " : "", problem ? problem : "");
			else
				problem = NULL;
		}
		else
			problem = NULL;
		pg_cryptohash_free(ctx);
	}
	/* the log gives the body's roots; is the body the one hrguard issued? */
	if (problem == NULL)
		problem = body_issued_differs(given, size);
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
