/*-------------------------------------------------------------------------
 *
 * score_facts.c
 *	  The punches, visits and deals of a chunk of the employees scored,
 *	  each table read in one pass (on-duty and off-duty punches each from
 *	  the index that holds them by time) and grouped by employee, and the
 *	  customers of the master that the period's deals name.
 *
 * The rows of every tenant are read and those of employees not scored
 * passed over (score_rows.c); a deal's customer is looked up only for the
 * deals that may fall in the period (the span's margin either side of it,
 * for time zones), by their ids, rather than joining every deal of the span to the
 * whole customer master.
 *
 * IDENTIFICATION
 *	  src/score_facts.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "common.h"
#include "score_facts.h"
#include "score_hours.h"

/*
 * the rows of employees $3 .. $4 (in employee_id order; both null when the
 * chunk is every employee scored, and the planner then drops the test) of
 * a time range $1 .. $2
 */
#define OF_CHUNK(alias) \
	" AND ($3::pg_catalog.text IS NULL OR " \
	"      " alias ".employee_id OPERATOR(pg_catalog.>=) $3 COLLATE pg_catalog.\"C\" " \
	"  AND " alias ".employee_id OPERATOR(pg_catalog.<=) $4 COLLATE pg_catalog.\"C\")"

static char *
text_in(Datum d, MemoryContext context)
{
	MemoryContext old = MemoryContextSwitchTo(context);
	char	   *s = TextDatumGetCString(d);

	MemoryContextSwitchTo(old);
	return s;
}

/* whether a text column (not null) is the word w */
static bool
text_is(TupleTableSlot *slot, int column, const char *w)
{
	size_t		len = strlen(w);
	text	   *t;

	if (slot->tts_isnull[column])
		return false;
	t = DatumGetTextPP(slot->tts_values[column]);
	return VARSIZE_ANY_EXHDR(t) == len && memcmp(VARDATA_ANY(t), w, len) == 0;
}

/*
 * punched_at, employee_id, verdict of an on-duty punch: it counts inside
 * the zones or uncertain, not outside or without a verdict
 */
static void
on_duty_row(void *arg, int index, TupleTableSlot *slot)
{
	ScoreChunkFacts *c = arg;
	ScorePunch *p = hrguard_groups_push(&c->punches, index);
	int			kind = text_is(slot, 2, "inside") || text_is(slot, 2, "uncertain") ?
		SCORE_PUNCH_ON_COUNTS : SCORE_PUNCH_ON;

	*p = SCORE_PUNCH(DatumGetTimestampTz(slot->tts_values[0]), kind);
}

/* punched_at, employee_id of an off-duty punch */
static void
off_duty_row(void *arg, int index, TupleTableSlot *slot)
{
	ScoreChunkFacts *c = arg;
	ScorePunch *p = hrguard_groups_push(&c->punches, index);

	*p = SCORE_PUNCH(DatumGetTimestampTz(slot->tts_values[0]), SCORE_PUNCH_OFF);
}

static void
visit_row(void *arg, int index, TupleTableSlot *slot)
{
	ScoreChunkFacts *c = arg;
	ScoreVisit *v = hrguard_groups_push(&c->visits, index);

	v->at = DatumGetTimestampTz(slot->tts_values[2]);
	/*
	 * A deal is linked to the visits from 30 days before it to 3 days after
	 * (deal_linked): only those near the period's deals need their customer.
	 */
	v->customer_id =
		v->at >= c->period_start - (int64) SCORE_LINK_BEFORE_DAYS * USECS_PER_DAY &&
		v->at <= c->period_end + (int64) SCORE_LINK_AFTER_DAYS * USECS_PER_DAY ?
		text_in(slot->tts_values[1], c->context) : NULL;
	v->ended = DatumGetTimestampTz(slot->tts_values[3]);
	v->crm = DatumGetBool(slot->tts_values[4]);
	/* a visit punch is a moment in a client zone; a CRM visit must last */
	v->long_enough = !v->crm ||
		v->ended - v->at >= (int64) SCORE_LINK_MIN_MINUTES * USECS_PER_MINUTE;
}

static void
deal_row(void *arg, int index, TupleTableSlot *slot)
{
	ScoreChunkFacts *c = arg;
	ScoreDeal  *d = hrguard_groups_push(&c->deals, index);

	d->closed = DatumGetTimestampTz(slot->tts_values[3]);
	d->amount = DatumGetFloat8(slot->tts_values[4]);
	if (d->closed >= c->period_start && d->closed < c->period_end)
	{
		d->sale_id = text_in(slot->tts_values[1], c->context);
		d->customer_id = text_in(slot->tts_values[2], c->context);
	}
	else
		d->sale_id = d->customer_id = NULL;
}

static int
compare_customers(const void *a, const void *b)
{
	const ScoreCustomer *x = a;
	const ScoreCustomer *y = b;
	int			c = strcmp(x->customer_id, y->customer_id);

	return c != 0 ? c : strcmp(x->tenant_id, y->tenant_id);
}

/*
 * The customers of the master named by the chunk's deals of the period
 * (those whose ids were read): one query, by their ids.
 */
static void
read_customers(ScoreChunkFacts *c)
{
	const ScoreDeal *d = (const ScoreDeal *) c->deals.v;
	int			n = 0,
				i;
	int64		k;
	Datum	   *elems;
	Oid			types[1] = {TEXTARRAYOID};
	Datum		args[1];
	MemoryContext old;

	c->customers = NULL;
	c->ncustomers = 0;
	for (k = 0; k < c->deals.n; k++)
		n += d[k].customer_id != NULL;	/* of the period */
	if (n == 0)
		return;
	/* each id as often as deals name it: the query matches a customer once */
	old = MemoryContextSwitchTo(c->context);
	elems = MemoryContextAllocHuge(c->context, sizeof(Datum) * n);
	for (k = 0, i = 0; k < c->deals.n; k++)
		if (d[k].customer_id != NULL)
			elems[i++] = CStringGetTextDatum(d[k].customer_id);
	args[0] = PointerGetDatum(construct_array(elems, n, TEXTOID, -1, false, TYPALIGN_INT));
	MemoryContextSwitchTo(old);

	/* the rows of every tenant that has one of the ids */
	if (SPI_execute_with_args("SELECT customer_id, tenant_id, created_at, created_by "
							  "  FROM hrguard.customer "
							  " WHERE customer_id OPERATOR(pg_catalog.=) ANY ($1)",
							  1, types, args, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read the customers of the period's deals");
	c->ncustomers = (int) SPI_processed;
	c->customers = MemoryContextAllocHuge(c->context, sizeof(ScoreCustomer) * Max(c->ncustomers, 1));
	for (i = 0; i < c->ncustomers; i++)
	{
		HeapTuple	tuple = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		ScoreCustomer *cu = &c->customers[i];
		bool		isnull;
		Datum		by;

		cu->customer_id = text_in(SPI_getbinval(tuple, desc, 1, &isnull), c->context);
		cu->tenant_id = text_in(SPI_getbinval(tuple, desc, 2, &isnull), c->context);
		cu->created_at = DatumGetTimestampTz(SPI_getbinval(tuple, desc, 3, &isnull));
		by = SPI_getbinval(tuple, desc, 4, &isnull);
		cu->created_by = isnull ? NULL : text_in(by, c->context);
	}
	SPI_freetuptable(SPI_tuptable);
	qsort(c->customers, c->ncustomers, sizeof(ScoreCustomer), compare_customers);
}

/* the customer of the tenant's master with this id, or NULL */
const ScoreCustomer *
hrguard_score_customer(const ScoreChunkFacts *c, const char *customer_id, const char *tenant_id)
{
	ScoreCustomer key = {.customer_id = (char *) customer_id,.tenant_id = (char *) tenant_id};
	int			i = hrguard_lower_bound(c->customers, c->ncustomers, sizeof(ScoreCustomer), &key,
										compare_customers);

	if (i < c->ncustomers && compare_customers(&c->customers[i], &key) == 0)
		return &c->customers[i];
	return NULL;
}

/*
 * Read the facts of employees first .. end - 1 of es (in employee_id
 * order) for the span, in "context" (which the caller resets between
 * chunks).
 */
void
hrguard_score_read_chunk(ScoreChunkFacts *c, const ScoreEmployee *es, int first, int end,
						 int nemployees, const ScoreSpan *span, MemoryContext context)
{
	int			n = end - first;
	ScoreEmployeeIndex *employees = hrguard_score_employee_index(es, first, end, context);
	Oid			types[4] = {TIMESTAMPTZOID, TIMESTAMPTZOID, TEXTOID, TEXTOID};
	Datum		args[4] = {0, 0, 0, 0};
	char		nulls[4] = {' ', ' ', ' ', ' '};
	MemoryContext old = MemoryContextSwitchTo(context);

	c->context = context;
	c->period_start = (TimestampTz) (span->from - span->margin_days) * USECS_PER_DAY;
	c->period_end = (TimestampTz) (span->to + 1 + span->margin_days) * USECS_PER_DAY;
	hrguard_groups_init(&c->punches, sizeof(ScorePunch), context);
	hrguard_groups_init(&c->visits, sizeof(ScoreVisit), context);
	hrguard_groups_init(&c->deals, sizeof(ScoreDeal), context);
	if (first == 0 && end == nemployees)
		nulls[2] = nulls[3] = 'n';
	else
	{
		args[2] = CStringGetTextDatum(es[first].employee_id);
		args[3] = CStringGetTextDatum(es[end - 1].employee_id);
	}
	MemoryContextSwitchTo(old);

	args[0] = TimestampTzGetDatum(SCORE_SPAN_START(span));
	args[1] = TimestampTzGetDatum(SCORE_SPAN_END(span));
	/*
	 * On-duty and off-duty punches, the columns in the order of their
	 * indexes (punch_on_duty_time_idx, punch_off_duty_time_idx), which
	 * index-only scans then return as they are.
	 */
	hrguard_score_read_rows("SELECT p.punched_at, p.employee_id, p.verdict "
							"  FROM hrguard.punch p "
							" WHERE p.check_type OPERATOR(pg_catalog.=) 'on_duty' "
							"   AND p.punched_at OPERATOR(pg_catalog.>=) $1 AND p.punched_at OPERATOR(pg_catalog.<) $2 "
							OF_CHUNK("p"),
							4, types, args, nulls, employees, 1, on_duty_row, c);
	hrguard_score_read_rows("SELECT p.punched_at, p.employee_id "
							"  FROM hrguard.punch p "
							" WHERE p.check_type OPERATOR(pg_catalog.=) 'off_duty' "
							"   AND p.punched_at OPERATOR(pg_catalog.>=) $1 AND p.punched_at OPERATOR(pg_catalog.<) $2 "
							OF_CHUNK("p"),
							4, types, args, nulls, employees, 1, off_duty_row, c);

	/* deals, and the customers of those that may be the period's */
	hrguard_score_read_rows("SELECT s.employee_id, s.sale_id, s.customer_id, s.closed_at, "
							"       s.amount::pg_catalog.float8 "
							"  FROM hrguard.sale s "
							" WHERE s.closed_at OPERATOR(pg_catalog.>=) $1 AND s.closed_at OPERATOR(pg_catalog.<) $2 "
							OF_CHUNK("s"),
							4, types, args, nulls, employees, 0, deal_row, c);
	hrguard_groups_group(&c->punches, n);
	hrguard_groups_group(&c->deals, n);
	read_customers(c);

	/* visits, as far back and ahead as a deal may be linked to them */
	args[0] = TimestampTzGetDatum(SCORE_SPAN_START(span) - (int64) SCORE_LINK_BEFORE_DAYS * USECS_PER_DAY);
	args[1] = TimestampTzGetDatum(SCORE_SPAN_END(span) + (int64) SCORE_LINK_AFTER_DAYS * USECS_PER_DAY);
	hrguard_score_read_rows("SELECT v.employee_id, v.customer_id, v.started_at, v.ended_at, "
							"       v.source OPERATOR(pg_catalog.=) 'crm' "
							"  FROM hrguard.customer_visits v "
							" WHERE v.started_at OPERATOR(pg_catalog.>=) $1 AND v.started_at OPERATOR(pg_catalog.<) $2 "
							OF_CHUNK("v"),
							4, types, args, nulls, employees, 0, visit_row, c);
	hrguard_groups_group(&c->visits, n);
}
