/*-------------------------------------------------------------------------
 *
 * chain_run.h
 *	  Verifying the run of chain entries in an evidence package, for
 *	  hrguard-verify.
 *
 * IDENTIFICATION
 *	  src/verify/chain_run.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef HRGUARD_VERIFY_CHAIN_RUN_H
#define HRGUARD_VERIFY_CHAIN_RUN_H

#include "hashes.h"
#include "package.h"

/* what is wrong with an entry, checked in this order */
typedef enum RunFailure
{
	RUN_OK = 0,
	RUN_SEQ,					/* not the seq after the entry before it */
	RUN_CANON,					/* canon is not base64 */
	RUN_LINK_FORMAT,			/* link is not 64 hex digits */
	RUN_LINK					/* the link does not follow */
} RunFailure;

typedef struct ChainRun
{
	RunFailure	failure;
	size_t		failed_at;		/* index of the first entry that fails */
	uint64_t	first_seq;
	uint64_t	last_seq;
	hash_t		last_link;		/* the link of the last entry */
	hash_t		canon_sha256;	/* SHA-256 of all canonical bytes in order */
	uint8_t    *canon;			/* those bytes, decoded */
	size_t	   *canon_at;		/* entry i's bytes: canon_at[i] .. canon_at[i + 1] */
} ChainRun;

/*
 * Checks every entry of the package: consecutive seqs, and each link
 * following from the canonical bytes and the link before it (the first
 * from "previous").  Large packages are checked by two threads.  Returns
 * NULL, or why the run could not be checked at all (out of memory).
 */
extern const char *chain_run_verify(const char *employee_id, const Package *package,
									const hash_t previous, ChainRun *run);
extern void chain_run_free(ChainRun *run);

#endif							/* HRGUARD_VERIFY_CHAIN_RUN_H */
