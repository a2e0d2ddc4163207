/*-------------------------------------------------------------------------
 *
 * merkle.h
 *	  RFC 9162 Merkle tree hashes and proofs over arrays of leaf hashes.
 *
 * IDENTIFICATION
 *	  src/merkle.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef HRGUARD_MERKLE_H
#define HRGUARD_MERKLE_H

#include "common/cryptohash.h"
#include "common/sha2.h"
#include "utils/array.h"

/* a proof: "length" hashes of 32 bytes, back to back */
typedef struct HrguardMerkleProof
{
	int			length;
	uint8	   *hashes;
} HrguardMerkleProof;

/*
 * Where proofs get their subtree heads: range_hash gives MTH(D[start:end])
 * of the source's leaves.
 */
typedef struct HrguardMerkleSource HrguardMerkleSource;
struct HrguardMerkleSource
{
	pg_cryptohash_ctx *ctx;
	void		(*range_hash) (HrguardMerkleSource *src, int64 start, int64 end, uint8 *out);
};

/* told of each perfect subtree a frontier completes */
typedef void (*HrguardMerkleNodeSink) (void *arg, int level, int64 index, const uint8 *hash);

extern int64 hrguard_merkle_split(int64 n);
extern void hrguard_merkle_root(pg_cryptohash_ctx *ctx, const uint8 *leaves, int64 n, uint8 *out);
extern void hrguard_merkle_node(pg_cryptohash_ctx *ctx, const uint8 *left, const uint8 *right,
								uint8 *out);

/*
 * The frontier of a tree of "size" leaves: the roots of the perfect
 * subtrees it splits into, one per 1 bit of size, largest first.  Enough to
 * append leaves and to compute the root without the leaves before.
 */
#define HRGUARD_FRONTIER_MAX 64

typedef struct HrguardMerkleFrontier
{
	int64		size;
	int			count;
	uint8		hashes[HRGUARD_FRONTIER_MAX][PG_SHA256_DIGEST_LENGTH];
} HrguardMerkleFrontier;

extern void hrguard_frontier_init(HrguardMerkleFrontier *f);
extern void hrguard_frontier_append(pg_cryptohash_ctx *ctx, HrguardMerkleFrontier *f,
									const uint8 *leaf, HrguardMerkleNodeSink sink, void *arg);
extern void hrguard_frontier_root(pg_cryptohash_ctx *ctx, const HrguardMerkleFrontier *f,
								  uint8 *out);
extern bytea *hrguard_frontier_bytes(const HrguardMerkleFrontier *f);
extern bool hrguard_frontier_from_bytes(HrguardMerkleFrontier *f, int64 size, const bytea *bytes);
extern HrguardMerkleProof *hrguard_merkle_inclusion_in(HrguardMerkleSource *src, int64 n,
													   int64 index);
extern HrguardMerkleProof *hrguard_merkle_consistency_in(HrguardMerkleSource *src, int64 n,
														 int64 old_size);
extern bool hrguard_merkle_inclusion_root(pg_cryptohash_ctx *ctx, int64 index, int64 size,
										  const uint8 *leaf, const HrguardMerkleProof *proof,
										  uint8 *out);
extern HrguardMerkleProof *hrguard_merkle_inclusion(pg_cryptohash_ctx *ctx, const uint8 *leaves,
													int64 n, int64 index);
extern HrguardMerkleProof *hrguard_merkle_consistency(pg_cryptohash_ctx *ctx, const uint8 *leaves,
													  int64 n, int64 old_size);

extern char *hrguard_hash_hex(const uint8 *hash);
extern ArrayType *hrguard_merkle_proof_array(const HrguardMerkleProof *proof);

#endif							/* HRGUARD_MERKLE_H */
