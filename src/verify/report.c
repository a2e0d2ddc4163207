/*-------------------------------------------------------------------------
 *
 * report.c
 *	  hrguard-verify's report and verdicts: what it prints, and the exit
 *	  statuses of a failure (1) and of a package it cannot read (2); and
 *	  the package's members, read or refused as unreadable.
 *
 * IDENTIFICATION
 *	  src/verify/report.c
 *
 *-------------------------------------------------------------------------
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hashes.h"
#include "report.h"

bool		quiet = false;
bool		report_to_stderr = false;
const char *checkpoint_from_stdin = NULL;

static FILE *
report_stream(void)
{
	return report_to_stderr ? stderr : stdout;
}

void
report(const char *fmt, ...)
{
	va_list		ap;

	if (quiet)
		return;
	va_start(ap, fmt);
	vfprintf(report_stream(), fmt, ap);
	va_end(ap);
}

/* the package cannot be read at all: exit 2 */
void
unreadable(const char *fmt, ...)
{
	va_list		ap;

	fprintf(stderr, "hrguard-verify: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	exit(2);
}

/* something does not hold: exit 1 */
void
failed(const char *fmt, ...)
{
	va_list		ap;

	fprintf(report_stream(), "FAILED: ");
	va_start(ap, fmt);
	vfprintf(report_stream(), fmt, ap);
	va_end(ap);
	fprintf(report_stream(), "\n");
	exit(1);
}

json_t *
member(json_t *object, const char *key, json_type type, const char *where)
{
	json_t	   *value = json_object_get(object, key);

	if (value == NULL || json_typeof(value) != type)
		unreadable("%s: \"%s\" is missing or of the wrong type", where, key);
	return value;
}

uint64_t
member_seq(json_t *object, const char *key, const char *where)
{
	json_int_t	v = json_integer_value(member(object, key, JSON_INTEGER, where));

	if (v < 0)
		unreadable("%s: \"%s\" is negative", where, key);
	return (uint64_t) v;
}

/* a hash: 64 lower-case hex digits, or the package is unreadable */
void
member_hash(json_t *object, const char *key, const char *where, hash_t out)
{
	if (!hex_decode(json_string_value(member(object, key, JSON_STRING, where)), out))
		unreadable("%s: \"%s\" is not 64 lower-case hex digits", where, key);
}

/* a proof: an array of hashes, each 64 lower-case hex digits */
json_t *
member_proof(json_t *object, const char *key, const char *where)
{
	json_t	   *proof = member(object, key, JSON_ARRAY, where);
	size_t		i;
	hash_t		h;

	for (i = 0; i < json_array_size(proof); i++)
		if (!hex_decode(json_string_value(json_array_get(proof, i)), h))
			unreadable("%s: \"%s\" element %zu is not 64 lower-case hex digits", where, key, i);
	return proof;
}

/* an object member that may be absent or null: NULL then */
json_t *
member_optional(json_t *object, const char *key, json_type type, const char *where)
{
	json_t	   *value = json_object_get(object, key);

	if (value == NULL || json_is_null(value))
		return NULL;
	if (json_typeof(value) != type)
		unreadable("%s: \"%s\" is of the wrong type", where, key);
	return value;
}

/*
 * A UTC time YYYY-MM-DDTHH:MM:SS.ffffffZ, as microseconds since 1970; false
 * unless it has that form and is a time of the calendar (no 13th month, no
 * 30 February, no 24:00, no leap second).
 */
bool
utc_micros(const char *text, int64_t *us)
{
	struct tm	tm = {0};
	int			micros,
				year,
				month,
				day;
	char		tail[4];
	time_t		secs;
	struct tm	back;
	size_t		i;

	if (text == NULL || strlen(text) != 27)
		return false;
	for (i = 0; i < 27; i++)
		if ("dddd-dd-ddTdd:dd:dd.ddddddZ"[i] == 'd' ? !isdigit((unsigned char) text[i])
			: text[i] != "dddd-dd-ddTdd:dd:dd.ddddddZ"[i])
			return false;
	if (sscanf(text, "%4d-%2d-%2dT%2d:%2d:%2d.%6d%1s", &year, &month, &day,
			   &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &micros, tail) != 8)
		return false;
	tm.tm_year = year - 1900;
	tm.tm_mon = month - 1;
	tm.tm_mday = day;
	secs = timegm(&tm);
	if (gmtime_r(&secs, &back) == NULL || back.tm_year != year - 1900 || back.tm_mon != month - 1 ||
		back.tm_mday != day || back.tm_hour != tm.tm_hour || back.tm_min != tm.tm_min ||
		back.tm_sec != tm.tm_sec)
		return false;
	*us = (int64_t) secs * 1000000 + micros;
	return true;
}

/*
 * Whether the UTF-8 at p is U+2028, U+2029 (line and paragraph
 * separators), U+202A..U+202E or U+2066..U+2069 (direction embeddings,
 * overrides and isolates), which could make a report line read otherwise.
 */
static bool
bidi_control(const unsigned char *p)
{
	return p[0] == 0xe2 && p[1] != '\0' &&
		((p[1] == 0x80 && p[2] >= 0xa8 && p[2] <= 0xae) ||
		 (p[1] == 0x81 && p[2] >= 0xa6 && p[2] <= 0xa9));
}

/*
 * A string from the package as it may be printed: control characters
 * (which could move the cursor, hide lines or forge a verdict on a
 * terminal) and backslashes written as \xNN, controls of direction and
 * lines as \u{NNNN}, at most 200 bytes of it.
 * Four buffers in turn, so one report line can show four strings.
 */
const char *
shown(const char *text)
{
	static char buffers[4][200 * 4 + 8];
	static int	turn = 0;
	char	   *out = buffers[turn = (turn + 1) % 4];
	size_t		n = 0,
				i;

	if (text == NULL)
		return "?";
	for (i = 0; text[i] != '\0' && i < 200; i++)
	{
		unsigned char c = (unsigned char) text[i];

		if (c < 0x20 || c == 0x7f || c == '\\')
			n += (size_t) sprintf(out + n, "\\x%02x", c);
		else if (bidi_control((const unsigned char *) text + i))
		{
			/* a control of the text's direction or lines, written as \u{NNNN} */
			unsigned	code = (((unsigned) text[i + 1] & 0x3f) << 6 | ((unsigned) text[i + 2] & 0x3f)) | 0x2000;

			n += (size_t) sprintf(out + n, "\\u{%04x}", code);
			i += 2;
		}
		else
			out[n++] = (char) c;
	}
	if (text[i] != '\0')
		n += (size_t) sprintf(out + n, "...");
	out[n] = '\0';
	return out;
}
