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
#include "utils/memutils.h"

#include "hrguard.h"
#include "punch.h"
#include "punch_history.h"

typedef struct StatementFrame
{
	SubTransactionId subid;
	PunchHistoryReader *reader; /* NULL until the first row */
} StatementFrame;

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
		while (frames != NIL && ((StatementFrame *) llast(frames))->subid >= mySubid)
		{
			StatementFrame *f = llast(frames);

			if (f->reader)
				hrguard_history_released(f->reader);
			frames = list_delete_last(frames);
		}
	}
	else if (event == SUBXACT_EVENT_COMMIT_SUB)
	{
		for (i = list_length(frames) - 1; i >= 0; i--)
		{
			StatementFrame *f = list_nth(frames, i);

			if (f->subid != mySubid)
				break;
			f->subid = parentSubid;
		}
	}
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
	pfree(f);
}
