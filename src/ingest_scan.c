/*-------------------------------------------------------------------------
 *
 * ingest_scan.c
 *	  Reading a vendor payload without holding all of it as a tree: the
 *	  top-level members are located in one pass over the text, and the
 *	  records of the records array are handed out one at a time, each
 *	  parsed by jansson as it is found (jansson's parse finds where the
 *	  record ends).  A 100 MB payload thus needs the text and one record's
 *	  tree, not several copies of itself.
 *
 * The pass over the text checks the structure (strings, brackets, commas,
 * colons, what follows the payload); jansson checks each record and each
 * member read in full.  Every record is read before the first is stored,
 * and an error takes back the caller's statement, so a payload that is not
 * JSON stores nothing.
 *
 * IDENTIFICATION
 *	  src/ingest_scan.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <jansson.h>

#include "ingest_scan.h"
#include "privilege.h"

/* deepest nesting a payload may have */
#define INGEST_MAX_DEPTH 64

typedef struct Scanner
{
	const char *function;
	const char *base;
	const char *end;
} Scanner;

static void
not_json(const Scanner *s, const char *at, const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("%s: the payload is not JSON: %s at byte %lld",
					s->function, what, (long long) (at - s->base)),
			 errdetail("Nothing from this payload was stored.")));
}

static const char *
skip_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

/* past the string that starts at p (on its quote) */
static const char *
scan_string(const Scanner *s, const char *p)
{
	const char *start = p;

	for (p++; p < s->end; p++)
	{
		unsigned char c = (unsigned char) *p;

		if (c == '"')
			return p + 1;
		if (c == '\\')
		{
			p++;
			if (p >= s->end)
				break;
		}
		else if (c < 0x20)
			not_json(s, p, "a control character in a string");
	}
	not_json(s, start, "a string that does not end");
	return NULL;				/* not reached */
}

/* past the true, false or null at p, or NULL when none is there */
static const char *
literal_end(const Scanner *s, const char *p)
{
	static const char *const words[] = {"true", "false", "null"};
	int			i;

	for (i = 0; i < (int) lengthof(words); i++)
	{
		size_t		n = strlen(words[i]);

		if ((size_t) (s->end - p) >= n && memcmp(p, words[i], n) == 0)
			return p + n;
	}
	return NULL;
}

/* past the number, true, false or null that starts at p */
static const char *
scan_scalar(const Scanner *s, const char *p)
{
	const char *start = p;
	const char *after = literal_end(s, p);

	if (after != NULL)
		return after;
	if (*p == '-' || (*p >= '0' && *p <= '9'))
	{
		p++;
		while (p < s->end && ((*p >= '0' && *p <= '9') || *p == '.' || *p == 'e' ||
							  *p == 'E' || *p == '+' || *p == '-'))
			p++;
		return p;
	}
	not_json(s, start, "an unexpected character");
	return NULL;				/* not reached */
}

/*
 * Past the value that starts at p.  Containers are followed by their
 * brackets and strings only; their content is checked by jansson when it
 * is read.
 */
static const char *
scan_value(const Scanner *s, const char *p)
{
	char		open[INGEST_MAX_DEPTH];
	int			depth = 0;

	p = skip_ws(p, s->end);
	if (p >= s->end)
		not_json(s, p, "a value is missing");
	if (*p == '"')
		return scan_string(s, p);
	if (*p != '{' && *p != '[')
		return scan_scalar(s, p);
	while (p < s->end)
	{
		char		c = *p;

		if (c == '"')
		{
			p = scan_string(s, p);
			continue;
		}
		if (c == '{' || c == '[')
		{
			if (depth == INGEST_MAX_DEPTH)
				ereport(ERROR,
						(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
						 errmsg("%s: the payload nests deeper than %d levels",
								s->function, INGEST_MAX_DEPTH),
						 errdetail("Nothing from this payload was stored.")));
			open[depth++] = c;
		}
		else if (c == '}' || c == ']')
		{
			if (depth == 0 || open[depth - 1] != (c == '}' ? '{' : '['))
				not_json(s, p, "a bracket that does not match");
			if (--depth == 0)
				return p + 1;
		}
		p++;
	}
	not_json(s, p, "an object or array that does not end");
	return NULL;				/* not reached */
}

/* past the string that starts at p (on its quote), its escapes checked */
static const char *
check_string(const Scanner *s, const char *p)
{
	const char *start = p;

	for (p++; p < s->end; p++)
	{
		unsigned char c = (unsigned char) *p;

		if (c == '"')
			return p + 1;
		if (c < 0x20)
			not_json(s, p, "a control character in a string");
		if (c != '\\')
			continue;
		if (++p >= s->end)
			break;
		if (*p == 'u')
		{
			int			i;

			for (i = 1; i <= 4; i++)
				if (p + i >= s->end || !isxdigit((unsigned char) p[i]))
					not_json(s, p - 1, "an escape \\u without four hexadecimal digits");
			p += 4;
		}
		else if (strchr("\"\\/bfnrt", *p) == NULL || *p == '\0')
			not_json(s, p - 1, "an escape JSON does not have");
	}
	not_json(s, start, "a string that does not end");
	return NULL;				/* not reached */
}

static const char *
skip_digits(const char *p, const char *end)
{
	while (p < end && *p >= '0' && *p <= '9')
		p++;
	return p;
}

/* past the number, true, false or null at p, checked against JSON's grammar */
static const char *
check_scalar(const Scanner *s, const char *p)
{
	const char *start = p;
	const char *after = literal_end(s, p);

	if (after != NULL)
		return after;
	/* -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
	if (p < s->end && *p == '-')
		p++;
	if (p < s->end && *p == '0')
		p++;
	else if (p < s->end && *p >= '1' && *p <= '9')
		p = skip_digits(p, s->end);
	else
		not_json(s, start, "an unexpected character");
	if (p < s->end && *p == '.')
	{
		if (p + 1 >= s->end || p[1] < '0' || p[1] > '9')
			not_json(s, start, "a number JSON does not write");
		p = skip_digits(p + 1, s->end);
	}
	if (p < s->end && (*p == 'e' || *p == 'E'))
	{
		p++;
		if (p < s->end && (*p == '+' || *p == '-'))
			p++;
		if (p >= s->end || *p < '0' || *p > '9')
			not_json(s, start, "a number JSON does not write");
		p = skip_digits(p, s->end);
	}
	return p;
}

/* past an object's key at p and the colon after it */
static const char *
check_key(const Scanner *s, const char *p)
{
	if (p >= s->end || *p != '"')
		not_json(s, p, "an object key is missing");
	p = skip_ws(check_string(s, p), s->end);
	if (p >= s->end || *p != ':')
		not_json(s, p, "a colon is missing after an object key");
	return p + 1;
}

/*
 * Past the value that starts at p, checked against JSON's grammar (RFC
 * 8259) without building it: for the members hrguard does not read
 * record by record, which jansson does not check.
 */
static const char *
check_value(const Scanner *s, const char *p)
{
	char		open[INGEST_MAX_DEPTH];
	int			depth = 0;

	for (;;)
	{
		/* a value */
		p = skip_ws(p, s->end);
		if (p >= s->end)
			not_json(s, p, "a value is missing");
		if (*p == '{' || *p == '[')
		{
			char		close = *p == '{' ? '}' : ']';

			if (depth == INGEST_MAX_DEPTH)
				ereport(ERROR,
						(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
						 errmsg("%s: the payload nests deeper than %d levels",
								s->function, INGEST_MAX_DEPTH),
						 errdetail("Nothing from this payload was stored.")));
			open[depth++] = *p;
			p = skip_ws(p + 1, s->end);
			if (p < s->end && *p == close)
			{
				depth--;
				p++;
			}
			else
			{
				if (open[depth - 1] == '{')
					p = check_key(s, p);
				continue;
			}
		}
		else if (*p == '"')
			p = check_string(s, p);
		else
			p = check_scalar(s, p);

		/* after a value: the next one of its container, or the container's end */
		for (;;)
		{
			char		close;

			if (depth == 0)
				return p;
			close = open[depth - 1] == '{' ? '}' : ']';
			p = skip_ws(p, s->end);
			if (p >= s->end)
				not_json(s, p, "an object or array that does not end");
			if (*p == ',')
			{
				p = skip_ws(p + 1, s->end);
				if (open[depth - 1] == '{')
					p = check_key(s, p);
				break;
			}
			if (*p != close)
				not_json(s, p, close == '}' ? "a comma or closing brace is missing" :
						 "a comma or closing bracket is missing");
			depth--;
			p++;
		}
	}
}

/* Check a value of the payload against JSON's grammar (a member not read otherwise). */
void
hrguard_ingest_check_value(const char *function, const char *payload, IngestSpan value)
{
	Scanner		s = {function, payload, value.start + value.len};

	(void) check_value(&s, value.start);
}

/* the key starting at p, decoded (escapes included) */
static char *
scan_key(const Scanner *s, const char *p, const char **after)
{
	const char *q;
	json_t	   *key;
	json_error_t error;
	char	   *out;

	if (p >= s->end || *p != '"')
		not_json(s, p, "an object key is missing");
	q = scan_string(s, p);
	*after = q;
	if (memchr(p, '\\', q - p) == NULL)
		return pnstrdup(p + 1, q - p - 2);
	key = json_loadb(p, q - p, JSON_DECODE_ANY, &error);
	if (key == NULL && json_error_code(&error) == json_error_null_character)
		not_json(s, p, "an object key holds a NUL character (\\u0000)");
	if (key == NULL)
		not_json(s, p, hrguard_echo(error.text));
	out = pstrdup(json_string_value(key));
	json_decref(key);
	return out;
}

/*
 * The text of a top-level member of a record jansson has read (so valid
 * JSON, no key twice), or false when it has none.
 */
bool
hrguard_ingest_record_member(IngestSpan record, const char *key, IngestSpan *value)
{
	Scanner		s = {"hrguard", record.start, record.start + record.len};
	const char *p = skip_ws(record.start, s.end);

	if (p >= s.end || *p != '{')
		return false;
	p = skip_ws(p + 1, s.end);
	while (p < s.end && *p == '"')
	{
		const char *after;
		char	   *name = scan_key(&s, p, &after);
		const char *v = skip_ws(skip_ws(after, s.end) + 1, s.end);	/* past the colon */
		bool		match = strcmp(name, key) == 0;

		pfree(name);
		p = scan_value(&s, v);
		if (match)
		{
			value->start = v;
			value->len = p - v;
			return true;
		}
		p = skip_ws(p, s.end);
		if (p < s.end && *p == ',')
			p = skip_ws(p + 1, s.end);
	}
	return false;
}

/* the payload's closing brace at p: only white space may follow it */
static void
members_end(const Scanner *s, const char *p)
{
	const char *after = skip_ws(p + 1, s->end);

	if (after != s->end)
		not_json(s, after, "text after the payload");
}

/*
 * Locate the payload's top-level members named in members[].  The payload
 * must be one JSON object; a member named twice is an error.
 */
void
hrguard_ingest_members(const char *function, const char *payload, size_t len,
					   IngestMember *members, int nmembers)
{
	Scanner		s = {function, payload, payload + len};
	const char *p = skip_ws(payload, s.end);
	int			i;

	for (i = 0; i < nmembers; i++)
		members[i].found = false;
	if (p >= s.end)
		not_json(&s, p, "the payload is empty");
	if (*p != '{')
	{
		/* JSON of another kind, or not JSON at all */
		p = skip_ws(check_value(&s, p), s.end);
		if (p != s.end)
			not_json(&s, p, "text after the payload");
		ereport(ERROR,
				(errcode(ERRCODE_SQL_JSON_OBJECT_NOT_FOUND),
				 errmsg("%s: the payload is not a JSON object", function),
				 errdetail("Nothing from this payload was stored.")));
	}
	/*
	 * Each member's value is followed to its end as the members are read;
	 * nothing is stored before the whole payload has been read, so a payload
	 * that breaks off stores nothing.
	 */
	p = skip_ws(p + 1, s.end);
	if (p < s.end && *p == '}')
	{
		members_end(&s, p);
		return;
	}
	for (;;)
	{
		const char *after;
		char	   *key = scan_key(&s, p, &after);
		const char *value;

		p = skip_ws(after, s.end);
		if (p >= s.end || *p != ':')
			not_json(&s, p, "a colon is missing after an object key");
		value = skip_ws(p + 1, s.end);
		for (i = 0; i < nmembers; i++)
			if (strcmp(members[i].name, key) == 0)
				break;
		/* a records array is only followed here: its records are checked as they are read */
		p = i < nmembers && members[i].streamed ? scan_value(&s, value) : check_value(&s, value);
		if (i < nmembers)
		{
			if (members[i].found)
				ereport(ERROR,
						(errcode(ERRCODE_DUPLICATE_JSON_OBJECT_KEY_VALUE),
						 errmsg("%s: the payload has the member \"%s\" twice",
								function, key),
						 errdetail("Nothing from this payload was stored.")));
			members[i].found = true;
			members[i].value.start = value;
			members[i].value.len = p - value;
		}
		pfree(key);
		p = skip_ws(p, s.end);
		if (p < s.end && *p == ',')
		{
			p = skip_ws(p + 1, s.end);
			continue;
		}
		if (p < s.end && *p == '}')
		{
			members_end(&s, p);
			return;
		}
		not_json(&s, p, "a comma or closing brace is missing");
	}
}

/* Start handing out the elements of the member's value, which must be an array. */
void
hrguard_ingest_array_open(IngestArray *it, const char *function, const char *payload,
						  const char *member, IngestSpan array)
{
	if (array.len == 0 || array.start[0] != '[')
		ereport(ERROR,
				(errcode(ERRCODE_SQL_JSON_ARRAY_NOT_FOUND),
				 errmsg("%s: the payload's \"%s\" is not an array", function, member),
				 errdetail("Nothing from this payload was stored.")));
	it->function = function;
	it->base = payload;
	it->pos = array.start + 1;
	it->end = array.start + array.len - 1;	/* the closing bracket */
	it->index = 0;
}

/*
 * The next element, or false after the last.
 *
 * An element that is an object is parsed by jansson as it is found (*tree,
 * in the current memory context), which finds its end in the same pass:
 * the payload is not read twice.  An element jansson does not take, or
 * that is not an object, is only delimited (*tree is NULL) and left to
 * hrguard_ingest_parse_record, which says why.
 */
bool
hrguard_ingest_array_next(IngestArray *it, IngestSpan *element, struct json_t **tree)
{
	Scanner		s = {it->function, it->base, it->end};
	const char *p = skip_ws(it->pos, it->end);
	const char *after = NULL;

	*tree = NULL;
	if (p >= it->end)
		return false;
	if (*p == '{')
	{
		json_error_t error;
		json_t	   *object = json_loadb(p, it->end - p,
										INGEST_RECORD_JSON_FLAGS | JSON_DISABLE_EOF_CHECK,
										&error);

		/* jansson stops right after the object's closing brace */
		if (object != NULL && error.position > 0 && error.position <= it->end - p &&
			p[error.position - 1] == '}')
		{
			after = p + error.position;
			*tree = object;
		}
		else if (object != NULL)
			json_decref(object);
	}
	if (after == NULL)
		after = scan_value(&s, p);
	element->start = p;
	element->len = after - p;
	after = skip_ws(after, it->end);
	if (after < it->end)
	{
		if (*after != ',')
			not_json(&s, after, "a comma is missing between array elements");
		after++;
		if (skip_ws(after, it->end) >= it->end)
			not_json(&s, after, "a value is missing after a comma");
	}
	it->pos = after;
	it->index++;
	return true;
}

/* Where the next element starts (the array's end when there is none). */
const char *
hrguard_ingest_array_position(const IngestArray *it)
{
	return skip_ws(it->pos, it->end);
}

/*
 * A likely start of an element at or past from: an object right after the
 * end of another ("}", a comma, "{", blanks aside).  Only likely: those
 * bytes may lie inside a string.  Whoever relies on it must check that
 * reading the elements one by one arrives there (at the position above).
 * NULL when there is none.
 */
const char *
hrguard_ingest_array_guess(const IngestArray *it, const char *from)
{
	const char *p = from;

	while (p < it->end && (p = memchr(p, '}', it->end - p)) != NULL)
	{
		const char *q = skip_ws(p + 1, it->end);

		if (q < it->end && *q == ',')
		{
			q = skip_ws(q + 1, it->end);
			if (q < it->end && *q == '{')
				return q;
		}
		p++;
	}
	return NULL;
}

/* A member's value parsed whole (small members: errcode, EventType). */
json_t *
hrguard_ingest_parse_value(const char *function, const char *member, IngestSpan value)
{
	json_error_t error;
	json_t	   *v = json_loadb(value.start, value.len,
							   JSON_DECODE_ANY | JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &error);

	if (v == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("%s: the payload's \"%s\" is not JSON: %s", function, member,
						hrguard_echo(error.text)),
				 errdetail("Nothing from this payload was stored.")));
	return v;
}

/*
 * A vendor response carries errcode (0 for success) and errmsg: anything
 * else than 0 is the vendor's refusal, not data.
 */
void
hrguard_ingest_check_errcode(const char *function, const char *vendor,
							 IngestMember *code_member, IngestMember *message_member)
{
	json_t	   *code;
	const char *message = NULL;

	if (!code_member->found)
		return;
	code = hrguard_ingest_parse_value(function, "errcode", code_member->value);
	if (!json_is_integer(code))
		ereport(ERROR,
				(errcode(ERRCODE_NON_NUMERIC_SQL_JSON_ITEM),
				 errmsg("%s: the payload's errcode is not an integer", function),
				 errdetail("Nothing from this payload was stored.")));
	if (json_integer_value(code) == 0)
		return;
	if (message_member->found)
	{
		IngestSpan	value = message_member->value;
		json_error_t error;
		json_t	   *decoded = json_loadb(value.start, value.len,
										 JSON_DECODE_ANY | JSON_ALLOW_NUL, &error);

		/* the vendor's words as written when jansson does not decode them */
		if (decoded != NULL && json_is_string(decoded))
			message = pstrdup(json_string_value(decoded));
		else
			message = pnstrdup(value.start, value.len);
		if (decoded != NULL)
			json_decref(decoded);
	}
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s: %s answered with errcode %lld, not attendance records",
					function, vendor, (long long) json_integer_value(code)),
			 message ?
			 errdetail("errmsg: \"%s\". Nothing from this payload was stored.",
					   hrguard_echo(message)) :
			 errdetail("Nothing from this payload was stored.")));
}
