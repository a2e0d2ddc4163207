/*-------------------------------------------------------------------------
 *
 * canon_writer.c
 *	  Writing canonical JSON bytes directly, for the documents hrguard
 *	  builds itself (the evidence of every punch and alert).
 *
 * canon.c turns any JSON text into its canonical bytes by parsing it; for
 * documents whose shape the code knows, writing the bytes directly gives
 * the same result without the text and the parse.  The writer holds the
 * rules of the subset: keys must come in byte order (a mistake in the
 * calling code, reported as an internal error), integers within 2^53 - 1,
 * strings converted from the database's encoding to UTF-8 and escaped as
 * RFC 8785 does.  A writer made by hrguard_canon_writer_init_jsonb also
 * builds the document as jsonb, value by value, for a caller that stores
 * what it hashes: the same as jsonb_in() would make of the bytes, without
 * parsing them.
 *
 * IDENTIFICATION
 *	  src/canon_writer.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "mb/pg_wchar.h"
#include "utils/numeric.h"

#include "canon.h"
#include "canon_writer.h"

#define CANON_MAX_SAFE_INTEGER INT64CONST(9007199254740991)	/* 2^53 - 1 */

void
hrguard_canon_writer_init(CanonWriter *w, StringInfo out)
{
	memset(w, 0, sizeof(*w));
	w->out = out;
}

void
hrguard_canon_writer_init_jsonb(CanonWriter *w, StringInfo out)
{
	hrguard_canon_writer_init(w, out);
	w->build_jsonb = true;
}

/* the jsonb of the document written, once complete */
Jsonb *
hrguard_canon_writer_jsonb(CanonWriter *w)
{
	if (!w->build_jsonb || w->jsonb_root == NULL)
		elog(ERROR, "canonical JSON writer has no complete jsonb document");
	return JsonbValueToJsonb(w->jsonb_root);
}

/* a scalar of the jsonb being built: an element in an array, a member's value otherwise */
static void
push_scalar(CanonWriter *w, JsonbValue *v)
{
	if (!w->build_jsonb)
		return;
	if (w->depth == 0)
		elog(ERROR, "canonical JSON writer builds jsonb documents that are objects or arrays");
	(void) pushJsonbValue(&w->jsonb_state, w->in_array[w->depth] ? WJB_ELEM : WJB_VALUE, v);
}

/* before a value: a comma after an earlier member or element */
static void
before_value(CanonWriter *w)
{
	if (w->depth > 0 && !w->after_key)
	{
		if (w->has_member[w->depth])
			appendStringInfoChar(w->out, ',');
		w->has_member[w->depth] = true;
	}
	w->after_key = false;
}

static void
open_level(CanonWriter *w, char bracket)
{
	before_value(w);
	if (w->depth >= CANON_WRITER_MAX_DEPTH)
		elog(ERROR, "canonical JSON writer nested too deep");
	w->depth++;
	w->has_member[w->depth] = false;
	w->last_key[w->depth] = NULL;
	w->in_array[w->depth] = bracket == '[';
	appendStringInfoChar(w->out, bracket);
	if (w->build_jsonb)
		(void) pushJsonbValue(&w->jsonb_state,
							  bracket == '[' ? WJB_BEGIN_ARRAY : WJB_BEGIN_OBJECT, NULL);
}

static void
close_level(CanonWriter *w, char bracket)
{
	if (w->depth == 0 || w->after_key)
		elog(ERROR, "canonical JSON writer closed a level it did not open");
	w->depth--;
	appendStringInfoChar(w->out, bracket);
	if (w->build_jsonb)
	{
		JsonbValue *v = pushJsonbValue(&w->jsonb_state,
									   bracket == ']' ? WJB_END_ARRAY : WJB_END_OBJECT, NULL);

		if (w->depth == 0)
			w->jsonb_root = v;
	}
}

void
hrguard_canon_object_begin(CanonWriter *w)
{
	open_level(w, '{');
}

void
hrguard_canon_object_end(CanonWriter *w)
{
	close_level(w, '}');
}

void
hrguard_canon_array_begin(CanonWriter *w)
{
	open_level(w, '[');
}

void
hrguard_canon_array_end(CanonWriter *w)
{
	close_level(w, ']');
}

/* an ASCII key, after the one before it in byte order */
void
hrguard_canon_key(CanonWriter *w, const char *key)
{
	const char *last = w->last_key[w->depth];

	if (w->after_key || (last != NULL && strcmp(last, key) >= 0))
		elog(ERROR, "canonical JSON key \"%s\" out of order", key);
	if (w->has_member[w->depth])
		appendStringInfoChar(w->out, ',');
	w->has_member[w->depth] = true;
	w->last_key[w->depth] = key;
	hrguard_canon_append_string(w->out, key, strlen(key));
	appendStringInfoChar(w->out, ':');
	w->after_key = true;
	if (w->build_jsonb)
	{
		JsonbValue	v;

		v.type = jbvString;
		v.val.string.val = (char *) key;
		v.val.string.len = strlen(key);
		(void) pushJsonbValue(&w->jsonb_state, WJB_KEY, &v);
	}
}

void
hrguard_canon_int(CanonWriter *w, int64 value)
{
	if (value > CANON_MAX_SAFE_INTEGER || value < -CANON_MAX_SAFE_INTEGER)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("integer " INT64_FORMAT " is outside the canonical range", value),
				 errdetail("Canonical JSON integers are at most 2^53 - 1 in absolute value.")));
	before_value(w);
	appendStringInfo(w->out, INT64_FORMAT, value);
	if (w->build_jsonb)
	{
		JsonbValue	v;

		v.type = jbvNumeric;
		v.val.numeric = int64_to_numeric(value);
		push_scalar(w, &v);
	}
}

/* a string in the database's encoding, written as UTF-8 */
void
hrguard_canon_string(CanonWriter *w, const char *s, size_t len)
{
	const char *utf8 = pg_server_to_any(s, (int) len, PG_UTF8);
	size_t		utf8_len = utf8 == s ? len : strlen(utf8);

	if (!pg_verify_mbstr(PG_UTF8, utf8, (int) utf8_len, true))
		ereport(ERROR,
				(errcode(ERRCODE_CHARACTER_NOT_IN_REPERTOIRE),
				 errmsg("canonical JSON must be valid UTF-8")));
	before_value(w);
	hrguard_canon_append_string(w->out, utf8, utf8_len);
	if (w->build_jsonb)
	{
		JsonbValue	v;

		/* jsonb holds text in the database's encoding; a copy, kept until the jsonb is made */
		v.type = jbvString;
		v.val.string.val = pnstrdup(s, len);
		v.val.string.len = (int) len;
		push_scalar(w, &v);
	}
}

void
hrguard_canon_cstring(CanonWriter *w, const char *s)
{
	hrguard_canon_string(w, s, strlen(s));
}

void
hrguard_canon_bool(CanonWriter *w, bool value)
{
	before_value(w);
	appendStringInfoString(w->out, value ? "true" : "false");
	if (w->build_jsonb)
	{
		JsonbValue	v;

		v.type = jbvBool;
		v.val.boolean = value;
		push_scalar(w, &v);
	}
}

void
hrguard_canon_null(CanonWriter *w)
{
	before_value(w);
	appendStringInfoString(w->out, "null");
	if (w->build_jsonb)
	{
		JsonbValue	v;

		v.type = jbvNull;
		push_scalar(w, &v);
	}
}

/* a value that is already canonical bytes */
void
hrguard_canon_raw(CanonWriter *w, const char *canonical, size_t len)
{
	if (w->build_jsonb)
		elog(ERROR, "canonical JSON writer cannot build jsonb of raw bytes");
	before_value(w);
	appendBinaryStringInfo(w->out, canonical, len);
}
