/*-------------------------------------------------------------------------
 *
 * ingest_run.c
 *	  One vendor payload ingested: its records scanned (ingest_scan.c),
 *	  each read into a punch by the vendor's reader (ingest_json.c), and
 *	  the punches inserted through a batch (ingest_batch.c) in an order
 *	  that keeps concurrent ingestions from deadlocking.
 *
 * IDENTIFICATION
 *	  src/ingest_run.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <limits.h>

#include "miscadmin.h"
#include "utils/memutils.h"

#include <jansson.h>

#include "ingest_batch.h"
#include "ingest_json.h"
#include "ingest_run.h"
#include "ingest_scan.h"

/* a record read, and its text in the payload */
typedef struct IngestKey
{
	IngestSpan	raw;
	IngestUser *user;			/* NULL: the record is no punch */
	IngestPunch punch;			/* the record, read */
} IngestKey;

/* a record's place in the order punches are inserted (small, to sort) */
typedef struct IngestOrder
{
	int			rank;			/* the employee's (INT_MAX: no punch) */
	TimestampTz at;
	int64		index;			/* in the payload */
} IngestOrder;

/*
 * By employee (as PostgreSQL orders employee ids, COLLATE "C": their
 * ranks), then time, then payload order; records that are no punch last,
 * in payload order.  Every ingestion thus reaches the employees' evidence
 * chains in the same order, and two concurrent ones cannot deadlock on
 * them.
 */
static int
compare_order(const void *a, const void *b)
{
	const IngestOrder *x = a;
	const IngestOrder *y = b;

	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	if (x->rank != INT_MAX && x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return x->index < y->index ? -1 : (x->index > y->index ? 1 : 0);
}

/*
 * Parse and read one record into *punch, in the current memory context
 * (reset by the caller: the tree is not freed node by node).
 */
static void
read_one(const char *function, IngestSpan raw, IngestReader reader, IngestPunch *punch)
{
	json_t	   *record = hrguard_ingest_parse_record(function, raw, punch);

	if (record != NULL)
		reader(record, punch);
}

/*
 * Ingest every record of the payload's records array (member) with the
 * vendor's reader; the summary row.  Each record is parsed on its own and
 * read into the columns of its punch (kept; the tree is not), then the
 * punches are inserted in the order of compare_keys.
 */
Datum
hrguard_ingest_run(FunctionCallInfo fcinfo, const char *function, IngestVendor vendor,
				   const char *payload, const char *member, IngestSpan records,
				   IngestReader reader)
{
	IngestBatch *batch;
	IngestArray it;
	IngestSpan	raw;
	IngestKey  *keys;
	IngestOrder *order;
	int64		nkeys = 0;
	int64		cap = 1024;
	int64		i;
	MemoryContext scratch;
	MemoryContext call = CurrentMemoryContext;

	hrguard_ingest_array_open(&it, function, payload, member, records);
	/* the keys live through every batch (the batch's own context does not) */
	keys = MemoryContextAllocHuge(call, sizeof(IngestKey) * cap);
	scratch = AllocSetContextCreate(call, "hrguard ingestion record", ALLOCSET_DEFAULT_SIZES);
	batch = hrguard_ingest_begin(function, vendor);
	while (hrguard_ingest_array_next(&it, &raw))
	{
		MemoryContext old = MemoryContextSwitchTo(scratch);
		IngestPunch punch;

		CHECK_FOR_INTERRUPTS();
		read_one(function, raw, reader, &punch);
		MemoryContextSwitchTo(old);
		if (nkeys == cap)
		{
			cap *= 2;
			keys = repalloc_huge(keys, sizeof(IngestKey) * cap);
		}
		keys[nkeys].raw = raw;
		old = MemoryContextSwitchTo(call);
		hrguard_ingest_copy_punch(&keys[nkeys].punch, &punch);
		MemoryContextSwitchTo(old);
		keys[nkeys].user = NULL;
		if (keys[nkeys].punch.reason == INGEST_OK && keys[nkeys].punch.vendor_userid != NULL)
		{
			keys[nkeys].user = hrguard_ingest_note_user(batch, keys[nkeys].punch.vendor_userid);
			if (keys[nkeys].user == NULL)
				hrguard_ingest_reject(&keys[nkeys].punch, INGEST_UNKNOWN_USER,
									  "the user id is longer than %d bytes", INGEST_USERID_MAX - 1);
		}
		nkeys++;
		MemoryContextReset(scratch);
	}
	MemoryContextDelete(scratch);
	hrguard_ingest_map_users(batch);
	order = MemoryContextAllocHuge(call, sizeof(IngestOrder) * Max(nkeys, 1));
	for (i = 0; i < nkeys; i++)
	{
		const IngestUser *u = keys[i].user;

		order[i].rank = u != NULL && u->employee_id != NULL ? u->rank : INT_MAX;
		order[i].at = keys[i].punch.punched_at;
		order[i].index = i;
	}
	qsort(order, nkeys, sizeof(IngestOrder), compare_order);

	for (i = 0; i < nkeys; i++)
		hrguard_ingest_add(batch, &keys[order[i].index].punch, keys[order[i].index].raw);
	return hrguard_ingest_finish(batch, fcinfo);
}
