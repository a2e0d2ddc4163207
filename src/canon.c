/*-------------------------------------------------------------------------
 *
 * canon.c
 *	  Canonical JSON bytes for hashing: RFC 8785 (JCS) over a strict subset.
 *
 * Evidence is hashed as bytes, never as a rendering that depends on
 * settings, so every entry stores the exact bytes it hashed.  Those bytes
 * are JCS output for a subset of JSON where JCS is simple and unambiguous:
 *	- object keys are ASCII, unique, and sorted by code unit (byte order);
 *	- numbers are integers with |x| <= 2^53 - 1 (times as microseconds,
 *	  coordinates as degrees x 10^7): no floats.  One rule whatever the
 *	  spelling: a number whose value is whole (100, 1e2, 1.0, 100.00E0,
 *	  -0) is that integer, any other is refused;
 *	- strings are valid UTF-8, escaped as JCS does (\" \\ \b \f \n \r \t,
 *	  other control characters as lowercase \u00xx, everything else
 *	  literal);
 *	- true, false, null, arrays in their order; nesting at most 32 deep.
 * jansson parses the input and finds duplicate keys, bad UTF-8 and
 * overflowing numbers; this file alone decides the bytes, so a jansson
 * upgrade cannot change a hash.
 *
 * IDENTIFICATION
 *	  src/canon.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <jansson.h>

#include "fmgr.h"
#include "lib/stringinfo.h"

#include "canon.h"
#include "common.h"
#include "hrguard.h"
#include "privilege.h"

#define CANON_MAX_DEPTH 32
#define CANON_MAX_SAFE_INTEGER INT64CONST(9007199254740991)	/* 2^53 - 1 */

/* jansson allocates through palloc, so an error frees everything */
static void *
canon_malloc(size_t size)
{
	return palloc(size);
}

static void
canon_free(void *ptr)
{
	if (ptr != NULL)
		pfree(ptr);
}

/* Called once from _PG_init. */
void
hrguard_canon_init(void)
{
	json_set_alloc_funcs(canon_malloc, canon_free);
}

/*
 * A new, empty jansson object.  Not json_object(): the postgres executable
 * exports a SQL function of that name, which the dynamic linker binds
 * instead of jansson's; jansson's parser makes objects through its own
 * internal call.
 */
json_t *
hrguard_json_new_object(void)
{
	json_t	   *object = json_loads("{}", 0, NULL);

	if (object == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_OUT_OF_MEMORY),
				 errmsg("out of memory building a JSON object")));
	return object;
}

/* a string, escaped as RFC 8785 does; runs that need no escape are copied whole */
void
hrguard_canon_append_string(StringInfo out, const char *s, size_t len)
{
	size_t		i,
				run = 0;

	appendStringInfoChar(out, '"');
	for (i = 0; i < len; i++)
	{
		unsigned char c = (unsigned char) s[i];
		const char *escape;

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		appendBinaryStringInfo(out, s + run, i - run);
		run = i + 1;
		switch (c)
		{
			case '"':
				escape = "\\\"";
				break;
			case '\\':
				escape = "\\\\";
				break;
			case '\b':
				escape = "\\b";
				break;
			case '\f':
				escape = "\\f";
				break;
			case '\n':
				escape = "\\n";
				break;
			case '\r':
				escape = "\\r";
				break;
			case '\t':
				escape = "\\t";
				break;
			default:
				appendStringInfo(out, "\\u%04x", c);
				continue;
		}
		appendStringInfoString(out, escape);
	}
	appendBinaryStringInfo(out, s + run, i - run);
	appendStringInfoChar(out, '"');
}

static int
compare_keys(const void *a, const void *b)
{
	return strcmp(*(const char *const *) a, *(const char *const *) b);
}

/*
 * Where a value sits, for error messages only: a chain of steps from the
 * root, formatted when (and only when) something is wrong.
 */
typedef struct CanonPath
{
	const struct CanonPath *parent;
	const char *key;			/* object member, or NULL */
	size_t		index;			/* array element, when key is NULL */
} CanonPath;

static char *
path_text(const CanonPath *path)
{
	StringInfoData buf;
	const CanonPath *steps[CANON_MAX_DEPTH + 2];
	int			n = 0;

	for (; path != NULL && n < (int) lengthof(steps); path = path->parent)
		steps[n++] = path;
	initStringInfo(&buf);
	appendStringInfoChar(&buf, '$');
	while (n-- > 0)
	{
		if (steps[n]->parent == NULL)
			continue;			/* the root */
		if (steps[n]->key)
			appendStringInfo(&buf, ".%s", steps[n]->key);
		else
			appendStringInfo(&buf, "[%zu]", steps[n]->index);
	}
	return buf.data;
}

static void append_value(StringInfo out, json_t *value, const CanonPath *path, int depth);

static void
append_object(StringInfo out, json_t *object, const CanonPath *path, int depth)
{
	size_t		n = json_object_size(object);
	const char **keys = palloc(sizeof(char *) * Max(n, 1));
	const char *key;
	json_t	   *member;
	size_t		i = 0;

	json_object_foreach(object, key, member)
	{
		const unsigned char *k;

		for (k = (const unsigned char *) key; *k; k++)
			if (*k > 0x7f)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("canonical JSON keys must be ASCII"),
						 errdetail("Key \"%s\" in %s is not.", key, path_text(path))));
		keys[i++] = key;
	}
	qsort(keys, n, sizeof(char *), compare_keys);

	appendStringInfoChar(out, '{');
	for (i = 0; i < n; i++)
	{
		CanonPath	step = {path, keys[i], 0};

		if (i > 0)
			appendStringInfoChar(out, ',');
		hrguard_canon_append_string(out, keys[i], strlen(keys[i]));
		appendStringInfoChar(out, ':');
		append_value(out, json_object_get(object, keys[i]), &step, depth + 1);
	}
	appendStringInfoChar(out, '}');
	pfree(keys);
}

static void
append_value(StringInfo out, json_t *value, const CanonPath *path, int depth)
{
	size_t		i;

	if (depth > CANON_MAX_DEPTH)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("canonical JSON is nested more than %d levels deep", CANON_MAX_DEPTH)));

	switch (json_typeof(value))
	{
		case JSON_OBJECT:
			append_object(out, value, path, depth);
			break;
		case JSON_ARRAY:
			appendStringInfoChar(out, '[');
			for (i = 0; i < json_array_size(value); i++)
			{
				CanonPath	step = {path, NULL, i};

				if (i > 0)
					appendStringInfoChar(out, ',');
				append_value(out, json_array_get(value, i), &step, depth + 1);
			}
			appendStringInfoChar(out, ']');
			break;
		case JSON_STRING:
			hrguard_canon_append_string(out, json_string_value(value), json_string_length(value));
			break;
		case JSON_INTEGER:
			{
				json_int_t	v = json_integer_value(value);

				if (v > CANON_MAX_SAFE_INTEGER || v < -CANON_MAX_SAFE_INTEGER)
					ereport(ERROR,
							(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
							 errmsg("integer %lld at %s is outside the canonical range",
									(long long) v, path_text(path)),
							 errdetail("Canonical JSON integers are at most 2^53 - 1 in absolute value.")));
				appendStringInfo(out, "%lld", (long long) v);
			}
			break;
		case JSON_REAL:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("number at %s is not an integer", path_text(path)),
					 errdetail("It reads as %.17g; canonical JSON numbers are whole numbers, however written (100, 1e2 and 100.0 are all 100).",
							   json_real_value(value)),
					 errhint("Store times as microseconds since the epoch and coordinates as degrees times 10^7.")));
			break;
		case JSON_TRUE:
			appendStringInfoString(out, "true");
			break;
		case JSON_FALSE:
			appendStringInfoString(out, "false");
			break;
		case JSON_NULL:
			appendStringInfoString(out, "null");
			break;
	}
}

/*
 * Does text[0..len) follow JSON's number grammar,
 * -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?  ?  Its parts are returned:
 * the integer and fraction digits, and the exponent's text.
 */
static bool
json_number_parts(const char *t, size_t len, bool *negative, const char **int_digits,
				  size_t *int_len, const char **frac_digits, size_t *frac_len,
				  const char **exp_text, size_t *exp_len)
{
	size_t		i = 0;

	*negative = (i < len && t[i] == '-');
	if (*negative)
		i++;
	*int_digits = t + i;
	if (i < len && t[i] == '0')
		i++;
	else
		while (i < len && t[i] >= '0' && t[i] <= '9')
			i++;
	*int_len = (t + i) - *int_digits;
	if (*int_len == 0)
		return false;
	*frac_digits = t + i;
	*frac_len = 0;
	if (i < len && t[i] == '.')
	{
		*frac_digits = t + ++i;
		while (i < len && t[i] >= '0' && t[i] <= '9')
			i++;
		*frac_len = (t + i) - *frac_digits;
		if (*frac_len == 0)
			return false;
	}
	*exp_text = t + i;
	*exp_len = 0;
	if (i < len && (t[i] == 'e' || t[i] == 'E'))
	{
		size_t		digits;

		*exp_text = t + ++i;
		if (i < len && (t[i] == '+' || t[i] == '-'))
			i++;
		digits = i;
		while (i < len && t[i] >= '0' && t[i] <= '9')
			i++;
		if (i == digits)
			return false;
		*exp_len = (t + i) - *exp_text;
	}
	return i == len;
}

/*
 * A JSON number written with a fraction or an exponent, as an integer if
 * its value is whole: appended to "out", true.  False (nothing appended)
 * for any other value, or text that is not a JSON number: jansson then
 * reads it as written and the caller's checks refuse it.  A whole value
 * too large for any integer is appended with enough digits to overflow.
 */
static bool
append_whole_number(StringInfo out, const char *t, size_t len)
{
	bool		negative;
	const char *int_digits,
			   *frac_digits,
			   *exp_text;
	size_t		int_len,
				frac_len,
				exp_len,
				i;
	long		exponent = 0;
	StringInfoData digits;
	int			start;
	long		zeros;

	if (!json_number_parts(t, len, &negative, &int_digits, &int_len, &frac_digits, &frac_len,
						   &exp_text, &exp_len))
		return false;
	for (i = (exp_len > 0 && (exp_text[0] == '+' || exp_text[0] == '-')) ? 1 : 0; i < exp_len; i++)
		if (exponent < 100000000)	/* beyond any digit count of 1 MiB */
			exponent = exponent * 10 + (exp_text[i] - '0');
	if (exp_len > 0 && exp_text[0] == '-')
		exponent = -exponent;

	/* every digit, then the value is digits x 10^(exponent - frac_len) */
	initStringInfo(&digits);
	appendBinaryStringInfo(&digits, int_digits, int_len);
	appendBinaryStringInfo(&digits, frac_digits, frac_len);
	exponent -= (long) frac_len;
	for (start = 0; start < digits.len - 1 && digits.data[start] == '0'; start++)
		;
	if (digits.len - start == 1 && digits.data[start] == '0')
	{
		appendStringInfoChar(out, '0'); /* -0, 0.0, 0e5 */
		return true;
	}
	if (exponent < 0)
	{
		/* whole only if the digits it drops are zeros */
		for (i = 0; i < (size_t) -exponent; i++)
			if (i >= (size_t) (digits.len - start) ||
				digits.data[digits.len - 1 - i] != '0')
				return false;
		digits.len -= (int) -exponent;
		exponent = 0;
	}
	if (negative)
		appendStringInfoChar(out, '-');
	appendBinaryStringInfo(out, digits.data + start, digits.len - start);
	/* past 20 digits any value overflows an integer: no need for more */
	for (zeros = 0; zeros < exponent && zeros < 21; zeros++)
		appendStringInfoChar(out, '0');
	pfree(digits.data);
	return true;
}

/*
 * The JSON text with every number that has a fraction or an exponent but a
 * whole value written as that integer, so that jansson reads it as one.
 * Strings are copied untouched; anything that is not JSON is left for
 * jansson to report.
 */
static void
whole_numbers_as_integers(const char *text, size_t len, StringInfo out)
{
	size_t		i = 0;

	while (i < len)
	{
		char		c = text[i];

		if (c == '"')
		{
			size_t		end = i + 1;

			while (end < len && text[end] != '"')
				end += (text[end] == '\\') ? 2 : 1;
			end = Min(end + 1, len);
			appendBinaryStringInfo(out, text + i, end - i);
			i = end;
		}
		else if (c == '-' || (c >= '0' && c <= '9'))
		{
			size_t		end = i + 1;
			bool		plain = true;

			while (end < len && text[end] != '\0' && strchr("0123456789+-.eE", text[end]) != NULL)
			{
				if (text[end] == '.' || text[end] == 'e' || text[end] == 'E')
					plain = false;
				end++;
			}
			if (plain || !append_whole_number(out, text + i, end - i))
				appendBinaryStringInfo(out, text + i, end - i);
			i = end;
		}
		else
			appendStringInfoChar(out, text[i++]);
	}
}

/*
 * Parse JSON text and append its canonical bytes to "out".  Any input
 * outside the subset is an error naming what and where.
 */
void
hrguard_canonicalize(const char *text, size_t len, StringInfo out)
{
	json_error_t error;
	json_t	   *root;
	StringInfoData normal;

	/* JSON text has no NUL byte (RFC 8259); a reader would stop there */
	if (memchr(text, '\0', len) != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("canonical JSON cannot contain a NUL byte"),
				 errdetail("A NUL byte at byte %d.", (int) ((const char *) memchr(text, '\0', len) - text))));
	initStringInfo(&normal);
	whole_numbers_as_integers(text, len, &normal);
	root = json_loadb(normal.data, normal.len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &error);
	if (root == NULL)
	{
		switch (json_error_code(&error))
		{
			case json_error_duplicate_key:
				ereport(ERROR,
						(errcode(ERRCODE_DUPLICATE_JSON_OBJECT_KEY_VALUE),
						 errmsg("canonical JSON cannot have duplicate keys"),
						 errdetail("%s.", error.text)));
				break;
			case json_error_invalid_utf8:
				ereport(ERROR,
						(errcode(ERRCODE_CHARACTER_NOT_IN_REPERTOIRE),
						 errmsg("canonical JSON must be valid UTF-8"),
						 errdetail("%s at byte %d.", error.text, error.position)));
				break;
			case json_error_stack_overflow:
				ereport(ERROR,
						(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
						 errmsg("canonical JSON is nested too deep"),
						 errdetail("Nesting is limited to %d levels.", CANON_MAX_DEPTH)));
				break;
			case json_error_numeric_overflow:
				ereport(ERROR,
						(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
						 errmsg("a number in the JSON is out of range"),
						 errdetail("%s.", error.text)));
				break;
			default:
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
						 errmsg("invalid JSON"),
						 errdetail("%s at line %d, column %d.", error.text, error.line,
								   error.column)));
		}
	}
	{
		CanonPath	root_path = {NULL, NULL, 0};

		append_value(out, root, &root_path, 0);
	}
	json_decref(root);
	pfree(normal.data);
}

/* hrguard.canonical_json(json text) -> the canonical bytes */
PG_FUNCTION_INFO_V1(hrguard_canonical_json);
Datum
hrguard_canonical_json(PG_FUNCTION_ARGS)
{
	text	   *input = PG_GETARG_TEXT_PP(0);
	StringInfoData out;

	hrguard_check_input_size("JSON text", VARSIZE_ANY_EXHDR(input),
							 HRGUARD_MAX_CANON_BYTES, "bytes");
	initStringInfo(&out);
	hrguard_canonicalize(VARDATA_ANY(input), VARSIZE_ANY_EXHDR(input), &out);
	PG_RETURN_BYTEA_P(hrguard_bytea_from(out.data, out.len));
}
