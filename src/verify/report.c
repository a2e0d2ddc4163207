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
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "report.h"

bool		quiet = false;

void
report(const char *fmt, ...)
{
	va_list		ap;

	if (quiet)
		return;
	va_start(ap, fmt);
	vprintf(fmt, ap);
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

	printf("FAILED: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
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
