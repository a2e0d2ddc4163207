/*-------------------------------------------------------------------------
 *
 * completeness.c
 *	  hrguard-verify's checks of completeness and anchoring.
 *
 * A checkpoint (body version 2) commits to every chain's head: its last
 * logged entry.  A package proves the head of its chain with an inclusion
 * proof in the checkpoint's heads tree; its entries then run from seq 1 or
 * from an entry that occurred before the range, to the head or to an entry
 * that occurred after it.  As the links leave no gap between, nothing of
 * the range up to the checkpoint can be missing unseen.
 *
 * Anchoring: entries are anchored by a checkpoint the user kept outside
 * when they are under it: all of them when it is the package's own, those
 * up to the chain's head under it when it is an earlier one the package's
 * extends (the package carries that head and its proof).  The rest are
 * anchored only by the package's own checkpoint, which whoever made the
 * package could have made too.
 *
 * IDENTIFICATION
 *	  src/verify/completeness.c
 *
 *-------------------------------------------------------------------------
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "completeness.h"
#include "merkle_check.h"
#include "report.h"

/* "seq A" or "seq A..B", in a static buffer (one use a call) */
static const char *
seq_span(uint64_t first, uint64_t last)
{
	static char buf[64];

	if (first == last)
		snprintf(buf, sizeof(buf), "seq %" PRIu64, first);
	else
		snprintf(buf, sizeof(buf), "seq %" PRIu64 "..%" PRIu64, first, last);
	return buf;
}

/* "seq A is missing" or "seqs A..B are missing" */
static const char *
missing_span(uint64_t first, uint64_t last)
{
	static char buf[80];

	if (first == last)
		snprintf(buf, sizeof(buf), "seq %" PRIu64 " is missing", first);
	else
		snprintf(buf, sizeof(buf), "seqs %" PRIu64 "..%" PRIu64 " are missing", first, last);
	return buf;
}

/*
 * A chain head with its proof (in "where") under a checkpoint whose heads
 * tree has body->heads leaves and root body->heads_root.
 */
static void
check_head(Verified *v, json_t *head, const CheckpointBody *body, const char *where,
		   uint64_t *seq, hash_t link)
{
	uint64_t	position = member_seq(head, "position", where);
	hash_t		leaf,
				root;

	*seq = member_seq(head, "seq", where);
	member_hash(head, "link", where, link);
	if (member_seq(head, "heads", where) != body->heads)
		failed("%s: the proof is for a heads tree of %" JSON_INTEGER_FORMAT " chains, the checkpoint has %" PRIu64,
			   where, json_integer_value(json_object_get(head, "heads")), body->heads);
	head_leaf(v->hasher, v->employee_id, *seq, link, leaf);
	if (!inclusion_root(v->hasher, position, body->heads, leaf, member_proof(head, "proof", where), root) ||
		memcmp(root, body->heads_root, HASH_LEN) != 0)
		failed("%s: the head of the chain (seq %" PRIu64 ") with its proof does not give the checkpoint's heads_root",
			   where, *seq);
}

/* an end of the range: null, or YYYY-MM-DDTHH:MM:SS.ffffffZ; false if null */
static bool
range_end(json_t *range, const char *key, int64_t *us)
{
	json_t	   *value = json_object_get(range, key);

	if (value == NULL)
		unreadable("range: \"%s\" is missing", key);
	if (json_is_null(value))
		return false;
	if (!utc_micros(json_string_value(value), us))
		unreadable("range: \"%s\" is neither null nor a UTC time of the calendar with microseconds", key);
	return true;
}

/*
 * The package's ends against a chain head (seq, link) under a checkpoint
 * ("under" names it): the last entry is the head, or occurred at or after
 * the range's end; the first is seq 1, or occurred before the range's
 * start.  An entry without a time occurred nowhere.
 */
static void
check_ends(Verified *v, uint64_t head_seq, const hash_t head_link, const char *under)
{
	if (v->last_seq > head_seq)
		failed("the package holds seq %" PRIu64 ", beyond the chain's head under %s, seq %" PRIu64,
			   v->last_seq, under, head_seq);
	if (v->last_seq == head_seq && memcmp(head_link, v->last_link, HASH_LEN) != 0)
		failed("entry seq %" PRIu64 " is not the chain's head under %s (the links differ)", v->last_seq, under);
	if (v->first_seq > 1 && !(v->first_has_time && v->has_from && v->first_time < v->from))
		failed("incomplete: %s (entry seq %" PRIu64 ", the first of the package, did not occur before the range)",
			   missing_span(1, v->first_seq - 1), v->first_seq);
	if (v->last_seq < head_seq && !(v->last_has_time && v->has_to && v->last_time >= v->to))
		failed("incomplete: %s (the chain's head under %s is seq %" PRIu64
			   "; entry seq %" PRIu64 ", the last of the package, did not occur after the range)",
			   missing_span(v->last_seq + 1, head_seq), under, head_seq, v->last_seq);
}

void
check_complete(Verified *v)
{
	json_t	   *range = member(v->doc, "range", JSON_OBJECT, "package");
	json_t	   *head = member(v->doc, "head", JSON_OBJECT, "package");
	uint64_t	head_seq;
	hash_t		head_link;

	v->has_from = range_end(range, "from", &v->from);
	v->has_to = range_end(range, "to", &v->to);
	if (v->has_from && v->has_to && v->from >= v->to)
		unreadable("range: \"from\" is not before \"to\"");

	check_head(v, head, &v->checkpoint, "head", &head_seq, head_link);
	report("  chain head under the package's checkpoint: seq %" PRIu64 ": its proof holds\n", head_seq);
	check_ends(v, head_seq, head_link, "the package's checkpoint");
	report("  complete under the package's checkpoint: every entry of the chain from seq %" PRIu64 " to %"
		   PRIu64 " is here", v->first_seq, v->last_seq);
	if (v->first_seq > 1)
		report("; seq %" PRIu64 " occurred before the range", v->first_seq);
	if (v->last_seq < head_seq)
		report("; seq %" PRIu64 " occurred after it", v->last_seq);
	report("\n  range: from %s to %s (stated by the package; the entries around it checked against it)\n",
		   v->has_from ? json_string_value(json_object_get(range, "from")) : "the chain's start",
		   v->has_to ? json_string_value(json_object_get(range, "to")) : "the checkpoint");
}

/* the link of the package's entry "seq" */
static void
package_entry_link(Verified *v, uint64_t seq, hash_t link)
{
	const PackageEntry *e = &v->package->entries[seq - v->first_seq];

	if (!hex_decode_n(e->link, e->link_len, link))
		unreadable("entry seq %" PRIu64 ": its link is not 64 hex digits", seq);
}

/*
 * An earlier checkpoint kept outside, which the package's extends: the
 * seqs it anchors are those up to the chain's head under it.
 */
static int
anchored_by_earlier(Verified *v, json_t *consistency, const CheckpointBody *given, const char *path)
{
	json_t	   *head = json_object_get(consistency, "head");
	bool		all_under = v->log_index < given->size;
	uint64_t	seq;
	hash_t		link;

	report("  checkpoint given (%s): the earlier one, which the package's extends\n", path);
	if (given->version < 2)
	{
		if (all_under)
		{
			report("  anchored by the checkpoint given: every entry, %s (seq %" PRIu64 " was already in it);\n"
				   "  complete only by the package's own checkpoint (one of version 1 has no chain heads)\n",
				   seq_span(v->first_seq, v->last_seq), v->last_seq);
			return EXIT_NOT_PROVEN_COMPLETE;
		}
		report("  not known to be anchored by the checkpoint given: %s (seq %" PRIu64 " joined the log after it,\n"
			   "  and a checkpoint of version 1 does not say where the chain stood)\n",
			   seq_span(v->first_seq, v->last_seq), v->last_seq);
		return EXIT_PARTLY_ANCHORED;
	}
	if (json_object_get(consistency, "old_heads_root") != NULL)
	{
		hash_t		old_heads_root;

		member_hash(consistency, "old_heads_root", "consistency", old_heads_root);
		if (memcmp(old_heads_root, given->heads_root, HASH_LEN) != 0)
			failed("consistency: old_heads_root is not the heads_root of %s", path);
	}
	/* where the chain stood under the body given: its head there, proven */
	if (head == NULL)
		failed("the package carries no chain head for %s, which has chain heads", path);
	if (json_is_null(head))
	{
		if (all_under)
			failed("the package says the chain had no entry under %s, yet seq %" PRIu64 " was in it",
				   path, v->last_seq);
		seq = 0;
	}
	else
		check_head(v, head, given, "consistency.head", &seq, link);
	if (all_under)
	{
		/* every entry is under it: it is complete by that body's head too */
		check_ends(v, seq, link, path);
		report("  complete under the checkpoint given: its head of the chain is seq %" PRIu64 "; what the package's\n"
			   "  own checkpoint says beyond it is anchored by nothing kept outside\n", seq);
		report("  anchored by the checkpoint given: every entry, %s (seq %" PRIu64 " was already in it)\n",
			   seq_span(v->first_seq, v->last_seq), v->last_seq);
		return EXIT_VERIFIED;
	}
	if (seq > v->last_seq)
		failed("the chain's head under %s is seq %" PRIu64 ", after the package's last entry, seq %" PRIu64
			   ", which yet joined the log after it", path, seq, v->last_seq);
	if (seq >= v->first_seq)
	{
		hash_t		held;

		package_entry_link(v, seq, held);
		if (memcmp(held, link, HASH_LEN) != 0)
			failed("entry seq %" PRIu64 " is not the one the checkpoint given holds (the links differ)", seq);
		report("  anchored by the checkpoint given: %s\n", seq_span(v->first_seq, seq));
	}
	report("  anchored only by the package's own checkpoint: %s (recorded after the checkpoint given)\n",
		   seq_span(seq >= v->first_seq ? seq + 1 : v->first_seq, v->last_seq));
	return EXIT_PARTLY_ANCHORED;
}

int
check_anchoring(Verified *v, const char *checkpoint_path)
{
	json_t	   *consistency = member_optional(v->doc, "consistency", JSON_OBJECT, "package");
	CheckpointBody given;
	FILE	   *f;
	char		text[8192];
	size_t		len;
	const char *problem;
	/* a checkpoint read from standard input is kept in a file; it is named as read */
	const char *name = checkpoint_path != NULL && checkpoint_from_stdin != NULL &&
		strcmp(checkpoint_path, checkpoint_from_stdin) == 0 ? "the checkpoint on standard input" : checkpoint_path;

	if (checkpoint_path == NULL)
	{
		report("  anchored only by the package's own checkpoint: seq %" PRIu64 "..%" PRIu64
			   " (no checkpoint kept outside was given)\n", v->first_seq, v->last_seq);
		return EXIT_PARTLY_ANCHORED;
	}
	f = strcmp(checkpoint_path, "-") == 0 ? stdin : fopen(checkpoint_path, "rb");
	if (f == NULL)
		unreadable("could not open \"%s\"", name);
	len = fread(text, 1, sizeof(text), f);
	if (ferror(f) || len == sizeof(text))
		unreadable("could not read \"%s\", or it is longer than a checkpoint body", name);
	if (f != stdin)
		fclose(f);
	problem = checkpoint_body_read(text, len, &given);
	if (problem != NULL)
		unreadable("%s is not an hrguard checkpoint body: %s", name, problem);
	if (given.size == v->checkpoint.size && memcmp(given.root, v->checkpoint.root, HASH_LEN) == 0)
	{
		if (given.normal_len != v->checkpoint.normal_len ||
			memcmp(given.normal, v->checkpoint.normal, given.normal_len) != 0)
			failed("the package's checkpoint body has the size and root of %s but differs from it in another line",
				   name);
		report("  checkpoint given (%s): the same as the package's\n", shown(name));
		report("  anchored by the checkpoint given: every entry, seq %" PRIu64 "..%" PRIu64 "\n",
			   v->first_seq, v->last_seq);
		return EXIT_VERIFIED;
	}
	if (consistency != NULL &&
		(json_int_t) given.size == json_integer_value(json_object_get(consistency, "old_size")) &&
		strcmp(given.root_hex, json_string_value(json_object_get(consistency, "old_root")) ?: "") == 0)
	{
		if (v->format < 2 && given.version >= 2)
			failed("a format 1 package against a checkpoint of version 2: no checkpoint of version 1, which "
				   "format 1 packages are proven against, comes after one of version 2");
		return anchored_by_earlier(v, consistency, &given, name);
	}
	failed("the package is proven against the checkpoint of size %" PRIu64 ", root %s; %s has size %" PRIu64
		   ", root %s", v->checkpoint.size, v->checkpoint.root_hex, name, given.size, given.root_hex);
}
