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
#include "ingest_parallel.h"
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

/* the reading of one payload's records */
typedef struct IngestReading
{
	IngestReader reader;
	IngestBatch *batch;
	MemoryContext call;			/* where punches are kept */
	MemoryContext scratch;		/* reset after each record */
	IngestKeys	keys;			/* the records, in payload order... */
	IngestKeys	more_keys;		/* ... and then these (a parallel worker's, and after) */
} IngestReading;

/* A record read (in the call's context) kept, its user noted. */
static void
keep_record(IngestReading *r, IngestKeys *keys, IngestSpan raw, const IngestPunch *punch)
{
	IngestKey  *key = key_append(keys);

	key->raw = raw;
	key->punch = *punch;
	key->user = NULL;
	if (punch->reason == INGEST_OK && punch->vendor_userid != NULL)
		key->user = hrguard_ingest_note_user(r->batch, punch->vendor_userid);
}

/* The record at index i of the payload. */
static IngestKey *
record_at(IngestReading *r, int64 i)
{
	return i < r->keys.nkeys ? key_at(&r->keys, i) : key_at(&r->more_keys, i - r->keys.nkeys);
}

/* The punches a parallel worker has handed over so far (all it will: wait). */
static void
take_worker_records(IngestReading *r, IngestParallel *par, bool wait)
{
	IngestSpan	raw;
	IngestPunch punch;

	while (hrguard_ingest_parallel_next(par, wait, &raw, &punch))
		keep_record(r, &r->more_keys, raw, &punch);
}

/*
 * Read the records of the array from where it is up to the element that
 * starts at until (NULL: to the end) into keys, taking from a parallel
 * worker, if there is one, what it has read meanwhile.
 */
static void
read_records(IngestReading *r, IngestArray *it, const char *until, IngestParallel *par,
			 IngestKeys *keys)
{
	int64		n = 0;
	IngestSpan	raw;
	IngestPunch punch;

	for (;;)
	{
		CHECK_FOR_INTERRUPTS();
		if (until != NULL && hrguard_ingest_array_position(it) >= until)
			break;
		if (par != NULL && ++n % 32 == 0)
			take_worker_records(r, par, false);
		if (!hrguard_ingest_read_next(it, r->reader, r->scratch, r->call, &raw, &punch))
			break;
		keep_record(r, keys, raw, &punch);
	}
}

/*
 * Ingest every record of the payload's records array (member) with the
 * vendor's reader; the summary row.  Each record is parsed on its own into
 * a tree in a short-lived context and read straight into the columns of
 * its punch, kept in the call's context (the tree is not); a large payload
 * is read by two processes (ingest_parallel.c).  Then the punches are
 * inserted in the order of compare_order.
 */
Datum
hrguard_ingest_run(FunctionCallInfo fcinfo, const char *function, IngestVendor vendor,
				   const char *payload, const char *member, IngestSpan records,
				   IngestReader reader)
{
	IngestReading r = {0};
	IngestArray it;
	IngestParallel *par;
	IngestOrder *order;
	int64		nkeys;
	int64		i;

	hrguard_ingest_array_open(&it, function, payload, member, records);
	r.reader = reader;
	r.call = CurrentMemoryContext;
	r.scratch = AllocSetContextCreate(r.call, "hrguard ingestion record", ALLOCSET_DEFAULT_SIZES);
	r.batch = hrguard_ingest_begin(function, vendor);
	/* the keys, and what the readers keep, are made in the call's context */
	MemoryContextSwitchTo(r.call);

	par = hrguard_ingest_parallel_begin(function, reader, &it);
	if (par != NULL)
	{
		const char *split = hrguard_ingest_parallel_split(par);
		bool		use;

		read_records(&r, &it, split, par, &r.keys);
		/* the worker began at a record only if reading one by one arrives there */
		use = hrguard_ingest_array_position(&it) == split;
		if (use)
			take_worker_records(&r, par, true);
		hrguard_ingest_parallel_end(par, &it, use);
		if (use)
			ereport(DEBUG1,
					(errmsg_internal("%s: %lld records read by this backend, %lld by a parallel worker",
									 function, (long long) r.keys.nkeys,
									 (long long) r.more_keys.nkeys)));
		else
		{
			ereport(DEBUG1,
					(errmsg_internal("%s: the parallel worker began inside a record; the backend reads on alone",
									 function)));
			r.more_keys.nkeys = 0;
		}
	}
	/* all the records, or those the worker did not read */
	read_records(&r, &it, NULL, NULL, par != NULL ? &r.more_keys : &r.keys);
	MemoryContextDelete(r.scratch);

	hrguard_ingest_map_users(r.batch);
	nkeys = r.keys.nkeys + r.more_keys.nkeys;
	order = MemoryContextAllocHuge(r.call, sizeof(IngestOrder) * Max(nkeys, 1));
	for (i = 0; i < nkeys; i++)
	{
		const IngestKey *key = record_at(&r, i);
		const IngestUser *u = key->user;

		order[i].rank = u != NULL && u->employee_id != NULL ? u->rank : INT_MAX;
		order[i].at = key->punch.punched_at;
		order[i].index = i;
	}
	qsort(order, nkeys, sizeof(IngestOrder), compare_order);

	for (i = 0; i < nkeys; i++)
	{
		IngestKey  *key = record_at(&r, order[i].index);

		hrguard_ingest_add(r.batch, &key->punch, key->raw, key->user);
	}
	return hrguard_ingest_finish(r.batch, fcinfo);
}
