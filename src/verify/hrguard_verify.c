/*-------------------------------------------------------------------------
 *
 * hrguard_verify.c
 *	  hrguard-verify: checks an evidence package from
 *	  hrguard.export_evidence(), or a case package from
 *	  hrguard.export_case(), offline, with no database, optionally against
 *	  a checkpoint body kept elsewhere.
 *
 *	  hrguard-verify [--checkpoint FILE] [--quiet] [--html FILE] PACKAGE
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
#include "case_check.h"
#include "case_html.h"
#include "checkpoint_body.h"
#include "completeness.h"
#include "hashes.h"
#include "merkle_check.h"
#include "package.h"
#include "report.h"

#define PACKAGE_FORMAT "hrguard-evidence-package/2"
#define PACKAGE_FORMAT_V1 "hrguard-evidence-package/1"

static Hasher hasher;			/* the main thread's */
static const hash_t zero_hash = {0};

/* ---- the package -------------------------------------------------------- */

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
static bool
describe(const char *label, uint64_t seq, const uint8_t *canon, size_t len,
		 const char *employee_id, int64_t *occurred)
{
	bool		has_time = false;
	json_t	   *doc = json_loadb((const char *) canon, len, JSON_REJECT_DUPLICATES, NULL);
	json_t	   *t;
	const char *e;
	char		when[96] = "?";

	if (doc == NULL || !json_is_object(doc))
		failed("entry seq %" PRIu64 ": its canonical bytes are not a JSON object with each key once", seq);
	e = json_string_value(json_object_get(doc, "e"));
	if (e == NULL || strcmp(e, employee_id) != 0)
		failed("entry seq %" PRIu64 ": it belongs to employee \"%s\"", seq, shown(e));
	t = json_object_get(doc, "t");
	if (json_is_integer(t))
	{
		json_int_t	us = json_integer_value(t);

		has_time = true;
		*occurred = (int64_t) us;
		json_int_t	fraction = ((us % 1000000) + 1000000) % 1000000;
		time_t		secs = (time_t) ((us - fraction) / 1000000);
		struct tm	tm;

		if (gmtime_r(&secs, &tm) != NULL)
			snprintf(when, sizeof(when), "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ",
					 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
					 tm.tm_hour, tm.tm_min, tm.tm_sec, (int) fraction);
	}
	report("  %s entry: seq %" PRIu64 ", kind %s, occurred %s\n", label, seq,
		   shown(json_string_value(json_object_get(doc, "k"))), when);
	json_decref(doc);
	return has_time;
}

/* every entry's link, recomputed; fails on the first that does not hold */
static void
verify_entries(Verified *v, const hash_t previous, hash_t canon_sha256)
{
	const Package *package = v->package;
	const char *employee_id = v->employee_id;
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
				{
					uint64_t	expected = run.first_seq + run.failed_at;

					size_t		k;

					/* the seq expected comes later: out of order, not missing */
					for (k = run.failed_at + 1; k < package->n_entries; k++)
						if (package->entries[k].seq == expected)
							failed("entry seq %" PRIu64 ": expected seq %" PRIu64 ", which comes later "
								   "(the entries are out of order)", e->seq, expected);
					if (e->seq == expected + 1)
						failed("seq %" PRIu64 " is missing (entry seq %" PRIu64 " follows seq %" PRIu64 ")",
							   expected, e->seq, expected - 1);
					if (e->seq > expected)
						failed("seqs %" PRIu64 "..%" PRIu64 " are missing (entry seq %" PRIu64
							   " follows seq %" PRIu64 ")", expected, e->seq - 1, e->seq, expected - 1);
					failed("entry seq %" PRIu64 ": expected seq %" PRIu64 " (an entry is out of order or repeated)",
						   e->seq, expected);
				}
			case RUN_CANON:
				unreadable("entry seq %" PRIu64 ": its canon is not standard base64", e->seq);
				break;
			case RUN_LINK_FORMAT:
				unreadable("entry seq %" PRIu64 ": its link is not 64 lower-case hex digits", e->seq);
				break;
			default:
				failed("entry seq %" PRIu64 ": its content and the entries before it do not give its link "
					   "(the entry or one before it was changed)", e->seq);
				break;
		}
	}
	v->first_has_time = describe("first", run.first_seq, run.canon, run.canon_at[1], employee_id,
								 &v->first_time);
	v->last_has_time = describe("last ", run.last_seq, run.canon + run.canon_at[n - 1],
								run.canon_at[n] - run.canon_at[n - 1], employee_id, &v->last_time);
	v->first_seq = run.first_seq;
	v->last_seq = run.last_seq;
	memcpy(v->last_link, run.last_link, HASH_LEN);
	memcpy(canon_sha256, run.canon_sha256, HASH_LEN);
	chain_run_free(&run);
}

static void
usage(void)
{
	fprintf(stderr,
			"Usage: hrguard-verify [--checkpoint FILE] [--quiet] [--html FILE] PACKAGE\n"
			"Verifies an evidence package from hrguard.export_evidence(), or a case\n"
			"package from hrguard.export_case(), offline.\n"
			"  --checkpoint FILE  also require the package's checkpoint to be this body\n"
			"  --quiet            print only a failure\n"
			"  --html FILE        once a case package verified, write its case report\n"
			"                     (the page of hrguard.case_report) to FILE; - for standard\n"
			"                     output, the report then on standard error\n"
			"PACKAGE may be - for standard input.  Exit status: 0 verified, complete and\n"
			"anchored by the checkpoint given; 1 failed; 2 unreadable (or the page could\n"
			"not be written); 3 verified, but\n"
			"some entries anchored only by the package's own checkpoint; 4 verified and\n"
			"anchored, but a format 1 package cannot prove it is complete.\n");
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
	member_hash(manifest, "last_link", "manifest", expected);
	if (memcmp(expected, last_link, HASH_LEN) != 0)
		failed("the manifest's last_link is not the link of entry seq %" PRIu64, last_seq);
	member_hash(manifest, "canon_sha256", "manifest", expected);
	if (memcmp(expected, canon_sha256, HASH_LEN) != 0)
		failed("the manifest's canon_sha256 does not match the entries");
}

/*
 * 3. The last entry is in the checkpoint's tree: the body read, its size
 * and root as the package states them, the root the proof leads to.
 */
static void
check_inclusion(Verified *v)
{
	json_t	   *checkpoint = member(v->doc, "checkpoint", JSON_OBJECT, "package");
	const char *body = json_string_value(member(checkpoint, "body", JSON_STRING, "checkpoint"));
	json_t	   *inclusion;
	const char *problem;
	hash_t		leaf,
				expected,
				root;

	problem = checkpoint_body_read(body, strlen(body), &v->checkpoint);
	if (problem != NULL)
		unreadable("the package's checkpoint body is not an hrguard checkpoint: %s", problem);
	member_hash(checkpoint, "root", "checkpoint", expected);
	if (member_seq(checkpoint, "tree_size", "checkpoint") != v->checkpoint.size ||
		memcmp(expected, v->checkpoint.root, HASH_LEN) != 0)
		failed("the checkpoint's tree_size or root differ from its body");
	inclusion = member(v->doc, "inclusion", JSON_OBJECT, "package");
	if (member_seq(inclusion, "seq", "inclusion") != v->last_seq)
		failed("the inclusion proof is for seq %" PRIu64 ", not the last entry %" PRIu64,
			   member_seq(inclusion, "seq", "inclusion"), v->last_seq);
	log_leaf(&hasher, v->employee_id, v->last_seq, v->last_link, leaf);
	member_hash(inclusion, "leaf_hash", "inclusion", expected);
	if (memcmp(expected, leaf, HASH_LEN) != 0)
		failed("entry seq %" PRIu64 ": its log leaf is not the one the proof starts from", v->last_seq);
	v->log_index = member_seq(inclusion, "log_index", "inclusion");
	if (!inclusion_root(&hasher, v->log_index, v->checkpoint.size, leaf,
						member_proof(inclusion, "proof", "inclusion"), root))
		failed("the inclusion proof does not fit log index %" PRIu64 " of a tree of %" PRIu64,
			   v->log_index, v->checkpoint.size);
	if (memcmp(root, v->checkpoint.root, HASH_LEN) != 0)
	{
		char		hex[HASH_LEN * 2 + 1];

		hex_encode(root, hex);
		failed("entry seq %" PRIu64 " with the inclusion proof gives root %s, the checkpoint says %s",
			   v->last_seq, hex, v->checkpoint.root_hex);
	}
	report("  the package's checkpoint: size %" PRIu64 ", root %s\n", v->checkpoint.size, v->checkpoint.root_hex);
	report("  inclusion of seq %" PRIu64 " (log index %" PRIu64 "): ok\n", v->last_seq, v->log_index);
}

/* 4. An earlier checkpoint the package's extends. */
static void
check_consistency(Verified *v)
{
	json_t	   *consistency = member_optional(v->doc, "consistency", JSON_OBJECT, "package");
	hash_t		old_root;
	uint64_t	old_size;

	if (consistency == NULL)
		return;
	old_size = member_seq(consistency, "old_size", "consistency");
	member_hash(consistency, "old_root", "consistency", old_root);
	if (!consistent(&hasher, old_size, old_root, v->checkpoint.size, v->checkpoint.root,
					member_proof(consistency, "proof", "consistency")))
		failed("the consistency proof does not show the checkpoint of size %" PRIu64
			   " to be an earlier state of the package's", old_size);
	report("  consistent with the earlier checkpoint of size %" PRIu64 ": ok\n", old_size);
}

/* the package's format: 1 or 2 */
static int
package_format(json_t *package)
{
	const char *format = json_string_value(member(package, "format", JSON_STRING, "package"));

	if (strcmp(format, PACKAGE_FORMAT_V1) == 0)
		return 1;
	if (strcmp(format, PACKAGE_FORMAT) == 0)
		return 2;
	if (strncmp(format, "hrguard-evidence-package/", 25) == 0)
		unreadable("the package is of format %s; this hrguard-verify reads formats 1 and 2", shown(format + 25));
	unreadable("not an hrguard evidence package (format %s)", shown(format));
}

/*
 * Verifies one evidence package read from text (which must outlive what
 * "read" points to); prints its report, exits on a failure, and returns
 * the exit status it leaves.  The caller frees "read".
 */
static int
verify_package(const char *text, size_t text_len, const char *where,
			   const char *checkpoint_path, Package *read)
{
	const char *problem;
	Verified	v = {0};
	int			format,
				status;
	hash_t		previous,
				canon_sha256;

	problem = package_read(text, text_len, read);
	if (problem != NULL)
		unreadable("%s: %s", where, problem);
	v.hasher = &hasher;
	v.doc = read->doc;
	v.package = read;
	format = package_format(v.doc);
	v.format = format;
	v.employee_id = json_string_value(member(v.doc, "employee_id", JSON_STRING, "package"));
	report("evidence package of employee %s (format %d)\n", shown(v.employee_id), format);
	{
		json_t	   *exported = member(v.doc, "exported", JSON_OBJECT, "package");

		report("  stated by the package, covered by no hash: exported by %s at %s (export entry seq %"
			   JSON_INTEGER_FORMAT ")\n",
			   shown(json_string_value(json_object_get(exported, "by"))),
			   shown(json_string_value(json_object_get(exported, "at"))),
			   json_integer_value(json_object_get(exported, "export_seq")));
	}

	/* 1. the chain run */
	member_hash(v.doc, "previous_link", "package", previous);
	if (read->n_entries > 0 && read->entries[0].seq == 0)
		unreadable("entry seq 0: seqs start at 1");
	verify_entries(&v, previous, canon_sha256);
	if (v.first_seq == 1 && memcmp(previous, zero_hash, HASH_LEN) != 0)
		failed("the chain starts at seq 1 but previous_link is not zero");
	report("  links: ok, seq %" PRIu64 "..%" PRIu64 " (%" PRIu64 " entries)\n",
		   v.first_seq, v.last_seq, v.last_seq - v.first_seq + 1);

	/* 2. the manifest */
	check_manifest(v.doc, v.first_seq, v.last_seq, v.last_link, canon_sha256);

	/* 3. the last entry is in the checkpoint's tree */
	check_inclusion(&v);
	if (format >= 2 && v.checkpoint.version < 2)
		unreadable("a format 2 package proven against a checkpoint of version 1");
	if (format < 2 && v.checkpoint.version >= 2)
		failed("a format 1 package proven against a checkpoint of version %d, which commits to chain heads: "
			   "format 1 packages were made only against checkpoints of version 1, and this one carries no head",
			   v.checkpoint.version);

	/* 4. the package holds all of its range under the checkpoint */
	if (format >= 2)
		check_complete(&v);
	else
		report("  completeness: not proven (format 1 packages carry no chain head)\n");

	/* 5. an earlier checkpoint the package's extends */
	check_consistency(&v);

	/* 6. what a checkpoint kept outside anchors */
	status = check_anchoring(&v, checkpoint_path);
	if (status == EXIT_VERIFIED && format < 2)
		status = EXIT_NOT_PROVEN_COMPLETE;
	return status;
}

static void
report_status(int status)
{
	switch (status)
	{
		case EXIT_VERIFIED:
			report("OK\n");
			break;
		case EXIT_PARTLY_ANCHORED:
			report("VERIFIED, NOT FULLY ANCHORED: some entries rest only on the package's own checkpoint\n");
			break;
		default:
			report("VERIFIED, NOT PROVEN COMPLETE: no checkpoint kept outside shows that nothing was left out\n");
			break;
	}
}

/*
 * A case package (hrguard.export_case): its custody package and the
 * employee's evidence package, each verified in full, then what ties the
 * case's stated steps to them (case_check.c).  The worse status wins.
 */
static char stdin_copy[] = "/tmp/hrguard-verify.XXXXXX";
static bool stdin_copied = false;

static void
remove_stdin_copy(void)
{
	if (stdin_copied)
		unlink(stdin_copy);
}

/* a checkpoint given on standard input, kept in a file: both packages read it */
static const char *
checkpoint_once(const char *checkpoint_path)
{
	size_t		len;
	char	   *body;
	int			fd;

	if (checkpoint_path == NULL || strcmp(checkpoint_path, "-") != 0)
		return checkpoint_path;
	body = read_all("-", &len);
	fd = mkstemp(stdin_copy);
	if (fd < 0)
		unreadable("could not keep the checkpoint read from standard input: %s", strerror(errno));
	stdin_copied = true;
	checkpoint_from_stdin = stdin_copy;
	atexit(remove_stdin_copy);
	if (write(fd, body, len) != (ssize_t) len || close(fd) != 0)
		unreadable("could not keep the checkpoint read from standard input: %s", strerror(errno));
	free(body);
	return stdin_copy;
}

static int
verify_case_package(json_t *outer, const char *checkpoint_path, const char *html_path)
{
	Package		custody,
				evidence;
	char	   *custody_text,
			   *evidence_text;
	int			status,
				other;

	custody_text = json_dumps(member(outer, "custody", JSON_OBJECT, "case package"), JSON_PRESERVE_ORDER);
	evidence_text = json_dumps(member(outer, "evidence", JSON_OBJECT, "case package"), JSON_PRESERVE_ORDER);
	if (custody_text == NULL || evidence_text == NULL)
		unreadable("out of memory");
	report("case package\n");
	checkpoint_path = checkpoint_once(checkpoint_path);
	status = verify_package(custody_text, strlen(custody_text), "the case's custody package", checkpoint_path, &custody);
	other = verify_package(evidence_text, strlen(evidence_text), "the employee's evidence package", checkpoint_path, &evidence);
	if (other > status)
		status = other;
	check_case(&hasher, outer, &custody, &evidence);
	if (html_path != NULL)
		write_case_html(html_path, outer, &custody, &evidence, status);
	json_decref(custody.doc);
	json_decref(evidence.doc);
	free(custody.entries);
	free(evidence.entries);
	free(custody_text);
	free(evidence_text);
	return status;
}

/* --html FILE must not be the package or the checkpoint given: the page would replace it */
static void
refuse_overwriting(const char *html_path, const char *package_path, const char *checkpoint_path)
{
	struct stat page,
				other;
	const char *inputs[2] = {package_path, checkpoint_path};
	int			i;

	if (html_path == NULL || strcmp(html_path, "-") == 0 || stat(html_path, &page) != 0)
		return;
	for (i = 0; i < 2; i++)
		if (inputs[i] != NULL && strcmp(inputs[i], "-") != 0 && stat(inputs[i], &other) == 0 &&
			page.st_dev == other.st_dev && page.st_ino == other.st_ino)
			unreadable("--html %s is the %s given: the page would replace it", shown(html_path),
					   i == 0 ? "package" : "checkpoint");
}

int
main(int argc, char **argv)
{
	const char *package_path = NULL,
			   *checkpoint_path = NULL,
			   *html_path = NULL;
	const char *text;
	size_t		text_len;
	Package		read;
	int			status;
	int			i;

	for (i = 1; i < argc; i++)
	{
		if (strcmp(argv[i], "--checkpoint") == 0 && i + 1 < argc)
			checkpoint_path = argv[++i];
		else if (strcmp(argv[i], "--quiet") == 0)
			quiet = true;
		else if (strcmp(argv[i], "--html") == 0 && i + 1 < argc)
		{
			html_path = argv[++i];
			report_to_stderr = strcmp(html_path, "-") == 0;
		}
		else if (strcmp(argv[i], "--help") == 0 || (argv[i][0] == '-' && argv[i][1] != '\0'))
			usage();
		else if (package_path == NULL)
			package_path = argv[i];
		else
			usage();
	}
	if (package_path == NULL)
		usage();
	refuse_overwriting(html_path, package_path, checkpoint_path);
	if (!hashes_init() || !hasher_open(&hasher))
		unreadable("SHA-256 is not available");

	text = package_text(package_path, &text_len);
	if (is_case_package(text, text_len) || is_case_json(text, text_len))
	{
		json_error_t error;
		json_t	   *outer = json_loadb(text, text_len, JSON_REJECT_DUPLICATES, &error);

		if (outer == NULL)
			unreadable("%s: not JSON (%s, line %d)", package_path, shown(error.text), error.line);
		status = verify_case_package(outer, checkpoint_path, html_path);
		json_decref(outer);
	}
	else if (html_path != NULL)
	{
		json_error_t error;
		json_t	   *doc = json_loadb(text, text_len, JSON_REJECT_DUPLICATES, &error);

		if (doc == NULL)
			unreadable("%s: not JSON (%s, line %d)", package_path, shown(error.text), error.line);
		unreadable("%s: --html draws the report of a case package (hrguard.export_case); this is not one", package_path);
	}
	else
	{
		status = verify_package(text, text_len, package_path, checkpoint_path, &read);
		json_decref(read.doc);
		free(read.entries);
	}
	report_status(status);
	if (fflush(stdout) != 0 || ferror(stdout))
		unreadable("could not write the report to standard output");
	release_text(text, text_len);
	hasher_close(&hasher);
	hashes_done();
	return status;
}
