/*-------------------------------------------------------------------------
 *
 * evidence_append.h
 *	  One evidence entry appended at the head of an employee's chain
 *	  (evidence_append.c).
 *
 * IDENTIFICATION
 *	  src/evidence_append.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef HRGUARD_EVIDENCE_APPEND_H
#define HRGUARD_EVIDENCE_APPEND_H

#include "postgres.h"

#include "datatype/timestamp.h"

/* returns the entry's seq; SPI connected, as the evidence owner */
extern int64 hrguard_evidence_append(const char *employee_id, const char *kind,
									 TimestampTz occurred_at, const char *payload_json);

#endif							/* HRGUARD_EVIDENCE_APPEND_H */
