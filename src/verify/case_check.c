/*-------------------------------------------------------------------------
 *
 * case_check.c
 *	  hrguard-verify on a case package (hrguard.export_case): once its
 *	  custody package and the employee's evidence package have verified on
 *	  their own, whether the case and steps the package states are what
 *	  those chains hold.
 *
 * The steps and the case are stated by the package, not hashed; what a
 * verified custody chain holds is.  So each stated step is compared with
 * the custody entry of its number (kind, actor, duty, role, time and
 * details), every custody entry must be a stated step, and each entry of
 * the employee's chain a step attached (by its link) must be, where the
 * evidence package holds that seq, the very entry there.
 *
 * IDENTIFICATION
 *	  src/verify/case_check.c
 *
 *-------------------------------------------------------------------------
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case_check.h"
#include "report.h"

static const char *
string_of(json_t *object, const char *key)
{
	const char *value = json_string_value(json_object_get(object, key));

	return value != NULL ? value : "";
}

bool
is_case_package(const char *text, size_t len)
{
	return package_has_format(text, len, CASE_PACKAGE_FORMAT);
}

/*
 * The same, for a case package whose format member the scan cannot read
 * (written with escapes, as some JSON writers write "\/"): when its first
 * bytes name the format at all, it is read whole and its format compared.
 */
bool
is_case_json(const char *text, size_t len)
{
	const char *name = "hrguard-case-package";
	size_t		n = strlen(name);
	size_t		limit = len < 4096 ? len : 4096;
	size_t		i;
	json_t	   *doc;
	bool		is_case;

	for (i = 0; i + n <= limit; i++)
		if (memcmp(text + i, name, n) == 0)
			break;
	if (i + n > limit)
		return false;
	doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, NULL);
	is_case = doc != NULL && json_is_object(doc) &&
		strcmp(string_of(doc, "format"), CASE_PACKAGE_FORMAT) == 0;
	if (!is_case && doc != NULL && strncmp(string_of(doc, "format"), name, n) == 0)
		unreadable("the package is a case package of format %s; this hrguard-verify reads case packages of format %s",
				   shown(string_of(doc, "format")), CASE_PACKAGE_FORMAT);
	json_decref(doc);
	return is_case;
}

/* the custody entry of a seq, decoded: its canonical JSON object */
static json_t *
custody_entry(const Package *custody, uint64_t seq)
{
	size_t		i;

	for (i = 0; i < custody->n_entries; i++)
	{
		const PackageEntry *e = &custody->entries[i];
		uint8_t    *bytes;
		long		n;
		json_t	   *doc;
		json_error_t error;

		if (e->seq != seq)
			continue;
		bytes = malloc(base64_decoded_length(e->canon, e->canon_len) + 1);
		if (bytes == NULL)
			unreadable("out of memory");
		n = base64_decode(e->canon, e->canon_len, bytes);
		if (n < 0)
			unreadable("custody entry seq %" PRIu64 ": its canon is not base64", seq);
		doc = json_loadb((const char *) bytes, (size_t) n, 0, &error);
		free(bytes);
		if (doc == NULL || !json_is_object(doc))
			failed("custody entry seq %" PRIu64 " is not a JSON object", seq);
		return doc;
	}
	return NULL;
}

/* the link of the evidence package's entry of a seq, as written; NULL if it has none */
static const PackageEntry *
evidence_entry(const Package *evidence, uint64_t seq)
{
	size_t		i;

	for (i = 0; i < evidence->n_entries; i++)
		if (evidence->entries[i].seq == seq)
			return &evidence->entries[i];
	return NULL;
}

/* a stated time (or null) against the time of a step, or none */
static void
check_stated_time(json_t *the_case, const char *key, bool has, int64_t at)
{
	json_t	   *value = json_object_get(the_case, key);
	int64_t		stated;

	if (!has)
	{
		if (!json_is_null(value))
			failed("the case's %s is stated as %s, but no step of the custody chain gives it", key,
				   shown(json_string_value(value)));
		return;
	}
	if (!json_is_string(value) || !utc_micros(json_string_value(value), &stated) || stated != at)
		failed("the case's %s is stated as %s, not the time its custody chain records", key,
			   shown(json_string_value(value)));
}

/* a stated text member (or null) against what a step recorded */
static void
check_stated_text(json_t *the_case, const char *key, json_t *recorded)
{
	json_t	   *value = json_object_get(the_case, key);

	if (!json_equal(value != NULL ? value : json_null(), recorded != NULL ? recorded : json_null()))
		failed("the case's %s is stated as %s, not what its custody chain records", key,
			   shown(json_string_value(value)));
}

/* the package's stated range (evidence) against what the export step recorded */
static void
check_range(json_t *evidence_doc, json_t *export_details)
{
	json_t	   *range = json_object_get(evidence_doc, "range");
	const char *from = json_string_value(json_object_get(range, "from"));
	json_t	   *to = json_object_get(range, "to");
	const char *recorded_from = json_string_value(json_object_get(export_details, "range_from"));
	const char *recorded_to = json_string_value(json_object_get(export_details, "range_to"));
	int64_t		a,
				b;

	if (from == NULL || recorded_from == NULL || !utc_micros(from, &a) || !utc_micros(recorded_from, &b) || a != b)
		failed("the evidence package's range starts at %s, not where the export step of the case says (%s)",
			   shown(from), shown(recorded_from));
	if (recorded_to == NULL || strcmp(recorded_to, "infinity") == 0 ? !json_is_null(to)
		: (!json_is_string(to) || !utc_micros(json_string_value(to), &a) || !utc_micros(recorded_to, &b) || a != b))
		failed("the evidence package's range ends otherwise than the export step of the case says (%s)",
			   shown(recorded_to));
}

/* one stated step against the custody entry of its number */
static void
check_step(json_t *step, json_t *entry, json_int_t case_id, const char *employee_id)
{
	uint64_t	seq = member_seq(step, "step", "a step");
	json_t	   *payload = json_object_get(entry, "p");
	int64_t		stated_at;
	static const char *const same[] = {"actor", "duty", "db_role"};
	size_t		i;

	if (strcmp(string_of(entry, "k"), "case") != 0 || !json_is_object(payload))
		failed("custody entry seq %" PRIu64 " is not a step of a case", seq);
	if (json_integer_value(json_object_get(payload, "case_id")) != case_id ||
		strcmp(string_of(payload, "employee_id"), employee_id) != 0)
		failed("custody entry seq %" PRIu64 " is a step of another case or employee", seq);
	if (strcmp(string_of(payload, "step"), string_of(step, "kind")) != 0)
		failed("step %" PRIu64 " is stated as %s but the custody chain records %s", seq,
			   shown(string_of(step, "kind")), shown(string_of(payload, "step")));
	for (i = 0; i < sizeof(same) / sizeof(same[0]); i++)
		if (strcmp(string_of(payload, same[i]), string_of(step, same[i])) != 0)
			failed("step %" PRIu64 ": its %s is stated as %s but the custody chain records %s", seq, same[i],
				   shown(string_of(step, same[i])), shown(string_of(payload, same[i])));
	if (!utc_micros(string_of(step, "occurred_at"), &stated_at) ||
		stated_at != (int64_t) json_integer_value(json_object_get(entry, "t")))
		failed("step %" PRIu64 ": its time is stated as %s, not the time the custody chain records", seq,
			   shown(string_of(step, "occurred_at")));
	if (!json_equal(json_object_get(step, "details"), json_object_get(payload, "details")))
		failed("step %" PRIu64 ": its details are not those the custody chain records", seq);
}

void
check_case(Hasher *hasher, json_t *outer, const Package *custody, const Package *evidence)
{
	json_t	   *the_case = member(outer, "case", JSON_OBJECT, "case package");
	json_t	   *steps = member(outer, "steps", JSON_ARRAY, "case package");
	const char *checkpoint = json_string_value(member(outer, "checkpoint", JSON_STRING, "case package"));
	json_int_t	case_id = json_integer_value(member(the_case, "case_id", JSON_INTEGER, "case"));
	const char *employee_id = json_string_value(member(the_case, "employee_id", JSON_STRING, "case"));
	char		chain[64];
	const char *last_state = "open";
	json_t	   *ground = NULL,
			   *opened = NULL,
			   *export_details = NULL;
	bool		closed = false,
				has_opened = false;
	int64_t		opened_at = 0,
				closed_at = 0;
	json_int_t	export_seq = json_integer_value(json_object_get(json_object_get(custody->doc, "exported"), "export_seq"));
	size_t		i,
				attached = 0,
				outside = 0;

	(void) hasher;
	snprintf(chain, sizeof(chain), "case:%" JSON_INTEGER_FORMAT, case_id);
	report("the case\n");
	report("  stated by the package: case %" JSON_INTEGER_FORMAT " of employee %s, %s%s%s\n", case_id,
		   shown(employee_id), shown(string_of(the_case, "state")),
		   json_is_string(json_object_get(the_case, "ground")) ? ", ground " : "",
		   shown(string_of(the_case, "ground")));

	/* the two packages are this case's and its employee's, under one checkpoint */
	if (strcmp(string_of(custody->doc, "employee_id"), chain) != 0)
		failed("the custody package is of chain %s, not %s", shown(string_of(custody->doc, "employee_id")), chain);
	if (strcmp(string_of(evidence->doc, "employee_id"), employee_id) != 0)
		failed("the evidence package is of employee %s, not of the case's %s",
			   shown(string_of(evidence->doc, "employee_id")), shown(employee_id));
	if (strcmp(string_of(json_object_get(custody->doc, "checkpoint"), "body"), checkpoint) != 0 ||
		strcmp(string_of(json_object_get(evidence->doc, "checkpoint"), "body"), checkpoint) != 0)
		failed("the custody and evidence packages are not proven against the case package's checkpoint");

	/* every custody entry is a stated step, and every stated step its entry */
	if (json_array_size(steps) != custody->n_entries ||
		(custody->n_entries > 0 && custody->entries[0].seq != 1))
		failed("the package states %zu steps but its custody chain holds %zu entries from seq %" PRIu64,
			   json_array_size(steps), custody->n_entries,
			   custody->n_entries > 0 ? custody->entries[0].seq : 0);
	for (i = 0; i < json_array_size(steps); i++)
	{
		json_t	   *step = json_array_get(steps, i);
		uint64_t	seq;
		json_t	   *entry,
				   *details,
				   *evidence_seq;

		if (!json_is_object(step))
			unreadable("step %zu of the case package is not an object", i + 1);
		seq = member_seq(step, "step", "a step");
		if (seq != i + 1)
			failed("the steps are not stated in order: step %" PRIu64 " is stated %zu", seq, i + 1);
		entry = custody_entry(custody, seq);
		if (entry == NULL)
			failed("step %" PRIu64 " is not in the custody chain", seq);
		check_step(step, entry, case_id, employee_id);
		json_decref(entry);

		details = json_object_get(step, "details");
		if (strcmp(string_of(step, "kind"), "transition") == 0)
		{
			int64_t		at;

			last_state = string_of(details, "to");
			closed = strcmp(last_state, "terminated") == 0 || strcmp(last_state, "warned") == 0 ||
				strcmp(last_state, "cleared") == 0;
			if (closed && utc_micros(string_of(step, "occurred_at"), &at))
				closed_at = at;
		}
		else if (strcmp(string_of(step, "kind"), "ground") == 0)
			ground = json_object_get(details, "ground");
		else if (strcmp(string_of(step, "kind"), "opened") == 0 && seq == 1)
		{
			opened = details;
			has_opened = utc_micros(string_of(step, "occurred_at"), &opened_at);
		}
		else if (strcmp(string_of(step, "kind"), "export") == 0 && (json_int_t) seq == export_seq)
			export_details = details;

		/* the entry of the employee's chain the step attached */
		evidence_seq = json_object_get(details, "evidence_seq");
		if (json_is_integer(evidence_seq) && json_is_string(json_object_get(details, "evidence_link")))
		{
			const PackageEntry *e = evidence_entry(evidence, (uint64_t) json_integer_value(evidence_seq));
			const char *link = string_of(details, "evidence_link");

			if (e == NULL)
				outside++;
			else if (e->link_len != strlen(link) || memcmp(e->link, link, e->link_len) != 0)
				failed("step %" PRIu64 " attached entry seq %" JSON_INTEGER_FORMAT " of the employee's chain, "
					   "but the evidence package holds another entry of that seq", seq,
					   json_integer_value(evidence_seq));
			else
				attached++;
		}
	}
	/* what the package states of the case is what its steps recorded */
	if (strcmp(last_state, string_of(the_case, "state")) != 0)
		failed("the case is stated %s but its custody chain leaves it %s",
			   shown(string_of(the_case, "state")), shown(last_state));
	check_stated_text(the_case, "ground", ground);
	if (opened == NULL || !has_opened)
		failed("the custody chain does not open with the case's opening");
	check_stated_text(the_case, "reason", json_object_get(opened, "reason"));
	check_stated_text(the_case, "tenant_id", json_object_get(opened, "tenant_id"));
	check_stated_time(the_case, "opened_at", true, opened_at);
	check_stated_time(the_case, "closed_at", closed, closed_at);
	if (export_details == NULL)
		failed("the custody chain has no export step %" JSON_INTEGER_FORMAT " (the export this package states)",
			   export_seq);
	check_range(evidence->doc, export_details);
	report("  steps: %zu, each the entry of its number in the custody chain %s\n", json_array_size(steps), chain);
	report("  evidence attached from the employee's chain: %zu entries, each the one the evidence package holds",
		   attached);
	if (outside > 0)
		report("; %zu outside its range (not checked)", outside);
	report("\n");
}
