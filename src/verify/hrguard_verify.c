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

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "chain_run.h"
#include "hashes.h"
#include "package.h"

#define PACKAGE_FORMAT "hrguard-evidence-package/1"
#define CHECKPOINT_ORIGIN "hrguard/v1/checkpoint"

static Hasher hasher;			/* the main thread's */
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
			node_hash(&hasher, p, root, root);
			while (!(fn & 1) && fn != 0)
			{
				fn >>= 1;
				sn >>= 1;
			}
		}
		else
			node_hash(&hasher, root, p, root);
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
			node_hash(&hasher, c, fr, fr);
			node_hash(&hasher, c, sr, sr);
			while (!(fn & 1) && fn != 0)
			{
				fn >>= 1;
				sn >>= 1;
			}
		}
		else
			node_hash(&hasher, sr, c, sr);
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

/*
 * The package's text.  A regular file is mapped rather than read: a large
 * package is then neither copied nor held twice.  The text is not
 * NUL-terminated.
 */
static bool text_mapped = false;

static const char *
package_text(const char *path, size_t *len)
{
	struct stat st;
	int			fd;
	void	   *map;

	if (strcmp(path, "-") == 0)
		return read_all(path, len);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		unreadable("could not open \"%s\": %s", path, strerror(errno));
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size == 0)
	{
		close(fd);
		return read_all(path, len);
	}
	map = mmap(NULL, (size_t) st.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED)
		return read_all(path, len);
	text_mapped = true;
	*len = (size_t) st.st_size;
	return map;
}

static void
release_text(const char *text, size_t len)
{
	if (text_mapped)
		munmap((void *) text, len);
	else
		free((void *) text);
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

/* every entry's link, recomputed; fails on the first that does not hold */
static void
verify_entries(const char *employee_id, const Package *package, const hash_t previous,
			   uint64_t *first_seq, uint64_t *last_seq, hash_t last_link, hash_t canon_sha256)
{
	ChainRun	run;
	const char *problem;
	size_t		n = package->n_entries;

	if (n == 0)
		unreadable("the package has no entries");
	problem = chain_run_verify(employee_id, package, previous, &run);
	if (problem != NULL)
		unreadable("%s", problem);
	if (run.failure != RUN_OK)
	{
		const PackageEntry *e = &package->entries[run.failed_at];

		switch (run.failure)
		{
			case RUN_SEQ:
				failed("entry seq %" PRIu64 ": expected seq %" PRIu64 " (an entry is missing or out of order)",
					   e->seq, run.first_seq + run.failed_at);
				break;
			case RUN_CANON:
				failed("entry seq %" PRIu64 ": its canon is not base64", e->seq);
				break;
			case RUN_LINK_FORMAT:
				failed("entry seq %" PRIu64 ": its link is not 64 hex digits", e->seq);
				break;
			default:
				failed("entry seq %" PRIu64 ": its content and the entries before it do not give its link "
					   "(the entry or one before it was changed)", e->seq);
				break;
		}
	}
	describe("first", run.first_seq, run.canon, run.canon_at[1], employee_id);
	describe("last ", run.last_seq, run.canon + run.canon_at[n - 1],
			 run.canon_at[n] - run.canon_at[n - 1], employee_id);
	*first_seq = run.first_seq;
	*last_seq = run.last_seq;
	memcpy(last_link, run.last_link, HASH_LEN);
	memcpy(canon_sha256, run.canon_sha256, HASH_LEN);
	chain_run_free(&run);
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

/* 2. The manifest lists the entries the package holds, their last link and hash. */
static void
check_manifest(json_t *package, uint64_t first_seq, uint64_t last_seq, const hash_t last_link,
			   const hash_t canon_sha256)
{
	json_t	   *manifest = member(package, "manifest", JSON_OBJECT, "package");
	hash_t		expected;

	if (member_seq(manifest, "entries", "manifest") != last_seq - first_seq + 1 ||
		member_seq(manifest, "first_seq", "manifest") != first_seq ||
		member_seq(manifest, "last_seq", "manifest") != last_seq)
		failed("the manifest lists %" JSON_INTEGER_FORMAT " entries, seq %" JSON_INTEGER_FORMAT
			   "..%" JSON_INTEGER_FORMAT "; the package holds %" PRIu64 ", seq %" PRIu64 "..%" PRIu64
			   " (entries were added or removed)",
			   json_integer_value(json_object_get(manifest, "entries")),
			   json_integer_value(json_object_get(manifest, "first_seq")),
			   json_integer_value(json_object_get(manifest, "last_seq")),
			   last_seq - first_seq + 1, first_seq, last_seq);
	if (!hex_decode(json_string_value(member(manifest, "last_link", JSON_STRING, "manifest")), expected) ||
		memcmp(expected, last_link, HASH_LEN) != 0)
		failed("the manifest's last_link is not the link of entry seq %" PRIu64, last_seq);
	if (!hex_decode(json_string_value(member(manifest, "canon_sha256", JSON_STRING, "manifest")), expected) ||
		memcmp(expected, canon_sha256, HASH_LEN) != 0)
		failed("the manifest's canon_sha256 does not match the entries");
}

/*
 * 3. The last entry is in the checkpoint's tree: the tree's size, the root
 * the proof leads to and the body's root; the log index of the entry.
 */
static uint64_t
check_inclusion(json_t *package, const char *employee_id, uint64_t last_seq,
				const hash_t last_link, hash_t root, char *body_root, uint64_t *log_index)
{
	json_t	   *checkpoint = member(package, "checkpoint", JSON_OBJECT, "package");
	const char *body = json_string_value(member(checkpoint, "body", JSON_STRING, "checkpoint"));
	json_t	   *inclusion;
	uint64_t	tree_size,
				body_size;
	hash_t		leaf,
				expected;
	char		hex[HASH_LEN * 2 + 1];

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
	log_leaf(&hasher, employee_id, last_seq, last_link, leaf);
	if (!hex_decode(json_string_value(member(inclusion, "leaf_hash", JSON_STRING, "inclusion")), expected) ||
		memcmp(expected, leaf, HASH_LEN) != 0)
		failed("entry seq %" PRIu64 ": its log leaf is not the one the proof starts from", last_seq);
	*log_index = member_seq(inclusion, "log_index", "inclusion");
	if (!inclusion_root(*log_index, tree_size, leaf,
						member(inclusion, "proof", JSON_ARRAY, "inclusion"), root))
		failed("the inclusion proof does not fit log index %" PRIu64 " of a tree of %" PRIu64,
			   *log_index, tree_size);
	hex_encode(root, hex);
	if (strcmp(hex, body_root) != 0)
		failed("entry seq %" PRIu64 " with the inclusion proof gives root %s, the checkpoint says %s",
			   last_seq, hex, body_root);
	report("  checkpoint: size %" PRIu64 ", root %s\n", tree_size, body_root);
	report("  inclusion of seq %" PRIu64 " (log index %" PRIu64 "): ok\n", last_seq, *log_index);
	return tree_size;
}

/*
 * 5. The checkpoint kept outside: the package's own, or the earlier one its
 * consistency proof extends.
 */
static void
check_given_checkpoint(const char *checkpoint_path, uint64_t tree_size, const char *body_root,
					   json_t *consistency, uint64_t old_size, uint64_t last_seq, uint64_t index)
{
	size_t		len;
	char	   *given = read_all(checkpoint_path, &len);
	uint64_t	given_size;
	char		given_root[HASH_LEN * 2 + 1];

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

int
main(int argc, char **argv)
{
	const char *package_path = NULL,
			   *checkpoint_path = NULL;
	const char *text;
	size_t		text_len;
	const char *problem;
	Package		read;
	json_t	   *package,
			   *consistency;
	const char *employee_id;
	hash_t		previous,
				last_link,
				canon_sha256,
				root;
	uint64_t	first_seq = 0,
				last_seq = 0,
				old_size = 0,
				tree_size,
				log_index;
	char		body_root[HASH_LEN * 2 + 1];
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
	if (!hashes_init() || !hasher_open(&hasher))
		unreadable("SHA-256 is not available");

	text = package_text(package_path, &text_len);
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
	check_manifest(package, first_seq, last_seq, last_link, canon_sha256);

	/* 3. the last entry is in the checkpoint's tree */
	tree_size = check_inclusion(package, employee_id, last_seq, last_link, root, body_root, &log_index);

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
		check_given_checkpoint(checkpoint_path, tree_size, body_root, consistency, old_size,
							   last_seq, log_index);

	report("OK\n");
	json_decref(package);
	free(read.entries);
	release_text(text, text_len);
	hasher_close(&hasher);
	hashes_done();
	return 0;
}
