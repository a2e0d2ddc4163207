/*-------------------------------------------------------------------------
 *
 * evidence_stage.h
 *	  Evidence entries of a punch statement, staged as its rows are
 *	  classified and written at its end, at each chain's head
 *	  (evidence_stage.c).
 *
 * IDENTIFICATION
 *	  src/evidence_stage.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef HRGUARD_EVIDENCE_STAGE_H
#define HRGUARD_EVIDENCE_STAGE_H

#include "postgres.h"

#include "datatype/timestamp.h"
#include "lib/stringinfo.h"
#include "utils/snapshot.h"

/* where an employee's chain head stands, locked */
typedef struct HrguardChainHead
{
	int64		seq;
	uint8		head[32];		/* the last link */
	TransactionId xmin;			/* the writer of the version locked */
	ItemPointerData ctid;
} HrguardChainHead;

extern void hrguard_chain_head_lock(const char *employee_id, ItemPointer at,
									HrguardChainHead *out);
extern void hrguard_evidence_lock_chains(const char *const *employee_ids, int n);
extern bool hrguard_evidence_staged(void);
extern bool hrguard_evidence_lock(const char *employee_id, Snapshot snapshot);
extern int64 hrguard_evidence_stage(const char *employee_id, const char *kind,
									TimestampTz occurred_at, const StringInfoData *canonical_payload);
extern bool hrguard_evidence_write_staged(void);
extern bool hrguard_evidence_stage_writable(void);

#endif							/* HRGUARD_EVIDENCE_STAGE_H */
