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

bool
is_case_package(const char *text, size_t len)
{
	return package_has_format(text, len, CASE_PACKAGE_FORMAT);
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

static const char *
string_of(json_t *object, const char *key)
{
	const char *value = json_string_value(json_object_get(object, key));

	return value != NULL ? value : "";
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
	const char *last_state = NULL;
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
			last_state = string_of(details, "to");

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
	if (last_state != NULL && strcmp(last_state, string_of(the_case, "state")) != 0)
		failed("the case is stated %s but its last move in the custody chain is to %s",
			   shown(string_of(the_case, "state")), shown(last_state));
	report("  steps: %zu, each the entry of its number in the custody chain %s\n", json_array_size(steps), chain);
	report("  evidence attached from the employee's chain: %zu entries, each the one the evidence package holds",
		   attached);
	if (outside > 0)
		report("; %zu outside its range (not checked)", outside);
	report("\n");
}
