/*-------------------------------------------------------------------------
 *
 * chain_head.h
 *	  Locking and advancing evidence chain heads without the executor.
 *
 * IDENTIFICATION
 *	  src/chain_head.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef HRGUARD_CHAIN_HEAD_H
#define HRGUARD_CHAIN_HEAD_H

#include "common/sha2.h"
#include "storage/itemptr.h"

typedef struct HrguardHeads HrguardHeads;

extern HrguardHeads *hrguard_heads_open(void);
extern bool hrguard_head_lock(HrguardHeads *heads, const char *employee_id, int64 *seq,
							  uint8 head[PG_SHA256_DIGEST_LENGTH], ItemPointer tid,
							  TransactionId *xmin);
extern void hrguard_head_advance(HrguardHeads *heads, ItemPointer tid, int64 seq,
								 const uint8 head[PG_SHA256_DIGEST_LENGTH]);
extern void hrguard_heads_close(HrguardHeads *heads);

#endif							/* HRGUARD_CHAIN_HEAD_H */
