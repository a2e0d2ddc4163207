/*-------------------------------------------------------------------------
 *
 * report.h
 *	  hrguard-verify's report, verdicts and members read (report.c).
 *
 * IDENTIFICATION
 *	  src/verify/report.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef HRGUARD_VERIFY_REPORT_H
#define HRGUARD_VERIFY_REPORT_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "hashes.h"

/* the exit statuses */
#define EXIT_VERIFIED		0	/* complete, every entry anchored by the checkpoint given */
#define EXIT_FAILED			1	/* something does not hold */
#define EXIT_UNREADABLE		2	/* not a package (or checkpoint) this program reads */
#define EXIT_PARTLY_ANCHORED 3	/* verified, but some entries only by the package's own checkpoint */
#define EXIT_NOT_PROVEN_COMPLETE 4	/* verified and anchored; format 1 cannot prove completeness */

extern bool quiet;
extern const char *checkpoint_from_stdin;	/* the file a checkpoint read from standard input is kept in */
extern bool report_to_stderr;	/* the report on standard error (the page is on standard output) */

extern void report(const char *fmt,...) __attribute__((format(printf, 1, 2)));
extern void unreadable(const char *fmt,...) __attribute__((format(printf, 1, 2), noreturn));
extern void failed(const char *fmt,...) __attribute__((format(printf, 1, 2), noreturn));

/* a member of the given type, or the package is unreadable */
extern json_t *member(json_t *object, const char *key, json_type type, const char *where);
extern uint64_t member_seq(json_t *object, const char *key, const char *where);
extern void member_hash(json_t *object, const char *key, const char *where, hash_t out);
extern json_t *member_proof(json_t *object, const char *key, const char *where);
extern json_t *member_optional(json_t *object, const char *key, json_type type, const char *where);
extern bool utc_micros(const char *text, int64_t *us);
extern const char *shown(const char *text);

#endif							/* HRGUARD_VERIFY_REPORT_H */
