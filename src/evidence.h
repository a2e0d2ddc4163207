/*-------------------------------------------------------------------------
 *
 * evidence.h
 *	  Per-employee hash chains of evidence.
 *
 * IDENTIFICATION
 *	  src/evidence.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef HRGUARD_EVIDENCE_H
#define HRGUARD_EVIDENCE_H

#include "common/sha2.h"
#include "datatype/timestamp.h"

/* bytes of the leaf hash kept in each row, to tell canon from link damage */
#define HRGUARD_LEAF_PREFIX 16

extern Oid	hrguard_evidence_owner(void);
extern int64 hrguard_unix_micros(TimestampTz t);
extern void hrguard_evidence_leaf(const char *canon, size_t len,
								  uint8 leaf[PG_SHA256_DIGEST_LENGTH]);
extern void hrguard_evidence_link(const char *employee_id, int64 seq,
								  const uint8 previous[PG_SHA256_DIGEST_LENGTH],
								  const uint8 leaf[PG_SHA256_DIGEST_LENGTH],
								  uint8 link[PG_SHA256_DIGEST_LENGTH]);
extern int64 hrguard_evidence_append(const char *employee_id, const char *kind,
									 TimestampTz occurred_at, const char *payload_json);

#endif							/* HRGUARD_EVIDENCE_H */
