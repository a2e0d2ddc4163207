/*-------------------------------------------------------------------------
 *
 * package.h
 *	  Reading an hrguard evidence package for hrguard-verify.
 *
 * IDENTIFICATION
 *	  src/verify/package.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef HRGUARD_VERIFY_PACKAGE_H
#define HRGUARD_VERIFY_PACKAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

/* one entry: the seq, and its canon (base64) and link (hex) as written */
typedef struct PackageEntry
{
	uint64_t	seq;
	const char *canon;
	size_t		canon_len;
	const char *link;
	size_t		link_len;
} PackageEntry;

typedef struct Package
{
	json_t	   *doc;			/* the package; "entries" may be left empty */
	PackageEntry *entries;
	size_t		n_entries;
} Package;

/*
 * Reads a package from text (which must outlive it).  Returns NULL, or a
 * message saying why the text is not a readable package.
 */
extern const char *package_read(const char *text, size_t len, Package *package);

/* whether the text's top-level "format" member is this string */
extern bool package_has_format(const char *text, size_t len, const char *format);

#endif							/* HRGUARD_VERIFY_PACKAGE_H */
