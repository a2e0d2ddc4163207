/*-------------------------------------------------------------------------
 *
 * ingest_parallel.c
 *	  The records of a large payload read by two processes.
 *
 * Reading a record (jansson's parse, then the vendor's reader) costs about
 * a tenth of inserting its punch, and the inserts must all come after the
 * last record is read (they go in employee and time order).  For a large
 * payload the calling backend therefore starts one parallel worker, as
 * CREATE INDEX does, and hands it the records from a likely record start
 * some way past the middle (copied to the parallel context's shared
 * memory); both read their share at once, and the worker sends its
 * punches back through a queue, in payload order, which the backend takes
 * in between its own records.
 *
 * The likely start is found without parsing (hrguard_ingest_array_guess)
 * and may lie inside a string: the worker's punches are used only when
 * the backend, reading its records one by one, arrives exactly there.
 * Then the worker read the same text with the same code as the backend
 * would have, so its punches are the ones the backend would have read.
 * The worker touches no table and decides nothing.  A record it cannot
 * read (a payload that is not JSON there, say) ends its run without an
 * error: the backend reads from that record on itself, and reports what
 * is wrong exactly as when reading alone.  No worker to be had, or one
 * that never starts, leaves the whole payload to the backend.
 * max_parallel_maintenance_workers = 0 turns this off.
 *
 * IDENTIFICATION
 *	  src/ingest_parallel.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/parallel.h"
#include "access/xact.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "storage/proc.h"
#include "storage/shm_mq.h"
#include "storage/shm_toc.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"

#include <jansson.h>

#include "ingest_dingtalk.h"
#include "ingest_parallel.h"
#include "ingest_wecom.h"

/* payloads whose records are smaller than this are read by one process */
#define INGEST_PARALLEL_MIN_BYTES (4 * 1024 * 1024)
/* ... as are those whose records are larger than this (judged by one) */
#define INGEST_PARALLEL_MAX_RECORD (64 * 1024)
/* the worker's share is copied to shared memory: no more than this */
#define INGEST_PARALLEL_MAX_COPY (64 * 1024 * 1024)
/*
 * The worker's share of the bytes.  More than half: the backend also
 * copies the worker's text out and takes its punches in.
 */
#define INGEST_WORKER_SHARE 0.55
/* the queue that punches come back by, and the size of its messages */
#define INGEST_QUEUE_BYTES (1024 * 1024)
#define INGEST_MESSAGE_BYTES (64 * 1024)

#define INGEST_KEY_SHARED UINT64CONST(0x6872677561726401)
#define INGEST_KEY_QUEUE UINT64CONST(0x6872677561726402)

/* the readers a worker can run, by number: addresses differ between processes */
static const IngestReader parallel_readers[] = {
	hrguard_dingtalk_read_record,
	hrguard_dingtalk_read_event,
	hrguard_wecom_read_record
};

/* what the worker is given */
typedef struct IngestShared
{
	int			reader;			/* in parallel_readers */
	char		function[NAMEDATALEN];	/* for the readers' messages */
	Size		len;
	char		text[FLEXIBLE_ARRAY_MEMBER];	/* the records from the split
												 * through the closing bracket */
} IngestShared;

/* the head of each message from the worker */
typedef struct WireHead
{
	int64		resume;			/* in text: where the records not handed over begin */
	int32		nrecords;		/* the records in this message */
	bool		last;			/* the worker's last message */
	bool		complete;		/* ... and it read every record to the end */
} WireHead;

/* the texts of a punch on the wire: NUL-terminated strings, then a Jsonb */
#define WIRE_TEXTS 8
#define WIRE_FLAGS 7			/* vendor_flags: its varlena as it is */

/* one punch on the wire, followed by its texts, each MAXALIGNed */
typedef struct WireRecord
{
	int64		size;			/* of the whole entry, MAXALIGNed */
	int64		raw_offset;		/* in text */
	int64		raw_len;
	TimestampTz punched_at;
	double		raw_lat;
	double		raw_lon;
	double		accuracy_m;
	int32		reason;
	bool		located;
	bool		has_accuracy;
	int64		len[WIRE_TEXTS];	/* -1: NULL */
} WireRecord;

struct IngestParallel
{
	ParallelContext *pcxt;
	shm_mq_handle *mqh;
	const char *split;			/* in the payload: where the worker's records begin */
	MemoryContext keep;			/* where the messages received are kept */
	int64		resume;			/* from split: where the records handed over end */
	bool		finished;		/* the last message has come, or the worker is gone */
	bool		last;			/* the last message has come */
	bool		complete;		/* it read every record */
	char	   *msg;			/* the message being taken apart */
	Size		msg_len;
	Size		pos;
	int32		remaining;		/* records in it not taken yet */
};

PGDLLEXPORT void hrguard_ingest_parallel_main(dsm_segment *seg, shm_toc *toc);

/* The punch's texts in wire order. */
static void
punch_texts(const IngestPunch *p, const char *texts[WIRE_TEXTS])
{
	texts[0] = p->detail;
	texts[1] = p->vendor_userid;
	texts[2] = p->record_id;
	texts[3] = p->check_type;
	texts[4] = p->device_id;
	texts[5] = p->wifi_bssid;
	texts[6] = p->address;
	texts[WIRE_FLAGS] = (const char *) p->vendor_flags;
}

/* Append a punch, read from text at raw, to the message. */
static void
wire_put(StringInfo msg, const char *text, IngestSpan raw, const IngestPunch *p)
{
	const char *texts[WIRE_TEXTS];
	WireRecord	w;
	Size		size = MAXALIGN(sizeof(WireRecord));
	char	   *at;
	int			i;

	punch_texts(p, texts);
	memset(&w, 0, sizeof(w));
	for (i = 0; i < WIRE_TEXTS; i++)
	{
		if (texts[i] == NULL)
			w.len[i] = -1;
		else
			w.len[i] = i == WIRE_FLAGS ? VARSIZE(texts[i]) : strlen(texts[i]) + 1;
		if (w.len[i] > 0)
			size += MAXALIGN(w.len[i]);
	}
	w.size = size;
	w.raw_offset = raw.start - text;
	w.raw_len = raw.len;
	w.punched_at = p->punched_at;
	w.raw_lat = p->raw_lat;
	w.raw_lon = p->raw_lon;
	w.accuracy_m = p->accuracy_m;
	w.reason = p->reason;
	w.located = p->located;
	w.has_accuracy = p->has_accuracy;

	/* too large to hand over: the error is caught, and the record left to the backend */
	if (size >= MaxAllocSize - msg->len)
		elog(ERROR, "a record of %zu bytes is too large for a message", size);
	enlargeStringInfo(msg, size);
	at = msg->data + msg->len;
	memset(at, 0, size);
	memcpy(at, &w, sizeof(w));
	at += MAXALIGN(sizeof(WireRecord));
	for (i = 0; i < WIRE_TEXTS; i++)
		if (w.len[i] > 0)
		{
			memcpy(at, texts[i], w.len[i]);
			at += MAXALIGN(w.len[i]);
		}
	msg->len += size;
}

/* Send the message (its head filled in here) and start the next; false: nobody listens. */
static bool
wire_send(shm_mq_handle *mqh, StringInfo msg, int32 nrecords, int64 resume,
		  bool last, bool complete)
{
	WireHead   *head = (WireHead *) msg->data;
	shm_mq_result r;

	head->resume = resume;
	head->nrecords = nrecords;
	head->last = last;
	head->complete = complete;
	r = shm_mq_send(mqh, msg->len, msg->data, false, true);
	resetStringInfo(msg);
	appendStringInfoSpaces(msg, MAXALIGN(sizeof(WireHead)));
	return r == SHM_MQ_SUCCESS;
}

/* the worker's progress, where an error caught can still read it */
typedef struct WorkerRun
{
	int32		nrecords;		/* in the message being built */
	int			committed;		/* its length after the last whole record */
	int64		resume;			/* in text: after the last record read */
	bool		listened;		/* false once the backend has gone */
} WorkerRun;

/*
 * The worker: reads its records, as the backend would, and sends their
 * punches back.  An error reading one ends the run quietly (see above).
 */
void
hrguard_ingest_parallel_main(dsm_segment *seg, shm_toc *toc)
{
	IngestShared *shared = shm_toc_lookup(toc, INGEST_KEY_SHARED, false);
	shm_mq	   *mq = shm_toc_lookup(toc, INGEST_KEY_QUEUE, false);
	IngestReader reader = parallel_readers[shared->reader];
	MemoryContext work = CurrentMemoryContext;
	MemoryContext keep;
	MemoryContext scratch;
	shm_mq_handle *mqh;
	StringInfo	msg;
	WorkerRun  *run;
	IngestArray it;
	bool		complete = false;

	shm_mq_set_sender(mq, MyProc);
	mqh = shm_mq_attach(mq, seg, NULL);
	keep = AllocSetContextCreate(work, "hrguard ingestion worker", ALLOCSET_DEFAULT_SIZES);
	scratch = AllocSetContextCreate(work, "hrguard ingestion record", ALLOCSET_DEFAULT_SIZES);
	msg = makeStringInfo();
	appendStringInfoSpaces(msg, MAXALIGN(sizeof(WireHead)));
	run = palloc0(sizeof(WorkerRun));
	run->committed = msg->len;
	run->listened = true;

	it.function = shared->function;
	it.base = shared->text;
	it.pos = shared->text;
	it.end = shared->text + shared->len - 1;	/* the closing bracket */
	it.index = 0;

	PG_TRY();
	{
		IngestSpan	raw;
		IngestPunch punch;

		for (;;)
		{
			CHECK_FOR_INTERRUPTS();
			if (!hrguard_ingest_read_next(&it, reader, scratch, keep, &raw, &punch))
				break;
			wire_put(msg, shared->text, raw, &punch);
			run->nrecords++;
			run->committed = msg->len;
			run->resume = it.pos - shared->text;
			if (msg->len >= INGEST_MESSAGE_BYTES)
			{
				run->listened = wire_send(mqh, msg, run->nrecords, run->resume, false, false);
				run->nrecords = 0;
				run->committed = msg->len;
				MemoryContextReset(keep);
				if (!run->listened)
					break;
			}
		}
		complete = run->listened;
	}
	PG_CATCH();
	{
		/*
		 * Nothing but memory was taken while reading: the error is dropped
		 * and the record left to the backend, which reports it.
		 */
		MemoryContextSwitchTo(work);
		FlushErrorState();
		msg->len = run->committed;
		complete = false;
	}
	PG_END_TRY();
	if (run->listened)
		(void) wire_send(mqh, msg, run->nrecords, run->resume, true, complete);
}

/*
 * Start a worker on the second half of the records still to come in it,
 * when the payload is large enough to gain from one and one is to be had;
 * NULL: read them all here.  Until hrguard_ingest_parallel_end, the
 * backend is in parallel mode: it reads, and writes nothing.
 */
IngestParallel *
hrguard_ingest_parallel_begin(const char *function, IngestReader reader, const IngestArray *it)
{
	IngestParallel *par;
	ParallelContext *pcxt;
	IngestShared *shared;
	shm_mq	   *mq;
	const char *split;
	const char *sample_end;
	Size		len;
	int			reader_no;

	if (max_parallel_maintenance_workers <= 0 || !IsUnderPostmaster ||
		IsInParallelMode() || !ActiveSnapshotSet() ||
		it->end - it->pos < INGEST_PARALLEL_MIN_BYTES ||
		strlen(function) >= NAMEDATALEN)
		return NULL;
	for (reader_no = 0; reader_no < (int) lengthof(parallel_readers); reader_no++)
		if (parallel_readers[reader_no] == reader)
			break;
	if (reader_no == (int) lengthof(parallel_readers))
		return NULL;
	/* where the backend's records end, and a record there as a sample */
	split = hrguard_ingest_array_guess(it, it->pos + (Size) ((it->end - it->pos) *
															  (1.0 - INGEST_WORKER_SHARE)));
	if (split == NULL)
		return NULL;
	sample_end = hrguard_ingest_array_guess(it, split + 1);
	if (sample_end == NULL || sample_end - split > INGEST_PARALLEL_MAX_RECORD)
		return NULL;
	len = it->end + 1 - split;	/* through the closing bracket */
	if (len > INGEST_PARALLEL_MAX_COPY)
		return NULL;

	EnterParallelMode();
	pcxt = CreateParallelContext("$libdir/hrguard", "hrguard_ingest_parallel_main", 1);
	shm_toc_estimate_chunk(&pcxt->estimator, offsetof(IngestShared, text) + len);
	shm_toc_estimate_chunk(&pcxt->estimator, INGEST_QUEUE_BYTES);
	shm_toc_estimate_keys(&pcxt->estimator, 2);
	InitializeParallelDSM(pcxt);
	if (pcxt->seg == NULL)
	{
		/* no dynamic shared memory to be had */
		DestroyParallelContext(pcxt);
		ExitParallelMode();
		return NULL;
	}
	shared = shm_toc_allocate(pcxt->toc, offsetof(IngestShared, text) + len);
	shared->reader = reader_no;
	strlcpy(shared->function, function, NAMEDATALEN);
	shared->len = len;
	memcpy(shared->text, split, len);
	shm_toc_insert(pcxt->toc, INGEST_KEY_SHARED, shared);
	mq = shm_mq_create(shm_toc_allocate(pcxt->toc, INGEST_QUEUE_BYTES), INGEST_QUEUE_BYTES);
	shm_toc_insert(pcxt->toc, INGEST_KEY_QUEUE, mq);
	shm_mq_set_receiver(mq, MyProc);

	LaunchParallelWorkers(pcxt);
	if (pcxt->nworkers_launched == 0)
	{
		ereport(DEBUG1,
				(errmsg_internal("%s: no parallel worker to be had; the backend reads alone",
								 function)));
		DestroyParallelContext(pcxt);
		ExitParallelMode();
		return NULL;
	}
	par = palloc0(sizeof(IngestParallel));
	par->pcxt = pcxt;
	par->split = split;
	par->keep = CurrentMemoryContext;
	par->mqh = shm_mq_attach(mq, pcxt->seg, NULL);
	/* a worker that never starts detaches the queue */
	shm_mq_set_handle(par->mqh, pcxt->worker[0].bgwhandle);
	return par;
}

/* Where the worker's records begin in the payload. */
const char *
hrguard_ingest_parallel_split(const IngestParallel *par)
{
	return par->split;
}

/* The worker's next message; false when none has come (!wait) or none will. */
static bool
receive(IngestParallel *par, bool wait)
{
	Size		nbytes;
	void	   *data;
	WireHead	head;

	switch (shm_mq_receive(par->mqh, &nbytes, &data, !wait))
	{
		case SHM_MQ_WOULD_BLOCK:
			return false;
		case SHM_MQ_DETACHED:
			/* gone without its last message: its records end where they end */
			par->finished = true;
			return false;
		case SHM_MQ_SUCCESS:
			break;
	}
	if (nbytes < MAXALIGN(sizeof(WireHead)))
		elog(ERROR, "a message of %zu bytes from the ingestion worker is too short", nbytes);
	par->msg = MemoryContextAllocHuge(par->keep, nbytes);
	memcpy(par->msg, data, nbytes);
	memcpy(&head, par->msg, sizeof(head));
	par->msg_len = nbytes;
	par->pos = MAXALIGN(sizeof(WireHead));
	par->remaining = head.nrecords;
	par->resume = head.resume;
	if (head.last)
	{
		par->finished = true;
		par->last = true;
		par->complete = head.complete;
	}
	return true;
}

/*
 * The next punch the worker has read, in payload order (its texts in
 * memory of the call); false when it has handed over none yet (!wait), or
 * all it will.
 */
bool
hrguard_ingest_parallel_next(IngestParallel *par, bool wait, IngestSpan *raw, IngestPunch *punch)
{
	WireRecord	w;
	char	   *texts[WIRE_TEXTS];
	char	   *at;
	int			i;

	while (par->remaining == 0)
		if (par->finished || !receive(par, wait))
			return false;

	if (par->msg_len - par->pos < MAXALIGN(sizeof(WireRecord)))
		elog(ERROR, "a message from the ingestion worker ends inside a record");
	memcpy(&w, par->msg + par->pos, sizeof(w));
	if (w.size < (int64) MAXALIGN(sizeof(WireRecord)) || w.size > (int64) (par->msg_len - par->pos))
		elog(ERROR, "a message from the ingestion worker ends inside a record");
	at = par->msg + par->pos + MAXALIGN(sizeof(WireRecord));
	for (i = 0; i < WIRE_TEXTS; i++)
	{
		texts[i] = w.len[i] < 0 ? NULL : at;
		if (w.len[i] > 0)
			at += MAXALIGN(w.len[i]);
	}
	par->pos += w.size;
	par->remaining--;

	raw->start = par->split + w.raw_offset;
	raw->len = w.raw_len;
	memset(punch, 0, sizeof(*punch));
	punch->reason = (IngestReason) w.reason;
	punch->detail = texts[0];
	punch->vendor_userid = texts[1];
	punch->record_id = texts[2];
	punch->check_type = texts[3];
	punch->device_id = texts[4];
	punch->wifi_bssid = texts[5];
	punch->address = texts[6];
	punch->vendor_flags = (Jsonb *) texts[WIRE_FLAGS];
	punch->punched_at = w.punched_at;
	punch->located = w.located;
	punch->raw_lat = w.raw_lat;
	punch->raw_lon = w.raw_lon;
	punch->has_accuracy = w.has_accuracy;
	punch->accuracy_m = w.accuracy_m;
	return true;
}

/*
 * The worker done with, and parallel mode left.  use: every punch it
 * handed over has been taken, and it is positioned where the records the
 * worker did not read begin (past the end when it read them all);
 * otherwise its punches are not wanted and it is left where it is.
 */
void
hrguard_ingest_parallel_end(IngestParallel *par, IngestArray *it, bool use)
{
	/* a worker that sent its last message ends by itself; any other is stopped */
	if (par->last)
		WaitForParallelWorkersToFinish(par->pcxt);
	DestroyParallelContext(par->pcxt);
	ExitParallelMode();
	if (!use)
		return;
	Assert(par->finished && par->remaining == 0);
	if (par->complete)
		it->pos = it->end;
	else
		it->pos = par->split + par->resume;
}
