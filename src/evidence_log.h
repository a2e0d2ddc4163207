/*-------------------------------------------------------------------------
 *
 * evidence_log.h
 *	  The evidence log between the files that keep it (evidence_log.c)
 *	  and prove from it (log_proofs.c).  SPI connected, as the evidence
 *	  owner.
 *
 * IDENTIFICATION
 *	  src/evidence_log.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef HRGUARD_EVIDENCE_LOG_H
#define HRGUARD_EVIDENCE_LOG_H

#include "common/cryptohash.h"

#include "merkle.h"

/* the lowest level of the stored subtree heads: 256 leaves */
#define HRGUARD_LOG_NODE_MIN_LEVEL 8
#define HRGUARD_LOG_NODE_MIN_LEAVES (INT64CONST(1) << HRGUARD_LOG_NODE_MIN_LEVEL)

/* evidence_log.c */
extern void hrguard_log_leaf(pg_cryptohash_ctx *ctx, const char *employee_id, int64 seq,
							 const uint8 *link, uint8 *leaf);
extern int64 hrguard_log_size(void);
extern uint8 *hrguard_log_leaves(pg_cryptohash_ctx *ctx, int64 from, int64 n, bool recompute,
								 char **problem);
extern int64 hrguard_log_checked_size(int64 asked, int64 size, const char *what);

/* log_proofs.c */
extern HrguardMerkleProof *hrguard_log_inclusion(pg_cryptohash_ctx *ctx, const char *employee_id,
												 int64 seq, int64 tree_size, int64 *index,
												 uint8 *leaf, uint8 *root);
extern HrguardMerkleProof *hrguard_log_consistency(pg_cryptohash_ctx *ctx, int64 old_size,
												   int64 new_size, bool *held);

#endif							/* HRGUARD_EVIDENCE_LOG_H */
