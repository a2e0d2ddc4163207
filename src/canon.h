/*-------------------------------------------------------------------------
 *
 * canon.h
 *	  Canonical JSON bytes for hashing (RFC 8785 over a strict subset).
 *
 * IDENTIFICATION
 *	  src/canon.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef HRGUARD_CANON_H
#define HRGUARD_CANON_H

#include "lib/stringinfo.h"

extern void hrguard_canon_init(void);
extern void hrguard_canonicalize(const char *text, size_t len, StringInfo out);

#endif							/* HRGUARD_CANON_H */
