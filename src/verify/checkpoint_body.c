/*-------------------------------------------------------------------------
 *
 * checkpoint_body.c
 *	  A checkpoint body, read strictly by its grammar: the origin line, then
 *	  "size", "root", (version 2) "heads" and "heads_root", "time" and
 *	  "previous", each line ending in LF, in that order and nothing else.
 *	  Counts are decimal without leading zeros, hashes 64 lower-case hex
 *	  digits, the time YYYY-MM-DDTHH:MM:SS.ffffffZ.
 *
 * IDENTIFICATION
 *	  src/verify/checkpoint_body.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "checkpoint_body.h"
#include "report.h"

#define ORIGIN_V1 "hrguard/v1/checkpoint"
#define ORIGIN_V2 "hrguard/v2/checkpoint"

typedef struct Cursor
{
	const char *at;
	const char *end;
} Cursor;

/* the next line if it reads "key value": the value and its length */
static bool
next_line(Cursor *c, const char *key, const char **value, size_t *len)
{
	const char *nl = memchr(c->at, '\n', (size_t) (c->end - c->at));
	size_t		key_len = strlen(key);

	if (nl == NULL || (size_t) (nl - c->at) <= key_len + 1 ||
		strncmp(c->at, key, key_len) != 0 || c->at[key_len] != ' ')
		return false;
	*value = c->at + key_len + 1;
	*len = (size_t) (nl - *value);
	c->at = nl + 1;
	return true;
}

static bool
read_count(const char *v, size_t len, uint64_t *out)
{
	size_t		i;

	if (len == 0 || len > 18 || (v[0] == '0' && len > 1))
		return false;
	*out = 0;
	for (i = 0; i < len; i++)
	{
		if (v[i] < '0' || v[i] > '9')
			return false;
		*out = *out * 10 + (uint64_t) (v[i] - '0');
	}
	return true;
}

static bool
read_hash(const char *v, size_t len, hash_t out, char *hex)
{
	size_t		i;

	if (len != HASH_LEN * 2)
		return false;
	for (i = 0; i < len; i++)
		if (!((v[i] >= '0' && v[i] <= '9') || (v[i] >= 'a' && v[i] <= 'f')))
			return false;
	if (hex != NULL)
	{
		memcpy(hex, v, len);
		hex[len] = '\0';
	}
	return hex_decode_n(v, len, out);
}

/* a UTC time of the calendar, YYYY-MM-DDTHH:MM:SS.ffffffZ */
static bool
read_time(const char *v, size_t len, char *out)
{
	int64_t		us;

	if (len != 27)
		return false;
	memcpy(out, v, len);
	out[len] = '\0';
	return utc_micros(out, &us);
}

const char *
checkpoint_body_read(const char *text, size_t len, CheckpointBody *body)
{
	Cursor		c;
	const char *v;
	size_t		n;
	hash_t		previous;

	memset(body, 0, sizeof(*body));
	if (len > 4096)
		return "it is longer than 4096 bytes, what follows its last line included";
	/*
	 * What follows the last character that is not a blank, CR or LF is not
	 * part of the body: it is read as the text up to there and one LF.
	 */
	while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == '\r' ||
					   text[len - 1] == ' ' || text[len - 1] == '\t'))
		len--;
	if (len == 0 || len > 4096 || memchr(text, '\0', len) != NULL)
		return "it is empty, longer than 4096 bytes or holds a NUL byte";
	if (memchr(text, '\r', len) != NULL)
		return "it holds a CR (its lines end in LF alone)";
	memcpy(body->normal, text, len);
	body->normal[len] = '\n';
	body->normal[len + 1] = '\0';
	body->normal_len = len + 1;
	c.at = body->normal;
	c.end = body->normal + len + 1;
	if ((size_t) (c.end - c.at) > strlen(ORIGIN_V2) &&
		strncmp(c.at, ORIGIN_V2 "\n", strlen(ORIGIN_V2) + 1) == 0)
		body->version = 2;
	else if ((size_t) (c.end - c.at) > strlen(ORIGIN_V1) &&
			 strncmp(c.at, ORIGIN_V1 "\n", strlen(ORIGIN_V1) + 1) == 0)
		body->version = 1;
	else if ((size_t) (c.end - c.at) > 9 && strncmp(c.at, "hrguard/v", 9) == 0)
	{
		static char why[160];

		size_t		first_line = strcspn(c.at, "\n");

		snprintf(why, sizeof(why), "it is of a version this hrguard-verify does not know (it reads 1 and 2): \"%.*s\"",
				 (int) (first_line < 60 ? first_line : 60), c.at);
		return why;
	}
	else
		return "it does not start with \"" ORIGIN_V2 "\" or \"" ORIGIN_V1 "\"";
	c.at = memchr(c.at, '\n', (size_t) (c.end - c.at)) + 1;
	if (!next_line(&c, "size", &v, &n) || !read_count(v, n, &body->size))
		return "the second line is not \"size\" and a count";
	if (!next_line(&c, "root", &v, &n) || !read_hash(v, n, body->root, body->root_hex))
		return "the third line is not \"root\" and 64 lower-case hex digits";
	if (body->version == 2)
	{
		if (!next_line(&c, "heads", &v, &n) || !read_count(v, n, &body->heads))
			return "the fourth line is not \"heads\" and a count";
		if (!next_line(&c, "heads_root", &v, &n) || !read_hash(v, n, body->heads_root, NULL))
			return "the fifth line is not \"heads_root\" and 64 lower-case hex digits";
	}
	if (!next_line(&c, "time", &v, &n) || !read_time(v, n, body->time))
		return "the \"time\" line is missing or not a UTC time with microseconds";
	if (!next_line(&c, "previous", &v, &n) ||
		!((n == 4 && strncmp(v, "none", 4) == 0) || read_hash(v, n, previous, NULL)))
		return "the \"previous\" line is missing or not 64 lower-case hex digits or \"none\"";
	if (c.at != c.end)
		return "it has lines after \"previous\"";
	return NULL;
}
