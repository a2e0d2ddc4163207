/*-------------------------------------------------------------------------
 *
 * log_proofs.c
 *	  Inclusion and consistency proofs over the evidence log, from the
 *	  subtree heads that checkpoints store.
 *
 * A range of the log is hashed from the stored head of a perfect subtree
 * of 2^8 leaves or more where there is one, from its leaves below that
 * size, and split as RFC 9162 splits it otherwise, so a proof reads
 * O(log n) rows.  The stored heads are not evidence and are not trusted: a
 * proof for a size that has a checkpoint is checked against the
 * checkpoint's root and made again from the leaves alone if it does not
 * lead there; the caller learns when the leaves do not lead there either.
 *
 * IDENTIFICATION
 *	  src/log_proofs.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "port/pg_bitutils.h"
#include "utils/array.h"
#include "utils/builtins.h"

#include "common.h"
#include "evidence.h"
#include "evidence_log.h"
#include "log_proofs.h"
#include "merkle.h"
#include "privilege.h"

#define HASH_LEN PG_SHA256_DIGEST_LENGTH

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

	if (n < HRGUARD_LOG_NODE_MIN_LEAVES)
	{
		uint8	   *leaves = hrguard_log_leaves(src->ctx, start, end, false, NULL);

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

	hrguard_log_checked_size(tree_size, hrguard_log_size(), "tree size");
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
		uint8	   *leaves = hrguard_log_leaves(ctx, 0, tree_size, false, NULL);

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
	char	   *employee_id;
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

	hrguard_require_select("hrguard.inclusion_proof()", "log_entry");
	employee_id = hrguard_checked_employee_id(PG_GETARG_DATUM(0), false);
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
	values[1] = PointerGetDatum(hrguard_bytea_from(leaf, HASH_LEN));
	values[2] = PointerGetDatum(hrguard_merkle_proof_array(proof));
	values[3] = PointerGetDatum(hrguard_bytea_from(root, HASH_LEN));
	result = heap_form_tuple(tupdesc, values, nulls);
	hrguard_restore_user(&saved);
	SPI_finish();
	PG_RETURN_DATUM(HeapTupleGetDatum(result));
}

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

	hrguard_log_checked_size(new_size, hrguard_log_size(), "new size");
	log_source(&src, ctx);
	proof = hrguard_merkle_consistency_in(&src, new_size, old_size);
	*held = true;
	if (roots_hold(&src, NULL, old_size, new_size))
		return proof;
	leaves = hrguard_log_leaves(ctx, 0, new_size, false, NULL);
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

	hrguard_require_select("hrguard.consistency_proof()", "log_entry");
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
