/*-------------------------------------------------------------------------
 *
 * chain_heads.c
 *	  The tree of chain heads a checkpoint commits to: for every chain in
 *	  the log, its last logged entry, so that a package can prove it holds
 *	  every entry of a chain up to a checkpoint.
 *
 *	  head leaf = SHA-256(0x00 || "hrguard/v2/head" || u32be(len) || employee_id
 *	                      || u64be(seq) || link)
 *
 * The tree is RFC 9162's over those leaves, in the order the chains first
 * entered the log (the order of their first log entries).  A chain's
 * position never changes, so a checkpoint changes only the leaves of the
 * chains it logged entries of and adds those of new chains at the end.
 * hrguard.log_chain gives each chain its position, hrguard.log_head a
 * chain's head at each checkpoint that moved it, and hrguard.head_node the
 * perfect subtrees of 16 leaves and more at each checkpoint that changed
 * them: a checkpoint re-hashes the blocks of 16 leaves it changed and their
 * paths to the root, nothing else.
 *
 * Those rows are derived from the log and not trusted: a proof made from
 * them is checked against the checkpoint's heads root and, when it does
 * not lead there, made again from the log alone (with a WARNING); if the
 * log does not lead there either, the log itself was changed.
 *
 * IDENTIFICATION
 *	  src/chain_heads.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "port/pg_bitutils.h"
#include "portability/instr_time.h"
#include "port/pg_bswap.h"
#include "utils/array.h"
#include "utils/builtins.h"

#include "chain_heads.h"
#include "common.h"
#include "evidence.h"
#include "merkle.h"
#include "sha256.h"

#define HASH_LEN PG_SHA256_DIGEST_LENGTH
#define HEAD_DOMAIN "hrguard/v2/head"

/* the lowest level of the stored subtrees: blocks of 16 leaves */
#define HEAD_NODE_MIN_LEVEL 4
#define HEAD_BLOCK (INT64CONST(1) << HEAD_NODE_MIN_LEVEL)

void
hrguard_heads_leaf(pg_cryptohash_ctx *ctx, const char *employee_id, int64 seq,
				   const uint8 *link, uint8 *leaf)
{
	hrguard_chain_leaf(ctx, HEAD_DOMAIN, employee_id, seq, link, leaf);
}

/* The stored rows led astray; "detail" says what was done instead. */
static void
warn_heads_disagree(const char *detail, int64 chains)
{
	ereport(WARNING,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("the stored chain heads disagree with the evidence log"),
			 errdetail_internal(detail, (long long) chains),
			 errhint("Someone changed hrguard.log_chain, hrguard.log_head or hrguard.head_node: they are not evidence, but find out who.  "
					 "Rows changed in place cannot be written again: delete them (their guards disabled) and the next checkpoint rewrites them.")));
}

static uint8 *leaves_from_log(pg_cryptohash_ctx *ctx, int64 tree_size, int64 *n,
							  const char *employee_id, HrguardChainHead *head, char **problem);

/* The stored tree as of the checkpoint of tree_size log entries. */
typedef struct HeadsSource
{
	HrguardMerkleSource base;
	int64		tree_size;
	bool		damaged;		/* a stored row was missing or malformed */
} HeadsSource;

static SPIPlanPtr leaves_plan = NULL;
static SPIPlanPtr node_plan = NULL;

/* a stored hash, or NULL when it is not 32 bytes */
static const uint8 *
stored_hash(HeapTuple tuple, TupleDesc desc, int column)
{
	bool		isnull;
	Datum		value = SPI_getbinval(tuple, desc, column, &isnull);
	bytea	   *hash;

	if (isnull)
		return NULL;
	hash = DatumGetByteaPP(value);
	return VARSIZE_ANY_EXHDR(hash) == HASH_LEN ? (const uint8 *) VARDATA_ANY(hash) : NULL;
}

/* the leaves of positions start .. end-1 as of src->tree_size */
static void
stored_leaves(HeadsSource *src, int64 start, int64 end, uint8 *out)
{
	Datum		args[3] = {Int64GetDatum(start), Int64GetDatum(end), Int64GetDatum(src->tree_size)};
	static const uint8 zero_link[HASH_LEN] = {0};
	uint64		i;

	if (leaves_plan == NULL)
	{
		Oid			types[3] = {INT8OID, INT8OID, INT8OID};

		leaves_plan = hrguard_prepare_kept(
			"SELECT c.position, c.employee_id, h.seq, h.link FROM hrguard.log_chain c "
			" CROSS JOIN LATERAL (SELECT h.seq, h.link FROM hrguard.log_head h "
			"                      WHERE h.position OPERATOR(pg_catalog.=) c.position "
			"                        AND h.tree_size OPERATOR(pg_catalog.<=) $3 "
			"                      ORDER BY h.tree_size DESC LIMIT 1) h "
			" WHERE c.position OPERATOR(pg_catalog.>=) $1 AND c.position OPERATOR(pg_catalog.<) $2 "
			" ORDER BY c.position", 3, types);
	}
	if (SPI_execute_plan(leaves_plan, args, NULL, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read the chain heads");
	if ((int64) SPI_processed != end - start)
		src->damaged = true;
	for (i = 0; i < SPI_processed && (int64) i < end - start; i++)
	{
		HeapTuple	tuple = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		bool		isnull;
		const uint8 *link = stored_hash(tuple, desc, 4);

		if (DatumGetInt64(SPI_getbinval(tuple, desc, 1, &isnull)) != start + (int64) i || link == NULL)
		{
			src->damaged = true;
			link = zero_link;
		}
		hrguard_heads_leaf(src->base.ctx, TextDatumGetCString(SPI_getbinval(tuple, desc, 2, &isnull)),
						   DatumGetInt64(SPI_getbinval(tuple, desc, 3, &isnull)), link,
						   out + i * HASH_LEN);
	}
	for (; (int64) i < end - start; i++)
		memset(out + i * HASH_LEN, 0, HASH_LEN);
}

/* the head of perfect subtree "index" of "level" (at least the lowest stored) */
static void
node_hash(HeadsSource *src, int level, int64 index, uint8 *out)
{
	Datum		args[3] = {Int16GetDatum((int16) level), Int64GetDatum(index), Int64GetDatum(src->tree_size)};
	int64		width = INT64CONST(1) << level;

	if (node_plan == NULL)
	{
		Oid			types[3] = {INT2OID, INT8OID, INT8OID};

		node_plan = hrguard_prepare_kept(
			"SELECT hash FROM hrguard.head_node "
			" WHERE level OPERATOR(pg_catalog.=) $1 AND node_index OPERATOR(pg_catalog.=) $2 "
			"   AND tree_size OPERATOR(pg_catalog.<=) $3 "
			" ORDER BY tree_size DESC LIMIT 1", 3, types);
	}
	if (SPI_execute_plan(node_plan, args, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read the chain heads' subtrees");
	if (SPI_processed == 1)
	{
		const uint8 *hash = stored_hash(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);

		if (hash != NULL)
		{
			memcpy(out, hash, HASH_LEN);
			return;
		}
	}
	/* missing: made again from below */
	src->damaged = true;
	if (level == HEAD_NODE_MIN_LEVEL)
	{
		uint8		leaves[HEAD_BLOCK * HASH_LEN];

		stored_leaves(src, index * width, (index + 1) * width, leaves);
		hrguard_merkle_root(src->base.ctx, leaves, width, out);
	}
	else
	{
		uint8		children[2][HASH_LEN];

		node_hash(src, level - 1, index * 2, children[0]);
		node_hash(src, level - 1, index * 2 + 1, children[1]);
		hrguard_merkle_node(src->base.ctx, children[0], children[1], out);
	}
}

/* a pass over the tree (below); with no chain moved, what proofs read */
typedef struct HeadsPass HeadsPass;
static void pass_range_hash(HeadsPass *pass, int64 start, int64 end, uint8 *out);

static void
pass_as_source(HrguardMerkleSource *base, int64 start, int64 end, uint8 *out)
{
	pass_range_hash((HeadsPass *) base, start, end, out);
}

static void
heads_source(HeadsSource *src, pg_cryptohash_ctx *ctx, int64 tree_size)
{
	src->base.ctx = ctx;
	src->base.range_hash = pass_as_source;
	src->tree_size = tree_size;
	src->damaged = false;
}

/* Subtree heads computed by a checkpoint, to be stored. */
typedef struct NodeRows
{
	int			n;
	int			capacity;
	Datum	   *level;
	Datum	   *index;
	Datum	   *hash;
} NodeRows;

static void
node_rows_add(NodeRows *rows, int level, int64 index, const uint8 *hash)
{
	if (rows->n == rows->capacity)
	{
		rows->capacity = Max(64, rows->capacity * 2);
		rows->level = rows->level ? repalloc(rows->level, sizeof(Datum) * rows->capacity)
			: palloc(sizeof(Datum) * rows->capacity);
		rows->index = rows->index ? repalloc(rows->index, sizeof(Datum) * rows->capacity)
			: palloc(sizeof(Datum) * rows->capacity);
		rows->hash = rows->hash ? repalloc(rows->hash, sizeof(Datum) * rows->capacity)
			: palloc(sizeof(Datum) * rows->capacity);
	}
	rows->level[rows->n] = Int16GetDatum((int16) level);
	rows->index[rows->n] = Int64GetDatum(index);
	rows->hash[rows->n] = PointerGetDatum(hrguard_bytea_from(hash, HASH_LEN));
	rows->n++;
}

/*
 * Store the subtree heads computed; false if a row of that key was there
 * already (hrguard writes each once: someone else wrote it).
 */
static bool
node_rows_store(NodeRows *rows, int64 tree_size)
{
	Oid			types[4] = {INT2ARRAYOID, INT8ARRAYOID, BYTEAARRAYOID, INT8OID};
	Datum		args[4];
	int			n = rows->n;

	if (n == 0)
		return true;
	args[0] = PointerGetDatum(construct_array(rows->level, n, INT2OID, 2, true, TYPALIGN_SHORT));
	args[1] = PointerGetDatum(construct_array(rows->index, n, INT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
	args[2] = PointerGetDatum(construct_array(rows->hash, n, BYTEAOID, -1, false, TYPALIGN_INT));
	args[3] = Int64GetDatum(tree_size);
	rows->n = 0;
	return hrguard_evidence_insert("INSERT INTO hrguard.head_node (level, node_index, hash, tree_size) "
								   "SELECT l, i, h, $4 FROM ROWS FROM (pg_catalog.unnest($1), pg_catalog.unnest($2), "
								   "                                  pg_catalog.unnest($3)) AS n(l, i, h) "
								   "ON CONFLICT DO NOTHING",
								   4, types, args) == (uint64) n;
}

/*
 * Record the heads that log entries done .. tree_size-1 moved, the
 * tree's first "heads" chains being those of the log of "done" entries:
 * the next positions for new chains, in the order they entered the log,
 * and a head row for every chain moved.  Returns the positions moved, and
 * the number of chains; *complete is false when the stored rows do not fit
 * (a chain logged before has no position, or a row to write was there).
 */
static int64 *
record_moved_heads(int64 done, int64 heads, int64 tree_size, int *n_moved, int64 *chains,
				   bool *complete)
{
	Oid			types[2] = {INT8OID, INT8OID};
	Datum		args[2] = {Int64GetDatum(done), Int64GetDatum(tree_size)};
	bool		isnull;
	int64		next = heads;
	int64	   *moved;
	Datum	   *position,
			   *employee,
			   *seq,
			   *link;
	int			n_new = 0,
				count = 0;
	uint64		i;

	*complete = true;
	/* the log holds a run from seq 1 of each chain, so its head is its highest seq */
	if (SPI_execute_with_args("SELECT m.employee_id, m.seq, e.link, c.position, "
							  "       (SELECT l1.log_index FROM hrguard.log_entry l1 "
							  "         WHERE l1.employee_id OPERATOR(pg_catalog.=) m.employee_id "
							  "           AND l1.seq OPERATOR(pg_catalog.=) 1) AS first_logged "
							  "  FROM (SELECT l.employee_id, pg_catalog.max(l.seq) AS seq, "
							  "               pg_catalog.min(l.log_index) AS first "
							  "          FROM hrguard.log_entry l "
							  "         WHERE l.log_index OPERATOR(pg_catalog.>=) $1 "
							  "           AND l.log_index OPERATOR(pg_catalog.<) $2 "
							  "         GROUP BY l.employee_id) m "
							  "  JOIN hrguard.evidence e ON e.employee_id OPERATOR(pg_catalog.=) m.employee_id "
							  "                         AND e.seq OPERATOR(pg_catalog.=) m.seq "
							  "  LEFT JOIN hrguard.log_chain c ON c.employee_id OPERATOR(pg_catalog.=) m.employee_id "
							  " ORDER BY c.position NULLS LAST, m.first",
							  2, types, args, NULL, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read the heads the log moved");
	moved = palloc(sizeof(int64) * Max(SPI_processed, 1));
	position = palloc(sizeof(Datum) * Max(SPI_processed, 1));
	employee = palloc(sizeof(Datum) * Max(SPI_processed, 1));
	seq = palloc(sizeof(Datum) * Max(SPI_processed, 1));
	link = palloc(sizeof(Datum) * Max(SPI_processed, 1));
	for (i = 0; i < SPI_processed; i++)
	{
		HeapTuple	tuple = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		Datum		p = SPI_getbinval(tuple, desc, 4, &isnull);

		if (isnull)
		{
			/* a chain logged before this batch must have its position */
			Datum		first_logged = SPI_getbinval(tuple, desc, 5, &isnull);

			if (isnull || DatumGetInt64(first_logged) < done)
			{
				*complete = false;
				continue;
			}
			p = Int64GetDatum(next++);
			employee[n_new++] = SPI_getbinval(tuple, desc, 1, &isnull);
		}
		moved[count] = DatumGetInt64(p);
		position[count] = p;
		seq[count] = SPI_getbinval(tuple, desc, 2, &isnull);
		link[count] = SPI_getbinval(tuple, desc, 3, &isnull);
		count++;
	}
	if (n_new > 0)
	{
		Oid			ctypes[3] = {INT8ARRAYOID, TEXTARRAYOID, INT8OID};
		Datum		cargs[3];

		/* the new chains are the last n_new rows, positions in order */
		cargs[0] = PointerGetDatum(construct_array(position + (count - n_new), n_new, INT8OID, 8,
												   FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
		cargs[1] = PointerGetDatum(construct_array(employee, n_new, TEXTOID, -1, false, TYPALIGN_INT));
		cargs[2] = Int64GetDatum(tree_size);
		if (hrguard_evidence_insert("INSERT INTO hrguard.log_chain (position, employee_id, tree_size) "
									"SELECT p, e, $3 FROM ROWS FROM (pg_catalog.unnest($1), pg_catalog.unnest($2)) AS c(p, e) "
									"ON CONFLICT DO NOTHING",
									3, ctypes, cargs) != (uint64) n_new)
			*complete = false;
	}
	if (count > 0)
	{
		Oid			htypes[4] = {INT8ARRAYOID, INT8OID, INT8ARRAYOID, BYTEAARRAYOID};
		Datum		hargs[4];

		hargs[0] = PointerGetDatum(construct_array(position, count, INT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
		hargs[1] = Int64GetDatum(tree_size);
		hargs[2] = PointerGetDatum(construct_array(seq, count, INT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
		hargs[3] = PointerGetDatum(construct_array(link, count, BYTEAOID, -1, false, TYPALIGN_INT));
		if (hrguard_evidence_insert("INSERT INTO hrguard.log_head (position, tree_size, seq, link) "
									"SELECT p, $2, s, l FROM ROWS FROM (pg_catalog.unnest($1), pg_catalog.unnest($3), "
									"                                  pg_catalog.unnest($4)) AS h(p, s, l) "
									"ON CONFLICT DO NOTHING",
									4, htypes, hargs) != (uint64) count)
			*complete = false;
	}
	*n_moved = count;
	*chains = next;
	return moved;
}

/*
 * A pass over the heads tree that re-hashes only what moved chains change
 * (with none moved, it reads the stored tree, as proofs do).  src comes
 * first: the pass is the HrguardMerkleSource proofs are given.
 */
struct HeadsPass
{
	HeadsSource src;			/* the leaves and stored subtrees as of a checkpoint */
	const int64 *moved;			/* positions whose leaves changed, sorted */
	int			n_moved;
	NodeRows   *store;			/* the subtrees re-hashed, to be stored (or NULL) */
};

static bool
any_moved(const HeadsPass *pass, int64 start, int64 end)
{
	int			i = hrguard_lower_bound(pass->moved, pass->n_moved, sizeof(int64), &start,
										hrguard_compare_int64_key);

	return i < pass->n_moved && pass->moved[i] < end;
}

/*
 * MTH(D[start:end]): a perfect subtree no moved chain is in from its stored
 * head; one a moved chain is in from its halves (a block of 16 from its
 * leaves), and kept in pass->store; anything else split as RFC 9162 does.
 */
static void
pass_range_hash(HeadsPass *pass, int64 start, int64 end, uint8 *out)
{
	int64		n = end - start;
	bool		perfect = n >= HEAD_BLOCK && (n & (n - 1)) == 0 && start % n == 0;
	int			level = perfect ? pg_leftmost_one_pos64((uint64) n) : 0;

	if (perfect && !any_moved(pass, start, end))
		node_hash(&pass->src, level, start / n, out);
	else if (n <= HEAD_BLOCK)
	{
		uint8		leaves[HEAD_BLOCK * HASH_LEN];

		stored_leaves(&pass->src, start, end, leaves);
		hrguard_merkle_root(pass->src.base.ctx, leaves, n, out);
	}
	else
	{
		int64		k = hrguard_merkle_split(n);
		uint8		left[HASH_LEN];
		uint8		right[HASH_LEN];

		pass_range_hash(pass, start, start + k, left);
		pass_range_hash(pass, start + k, end, right);
		hrguard_merkle_node(pass->src.base.ctx, left, right, out);
	}
	if (perfect && pass->store != NULL && any_moved(pass, start, end))
		node_rows_add(pass->store, level, start / n, out);
}

/*
 * Rows from the log alone after the stored ones led astray: a head row for
 * every chain and every stored subtree, as of the checkpoint of tree_size
 * entries, so that the next checkpoint can again re-hash only what changed.
 */
static void
restore_from_log(pg_cryptohash_ctx *ctx, int64 tree_size, const uint8 *leaves, int64 n)
{
	Oid			types[1] = {INT8OID};
	Datum		args[1] = {Int64GetDatum(tree_size)};
	NodeRows	rows = {0};
	uint8	   *level_hashes = palloc(HASH_LEN * Max(n / HEAD_BLOCK, 1));
	int64		count = n / HEAD_BLOCK,
				i;
	int			level;

	/* positions in the order the chains entered the log, where free */
	hrguard_evidence_insert("INSERT INTO hrguard.log_chain (position, employee_id, tree_size) "
							"SELECT pg_catalog.row_number() OVER (ORDER BY m.first) - 1, m.employee_id, "
							"       coalesce((SELECT pg_catalog.min(k.tree_size) FROM hrguard.log_checkpoint k "
							"                  WHERE k.tree_size OPERATOR(pg_catalog.>) m.first), $1) "
							"  FROM (SELECT l.employee_id, pg_catalog.min(l.log_index) AS first FROM hrguard.log_entry l "
							"         WHERE l.log_index OPERATOR(pg_catalog.<) $1 GROUP BY l.employee_id) m "
							"ON CONFLICT DO NOTHING", 1, types, args);
	hrguard_evidence_insert("INSERT INTO hrguard.log_head (position, tree_size, seq, link) "
							"SELECT c.position, $1, m.seq, e.link "
							"  FROM (SELECT l.employee_id, pg_catalog.max(l.seq) AS seq FROM hrguard.log_entry l "
							"         WHERE l.log_index OPERATOR(pg_catalog.<) $1 GROUP BY l.employee_id) m "
							"  JOIN hrguard.evidence e ON e.employee_id OPERATOR(pg_catalog.=) m.employee_id "
							"                         AND e.seq OPERATOR(pg_catalog.=) m.seq "
							"  JOIN hrguard.log_chain c ON c.employee_id OPERATOR(pg_catalog.=) m.employee_id "
							"ON CONFLICT DO NOTHING", 1, types, args);
	for (i = 0; i < count; i++)
	{
		hrguard_merkle_root(ctx, leaves + i * HEAD_BLOCK * HASH_LEN, HEAD_BLOCK, level_hashes + i * HASH_LEN);
		node_rows_add(&rows, HEAD_NODE_MIN_LEVEL, i, level_hashes + i * HASH_LEN);
	}
	for (level = HEAD_NODE_MIN_LEVEL + 1; count >= 2; level++)
	{
		for (i = 0; i < count / 2; i++)
		{
			hrguard_merkle_node(ctx, level_hashes + 2 * i * HASH_LEN, level_hashes + (2 * i + 1) * HASH_LEN,
								level_hashes + i * HASH_LEN);
			node_rows_add(&rows, level, i, level_hashes + i * HASH_LEN);
		}
		count /= 2;
	}
	(void) node_rows_store(&rows, tree_size);
	pfree(level_hashes);
}

/*
 * Bring the heads tree from the last checkpoint that has one (or from an
 * empty one) to the log of tree_size entries; returns the number of chains
 * and sets *root.
 *
 * The stored subtrees a checkpoint builds on are not trusted: the same
 * subtrees, with the moved chains' heads as they were, must give the last
 * checkpoint's heads root.  If they do not (or rows are missing), the root
 * is computed from the log instead, with a WARNING, and the rows are
 * written again from the log: a body never commits to a tree the log does
 * not give.
 */
int64
hrguard_heads_update(pg_cryptohash_ctx *ctx, const HrguardHeadsState *last, int64 tree_size,
					 uint8 *root)
{
	HeadsPass	before = {0},
				now = {0};
	NodeRows	rows = {0};
	int			n_moved;
	int64		chains;
	bool		held;
	instr_time	started,
				elapsed;
	int64	   *moved;

	INSTR_TIME_SET_CURRENT(started);
	moved = record_moved_heads(last->tree_size, last->heads, tree_size, &n_moved, &chains, &held);

	qsort(moved, n_moved, sizeof(int64), hrguard_compare_int64_key);
	if (held && last->tree_size > 0)
	{
		uint8		last_root[HASH_LEN];

		heads_source(&before.src, ctx, last->tree_size);
		before.moved = moved;
		before.n_moved = n_moved;
		pass_range_hash(&before, 0, last->heads, last_root);
		held = !before.src.damaged && memcmp(last_root, last->heads_root, HASH_LEN) == 0;
	}
	if (held)
	{
		heads_source(&now.src, ctx, tree_size);
		now.moved = moved;
		now.n_moved = n_moved;
		now.store = &rows;
		pass_range_hash(&now, 0, chains, root);
		held = !now.src.damaged && node_rows_store(&rows, tree_size);
	}
	if (!held)
	{
		int64		n;
		uint8	   *leaves = leaves_from_log(ctx, tree_size, &n, NULL, NULL, NULL);

		hrguard_merkle_root(ctx, leaves, n, root);
		warn_heads_disagree("The checkpoint's heads root was computed from the log's %lld chains instead; "
							"rows that were missing were written again, rows that differ were left.", n);
		restore_from_log(ctx, tree_size, leaves, n);
		pfree(leaves);
		return n;
	}
	INSTR_TIME_SET_CURRENT(elapsed);
	INSTR_TIME_SUBTRACT(elapsed, started);
	ereport(DEBUG1,
			(errmsg_internal("heads tree: %d chains moved of %lld, re-hashed in %.3f ms",
							 n_moved, (long long) chains, INSTR_TIME_GET_MILLISEC(elapsed))));
	return chains;
}

/*
 * The heads tree of the log of tree_size entries, from the log alone: the
 * leaves in order, their number in *n; where "employee_id" is found, its
 * head.  With "problem", a head whose evidence entry is missing is
 * reported there.
 */
static uint8 *
leaves_from_log(pg_cryptohash_ctx *ctx, int64 tree_size, int64 *n, const char *employee_id,
				HrguardChainHead *head, char **problem)
{
	Oid			types[1] = {INT8OID};
	Datum		args[1] = {Int64GetDatum(tree_size)};
	uint8	   *leaves;
	uint64		i;

	if (SPI_execute_with_args("SELECT m.employee_id, m.seq, e.link "
							  "  FROM (SELECT l.employee_id, pg_catalog.max(l.seq) AS seq, "
							  "               pg_catalog.min(l.log_index) AS first "
							  "          FROM hrguard.log_entry l "
							  "         WHERE l.log_index OPERATOR(pg_catalog.<) $1 "
							  "         GROUP BY l.employee_id) m "
							  "  LEFT JOIN hrguard.evidence e ON e.employee_id OPERATOR(pg_catalog.=) m.employee_id "
							  "                              AND e.seq OPERATOR(pg_catalog.=) m.seq "
							  " ORDER BY m.first",
							  1, types, args, NULL, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read the chain heads from the log");
	*n = (int64) SPI_processed;
	leaves = palloc(HASH_LEN * Max(SPI_processed, 1));
	for (i = 0; i < SPI_processed; i++)
	{
		HeapTuple	tuple = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		bool		isnull;
		char	   *employee = TextDatumGetCString(SPI_getbinval(tuple, desc, 1, &isnull));
		int64		seq = DatumGetInt64(SPI_getbinval(tuple, desc, 2, &isnull));
		const uint8 *link = stored_hash(tuple, desc, 3);

		if (link == NULL)
		{
			if (problem != NULL && *problem == NULL)
				*problem = psprintf("the head of chain %s, seq %lld, is missing", employee, (long long) seq);
			memset(leaves + i * HASH_LEN, 0, HASH_LEN);
			continue;
		}
		hrguard_heads_leaf(ctx, employee, seq, link, leaves + i * HASH_LEN);
		if (employee_id != NULL && strcmp(employee, employee_id) == 0)
		{
			head->position = (int64) i;
			head->seq = seq;
			memcpy(head->link, link, HASH_LEN);
		}
	}
	return leaves;
}

/* the root of the heads tree of the log of tree_size entries, from the log */
int64
hrguard_heads_recompute(pg_cryptohash_ctx *ctx, int64 tree_size, uint8 *root, char **problem)
{
	int64		n;
	uint8	   *leaves = leaves_from_log(ctx, tree_size, &n, NULL, NULL, problem);

	hrguard_merkle_root(ctx, leaves, n, root);
	pfree(leaves);
	return n;
}

/*
 * The head of an employee's chain under the checkpoint of tree_size log
 * entries, whose heads tree has "heads" leaves and root heads_root, and
 * the proof of its leaf.
 */
HrguardMerkleProof *
hrguard_heads_inclusion(pg_cryptohash_ctx *ctx, const char *employee_id, int64 tree_size,
						int64 heads, const uint8 *heads_root, HrguardChainHead *head)
{
	Oid			types[2] = {TEXTOID, INT8OID};
	Datum		args[2] = {CStringGetTextDatum(employee_id), Int64GetDatum(tree_size)};
	HeadsPass	stored = {0};
	HrguardMerkleProof *proof = NULL;
	uint8		leaf[HASH_LEN];
	uint8		root[HASH_LEN];
	uint8	   *leaves;
	int64		n;

	head->position = -1;
	if (SPI_execute_with_args("SELECT c.position, h.seq, h.link FROM hrguard.log_chain c "
							  " CROSS JOIN LATERAL (SELECT h.seq, h.link FROM hrguard.log_head h "
							  "                      WHERE h.position OPERATOR(pg_catalog.=) c.position "
							  "                        AND h.tree_size OPERATOR(pg_catalog.<=) $2 "
							  "                      ORDER BY h.tree_size DESC LIMIT 1) h "
							  " WHERE c.employee_id OPERATOR(pg_catalog.=) $1",
							  2, types, args, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read the chain's head");
	if (SPI_processed == 1)
	{
		HeapTuple	tuple = SPI_tuptable->vals[0];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		bool		isnull;
		const uint8 *link = stored_hash(tuple, desc, 3);

		head->position = DatumGetInt64(SPI_getbinval(tuple, desc, 1, &isnull));
		head->seq = DatumGetInt64(SPI_getbinval(tuple, desc, 2, &isnull));
		if (link != NULL && head->position >= 0 && head->position < heads)
		{
			memcpy(head->link, link, HASH_LEN);
			heads_source(&stored.src, ctx, tree_size);
			proof = hrguard_merkle_inclusion_in(&stored.src.base, heads, head->position);
			hrguard_heads_leaf(ctx, employee_id, head->seq, head->link, leaf);
			if (!stored.src.damaged &&
				hrguard_merkle_inclusion_root(ctx, head->position, heads, leaf, proof, root) &&
				memcmp(root, heads_root, HASH_LEN) == 0)
				return proof;
		}
	}

	/* the stored rows do not lead to the root (or lack the chain): the log alone */
	head->position = -1;
	leaves = leaves_from_log(ctx, tree_size, &n, employee_id, head, NULL);
	hrguard_merkle_root(ctx, leaves, n, root);
	if (n != heads || memcmp(root, heads_root, HASH_LEN) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("the evidence log no longer gives the chain heads of its checkpoint of %lld entries",
						(long long) tree_size),
				 errhint("Run hrguard.verify_checkpoint() on it.")));
	if (head->position < 0)
		ereport(ERROR,
				(errcode(ERRCODE_NO_DATA_FOUND),
				 errmsg("employee \"%s\" has no evidence under the checkpoint", employee_id),
				 errdetail("The checkpoint is of a log of %lld entries.", (long long) tree_size),
				 errhint("Entries join the log at the next hrguard.checkpoint().")));
	if (proof != NULL)
		warn_heads_disagree("The proof was computed from the log's %lld chains instead.", n);
	proof = hrguard_merkle_inclusion(ctx, leaves, n, head->position);
	pfree(leaves);
	return proof;
}
