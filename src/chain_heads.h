/*-------------------------------------------------------------------------
 *
 * chain_heads.h
 *	  The tree of chain heads a checkpoint commits to (chain_heads.c).
 *	  SPI connected, as the evidence owner.
 *
 * IDENTIFICATION
 *	  src/chain_heads.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef HRGUARD_CHAIN_HEADS_H
#define HRGUARD_CHAIN_HEADS_H

#include "postgres.h"

#include "common/cryptohash.h"

#include "merkle.h"

/* a chain's head under a checkpoint, and where its leaf is */
typedef struct HrguardChainHead
{
	int64		position;
	int64		seq;
	uint8		link[PG_SHA256_DIGEST_LENGTH];
} HrguardChainHead;

/* the heads tree of the last checkpoint that has one (tree_size 0: none) */
typedef struct HrguardHeadsState
{
	int64		tree_size;
	int64		heads;
	uint8		heads_root[PG_SHA256_DIGEST_LENGTH];
} HrguardHeadsState;

extern void hrguard_heads_leaf(pg_cryptohash_ctx *ctx, const char *employee_id, int64 seq,
							   const uint8 *link, uint8 *leaf);
extern int64 hrguard_heads_update(pg_cryptohash_ctx *ctx, const HrguardHeadsState *last,
								  int64 tree_size, uint8 *root);
extern HrguardMerkleProof *hrguard_heads_inclusion(pg_cryptohash_ctx *ctx, const char *employee_id,
												   int64 tree_size, int64 heads,
												   const uint8 *heads_root,
												   HrguardChainHead *head);
extern int64 hrguard_heads_recompute(pg_cryptohash_ctx *ctx, int64 tree_size, uint8 *root,
									 char **problem);

#endif							/* HRGUARD_CHAIN_HEADS_H */
