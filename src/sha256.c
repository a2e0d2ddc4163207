/*-------------------------------------------------------------------------
 *
 * sha256.c
 *	  SHA-256 over a sequence of byte strings: the one hash every chain,
 *	  log and score digest of hrguard is made with.
 *
 * IDENTIFICATION
 *	  src/sha256.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "sha256.h"

/*
 * SHA-256 over a sequence of byte strings.  "ctx" may be a context the
 * caller reuses for many hashes, or NULL for a one-off.
 */
void
hrguard_sha256_parts(pg_cryptohash_ctx *ctx, const void *const *parts, const size_t *lens,
					 int nparts, uint8 out[PG_SHA256_DIGEST_LENGTH])
{
	pg_cryptohash_ctx *own = ctx ? NULL : pg_cryptohash_create(PG_SHA256);
	pg_cryptohash_ctx *use = ctx ? ctx : own;
	int			i;

	if (pg_cryptohash_init(use) < 0)
		elog(ERROR, "could not initialize SHA-256: %s", pg_cryptohash_error(use));
	for (i = 0; i < nparts; i++)
		if (pg_cryptohash_update(use, parts[i], lens[i]) < 0)
			elog(ERROR, "could not compute SHA-256: %s", pg_cryptohash_error(use));
	if (pg_cryptohash_final(use, out, PG_SHA256_DIGEST_LENGTH) < 0)
		elog(ERROR, "could not finalize SHA-256: %s", pg_cryptohash_error(use));
	if (own)
		pg_cryptohash_free(own);
}
