/*-------------------------------------------------------------------------
 *
 * sha256.h
 *	  SHA-256 over a sequence of byte strings (sha256.c).
 *
 * IDENTIFICATION
 *	  src/sha256.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef HRGUARD_SHA256_H
#define HRGUARD_SHA256_H

#include "postgres.h"

#include "common/cryptohash.h"
#include "common/sha2.h"

extern void hrguard_sha256_parts(pg_cryptohash_ctx *ctx, const void *const *parts,
								 const size_t *lens, int nparts,
								 uint8 out[PG_SHA256_DIGEST_LENGTH]);

#endif							/* HRGUARD_SHA256_H */
