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

/* the records read so far, in chunks: growing never copies them */
#define KEYS_PER_CHUNK 4096

typedef struct IngestKeys
{
	IngestKey **chunks;
	int64		nchunks;
	int64		nkeys;
} IngestKeys;

static inline IngestKey *
key_at(const IngestKeys *keys, int64 i)
{
	return &keys->chunks[i / KEYS_PER_CHUNK][i % KEYS_PER_CHUNK];
}

/* a new key at the end (in the current memory context) */
static IngestKey *
key_append(IngestKeys *keys)
{
	if (keys->nkeys == keys->nchunks * KEYS_PER_CHUNK)
	{
		if (keys->chunks == NULL)
			keys->chunks = palloc(sizeof(IngestKey *) * 16);
		else if ((keys->nchunks & (keys->nchunks - 1)) == 0 && keys->nchunks >= 16)
			keys->chunks = repalloc_huge(keys->chunks, sizeof(IngestKey *) * keys->nchunks * 2);
		keys->chunks[keys->nchunks++] = MemoryContextAllocHuge(CurrentMemoryContext,
															   sizeof(IngestKey) * KEYS_PER_CHUNK);
	}
	return key_at(keys, keys->nkeys++);
}

/*
 * Ingest every record of the payload's records array (member) with the
 * vendor's reader; the summary row.  Each record is parsed on its own into
 * a tree in a short-lived context and read straight into the columns of
 * its punch, kept in the call's context (the tree is not), then the
 * punches are inserted in the order of compare_order.
 */
Datum
hrguard_ingest_run(FunctionCallInfo fcinfo, const char *function, IngestVendor vendor,
				   const char *payload, const char *member, IngestSpan records,
				   IngestReader reader)
{
	IngestBatch *batch;
	IngestArray it;
	IngestKeys	keys = {0};
	IngestOrder *order;
	int64		i;
	MemoryContext scratch;
	MemoryContext call = CurrentMemoryContext;

	hrguard_ingest_array_open(&it, function, payload, member, records);
	scratch = AllocSetContextCreate(call, "hrguard ingestion record", ALLOCSET_DEFAULT_SIZES);
	batch = hrguard_ingest_begin(function, vendor);
	/* the keys, and what the readers keep, are made in the call's context */
	MemoryContextSwitchTo(call);
	for (;;)
	{
		IngestSpan	raw;
		json_t	   *tree;
		json_t	   *record;
		IngestKey  *key;
		bool		more;

		CHECK_FOR_INTERRUPTS();
		/* the record's tree goes with the scratch context */
		MemoryContextSwitchTo(scratch);
		more = hrguard_ingest_array_next(&it, &raw, &tree);
		MemoryContextSwitchTo(call);
		if (!more)
			break;

		key = key_append(&keys);
		key->raw = raw;
		key->user = NULL;
		record = hrguard_ingest_parse_record(function, raw, tree, &key->punch);
		if (record != NULL)
			reader(record, raw, scratch, &key->punch);
		/* a rejected record is kept as sent: what was read of it is not needed */
		if (key->punch.reason != INGEST_OK && key->punch.vendor_flags != NULL)
		{
			pfree(key->punch.vendor_flags);
			key->punch.vendor_flags = NULL;
		}
		if (key->punch.reason == INGEST_OK && key->punch.vendor_userid != NULL)
			key->user = hrguard_ingest_note_user(batch, key->punch.vendor_userid);
		MemoryContextReset(scratch);
	}
	MemoryContextSwitchTo(call);
	MemoryContextDelete(scratch);
	hrguard_ingest_map_users(batch);
	order = MemoryContextAllocHuge(call, sizeof(IngestOrder) * Max(keys.nkeys, 1));
	for (i = 0; i < keys.nkeys; i++)
	{
		const IngestKey *key = key_at(&keys, i);
		const IngestUser *u = key->user;

		order[i].rank = u != NULL && u->employee_id != NULL ? u->rank : INT_MAX;
		order[i].at = key->punch.punched_at;
		order[i].index = i;
	}
	qsort(order, keys.nkeys, sizeof(IngestOrder), compare_order);

	for (i = 0; i < keys.nkeys; i++)
	{
		IngestKey  *key = key_at(&keys, order[i].index);

		hrguard_ingest_add(batch, &key->punch, key->raw, key->user);
	}
	return hrguard_ingest_finish(batch, fcinfo);
}
