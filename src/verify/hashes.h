/*-------------------------------------------------------------------------
 *
 * hashes.h
 *	  The bytes and hashes of hrguard's evidence package, for
 *	  hrguard-verify: hex and base64, entry links, log leaves and Merkle
 *	  nodes (README.md, "Evidence chains" and "The evidence log").
 *
 * IDENTIFICATION
 *	  src/verify/hashes.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef HRGUARD_VERIFY_HASHES_H
#define HRGUARD_VERIFY_HASHES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#define HASH_LEN 32

typedef uint8_t hash_t[HASH_LEN];

/* a SHA-256 context; one per thread */
typedef struct Hasher
{
	EVP_MD_CTX *ctx;
} Hasher;

/* false if SHA-256 is not available; call once, before any thread starts */
extern bool hashes_init(void);
extern void hashes_done(void);

extern bool hasher_open(Hasher *h);
extern void hasher_close(Hasher *h);
extern void hasher_parts(Hasher *h, const void *const *parts, const size_t *lens, int n,
						 hash_t out);
/* for one long digest: start, add, finish */
extern void hasher_start(Hasher *h);
extern void hasher_add(Hasher *h, const void *data, size_t len);
extern void hasher_finish(Hasher *h, hash_t out);

extern bool hex_decode_n(const char *hex, size_t len, hash_t out);
extern bool hex_decode(const char *hex, hash_t out);
extern void hex_encode(const hash_t bytes, char *out);

/* bytes that "len" characters of valid padded base64 decode to */
extern size_t base64_decoded_length(const char *in, size_t len);
/* standard base64 with padding; the decoded length, or -1 if malformed */
extern long base64_decode(const char *in, size_t len, uint8_t *out);

/* SHA-256(0x00 || canon) then the entry's link (README.md) */
extern void entry_link(Hasher *h, const char *employee_id, uint64_t seq, const hash_t previous,
					   const uint8_t *canon, size_t canon_len, hash_t link);
/* the RFC 9162 leaf of an entry in the evidence log */
extern void log_leaf(Hasher *h, const char *employee_id, uint64_t seq, const hash_t link,
					 hash_t leaf);
/* the leaf of a chain's head in a checkpoint's heads tree */
extern void head_leaf(Hasher *h, const char *employee_id, uint64_t seq, const hash_t link,
					  hash_t leaf);
/* an RFC 9162 interior node */
extern void node_hash(Hasher *h, const hash_t left, const hash_t right, hash_t out);

#endif							/* HRGUARD_VERIFY_HASHES_H */
