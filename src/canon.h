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

struct json_t;

extern void hrguard_canon_init(void);
extern struct json_t *hrguard_json_new_object(void);
extern void hrguard_canonicalize(const char *text, size_t len, StringInfo out);
extern void hrguard_canon_append_string(StringInfo out, const char *s, size_t len);

/* canon_writer.c: canonical bytes written directly, keys in byte order */
#endif							/* HRGUARD_CANON_H */
