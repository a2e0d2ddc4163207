/*-------------------------------------------------------------------------
 *
 * score_facts.c
 *	  The punches, visits and deals of a chunk of the employees scored,
 *	  each table read in one pass and grouped by employee, and the
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

/* the rows of employees $3 .. $4 (in employee_id order) of a time range $1 .. $2 */
#define OF_CHUNK(alias) \
	" AND " alias ".employee_id OPERATOR(pg_catalog.>=) $3 COLLATE pg_catalog.\"C\" " \
	" AND " alias ".employee_id OPERATOR(pg_catalog.<=) $4 COLLATE pg_catalog.\"C\""

static char *
text_in(Datum d, MemoryContext context)
{
	MemoryContext old = MemoryContextSwitchTo(context);
	char	   *s = TextDatumGetCString(d);

	MemoryContextSwitchTo(old);
	return s;
}

static void
punch_row(void *arg, int index, TupleTableSlot *slot)
{
	ScoreChunkFacts *c = arg;
	ScorePunch *p = hrguard_groups_push(&c->punches, index);

	*p = SCORE_PUNCH(DatumGetTimestampTz(slot->tts_values[1]), DatumGetInt32(slot->tts_values[2]));
}

static void
visit_row(void *arg, int index, TupleTableSlot *slot)
{
	ScoreChunkFacts *c = arg;
	ScoreVisit *v = hrguard_groups_push(&c->visits, index);

	v->customer_id = text_in(slot->tts_values[1], c->context);
	v->at = DatumGetTimestampTz(slot->tts_values[2]);
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

	d->sale_id = text_in(slot->tts_values[1], c->context);
	d->customer_id = text_in(slot->tts_values[2], c->context);
	d->closed = DatumGetTimestampTz(slot->tts_values[3]);
	d->amount = DatumGetFloat8(slot->tts_values[4]);
}

static int
compare_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *) a, *(char *const *) b);
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
 * The customers of the master named by the chunk's deals closed from
 * "from" to before "to": one query, by their ids (the primary key).
 */
static void
read_customers(ScoreChunkFacts *c, TimestampTz from, TimestampTz to)
{
	MemoryContext old = MemoryContextSwitchTo(c->context);
	const ScoreDeal *d = (const ScoreDeal *) c->deals.v;
	char	  **ids = NULL;
	int			n = 0,
				cap = 0,
				distinct = 0,
				i;
	int64		k;
	Datum	   *elems;
	Oid			types[1] = {TEXTARRAYOID};
	Datum		args[1];

	for (k = 0; k < c->deals.n; k++)
	{
		if (d[k].closed < from || d[k].closed >= to)
			continue;
		if (n == cap)
		{
			cap = cap ? cap * 2 : 1024;
			ids = ids ? repalloc_huge(ids, sizeof(char *) * cap)
				: MemoryContextAllocHuge(c->context, sizeof(char *) * cap);
		}
		ids[n++] = d[k].customer_id;
	}
	c->customers = NULL;
	c->ncustomers = 0;
	if (n == 0)
	{
		MemoryContextSwitchTo(old);
		return;
	}
	qsort(ids, n, sizeof(char *), compare_strings);
	elems = MemoryContextAllocHuge(c->context, sizeof(Datum) * n);
	for (i = 0; i < n; i++)
		if (i == 0 || strcmp(ids[i], ids[i - 1]) != 0)	/* each customer once */
			elems[distinct++] = CStringGetTextDatum(ids[i]);
	args[0] = PointerGetDatum(construct_array(elems, distinct, TEXTOID, -1, false, TYPALIGN_INT));
	MemoryContextSwitchTo(old);

	/*
	 * An index probe each, the rows of every tenant that has the id (OFFSET
	 * 0 keeps the probe a subquery: the planner would rather scan the whole
	 * master).
	 */
	if (SPI_execute_with_args("SELECT c.customer_id, c.tenant_id, c.created_at, c.created_by "
							  "  FROM pg_catalog.unnest($1) u(id), "
							  "       LATERAL (SELECT customer_id, tenant_id, created_at, created_by "
							  "                  FROM hrguard.customer "
							  "                 WHERE customer_id OPERATOR(pg_catalog.=) u.id OFFSET 0) c",
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
						 const ScoreSpan *span, MemoryContext context)
{
	int			n = end - first;
	HTAB	   *employees = hrguard_score_employee_index(es, first, end, context);
	Oid			types[4] = {TIMESTAMPTZOID, TIMESTAMPTZOID, TEXTOID, TEXTOID};
	Datum		args[4];
	char		nulls[4] = {' ', ' ', ' ', ' '};
	MemoryContext old = MemoryContextSwitchTo(context);

	c->context = context;
	hrguard_groups_init(&c->punches, sizeof(ScorePunch), context);
	hrguard_groups_init(&c->visits, sizeof(ScoreVisit), context);
	hrguard_groups_init(&c->deals, sizeof(ScoreDeal), context);
	args[2] = CStringGetTextDatum(es[first].employee_id);
	args[3] = CStringGetTextDatum(es[end - 1].employee_id);
	MemoryContextSwitchTo(old);

	/* on-duty and off-duty punches: 0 off-duty, 2 on-duty not outside, 1 on-duty outside */
	args[0] = TimestampTzGetDatum(SCORE_SPAN_START(span));
	args[1] = TimestampTzGetDatum(SCORE_SPAN_END(span));
	hrguard_score_read_rows("SELECT p.employee_id, p.punched_at, "
							"       CASE WHEN p.check_type OPERATOR(pg_catalog.=) 'off_duty' THEN 0 "
							"            WHEN p.verdict OPERATOR(pg_catalog.=) ANY (ARRAY['inside', 'uncertain']) THEN 2 "
							"            ELSE 1 END "
							"  FROM hrguard.punch p "
							" WHERE p.check_type OPERATOR(pg_catalog.=) ANY (ARRAY['on_duty', 'off_duty']) "
							"   AND p.punched_at OPERATOR(pg_catalog.>=) $1 AND p.punched_at OPERATOR(pg_catalog.<) $2 "
							OF_CHUNK("p"),
							4, types, args, nulls, employees, true, punch_row, c);

	/* deals, and the customers of those that may be the period's */
	hrguard_score_read_rows("SELECT s.employee_id, s.sale_id, s.customer_id, s.closed_at, "
							"       s.amount::pg_catalog.float8 "
							"  FROM hrguard.sale s "
							" WHERE s.closed_at OPERATOR(pg_catalog.>=) $1 AND s.closed_at OPERATOR(pg_catalog.<) $2 "
							OF_CHUNK("s"),
							4, types, args, nulls, employees, false, deal_row, c);
	hrguard_groups_group(&c->punches, n);
	read_customers(c, (TimestampTz) (span->from - span->margin_days) * USECS_PER_DAY,
				   (TimestampTz) (span->to + 1 + span->margin_days) * USECS_PER_DAY);

	/* visits, as far back and ahead as a deal may be linked to them */
	args[0] = TimestampTzGetDatum(SCORE_SPAN_START(span) - (int64) SCORE_LINK_BEFORE_DAYS * USECS_PER_DAY);
	args[1] = TimestampTzGetDatum(SCORE_SPAN_END(span) + (int64) SCORE_LINK_AFTER_DAYS * USECS_PER_DAY);
	hrguard_score_read_rows("SELECT v.employee_id, v.customer_id, v.started_at, v.ended_at, "
							"       v.source OPERATOR(pg_catalog.=) 'crm' "
							"  FROM hrguard.customer_visits v "
							" WHERE v.started_at OPERATOR(pg_catalog.>=) $1 AND v.started_at OPERATOR(pg_catalog.<) $2 "
							OF_CHUNK("v"),
							4, types, args, nulls, employees, false, visit_row, c);
	hrguard_groups_group(&c->visits, n);
	hrguard_groups_group(&c->deals, n);
}
