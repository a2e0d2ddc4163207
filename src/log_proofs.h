/*-------------------------------------------------------------------------
 *
 * log_proofs.h
 *	  Inclusion and consistency proofs made from the evidence log's stored
 *	  subtree heads (log_proofs.c).  SPI connected, as the evidence owner.
 *
 * IDENTIFICATION
 *	  src/log_proofs.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef HRGUARD_LOG_PROOFS_H
#define HRGUARD_LOG_PROOFS_H

#include "postgres.h"

#include "common/cryptohash.h"

#include "merkle.h"

extern HrguardMerkleProof *hrguard_log_inclusion(pg_cryptohash_ctx *ctx, const char *employee_id,
												 int64 seq, int64 tree_size, int64 *index,
												 uint8 *leaf, uint8 *root);
extern HrguardMerkleProof *hrguard_log_consistency(pg_cryptohash_ctx *ctx, int64 old_size,
												   int64 new_size, bool *held);

#endif							/* HRGUARD_LOG_PROOFS_H */
