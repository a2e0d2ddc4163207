/*-------------------------------------------------------------------------
 *
 * package_read.c
 *	  Reading an hrguard evidence package for hrguard-verify.
 *
 * Nearly all of a package is its "entries" array, and jansson reads JSON
 * one character at a time, so a large package is read in two parts: a
 * scanner made for the entries array as hrguard writes it (objects of
 * "seq", "canon" and "link" in that order, with plain base64 and hex
 * strings) takes the entries, and jansson reads everything else, with an
 * empty array in their place.  Any package the scanner does not recognise
 * (reformatted, reordered, escaped) is read whole by jansson instead, so
 * the scanner decides only the speed, never the outcome.
 *
 * IDENTIFICATION
 *	  src/verify/package_read.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "package.h"

static const char *
skip_space(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
		p++;
	return p;
}

/* past the string that starts at p (a '"'), or NULL */
static const char *
skip_string(const char *p, const char *end)
{
	for (p++; p < end; p++)
	{
		if (*p == '\\')
			p++;
		else if (*p == '"')
			return p + 1;
	}
	return NULL;
}

/* past the value that starts at p, or NULL; jansson validates it later */
static const char *
skip_value(const char *p, const char *end)
{
	int			depth = 0;

	if (p < end && *p == '"')
		return skip_string(p, end);
	if (p < end && *p != '{' && *p != '[')
	{
		while (p < end && !strchr(",}] \n\r\t", *p))
			p++;
		return p;
	}
	while (p < end)
	{
		if (*p == '"')
		{
			p = skip_string(p, end);
			if (p == NULL)
				return NULL;
			continue;
		}
		if (*p == '{' || *p == '[')
			depth++;
		else if (*p == '}' || *p == ']')
		{
			if (--depth == 0)
				return p + 1;
		}
		p++;
	}
	return NULL;
}

/* "key" followed by a colon */
static const char *
expect_key(const char *p, const char *end, const char *key)
{
	size_t		len = strlen(key);

	p = skip_space(p, end);
	if (end - p < (long) len + 2 || p[0] != '"' || memcmp(p + 1, key, len) != 0 || p[len + 1] != '"')
		return NULL;
	p = skip_space(p + len + 2, end);
	if (p >= end || *p != ':')
		return NULL;
	return skip_space(p + 1, end);
}

/*
 * A string without escapes: where it ends is found with memchr, and what
 * it holds is checked by the base64 or hex decoder that reads it.  One
 * with a backslash is left to jansson.
 */
static const char *
plain_string(const char *p, const char *end, const char **value, size_t *len)
{
	const char *close;

	if (p >= end || *p != '"')
		return NULL;
	p++;
	close = memchr(p, '"', (size_t) (end - p));
	if (close == NULL || memchr(p, '\\', (size_t) (close - p)) != NULL)
		return NULL;
	*value = p;
	*len = (size_t) (close - p);
	return close + 1;
}

/* the entries array that starts at p; returns the end of it, or NULL */
static const char *
scan_entries(const char *p, const char *end, Package *package)
{
	size_t		cap = 1024;

	package->n_entries = 0;
	package->entries = malloc(cap * sizeof(PackageEntry));
	if (package->entries == NULL || p >= end || *p++ != '[')
		return NULL;
	p = skip_space(p, end);
	if (p < end && *p == ']')
		return p + 1;
	for (;;)
	{
		PackageEntry *e;
		int			digits = 0;

		if (package->n_entries == cap)
		{
			PackageEntry *more = realloc(package->entries, 2 * cap * sizeof(PackageEntry));

			if (more == NULL)
				return NULL;
			package->entries = more;
			cap *= 2;
		}
		e = &package->entries[package->n_entries];
		p = skip_space(p, end);
		if (p >= end || *p++ != '{' || (p = expect_key(p, end, "seq")) == NULL)
			return NULL;
		e->seq = 0;
		while (p < end && *p >= '0' && *p <= '9' && digits < 18)
		{
			e->seq = e->seq * 10 + (uint64_t) (*p++ - '0');
			digits++;
		}
		if (digits == 0 || (digits > 1 && p[-digits] == '0'))
			return NULL;
		p = skip_space(p, end);
		if (p >= end || *p++ != ',' ||
			(p = expect_key(p, end, "canon")) == NULL ||
			(p = plain_string(p, end, &e->canon, &e->canon_len)) == NULL)
			return NULL;
		p = skip_space(p, end);
		if (p >= end || *p++ != ',' ||
			(p = expect_key(p, end, "link")) == NULL ||
			(p = plain_string(p, end, &e->link, &e->link_len)) == NULL)
			return NULL;
		p = skip_space(p, end);
		if (p >= end || *p++ != '}')
			return NULL;
		package->n_entries++;
		p = skip_space(p, end);
		if (p < end && *p == ',')
		{
			p++;
			continue;
		}
		if (p < end && *p == ']')
			return p + 1;
		return NULL;
	}
}

/*
 * The next member of an object, at p (after '{' or ','): its key, and
 * where its value starts; NULL where the text is not a member.
 */
static const char *
next_member(const char *p, const char *end, const char **key, size_t *key_len)
{
	const char *key_end;

	p = skip_space(p, end);
	if (p >= end || *p != '"')
		return NULL;
	*key = p + 1;
	key_end = skip_string(p, end);
	if (key_end == NULL)
		return NULL;
	*key_len = (size_t) (key_end - *key - 1);
	p = skip_space(key_end, end);
	if (p >= end || *p++ != ':')
		return NULL;
	return skip_space(p, end);
}

/*
 * Where the top-level "entries" value starts and ends in the text; the
 * entries themselves are read on the way, into the package.
 */
static bool
find_entries(const char *text, const char *end, const char **from, const char **to,
			 Package *package)
{
	const char *p = skip_space(text, end);

	*from = *to = NULL;
	if (p >= end || *p++ != '{')
		return false;
	for (;;)
	{
		const char *key;
		size_t		key_len;

		p = skip_space(p, end);
		if (p < end && *p == '}')
			return *from != NULL;
		p = next_member(p, end, &key, &key_len);
		if (p == NULL)
			return false;
		if (key_len == 7 && memcmp(key, "entries", 7) == 0)
		{
			if (*from != NULL)
				return false;	/* twice: let jansson refuse it */
			*from = p;
			p = *to = scan_entries(p, end, package);
		}
		else
			p = skip_value(p, end);
		if (p == NULL)
			return false;
		p = skip_space(p, end);
		if (p < end && *p == ',')
			p++;
		else if (p >= end || *p != '}')
			return false;
	}
}

/*
 * Whether the top-level "format" member of the text is the string wanted,
 * found by walking the top-level members without reading their values: a
 * case package is told from an evidence package, however its members are
 * ordered, before either is read.
 */
bool
package_has_format(const char *text, size_t len, const char *format)
{
	const char *end = text + len;
	const char *p = skip_space(text, end);

	if (p >= end || *p++ != '{')
		return false;
	for (;;)
	{
		const char *key;
		size_t		key_len;

		p = next_member(p, end, &key, &key_len);
		if (p == NULL)
			return false;
		if (key_len == 6 && memcmp(key, "format", 6) == 0)
		{
			const char *value;
			size_t		value_len;

			return plain_string(p, end, &value, &value_len) != NULL &&
				value_len == strlen(format) && memcmp(value, format, value_len) == 0;
		}
		p = skip_value(p, end);
		if (p == NULL)
			return false;
		p = skip_space(p, end);
		if (p < end && *p == ',')
			p++;
		else
			return false;
	}
}

/* the entries as jansson read them */
static const char *
entries_from_doc(Package *package)
{
	json_t	   *entries = json_object_get(package->doc, "entries");
	size_t		i;

	if (!json_is_array(entries))
		return "\"entries\" is missing or not an array";
	package->n_entries = json_array_size(entries);
	package->entries = calloc(package->n_entries + 1, sizeof(PackageEntry));
	if (package->entries == NULL)
		return "out of memory";
	for (i = 0; i < package->n_entries; i++)
	{
		json_t	   *entry = json_array_get(entries, i);
		json_t	   *seq = json_object_get(entry, "seq");
		json_t	   *canon = json_object_get(entry, "canon");
		json_t	   *link = json_object_get(entry, "link");
		PackageEntry *e = &package->entries[i];

		if (!json_is_integer(seq) || json_integer_value(seq) < 0 ||
			!json_is_string(canon) || !json_is_string(link))
			return "an entry lacks its seq, canon or link";
		e->seq = (uint64_t) json_integer_value(seq);
		e->canon = json_string_value(canon);
		e->canon_len = json_string_length(canon);
		e->link = json_string_value(link);
		e->link_len = json_string_length(link);
	}
	return NULL;
}

const char *
package_read(const char *text, size_t len, Package *package)
{
	const char *end = text + len;
	const char *from,
			   *to;
	json_error_t error;
	static char message[300];

	memset(package, 0, sizeof(*package));
	if (find_entries(text, end, &from, &to, package))
	{
		/* jansson reads the rest, with [] where the entries were */
		size_t		head = (size_t) (from - text),
					tail = (size_t) (end - to);
		char	   *rest = malloc(head + 2 + tail);

		if (rest == NULL)
			return "out of memory";
		memcpy(rest, text, head);
		memcpy(rest + head, "[]", 2);
		memcpy(rest + head + 2, to, tail);
		package->doc = json_loadb(rest, head + 2 + tail, JSON_REJECT_DUPLICATES, &error);
		free(rest);
		if (package->doc != NULL && json_is_object(package->doc))
			return NULL;
		if (package->doc != NULL)
			json_decref(package->doc);
	}
	free(package->entries);
	memset(package, 0, sizeof(*package));

	package->doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &error);
	if (package->doc == NULL || !json_is_object(package->doc))
	{
		snprintf(message, sizeof(message), "not a JSON object (line %d: %s)",
				 package->doc ? 1 : error.line, package->doc ? "not an object" : error.text);
		return message;
	}
	return entries_from_doc(package);
}
