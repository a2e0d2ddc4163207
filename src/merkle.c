/*-------------------------------------------------------------------------
 *
 * merkle.c
 *	  RFC 9162 Merkle tree hashes, inclusion and consistency proofs.
 *
 * Over leaf hashes (SHA-256(0x00 || data)): the tree head of n leaves is
 * SHA-256 of the empty string for n = 0, the leaf hash for n = 1, and
 * otherwise SHA-256(0x01 || MTH(first k) || MTH(rest)) with k the largest
 * power of two below n.  Proofs follow RFC 9162 section 2.1.3 and 2.1.4
 * literally (PATH and SUBPROOF), over a source of subtree heads: an array of
 * leaf hashes (every head recomputed, O(n) hashes per proof) or the stored
 * evidence log (log_proofs.c: heads of large subtrees looked up, O(log n)).
 * Also the SQL functions over arrays of leaf hashes, with which anyone can
 * check a proof or a tree head.
 *
 * IDENTIFICATION
 *	  src/merkle.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "common/cryptohash.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "port/pg_bitutils.h"
#include "utils/builtins.h"

#include "common.h"
#include "evidence.h"
#include "hrguard.h"
#include "merkle.h"
#include "privilege.h"
#include "sha256.h"

#define HASH_LEN PG_SHA256_DIGEST_LENGTH

/* where RFC 9162 splits a tree of n > 1 leaves: the largest power of two below n */
int64
hrguard_merkle_split(int64 n)
{
	int64		k = 1;

	while (k * 2 < n)
		k *= 2;
	return k;
}

/* an interior node: SHA-256(0x01 || left || right) */
void
hrguard_merkle_node(pg_cryptohash_ctx *ctx, const uint8 *left, const uint8 *right, uint8 *out)
{
	static const uint8 node_tag = 0x01;
	const void *parts[3] = {&node_tag, left, right};
	size_t		lens[3] = {1, HASH_LEN, HASH_LEN};

	hrguard_sha256_parts(ctx, parts, lens, 3, out);
}

/* the tree head of leaves[0 .. n-1] */
void
hrguard_merkle_root(pg_cryptohash_ctx *ctx, const uint8 *leaves, int64 n, uint8 *out)
{
	if (n == 0)
	{
		const void *parts[1] = {""};
		size_t		lens[1] = {0};

		hrguard_sha256_parts(ctx, parts, lens, 1, out);
	}
	else if (n == 1)
		memcpy(out, leaves, HASH_LEN);
	else
	{
		int64		k = hrguard_merkle_split(n);
		uint8		left[HASH_LEN];
		uint8		right[HASH_LEN];

		hrguard_merkle_root(ctx, leaves, k, left);
		hrguard_merkle_root(ctx, leaves + k * HASH_LEN, n - k, right);
		hrguard_merkle_node(ctx, left, right, out);
	}
}

void
hrguard_frontier_init(HrguardMerkleFrontier *f)
{
	f->size = 0;
	f->count = 0;
}

/*
 * Append a leaf: it becomes a subtree of one, and the last two subtrees
 * merge while they are of equal size, once per trailing 1 bit of the old
 * size.  Each subtree completed by a merge is passed to "sink" (if not
 * NULL): its level (log2 of its leaves) and its index at that level.
 */
void
hrguard_frontier_append(pg_cryptohash_ctx *ctx, HrguardMerkleFrontier *f, const uint8 *leaf,
						HrguardMerkleNodeSink sink, void *arg)
{
	int64		carry = f->size;
	int			level = 0;

	memcpy(f->hashes[f->count++], leaf, HASH_LEN);
	for (; carry & 1; carry >>= 1)
	{
		hrguard_merkle_node(ctx, f->hashes[f->count - 2], f->hashes[f->count - 1], f->hashes[f->count - 2]);
		f->count--;
		level++;
		if (sink)
			sink(arg, level, ((f->size + 1) >> level) - 1, f->hashes[f->count - 1]);
	}
	f->size++;
}

/* the root: the subtrees folded from the smallest, RFC 9162 section 2.1.1 */
void
hrguard_frontier_root(pg_cryptohash_ctx *ctx, const HrguardMerkleFrontier *f, uint8 *out)
{
	int			i;

	if (f->count == 0)
	{
		hrguard_merkle_root(ctx, NULL, 0, out);
		return;
	}
	memcpy(out, f->hashes[f->count - 1], HASH_LEN);
	for (i = f->count - 2; i >= 0; i--)
		hrguard_merkle_node(ctx, f->hashes[i], out, out);
}

bytea *
hrguard_frontier_bytes(const HrguardMerkleFrontier *f)
{
	bytea	   *b = palloc(VARHDRSZ + f->count * HASH_LEN);

	SET_VARSIZE(b, VARHDRSZ + f->count * HASH_LEN);
	memcpy(VARDATA(b), f->hashes, f->count * HASH_LEN);
	return b;
}

/* false if the bytes cannot be the frontier of a tree of that size */
bool
hrguard_frontier_from_bytes(HrguardMerkleFrontier *f, int64 size, const bytea *bytes)
{
	int			count = pg_popcount64((uint64) size);

	if (size < 0 || VARSIZE_ANY_EXHDR(bytes) != (Size) count * HASH_LEN)
		return false;
	f->size = size;
	f->count = count;
	memcpy(f->hashes, VARDATA_ANY(bytes), count * HASH_LEN);
	return true;
}

static void
append_hash(HrguardMerkleProof *proof, const uint8 *hash)
{
	memcpy(proof->hashes + proof->length * HASH_LEN, hash, HASH_LEN);
	proof->length++;
}

/* RFC 9162 PATH(m, D[start:start+n]), m relative to start */
static void
path(HrguardMerkleSource *src, int64 m, int64 start, int64 n, HrguardMerkleProof *proof)
{
	int64		k;
	uint8		sibling[HASH_LEN];

	if (n <= 1)
		return;
	k = hrguard_merkle_split(n);
	if (m < k)
	{
		path(src, m, start, k, proof);
		src->range_hash(src, start + k, start + n, sibling);
	}
	else
	{
		path(src, m - k, start + k, n - k, proof);
		src->range_hash(src, start, start + k, sibling);
	}
	append_hash(proof, sibling);
}

/* RFC 9162 SUBPROOF(m, D[start:start+n], b) */
static void
subproof(HrguardMerkleSource *src, int64 m, int64 start, int64 n, bool whole,
		 HrguardMerkleProof *proof)
{
	int64		k;
	uint8		sibling[HASH_LEN];

	if (m == n)
	{
		if (!whole)
		{
			src->range_hash(src, start, start + n, sibling);
			append_hash(proof, sibling);
		}
		return;
	}
	k = hrguard_merkle_split(n);
	if (m <= k)
	{
		subproof(src, m, start, k, whole, proof);
		src->range_hash(src, start + k, start + n, sibling);
	}
	else
	{
		subproof(src, m - k, start + k, n - k, false, proof);
		src->range_hash(src, start, start + k, sibling);
	}
	append_hash(proof, sibling);
}

static HrguardMerkleProof *
new_proof(int64 n)
{
	HrguardMerkleProof *proof = palloc(sizeof(HrguardMerkleProof));
	int			capacity = 2;

	while (n > 1)
	{
		n = (n + 1) / 2;
		capacity++;
	}
	proof->length = 0;
	proof->hashes = palloc(HASH_LEN * capacity);
	return proof;
}

/* the inclusion proof of leaf "index" in the first n leaves of the source */
HrguardMerkleProof *
hrguard_merkle_inclusion_in(HrguardMerkleSource *src, int64 n, int64 index)
{
	HrguardMerkleProof *proof = new_proof(n);

	if (index < 0 || index >= n)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("leaf %lld is not in a tree of %lld leaves",
						(long long) index, (long long) n)));
	path(src, index, 0, n, proof);
	return proof;
}

/* the consistency proof from the first old_size to the first n leaves */
HrguardMerkleProof *
hrguard_merkle_consistency_in(HrguardMerkleSource *src, int64 n, int64 old_size)
{
	HrguardMerkleProof *proof = new_proof(n);

	if (old_size < 1 || old_size > n)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("no consistency proof from %lld to %lld leaves",
						(long long) old_size, (long long) n),
				 errdetail("The old size must be at least 1 and at most the new size.")));
	if (old_size < n)
		subproof(src, old_size, 0, n, true, proof);
	return proof;
}

/*
 * The root an inclusion proof of leaf "index" in a tree of "size" leaves
 * leads to, RFC 9162 section 2.1.3.2; false if the proof cannot be one for
 * that position (too short or too long).
 */
bool
hrguard_merkle_inclusion_root(pg_cryptohash_ctx *ctx, int64 index, int64 size, const uint8 *leaf,
							  const HrguardMerkleProof *proof, uint8 *out)
{
	uint64		fn = (uint64) index;
	uint64		sn = (uint64) size - 1;
	uint8		r[HASH_LEN];
	int			i;

	if (index < 0 || index >= size)
		return false;
	memcpy(r, leaf, HASH_LEN);
	for (i = 0; i < proof->length; i++)
	{
		const uint8 *p = proof->hashes + i * HASH_LEN;

		if (sn == 0)
			return false;
		if ((fn & 1) || fn == sn)
		{
			hrguard_merkle_node(ctx, p, r, r);
			while (!(fn & 1) && fn != 0)
			{
				fn >>= 1;
				sn >>= 1;
			}
		}
		else
			hrguard_merkle_node(ctx, r, p, r);
		fn >>= 1;
		sn >>= 1;
	}
	if (sn != 0)
		return false;
	memcpy(out, r, HASH_LEN);
	return true;
}

/* subtree heads recomputed from an array of leaf hashes */
typedef struct ArraySource
{
	HrguardMerkleSource source;
	const uint8 *leaves;
} ArraySource;

static void
array_range_hash(HrguardMerkleSource *src, int64 start, int64 end, uint8 *out)
{
	ArraySource *a = (ArraySource *) src;

	hrguard_merkle_root(src->ctx, a->leaves + start * HASH_LEN, end - start, out);
}

static void
array_source(ArraySource *a, pg_cryptohash_ctx *ctx, const uint8 *leaves)
{
	a->source.ctx = ctx;
	a->source.range_hash = array_range_hash;
	a->leaves = leaves;
}

HrguardMerkleProof *
hrguard_merkle_inclusion(pg_cryptohash_ctx *ctx, const uint8 *leaves, int64 n, int64 index)
{
	ArraySource a;

	array_source(&a, ctx, leaves);
	return hrguard_merkle_inclusion_in(&a.source, n, index);
}

HrguardMerkleProof *
hrguard_merkle_consistency(pg_cryptohash_ctx *ctx, const uint8 *leaves, int64 n, int64 old_size)
{
	ArraySource a;

	array_source(&a, ctx, leaves);
	return hrguard_merkle_consistency_in(&a.source, n, old_size);
}

/* ---- SQL over arrays of leaf hashes ---------------------------------- */

static uint8 *
leaves_from_array(ArrayType *array, int64 *n)
{
	Datum	   *elems;
	bool	   *nulls;
	int			count,
				i;
	uint8	   *leaves;

	if (ARR_NDIM(array) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("leaf hashes must be a one-dimensional array")));
	hrguard_check_input_size("array of leaf hashes",
							 ArrayGetNItems(ARR_NDIM(array), ARR_DIMS(array)),
							 HRGUARD_MAX_SQL_LEAVES, "elements");
	deconstruct_array(array, BYTEAOID, -1, false, TYPALIGN_INT, &elems, &nulls, &count);
	leaves = palloc(HASH_LEN * Max(count, 1));
	for (i = 0; i < count; i++)
	{
		bytea	   *b;

		CHECK_FOR_INTERRUPTS();
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("leaf hash %d is NULL", i)));
		b = DatumGetByteaPP(elems[i]);
		if (VARSIZE_ANY_EXHDR(b) != HASH_LEN)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("leaf hash %d has %d bytes, not %d", i,
							(int) VARSIZE_ANY_EXHDR(b), HASH_LEN)));
		memcpy(leaves + i * HASH_LEN, VARDATA_ANY(b), HASH_LEN);
	}
	*n = count;
	return leaves;
}

/* a 32-byte hash in lower-case hex */
char *
hrguard_hash_hex(const uint8 *hash)
{
	char	   *out = palloc(HASH_LEN * 2 + 1);

	hex_encode((const char *) hash, HASH_LEN, out);
	out[HASH_LEN * 2] = '\0';
	return out;
}

ArrayType *
hrguard_merkle_proof_array(const HrguardMerkleProof *proof)
{
	Datum	   *elems = palloc(sizeof(Datum) * Max(proof->length, 1));
	int			i;

	for (i = 0; i < proof->length; i++)
		elems[i] = PointerGetDatum(hrguard_bytea_from(proof->hashes + i * HASH_LEN, HASH_LEN));
	return construct_array(elems, proof->length, BYTEAOID, -1, false, TYPALIGN_INT);
}

/* hrguard.merkle_leaf_hash(data) = SHA-256(0x00 || data) */
PG_FUNCTION_INFO_V1(hrguard_merkle_leaf_hash_sql);
Datum
hrguard_merkle_leaf_hash_sql(PG_FUNCTION_ARGS)
{
	bytea	   *data = PG_GETARG_BYTEA_PP(0);
	uint8		hash[HASH_LEN];

	hrguard_check_input_size("leaf data", VARSIZE_ANY_EXHDR(data),
							 HRGUARD_MAX_CANON_BYTES, "bytes");
	hrguard_evidence_leaf(NULL, VARDATA_ANY(data), VARSIZE_ANY_EXHDR(data), hash);
	PG_RETURN_BYTEA_P(hrguard_bytea_from(hash, HASH_LEN));
}

/* hrguard.merkle_root(leaf_hashes) */
PG_FUNCTION_INFO_V1(hrguard_merkle_root_sql);
Datum
hrguard_merkle_root_sql(PG_FUNCTION_ARGS)
{
	int64		n;
	uint8	   *leaves = leaves_from_array(PG_GETARG_ARRAYTYPE_P(0), &n);
	uint8		root[HASH_LEN];

	hrguard_merkle_root(NULL, leaves, n, root);
	PG_RETURN_BYTEA_P(hrguard_bytea_from(root, HASH_LEN));
}

/* hrguard.merkle_inclusion_proof(leaf_hashes, index) */
PG_FUNCTION_INFO_V1(hrguard_merkle_inclusion_sql);
Datum
hrguard_merkle_inclusion_sql(PG_FUNCTION_ARGS)
{
	int64		n;
	uint8	   *leaves = leaves_from_array(PG_GETARG_ARRAYTYPE_P(0), &n);
	pg_cryptohash_ctx *ctx = pg_cryptohash_create(PG_SHA256);
	HrguardMerkleProof *proof = hrguard_merkle_inclusion(ctx, leaves, n, PG_GETARG_INT64(1));

	pg_cryptohash_free(ctx);
	PG_RETURN_ARRAYTYPE_P(hrguard_merkle_proof_array(proof));
}

/* hrguard.merkle_consistency_proof(leaf_hashes, old_size) */
PG_FUNCTION_INFO_V1(hrguard_merkle_consistency_sql);
Datum
hrguard_merkle_consistency_sql(PG_FUNCTION_ARGS)
{
	int64		n;
	uint8	   *leaves = leaves_from_array(PG_GETARG_ARRAYTYPE_P(0), &n);
	pg_cryptohash_ctx *ctx = pg_cryptohash_create(PG_SHA256);
	HrguardMerkleProof *proof = hrguard_merkle_consistency(ctx, leaves, n, PG_GETARG_INT64(1));

	pg_cryptohash_free(ctx);
	PG_RETURN_ARRAYTYPE_P(hrguard_merkle_proof_array(proof));
}
