/*-------------------------------------------------------------------------
 *
 * hrguard_verify.c
 *	  hrguard-verify: checks an evidence package from
 *	  hrguard.export_evidence() offline, with no database, optionally
 *	  against a checkpoint body kept elsewhere.
 *
 *	  hrguard-verify [--checkpoint FILE] [--quiet] PACKAGE
 *
 * It recomputes every entry's link from its canonical bytes and the link
 * before it, the log leaf of the last entry, and the Merkle root its
 * inclusion proof leads to (RFC 9162, section 2.1.3.2), and compares that
 * root with the package's checkpoint and with the one given.  It prints a
 * report; the exit status is 0 when everything holds, 1 when something
 * does not (the report names the first entry that fails), and 2 when the
 * package cannot be read.
 *
 * IDENTIFICATION
 *	  src/verify/hrguard_verify.c
 *
 *-------------------------------------------------------------------------
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <openssl/evp.h>

#include "package.h"

#define HASH_LEN 32
#define PACKAGE_FORMAT "hrguard-evidence-package/1"
#define LINK_DOMAIN "hrguard/v1/link"
#define LOGENT_DOMAIN "hrguard/v1/logent"
#define CHECKPOINT_ORIGIN "hrguard/v1/checkpoint"

typedef uint8_t hash_t[HASH_LEN];

static EVP_MD_CTX *md;
static EVP_MD *sha256;			/* fetched once: a fetch per hash takes locks */
static const hash_t zero_hash = {0};
static bool quiet = false;

/* ---- reporting ---------------------------------------------------------- */

static void
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
static void
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
static void
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

/* ---- bytes -------------------------------------------------------------- */

static void
sha256_parts(const void *const *parts, const size_t *lens, int n, uint8_t *out)
{
	int			i;

	if (EVP_DigestInit_ex(md, sha256, NULL) != 1)
		unreadable("SHA-256 is not available");
	for (i = 0; i < n; i++)
		EVP_DigestUpdate(md, parts[i], lens[i]);
	EVP_DigestFinal_ex(md, out, NULL);
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

static bool
hex_decode_n(const char *hex, size_t len, hash_t out)
{
	static int8_t value[256];
	static bool ready = false;
	int			i;

	if (!ready)
	{
		memset(value, -1, sizeof(value));
		for (i = 0; i < 10; i++)
			value['0' + i] = (int8_t) i;
		for (i = 0; i < 6; i++)
			value['a' + i] = (int8_t) (10 + i);
		ready = true;
	}
	if (hex == NULL || len != HASH_LEN * 2)
		return false;
	for (i = 0; i < HASH_LEN; i++)
	{
		int			hi = value[(unsigned char) hex[2 * i]],
					lo = value[(unsigned char) hex[2 * i + 1]];

		if (hi < 0 || lo < 0)
			return false;
		out[i] = (uint8_t) ((hi << 4) | lo);
	}
	return true;
}

static bool
hex_decode(const char *hex, hash_t out)
{
	return hex != NULL && hex_decode_n(hex, strlen(hex), out);
}

static void
hex_encode(const uint8_t *bytes, char *out)
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

/* standard base64 with padding; returns the length, or -1 if malformed */
static long
base64_decode(const char *in, size_t len, uint8_t *out)
{
	static int8_t value[256];
	static bool ready = false;
	size_t		i;
	long		n = 0;
	uint32_t	acc = 0;
	int			bits = 0,
				pad = 0;

	if (!ready)
	{
		const char *alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

		memset(value, -1, sizeof(value));
		for (i = 0; i < 64; i++)
			value[(unsigned char) alphabet[i]] = (int8_t) i;
		ready = true;
	}
	if (len % 4 != 0)
		return -1;
	for (i = 0; i < len; i++)
	{
		unsigned char c = (unsigned char) in[i];

		if (c == '=')
		{
			if (i < len - 2)
				return -1;
			pad++;
			continue;
		}
		if (pad > 0 || value[c] < 0)
			return -1;
		acc = (acc << 6) | (uint32_t) value[c];
		bits += 6;
		if (bits >= 8)
		{
			bits -= 8;
			out[n++] = (uint8_t) (acc >> bits);
		}
	}
	return n;
}

/* ---- hrguard's hashes (README.md, "Evidence chains") ---------------------- */

static void
entry_link(const char *employee_id, uint64_t seq, const hash_t previous,
		   const uint8_t *canon, size_t canon_len, hash_t link)
{
	static const uint8_t leaf_tag = 0x00,
				link_tag = 0x02;
	hash_t		leaf;
	uint8_t		len_be[4],
				seq_be[8];
	const void *leaf_parts[2] = {&leaf_tag, canon};
	size_t		leaf_lens[2] = {1, canon_len};
	const void *parts[7] = {&link_tag, LINK_DOMAIN, len_be, employee_id, seq_be, previous, leaf};
	size_t		lens[7] = {1, strlen(LINK_DOMAIN), 4, strlen(employee_id), 8, HASH_LEN, HASH_LEN};

	sha256_parts(leaf_parts, leaf_lens, 2, leaf);
	put_u32be(len_be, (uint32_t) strlen(employee_id));
	put_u64be(seq_be, seq);
	sha256_parts(parts, lens, 7, link);
}

static void
log_leaf(const char *employee_id, uint64_t seq, const hash_t link, hash_t leaf)
{
	static const uint8_t leaf_tag = 0x00;
	uint8_t		len_be[4],
				seq_be[8];
	const void *parts[6] = {&leaf_tag, LOGENT_DOMAIN, len_be, employee_id, seq_be, link};
	size_t		lens[6] = {1, strlen(LOGENT_DOMAIN), 4, strlen(employee_id), 8, HASH_LEN};

	put_u32be(len_be, (uint32_t) strlen(employee_id));
	put_u64be(seq_be, seq);
	sha256_parts(parts, lens, 6, leaf);
}

static void
node_hash(const hash_t left, const hash_t right, hash_t out)
{
	static const uint8_t node_tag = 0x01;
	const void *parts[3] = {&node_tag, left, right};
	size_t		lens[3] = {1, HASH_LEN, HASH_LEN};

	sha256_parts(parts, lens, 3, out);
}

/*
 * The root an RFC 9162 inclusion proof leads to (section 2.1.3.2); false if
 * the proof does not fit the index and tree size.
 */
static bool
inclusion_root(uint64_t index, uint64_t tree_size, const hash_t leaf,
			   json_t *path, hash_t root)
{
	uint64_t	fn = index,
				sn = tree_size - 1;
	size_t		i;

	if (index >= tree_size)
		return false;
	memcpy(root, leaf, HASH_LEN);
	for (i = 0; i < json_array_size(path); i++)
	{
		hash_t		p;

		if (sn == 0 || !hex_decode(json_string_value(json_array_get(path, i)), p))
			return false;
		if ((fn & 1) || fn == sn)
		{
			node_hash(p, root, root);
			while (!(fn & 1) && fn != 0)
			{
				fn >>= 1;
				sn >>= 1;
			}
		}
		else
			node_hash(root, p, root);
		fn >>= 1;
		sn >>= 1;
	}
	return sn == 0;
}

/*
 * Does an RFC 9162 consistency proof (section 2.1.4.2) show that the tree
 * of old_size entries with root old_root is a prefix of the tree of
 * new_size entries with root new_root?
 */
static bool
consistent(uint64_t old_size, const hash_t old_root, uint64_t new_size, const hash_t new_root,
		   json_t *path)
{
	size_t		n = json_array_size(path),
				i = 0;
	uint64_t	fn,
				sn;
	hash_t		fr,
				sr,
				c;

	if (old_size == 0 || old_size > new_size)
		return false;
	if (old_size == new_size)
		return n == 0 && memcmp(old_root, new_root, HASH_LEN) == 0;
	/* an old tree of a power-of-two size is itself the first node */
	if ((old_size & (old_size - 1)) == 0)
		memcpy(fr, old_root, HASH_LEN);
	else if (n == 0 || !hex_decode(json_string_value(json_array_get(path, i++)), fr))
		return false;
	memcpy(sr, fr, HASH_LEN);
	fn = old_size - 1;
	sn = new_size - 1;
	while (fn & 1)
	{
		fn >>= 1;
		sn >>= 1;
	}
	for (; i < n; i++)
	{
		if (sn == 0 || !hex_decode(json_string_value(json_array_get(path, i)), c))
			return false;
		if ((fn & 1) || fn == sn)
		{
			node_hash(c, fr, fr);
			node_hash(c, sr, sr);
			while (!(fn & 1) && fn != 0)
			{
				fn >>= 1;
				sn >>= 1;
			}
		}
		else
			node_hash(sr, c, sr);
		fn >>= 1;
		sn >>= 1;
	}
	return sn == 0 && memcmp(fr, old_root, HASH_LEN) == 0 && memcmp(sr, new_root, HASH_LEN) == 0;
}

/* ---- the package -------------------------------------------------------- */

static json_t *
member(json_t *object, const char *key, json_type type, const char *where)
{
	json_t	   *value = json_object_get(object, key);

	if (value == NULL || json_typeof(value) != type)
		unreadable("%s: \"%s\" is missing or of the wrong type", where, key);
	return value;
}

static uint64_t
member_seq(json_t *object, const char *key, const char *where)
{
	json_int_t	v = json_integer_value(member(object, key, JSON_INTEGER, where));

	if (v < 0)
		unreadable("%s: \"%s\" is negative", where, key);
	return (uint64_t) v;
}

/* size and root of a checkpoint body */
static bool
parse_checkpoint(const char *body, uint64_t *size, char *root_hex)
{
	const char *line = body;
	bool		have_size = false,
				have_root = false;

	if (strncmp(body, CHECKPOINT_ORIGIN "\n", strlen(CHECKPOINT_ORIGIN) + 1) != 0)
		return false;
	while (line != NULL && *line != '\0')
	{
		const char *end = strchr(line, '\n');
		size_t		len = end ? (size_t) (end - line) : strlen(line);

		if (len > 5 && strncmp(line, "size ", 5) == 0)
		{
			char		digits[32];
			char	   *stop;

			if (len - 5 >= sizeof(digits))
				return false;
			memcpy(digits, line + 5, len - 5);
			digits[len - 5] = '\0';
			errno = 0;
			*size = strtoull(digits, &stop, 10);
			have_size = (errno == 0 && *stop == '\0' && digits[0] != '-');
		}
		else if (len == 5 + HASH_LEN * 2 && strncmp(line, "root ", 5) == 0)
		{
			memcpy(root_hex, line + 5, HASH_LEN * 2);
			root_hex[HASH_LEN * 2] = '\0';
			have_root = true;
		}
		line = end ? end + 1 : NULL;
	}
	return have_size && have_root;
}

static char *
read_all(const char *path, size_t *len)
{
	FILE	   *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	size_t		cap = 1 << 16,
				n = 0;
	char	   *buf;

	if (f == NULL)
		unreadable("could not open \"%s\": %s", path, strerror(errno));
	buf = malloc(cap + 1);
	for (;;)
	{
		size_t		got;

		if (buf == NULL)
			unreadable("out of memory");
		got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (n < cap)
			break;
		cap *= 2;
		buf = realloc(buf, cap + 1);
	}
	if (ferror(f))
		unreadable("could not read \"%s\"", path);
	if (f != stdin)
		fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* kind and event time of an entry, from its canonical bytes, for the report */
static void
describe(const char *label, uint64_t seq, const uint8_t *canon, size_t len,
		 const char *employee_id)
{
	json_t	   *doc = json_loadb((const char *) canon, len, 0, NULL);
	json_t	   *t;
	const char *e;
	char		when[96] = "?";

	if (doc == NULL || !json_is_object(doc))
		failed("entry seq %" PRIu64 ": its canonical bytes are not a JSON object", seq);
	e = json_string_value(json_object_get(doc, "e"));
	if (e == NULL || strcmp(e, employee_id) != 0)
		failed("entry seq %" PRIu64 ": it belongs to employee \"%s\"", seq, e ? e : "?");
	t = json_object_get(doc, "t");
	if (json_is_integer(t))
	{
		json_int_t	us = json_integer_value(t);
		json_int_t	fraction = ((us % 1000000) + 1000000) % 1000000;
		time_t		secs = (time_t) ((us - fraction) / 1000000);
		struct tm	tm;

		if (gmtime_r(&secs, &tm) != NULL)
			snprintf(when, sizeof(when), "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ",
					 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
					 tm.tm_hour, tm.tm_min, tm.tm_sec, (int) fraction);
	}
	report("  %s entry: seq %" PRIu64 ", kind %s, occurred %s\n", label, seq,
		   json_string_value(json_object_get(doc, "k")) ?: "?", when);
	json_decref(doc);
}

/* every entry's link, recomputed; returns the last link */
static void
verify_entries(const char *employee_id, const Package *package, const hash_t previous,
			   uint64_t *first_seq, uint64_t *last_seq, hash_t last_link, hash_t canon_sha256)
{
	EVP_MD_CTX *all = EVP_MD_CTX_new();
	uint8_t    *canon = NULL;
	size_t		cap = 0,
				i,
				n = package->n_entries;
	hash_t		link;

	if (n == 0)
		unreadable("the package has no entries");
	if (all == NULL || EVP_DigestInit_ex(all, sha256, NULL) != 1)
		unreadable("SHA-256 is not available");
	memcpy(link, previous, HASH_LEN);
	for (i = 0; i < n; i++)
	{
		const PackageEntry *e = &package->entries[i];
		long		len;
		hash_t		stored;

		if (i == 0)
			*first_seq = e->seq;
		else if (e->seq != *first_seq + i)
			failed("entry seq %" PRIu64 ": expected seq %" PRIu64 " (an entry is missing or out of order)",
				   e->seq, *first_seq + i);
		if (e->canon_len / 4 * 3 + 3 > cap)
		{
			cap = e->canon_len / 4 * 3 + 3;
			canon = realloc(canon, cap);
			if (canon == NULL)
				unreadable("out of memory");
		}
		len = base64_decode(e->canon, e->canon_len, canon);
		if (len < 0)
			failed("entry seq %" PRIu64 ": its canon is not base64", e->seq);
		if (!hex_decode_n(e->link, e->link_len, stored))
			failed("entry seq %" PRIu64 ": its link is not 64 hex digits", e->seq);
		entry_link(employee_id, e->seq, link, canon, (size_t) len, link);
		if (memcmp(link, stored, HASH_LEN) != 0)
			failed("entry seq %" PRIu64 ": its content and the entries before it do not give its link "
				   "(the entry or one before it was changed)", e->seq);
		EVP_DigestUpdate(all, canon, (size_t) len);
		if (i == 0)
			describe("first", e->seq, canon, (size_t) len, employee_id);
		if (i == n - 1)
			describe("last ", e->seq, canon, (size_t) len, employee_id);
		*last_seq = e->seq;
	}
	EVP_DigestFinal_ex(all, canon_sha256, NULL);
	EVP_MD_CTX_free(all);
	free(canon);
	memcpy(last_link, link, HASH_LEN);
}

static void
usage(void)
{
	fprintf(stderr,
			"Usage: hrguard-verify [--checkpoint FILE] [--quiet] PACKAGE\n"
			"Verifies an evidence package from hrguard.export_evidence() offline.\n"
			"  --checkpoint FILE  also require the package's checkpoint to be this body\n"
			"  --quiet            print only a failure\n"
			"PACKAGE may be - for standard input.  Exit status: 0 verified, 1 failed,\n"
			"2 unreadable.\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	const char *package_path = NULL,
			   *checkpoint_path = NULL;
	char	   *text;
	size_t		text_len;
	const char *problem;
	Package		read;
	json_t	   *package,
			   *checkpoint,
			   *inclusion,
			   *manifest,
			   *consistency;
	const char *employee_id,
			   *body;
	hash_t		previous,
				last_link,
				canon_sha256,
				leaf,
				root,
				expected;
	uint64_t	first_seq = 0,
				last_seq = 0,
				old_size = 0,
				tree_size,
				body_size;
	char		hex[HASH_LEN * 2 + 1],
				body_root[HASH_LEN * 2 + 1];
	int			i;

	for (i = 1; i < argc; i++)
	{
		if (strcmp(argv[i], "--checkpoint") == 0 && i + 1 < argc)
			checkpoint_path = argv[++i];
		else if (strcmp(argv[i], "--quiet") == 0)
			quiet = true;
		else if (strcmp(argv[i], "--help") == 0 || (argv[i][0] == '-' && argv[i][1] != '\0'))
			usage();
		else if (package_path == NULL)
			package_path = argv[i];
		else
			usage();
	}
	if (package_path == NULL)
		usage();
	md = EVP_MD_CTX_new();
	sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
	if (md == NULL || sha256 == NULL)
		unreadable("SHA-256 is not available");

	text = read_all(package_path, &text_len);
	problem = package_read(text, text_len, &read);
	if (problem != NULL)
		unreadable("%s: %s", package_path, problem);
	package = read.doc;
	if (strcmp(json_string_value(member(package, "format", JSON_STRING, "package")), PACKAGE_FORMAT) != 0)
		unreadable("not an hrguard evidence package (format %s)",
				   json_string_value(json_object_get(package, "format")));
	employee_id = json_string_value(member(package, "employee_id", JSON_STRING, "package"));
	report("evidence package of employee %s\n", employee_id);
	{
		json_t	   *exported = member(package, "exported", JSON_OBJECT, "package");

		report("  exported by %s at %s (export entry seq %" JSON_INTEGER_FORMAT ")\n",
			   json_string_value(json_object_get(exported, "by")) ?: "?",
			   json_string_value(json_object_get(exported, "at")) ?: "?",
			   json_integer_value(json_object_get(exported, "export_seq")));
	}

	/* 1. the chain run */
	if (!hex_decode(json_string_value(member(package, "previous_link", JSON_STRING, "package")), previous))
		unreadable("previous_link is not 64 hex digits");
	verify_entries(employee_id, &read, previous, &first_seq, &last_seq, last_link, canon_sha256);
	if (first_seq == 1 && memcmp(previous, zero_hash, HASH_LEN) != 0)
		failed("the chain starts at seq 1 but previous_link is not zero");
	report("  links: ok, seq %" PRIu64 "..%" PRIu64 " (%" PRIu64 " entries)\n",
		   first_seq, last_seq, last_seq - first_seq + 1);

	/* 2. the manifest */
	manifest = member(package, "manifest", JSON_OBJECT, "package");
	if (member_seq(manifest, "entries", "manifest") != last_seq - first_seq + 1 ||
		member_seq(manifest, "first_seq", "manifest") != first_seq ||
		member_seq(manifest, "last_seq", "manifest") != last_seq)
		failed("the manifest lists seq %" JSON_INTEGER_FORMAT "..%" JSON_INTEGER_FORMAT
			   ", the package holds %" PRIu64 "..%" PRIu64 " (entries were added or removed)",
			   json_integer_value(json_object_get(manifest, "first_seq")),
			   json_integer_value(json_object_get(manifest, "last_seq")), first_seq, last_seq);
	if (!hex_decode(json_string_value(member(manifest, "last_link", JSON_STRING, "manifest")), expected) ||
		memcmp(expected, last_link, HASH_LEN) != 0)
		failed("the manifest's last_link is not the link of entry seq %" PRIu64, last_seq);
	if (!hex_decode(json_string_value(member(manifest, "canon_sha256", JSON_STRING, "manifest")), expected) ||
		memcmp(expected, canon_sha256, HASH_LEN) != 0)
		failed("the manifest's canon_sha256 does not match the entries");

	/* 3. the last entry is in the checkpoint's tree */
	checkpoint = member(package, "checkpoint", JSON_OBJECT, "package");
	body = json_string_value(member(checkpoint, "body", JSON_STRING, "checkpoint"));
	if (!parse_checkpoint(body, &body_size, body_root))
		unreadable("the package's checkpoint body is not an hrguard checkpoint");
	tree_size = member_seq(checkpoint, "tree_size", "checkpoint");
	if (tree_size != body_size ||
		strcmp(json_string_value(member(checkpoint, "root", JSON_STRING, "checkpoint")), body_root) != 0)
		failed("the checkpoint's tree_size or root differ from its body");
	inclusion = member(package, "inclusion", JSON_OBJECT, "package");
	if (member_seq(inclusion, "seq", "inclusion") != last_seq)
		failed("the inclusion proof is for seq %" PRIu64 ", not the last entry %" PRIu64,
			   member_seq(inclusion, "seq", "inclusion"), last_seq);
	log_leaf(employee_id, last_seq, last_link, leaf);
	if (!hex_decode(json_string_value(member(inclusion, "leaf_hash", JSON_STRING, "inclusion")), expected) ||
		memcmp(expected, leaf, HASH_LEN) != 0)
		failed("entry seq %" PRIu64 ": its log leaf is not the one the proof starts from", last_seq);
	if (!inclusion_root(member_seq(inclusion, "log_index", "inclusion"), tree_size, leaf,
						member(inclusion, "proof", JSON_ARRAY, "inclusion"), root))
		failed("the inclusion proof does not fit log index %" JSON_INTEGER_FORMAT " of a tree of %" PRIu64,
			   json_integer_value(json_object_get(inclusion, "log_index")), tree_size);
	hex_encode(root, hex);
	if (strcmp(hex, body_root) != 0)
		failed("entry seq %" PRIu64 " with the inclusion proof gives root %s, the checkpoint says %s",
			   last_seq, hex, body_root);
	report("  checkpoint: size %" PRIu64 ", root %s\n", tree_size, body_root);
	report("  inclusion of seq %" PRIu64 " (log index %" JSON_INTEGER_FORMAT "): ok\n",
		   last_seq, json_integer_value(json_object_get(inclusion, "log_index")));

	/* 4. an earlier checkpoint the package's extends */
	consistency = json_object_get(package, "consistency");
	if (consistency != NULL)
	{
		hash_t		old_root;

		old_size = member_seq(consistency, "old_size", "consistency");
		if (!hex_decode(json_string_value(member(consistency, "old_root", JSON_STRING, "consistency")), old_root) ||
			!consistent(old_size, old_root, tree_size, root, member(consistency, "proof", JSON_ARRAY, "consistency")))
			failed("the consistency proof does not show the checkpoint of size %" PRIu64
				   " to be an earlier state of the package's", old_size);
		report("  consistent with the earlier checkpoint of size %" PRIu64 ": ok\n", old_size);
	}

	/* 5. the checkpoint kept elsewhere */
	if (checkpoint_path != NULL)
	{
		size_t		len;
		char	   *given = read_all(checkpoint_path, &len);
		uint64_t	given_size;
		char		given_root[HASH_LEN * 2 + 1];
		uint64_t	index = member_seq(inclusion, "log_index", "inclusion");

		if (!parse_checkpoint(given, &given_size, given_root))
			unreadable("%s is not an hrguard checkpoint body", checkpoint_path);
		if (given_size == tree_size && strcmp(given_root, body_root) == 0)
			report("  checkpoint given (%s): the same\n", checkpoint_path);
		else if (consistency != NULL && given_size == old_size &&
				 strcmp(given_root, json_string_value(json_object_get(consistency, "old_root"))) == 0)
		{
			report("  checkpoint given (%s): the earlier one, which the package's extends\n", checkpoint_path);
			if (index < old_size)
				report("  seq %" PRIu64 " (log index %" PRIu64 ") was already in it: every entry of the package is\n"
					   "  anchored by the checkpoint given\n", last_seq, index);
			else
				report("  NOTE: seq %" PRIu64 " (log index %" PRIu64 ") joined the log after it: entries recorded\n"
					   "  since are anchored only by the package's own checkpoint\n", last_seq, index);
		}
		else
			failed("the package is proven against the checkpoint of size %" PRIu64
				   ", root %s; %s has size %" PRIu64 ", root %s",
				   tree_size, body_root, checkpoint_path, given_size, given_root);
		free(given);
	}

	report("OK\n");
	json_decref(package);
	free(read.entries);
	free(text);
	EVP_MD_CTX_free(md);
	EVP_MD_free(sha256);
	return 0;
}
