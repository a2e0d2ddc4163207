/*-------------------------------------------------------------------------
 *
 * hashes.c
 *	  The bytes and hashes of hrguard's evidence package, for
 *	  hrguard-verify.
 *
 * SHA-256 comes from libcrypto through EVP, with the digest fetched once:
 * a fetch per hash takes locks.  Each thread hashes with its own Hasher.
 * The decoding tables are filled by hashes_init(), before any thread runs.
 *
 * IDENTIFICATION
 *	  src/verify/hashes.c
 *
 *-------------------------------------------------------------------------
 */
#include <string.h>

#include "hashes.h"

#define LINK_DOMAIN "hrguard/v1/link"
#define HEAD_DOMAIN "hrguard/v2/head"
#define LOGENT_DOMAIN "hrguard/v1/logent"

#define INVALID 0xFF

static EVP_MD *sha256;
static uint8_t hex_value[256];
static uint8_t base64_value[256];

/*
 * base64_bits[k][c]: character c in place k of a group of four, as its six
 * bits shifted into place in a 24-bit word; BASE64_BAD if c is not in the
 * alphabet.
 */
#define BASE64_BAD 0x80000000u
static uint32_t base64_bits[4][256];

bool
hashes_init(void)
{
	const char *alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	int			i;

	memset(hex_value, INVALID, sizeof(hex_value));
	for (i = 0; i < 10; i++)
		hex_value['0' + i] = (uint8_t) i;
	for (i = 0; i < 6; i++)
		hex_value['a' + i] = (uint8_t) (10 + i);
	memset(base64_value, INVALID, sizeof(base64_value));
	for (i = 0; i < 64; i++)
		base64_value[(unsigned char) alphabet[i]] = (uint8_t) i;
	for (i = 0; i < 256; i++)
	{
		int			k;

		for (k = 0; k < 4; k++)
			base64_bits[k][i] = base64_value[i] == INVALID ? BASE64_BAD :
				(uint32_t) base64_value[i] << (6 * (3 - k));
	}
	sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
	return sha256 != NULL;
}

void
hashes_done(void)
{
	EVP_MD_free(sha256);
	sha256 = NULL;
}

bool
hasher_open(Hasher *h)
{
	h->ctx = EVP_MD_CTX_new();
	return h->ctx != NULL && EVP_DigestInit_ex(h->ctx, sha256, NULL) == 1;
}

void
hasher_close(Hasher *h)
{
	EVP_MD_CTX_free(h->ctx);
	h->ctx = NULL;
}

/*
 * The context was initialised by hasher_open(), so re-initialising it with
 * the same digest cannot fail.
 */
void
hasher_start(Hasher *h)
{
	EVP_DigestInit_ex(h->ctx, sha256, NULL);
}

void
hasher_add(Hasher *h, const void *data, size_t len)
{
	EVP_DigestUpdate(h->ctx, data, len);
}

void
hasher_finish(Hasher *h, hash_t out)
{
	EVP_DigestFinal_ex(h->ctx, out, NULL);
}

void
hasher_parts(Hasher *h, const void *const *parts, const size_t *lens, int n, hash_t out)
{
	int			i;

	hasher_start(h);
	for (i = 0; i < n; i++)
		hasher_add(h, parts[i], lens[i]);
	hasher_finish(h, out);
}

static void
put_u32be(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static void
put_u64be(uint8_t *p, uint64_t v)
{
	put_u32be(p, (uint32_t) (v >> 32));
	put_u32be(p + 4, (uint32_t) v);
}

/* exactly 64 lowercase hex digits */
bool
hex_decode_n(const char *hex, size_t len, hash_t out)
{
	int			i;

	if (hex == NULL || len != HASH_LEN * 2)
		return false;
	for (i = 0; i < HASH_LEN; i++)
	{
		uint8_t		hi = hex_value[(unsigned char) hex[2 * i]],
					lo = hex_value[(unsigned char) hex[2 * i + 1]];

		if ((hi | lo) & 0x80)
			return false;
		out[i] = (uint8_t) ((hi << 4) | lo);
	}
	return true;
}

bool
hex_decode(const char *hex, hash_t out)
{
	return hex != NULL && hex_decode_n(hex, strlen(hex), out);
}

void
hex_encode(const hash_t bytes, char *out)
{
	static const char digits[] = "0123456789abcdef";
	int			i;

	for (i = 0; i < HASH_LEN; i++)
	{
		out[i * 2] = digits[bytes[i] >> 4];
		out[i * 2 + 1] = digits[bytes[i] & 15];
	}
	out[HASH_LEN * 2] = '\0';
}

size_t
base64_decoded_length(const char *in, size_t len)
{
	size_t		n = len / 4 * 3;

	if (len >= 4 && len % 4 == 0)
		n -= (in[len - 1] == '=') + (in[len - 2] == '=');
	return n;
}

/*
 * Four characters at a time, each looked up already shifted into place; a
 * character outside the alphabet sets the top bit, so one test of the OR
 * of the four finds it.  '=' may only pad the last group.
 */
long
base64_decode(const char *in, size_t len, uint8_t *out)
{
	const unsigned char *p = (const unsigned char *) in;
	size_t		groups,
				g;
	uint8_t    *o = out;

	if (len % 4 != 0)
		return -1;
	if (len == 0)
		return 0;
	groups = len / 4 - 1;
	for (g = 0; g < groups; g++, p += 4, o += 3)
	{
		uint32_t	w = base64_bits[0][p[0]] | base64_bits[1][p[1]] |
			base64_bits[2][p[2]] | base64_bits[3][p[3]];

		if (w & BASE64_BAD)
			return -1;
		o[0] = (uint8_t) (w >> 16);
		o[1] = (uint8_t) (w >> 8);
		o[2] = (uint8_t) w;
	}
	/* the last group: "xxxx", "xxx=" or "xx==" */
	{
		uint8_t		a = base64_value[p[0]],
					b = base64_value[p[1]],
					c = p[2] == '=' ? 0 : base64_value[p[2]],
					d = p[3] == '=' ? 0 : base64_value[p[3]];

		if ((a | b | c | d) & 0x80 || (p[2] == '=' && p[3] != '='))
			return -1;
		/* the bits padding leaves over are zero (RFC 4648 section 3.5) */
		if ((p[2] == '=' && (b & 0x0f) != 0) || (p[2] != '=' && p[3] == '=' && (c & 0x03) != 0))
			return -1;
		*o++ = (uint8_t) (a << 2 | b >> 4);
		if (p[2] != '=')
			*o++ = (uint8_t) (b << 4 | c >> 2);
		if (p[3] != '=')
			*o++ = (uint8_t) (c << 6 | d);
	}
	return (long) (o - out);
}

void
entry_link(Hasher *h, const char *employee_id, uint64_t seq, const hash_t previous,
		   const uint8_t *canon, size_t canon_len, hash_t link)
{
	static const uint8_t leaf_tag = 0x00,
				link_tag = 0x02;
	size_t		employee_len = strlen(employee_id);
	hash_t		leaf;
	uint8_t		len_be[4],
				seq_be[8];
	const void *leaf_parts[2] = {&leaf_tag, canon};
	size_t		leaf_lens[2] = {1, canon_len};
	const void *parts[7] = {&link_tag, LINK_DOMAIN, len_be, employee_id, seq_be, previous, leaf};
	size_t		lens[7] = {1, strlen(LINK_DOMAIN), 4, employee_len, 8, HASH_LEN, HASH_LEN};

	hasher_parts(h, leaf_parts, leaf_lens, 2, leaf);
	put_u32be(len_be, (uint32_t) employee_len);
	put_u64be(seq_be, seq);
	hasher_parts(h, parts, lens, 7, link);
}

/* SHA-256(0x00 || domain || u32be(len) || employee_id || u64be(seq) || link) */
static void
chain_leaf(Hasher *h, const char *domain, const char *employee_id, uint64_t seq,
		   const hash_t link, hash_t leaf)
{
	static const uint8_t leaf_tag = 0x00;
	uint8_t		len_be[4],
				seq_be[8];
	const void *parts[6] = {&leaf_tag, domain, len_be, employee_id, seq_be, link};
	size_t		lens[6] = {1, strlen(domain), 4, strlen(employee_id), 8, HASH_LEN};

	put_u32be(len_be, (uint32_t) strlen(employee_id));
	put_u64be(seq_be, seq);
	hasher_parts(h, parts, lens, 6, leaf);
}

void
log_leaf(Hasher *h, const char *employee_id, uint64_t seq, const hash_t link, hash_t leaf)
{
	chain_leaf(h, LOGENT_DOMAIN, employee_id, seq, link, leaf);
}

void
head_leaf(Hasher *h, const char *employee_id, uint64_t seq, const hash_t link, hash_t leaf)
{
	chain_leaf(h, HEAD_DOMAIN, employee_id, seq, link, leaf);
}

void
node_hash(Hasher *h, const hash_t left, const hash_t right, hash_t out)
{
	static const uint8_t node_tag = 0x01;
	const void *parts[3] = {&node_tag, left, right};
	size_t		lens[3] = {1, HASH_LEN, HASH_LEN};

	hasher_parts(h, parts, lens, 3, out);
}
