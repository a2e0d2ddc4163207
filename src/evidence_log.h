/*-------------------------------------------------------------------------
 *
 * evidence_log.h
 *	  The evidence log: its leaves, its size and its checkpoints
 *	  (evidence_log.c).  SPI connected, as the evidence owner.
 *
 * IDENTIFICATION
 *	  src/evidence_log.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef HRGUARD_EVIDENCE_LOG_H
#define HRGUARD_EVIDENCE_LOG_H

#include "postgres.h"

#include "common/cryptohash.h"

#include "merkle.h"

/* the lowest level of the stored subtree heads: 256 leaves */
#define HRGUARD_LOG_NODE_MIN_LEVEL 8
#define HRGUARD_LOG_NODE_MIN_LEAVES (INT64CONST(1) << HRGUARD_LOG_NODE_MIN_LEVEL)

extern void hrguard_log_leaf(pg_cryptohash_ctx *ctx, const char *employee_id, int64 seq,
							 const uint8 *link, uint8 *leaf);
extern int64 hrguard_log_size(void);
extern uint8 *hrguard_log_leaves(pg_cryptohash_ctx *ctx, int64 from, int64 n, bool recompute,
								 char **problem);
extern int64 hrguard_log_checked_size(int64 asked, int64 size, const char *what);

/* a checkpoint body, read: version 1 has no heads */
typedef struct HrguardCheckpointBody
{
	int			version;
	int64		size;
	char		root_hex[PG_SHA256_DIGEST_LENGTH * 2 + 1];
	int64		heads;
	char		heads_root_hex[PG_SHA256_DIGEST_LENGTH * 2 + 1];
} HrguardCheckpointBody;

/* checkpoints: a new one of the whole log, and a body read */
extern text *hrguard_checkpoint_take(void);
extern char *hrguard_checkpoint_normal(const char *body);
extern void hrguard_checkpoint_parse(const char *body, HrguardCheckpointBody *out);

#endif							/* HRGUARD_EVIDENCE_LOG_H */
