/*-------------------------------------------------------------------------
 *
 * punch_statement.c
 *	  The punch statements running in this backend, innermost last: what
 *	  each holds open across its rows, and when that is closed.
 *
 * A punch statement's rows read the employee's history through a reader
 * that keeps the punch table and its indexes open (punch_history.c).  It
 * must be closed at the end of its statement, under the resource owner
 * that opened it: the executor's memory for an INSERT goes away in time
 * for that, but COPY keeps the trigger's memory until after the portal's
 * resource owner was released.  So a BEFORE statement trigger pushes a
 * frame, the statement's first row hangs its reader on it, and the AFTER
 * statement trigger pops it and closes the reader.  Statements nest (a
 * function that inserts punches, called by a punch statement); a
 * statement that fails never reaches its AFTER trigger, so a
 * subtransaction that aborts drops its frames (its abort released what
 * they held), and one that commits hands them to its parent.
 *
 * The frame also holds the promise every row made when its evidence entry
 * was numbered: that it is stored as hrguard classified it.  The BEFORE
 * row trigger records a fingerprint of the row it returns, the AFTER row
 * trigger checks the stored row against it, and the AFTER statement
 * trigger finds every promise kept.  A BEFORE trigger that fires after
 * hrguard's (its name sorts later) and changes or drops the row, or an
 * ON CONFLICT DO NOTHING on a key other than (source, source_record_id),
 * would otherwise leave an entry that does not say what is stored: the
 * statement fails instead.
 *
 * IDENTIFICATION
 *	  src/punch_statement.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "commands/trigger.h"
#include "fmgr.h"
#include "nodes/pg_list.h"
#include "access/htup_details.h"
#include "common/hashfn.h"
#include "utils/datum.h"
#include "utils/hsearch.h"
#include "utils/memutils.h"

#include "privilege.h"
#include "punch.h"
#include "punch_history.h"
#include "punch_statement.h"
#include "subxact_list.h"

typedef struct StatementFrame
{
	SubTransactionId subid;		/* first, for subxact_list.c */
	PunchHistoryReader *reader; /* NULL until the first row */
	HTAB	   *expected;		/* fingerprint -> rows not yet confirmed */
	int64		outstanding;	/* rows numbered, not confirmed stored */
} StatementFrame;

typedef struct ExpectedRow
{
	uint64		fingerprint;	/* hash key */
	int64		count;
} ExpectedRow;

static List *frames = NIL;		/* in TopTransactionContext, innermost last */
static bool callbacks_registered = false;

static void
frames_xact_callback(XactEvent event, void *arg)
{
	frames = NIL;				/* the memory goes with the transaction */
}

static void
frames_subxact_callback(SubXactEvent event, SubTransactionId mySubid,
						SubTransactionId parentSubid, void *arg)
{
	int			i;

	if (event == SUBXACT_EVENT_ABORT_SUB)
	{
		/* the abort released what the failed statements held */
		for (i = hrguard_subxact_tail(frames, mySubid); i < list_length(frames); i++)
		{
			StatementFrame *f = list_nth(frames, i);

			if (f->reader)
				hrguard_history_released(f->reader);
		}
		frames = hrguard_subxact_abort(frames, mySubid);
	}
	else if (event == SUBXACT_EVENT_COMMIT_SUB)
		hrguard_subxact_commit(frames, mySubid, parentSubid);
}

static const char *const punch_tables[] = {"punch", NULL};
static const HrguardTriggerSpec begin_statement_spec = {
	"hrguard.punch_begin_statement()", punch_tables, true, HRGUARD_TRIGGER_STATEMENT,
	HRGUARD_ON_INSERT, "a BEFORE INSERT statement trigger on hrguard.punch"
};

/* hrguard.punch_begin_statement(): BEFORE INSERT statement trigger */
PG_FUNCTION_INFO_V1(hrguard_punch_begin_statement);
Datum
hrguard_punch_begin_statement(PG_FUNCTION_ARGS)
{
	MemoryContext old;
	StatementFrame *f;

	(void) hrguard_trigger_guard(fcinfo, &begin_statement_spec);
	if (!callbacks_registered)
	{
		RegisterXactCallback(frames_xact_callback, NULL);
		RegisterSubXactCallback(frames_subxact_callback, NULL);
		callbacks_registered = true;
	}
	old = MemoryContextSwitchTo(TopTransactionContext);
	f = palloc(sizeof(StatementFrame));
	f->subid = GetCurrentSubTransactionId();
	f->reader = NULL;
	f->expected = NULL;
	f->outstanding = 0;
	frames = lappend(frames, f);
	MemoryContextSwitchTo(old);
	return PointerGetDatum(NULL);
}

/* The running statement's first row opened its history reader. */
void
hrguard_punch_statement_attach(PunchHistoryReader *reader)
{
	if (frames != NIL)
		((StatementFrame *) llast(frames))->reader = reader;
}

/* The running statement's AFTER statement trigger: close what it held. */
void
hrguard_punch_statement_end(void)
{
	StatementFrame *f;

	if (frames == NIL)
		return;
	f = llast(frames);
	frames = list_delete_last(frames);
	if (f->reader)
		hrguard_history_close(f->reader);
	if (f->expected)
		hash_destroy(f->expected);
	if (f->outstanding != 0)
		ereport(ERROR,
				(errcode(ERRCODE_TRIGGERED_ACTION_EXCEPTION),
				 errmsg_plural("%lld punch of this statement was not stored as hrguard classified it",
							   "%lld punches of this statement were not stored as hrguard classified them",
							   f->outstanding, (long long) f->outstanding),
				 errdetail("Their evidence entries were numbered, but the rows were dropped after hrguard's trigger: by a BEFORE trigger that fires after hrguard.punch_classify, or by ON CONFLICT DO NOTHING on a key other than (source, source_record_id)."),
				 errhint("Name such triggers to sort before \"punch_classify\", and deduplicate punches by (source, source_record_id).")));
	pfree(f);
}

/* A fingerprint of a punch row: every column's value, as stored. */
static uint64
row_fingerprint(HeapTuple tuple, TupleDesc desc)
{
	uint64		h = 0;
	int			i;

	for (i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, i);
		bool		isnull;
		Datum		d;

		if (att->attisdropped)
			continue;
		d = heap_getattr(tuple, i + 1, desc, &isnull);
		h = hash_combine64(h, isnull ? UINT64CONST(0x9e3779b97f4a7c15) :
						   datum_image_hash(d, att->attbyval, att->attlen));
	}
	return h;
}

/* The BEFORE row trigger numbered this row's entry: expect it stored. */
void
hrguard_punch_statement_expect(HeapTuple tuple, TupleDesc desc)
{
	StatementFrame *f;
	ExpectedRow *e;
	uint64		fp;
	bool		found;

	if (frames == NIL)
		return;
	f = llast(frames);
	if (f->expected == NULL)
	{
		HASHCTL		hctl;

		hctl.keysize = sizeof(uint64);
		hctl.entrysize = sizeof(ExpectedRow);
		hctl.hcxt = TopTransactionContext;
		f->expected = hash_create("hrguard expected punches", 64, &hctl,
								  HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	}
	fp = row_fingerprint(tuple, desc);
	e = hash_search(f->expected, &fp, HASH_ENTER, &found);
	e->count = found ? e->count + 1 : 1;
	f->outstanding++;
}

/* The AFTER row trigger: the stored row must be one the statement numbered. */
void
hrguard_punch_statement_confirm(HeapTuple tuple, TupleDesc desc)
{
	StatementFrame *f = frames != NIL ? llast(frames) : NULL;
	ExpectedRow *e = NULL;
	uint64		fp;

	if (f == NULL)
		return;
	fp = row_fingerprint(tuple, desc);
	if (f->expected)
		e = hash_search(f->expected, &fp, HASH_FIND, NULL);
	if (e == NULL || e->count == 0)
		ereport(ERROR,
				(errcode(ERRCODE_TRIGGERED_ACTION_EXCEPTION),
				 errmsg("a punch was changed after hrguard classified it"),
				 errdetail("Its evidence entry says what hrguard's trigger returned; a BEFORE trigger that fires after hrguard.punch_classify changed the row."),
				 errhint("Name such triggers to sort before \"punch_classify\".")));
	e->count--;
	f->outstanding--;
}
