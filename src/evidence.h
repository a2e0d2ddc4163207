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

#include "common/cryptohash.h"
#include "common/sha2.h"
#include "datatype/timestamp.h"
#include "lib/stringinfo.h"
#include "utils/snapshot.h"

/* bytes of the leaf hash kept in each row, to tell canon from link damage */
#define HRGUARD_LEAF_PREFIX 16

extern Oid	hrguard_evidence_owner(void);
extern void hrguard_refuse_on_subscriber(void);
extern int64 hrguard_unix_micros(TimestampTz t);
extern void hrguard_evidence_leaf(pg_cryptohash_ctx *ctx, const char *canon, size_t len,
								  uint8 leaf[PG_SHA256_DIGEST_LENGTH]);
extern void hrguard_chain_leaf(pg_cryptohash_ctx *ctx, const char *domain, const char *employee_id,
							   int64 seq, const uint8 *link, uint8 *leaf);
extern void hrguard_evidence_link(pg_cryptohash_ctx *ctx, const char *employee_id, int64 seq,
								  const uint8 previous[PG_SHA256_DIGEST_LENGTH],
								  const uint8 leaf[PG_SHA256_DIGEST_LENGTH],
								  uint8 link[PG_SHA256_DIGEST_LENGTH]);
/* returns the state it replaces, for nested spans to restore */
extern bool hrguard_evidence_writing(bool on);
extern void hrguard_employee_must_exist(const char *employee_id);
extern uint64 hrguard_evidence_insert(const char *query, int nargs, Oid *types, Datum *args);
extern void hrguard_evidence_canon(StringInfo out, const char *employee_id, const char *kind,
								   TimestampTz occurred_at, TimestampTz recorded_at,
								   const char *payload_json);
extern void hrguard_evidence_canon_of(StringInfo out, const char *employee_id, const char *kind,
									  TimestampTz occurred_at, TimestampTz recorded_at,
									  const char *canonical_payload, size_t payload_len);


#endif							/* HRGUARD_EVIDENCE_H */
