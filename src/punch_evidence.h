/*-------------------------------------------------------------------------
 *
 * punch_evidence.h
 *	  A punch's evidence payload (punch_evidence.c).
 *
 * IDENTIFICATION
 *	  src/punch_evidence.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef HRGUARD_PUNCH_EVIDENCE_H
#define HRGUARD_PUNCH_EVIDENCE_H

#include "postgres.h"

#include "access/htup.h"
#include "access/tupdesc.h"
#include "lib/stringinfo.h"

extern void hrguard_punch_payload(StringInfo out, HeapTuple tuple, TupleDesc desc,
								  const int *attnum);

#endif							/* HRGUARD_PUNCH_EVIDENCE_H */
