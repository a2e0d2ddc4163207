/*-------------------------------------------------------------------------
 *
 * canon_writer.h
 *	  Canonical JSON written value by value, checked as it goes: keys in
 *	  order, nesting bounded; optionally built as jsonb at the same time
 *	  (canon_writer.c).
 *
 * IDENTIFICATION
 *	  src/canon_writer.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef HRGUARD_CANON_WRITER_H
#define HRGUARD_CANON_WRITER_H

#include "postgres.h"

#include "lib/stringinfo.h"
#include "utils/jsonb.h"

#define CANON_WRITER_MAX_DEPTH 8

typedef struct CanonWriter
{
	StringInfo	out;
	int			depth;
	bool		after_key;		/* a key was written, its value not yet */
	bool		has_member[CANON_WRITER_MAX_DEPTH + 1];
	const char *last_key[CANON_WRITER_MAX_DEPTH + 1];
	/* with hrguard_canon_writer_init_jsonb: the same document as jsonb too */
	bool		build_jsonb;
	bool		in_array[CANON_WRITER_MAX_DEPTH + 1];
	JsonbParseState *jsonb_state;
	JsonbValue *jsonb_root;		/* once the top level is closed */
} CanonWriter;

extern void hrguard_canon_writer_init(CanonWriter *w, StringInfo out);
extern void hrguard_canon_writer_init_jsonb(CanonWriter *w, StringInfo out);
extern Jsonb *hrguard_canon_writer_jsonb(CanonWriter *w);
extern void hrguard_canon_object_begin(CanonWriter *w);
extern void hrguard_canon_object_end(CanonWriter *w);
extern void hrguard_canon_array_begin(CanonWriter *w);
extern void hrguard_canon_array_end(CanonWriter *w);
extern void hrguard_canon_key(CanonWriter *w, const char *key);
extern void hrguard_canon_int(CanonWriter *w, int64 value);
extern void hrguard_canon_string(CanonWriter *w, const char *s, size_t len);
extern void hrguard_canon_cstring(CanonWriter *w, const char *s);
extern void hrguard_canon_bool(CanonWriter *w, bool value);
extern void hrguard_canon_null(CanonWriter *w);
extern void hrguard_canon_raw(CanonWriter *w, const char *canonical, size_t len);

#endif							/* HRGUARD_CANON_WRITER_H */
