/*-------------------------------------------------------------------------
 *
 * score_inputs.c
 *	  What a scoring run reads: every employee employed in the period, with
 *	  their working days, sales and verified hours of the period and of the
 *	  six before it, their deals' customers and visits, and their daily
 *	  reports.
 *
 * The facts are read in one pass: one query per table, each ordered by
 * employee and time and read through a cursor in batches, merged by
 * employee as the employees are read (so memory holds one employee's facts
 * at a time, whatever the number of employees).  Verified hours are
 * computed as hrguard.verified_hours() computes them: on-duty to off-duty
 * punch pairs whose on-duty punch is not outside the zones, CRM visits and
 * visit punches inside a client zone (15 minutes either side), their union
 * clipped to each day's working windows (schedule and tenant calendar, in
 * the schedule's or the employee's time zone), minus approved leave; days
 * outside the employment count for nothing.
 *
 * IDENTIFICATION
 *	  src/score_inputs.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "pgtime.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "common.h"
#include "schedule.h"
#include "score.h"
#include "score_hours.h"
#include "score_facts.h"
#include "score_inputs.h"
#include "score_stream.h"
#include "zone_cache.h"

/* joins a table alias's rows to their employee, of the tenant scored ($3) or any */
#define OF_TENANT(alias) \
	" JOIN hrguard.employee te ON te.employee_id OPERATOR(pg_catalog.=) " alias ".employee_id " \
	"  AND ($3::pg_catalog.text IS NULL OR te.tenant_id OPERATOR(pg_catalog.=) $3) "
#define VISIT_PUNCH_MARGIN_US ((int64) 15 * USECS_PER_MINUTE)

/* ---- the period and the ones before it ------------------------------------ */

static DateADT
add_months(DateADT day, int months)
{
	int			y,
				m,
				d;

	j2date(day + POSTGRES_EPOCH_JDATE, &y, &m, &d);
	m += months;
	while (m < 1)
	{
		m += 12;
		y--;
	}
	while (m > 12)
	{
		m -= 12;
		y++;
	}
	return date2j(y, m, d) - POSTGRES_EPOCH_JDATE;
}

static bool
first_of_month(DateADT day)
{
	int			y,
				m,
				d;

	j2date(day + POSTGRES_EPOCH_JDATE, &y, &m, &d);
	return d == 1;
}

/*
 * The blocks of a period: the period itself, and the six periods before
 * it, of as many months when the period is whole months, otherwise of as
 * many days.
 */
void
hrguard_score_span(DateADT from, DateADT to, ScoreSpan *span)
{
	int			b;

	span->from = from;
	span->to = to;
	span->months = first_of_month(from) && first_of_month(to + 1);
	for (b = 0; b < SCORE_BLOCKS; b++)
	{
		if (span->months)
		{
			int			y1,
						m1,
						d1,
						y2,
						m2,
						d2,
						n;

			j2date(from + POSTGRES_EPOCH_JDATE, &y1, &m1, &d1);
			j2date(to + 1 + POSTGRES_EPOCH_JDATE, &y2, &m2, &d2);
			n = (y2 - y1) * 12 + (m2 - m1);
			span->block_from[b] = add_months(from, -n * b);
			span->block_to[b] = add_months(from, -n * (b - 1)) - 1;
		}
		else
		{
			int			n = to - from + 1;

			span->block_from[b] = from - n * b;
			span->block_to[b] = to - n * b;
		}
	}
	span->history_from = from - SCORE_REPORT_HISTORY_DAYS;
	span->first_day = Min(span->block_from[SCORE_BLOCKS - 1], span->history_from);
	span->margin_days = 3;		/* widened by hrguard_score_gather for its time zones */
}

static int
block_of(const ScoreSpan *span, DateADT day)
{
	int			b;

	for (b = 0; b < SCORE_BLOCKS; b++)
		if (day >= span->block_from[b] && day <= span->block_to[b])
			return b;
	return -1;
}

/* ---- local time ---------------------------------------------------------------- */

static DateADT
local_day(pg_tz *tz, TimestampTz t)
{
	struct pg_tm tm;
	fsec_t		fsec;
	int			offset;

	if (timestamp2tm(t, &offset, &tm, &fsec, NULL, tz) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range")));
	return date2j(tm.tm_year, tm.tm_mon, tm.tm_mday) - POSTGRES_EPOCH_JDATE;
}

/* ---- one employee -------------------------------------------------------------- */

static const HrguardSchedule *
employee_schedule(HrguardZoneCache *cache, int64 schedule_id)
{
	return schedule_id ? hrguard_cached_schedule(cache, schedule_id) : hrguard_default_schedule();
}

/* an employee's days are those of the schedule's time zone, or of their own */
static pg_tz *
employee_tz(const HrguardSchedule *schedule, const ScoreEmployee *e)
{
	return schedule->tz ? schedule->tz : hrguard_timezone_or_error(e->timezone, "an employee");
}

typedef struct Report
{
	DateADT		day;
	bool		late;
	double		hours;
} Report;

typedef struct Streams
{
	ScoreStream		leave;
	ScoreStream		reports;
} Streams;

static int
compare_visits(const void *a, const void *b)
{
	const ScoreVisit *x = a;
	const ScoreVisit *y = b;
	int			c;

	/* visits too far from the period to link have no customer: first */
	if (x->customer_id == NULL || y->customer_id == NULL)
		c = (x->customer_id != NULL) - (y->customer_id != NULL);
	else
		c = strcmp(x->customer_id, y->customer_id);

	if (c != 0)
		return c;
	return (x->at > y->at) - (x->at < y->at);
}

/* Is there a visit to the customer from 30 days before to 3 days after? */
static bool
deal_linked(const ScoreVisit *visits, int n, const char *customer_id, TimestampTz closed_at)
{
	TimestampTz from = closed_at - (int64) SCORE_LINK_BEFORE_DAYS * USECS_PER_DAY;
	TimestampTz to = closed_at + (int64) SCORE_LINK_AFTER_DAYS * USECS_PER_DAY;
	ScoreVisit	key = {.customer_id = (char *) customer_id,.at = from};
	int			lo = hrguard_lower_bound(visits, n, sizeof(ScoreVisit), &key, compare_visits);

	for (; lo < n && strcmp(visits[lo].customer_id, customer_id) == 0 && visits[lo].at <= to; lo++)
		if (visits[lo].long_enough)
			return true;
	return false;
}

/* one employee's facts as gather_employee reads them, block by block */
typedef struct EmployeeFacts
{
	double		days[SCORE_BLOCKS];
	double		sales[SCORE_BLOCKS];
	double		hours[SCORE_BLOCKS];
	ScoreRanges evidence;		/* the times punches and visits cover */
	ScoreRanges away;			/* approved leave */
	ScoreVisit *visits;			/* by customer and time */
	int			nvisits;
	Report	   *reports;		/* in day order */
	int			nreports;
} EmployeeFacts;

/* Visits: evidence of time, and what links a deal to a visit. */
static void
read_visits(ScoreVisit *v, int n, EmployeeFacts *f)
{
	int			i;

	for (i = 0; i < n; i++)
	{
		if (v[i].crm)
			hrguard_ranges_add(&f->evidence, v[i].at, v[i].ended);
		else
			hrguard_ranges_add(&f->evidence, v[i].at - VISIT_PUNCH_MARGIN_US, v[i].at + VISIT_PUNCH_MARGIN_US);
	}
	if (n > 0)
		qsort(v, n, sizeof(ScoreVisit), compare_visits);
	f->visits = v;
	f->nvisits = n;
}

/* Approved leave, and the daily reports. */
static void
read_leave_and_reports(ScoreEmployee *e, Streams *st, EmployeeFacts *f)
{
	HeapTuple	tuple;
	bool		isnull;
	int			cap = 0;

	while ((tuple = hrguard_stream_next_of(&st->leave, e->employee_id)) != NULL)
		hrguard_ranges_add(&f->away, DatumGetTimestampTz(hrguard_stream_column(&st->leave, tuple, 2, &isnull)),
						   DatumGetTimestampTz(hrguard_stream_column(&st->leave, tuple, 3, &isnull)));
	hrguard_ranges_union(&f->away);

	while ((tuple = hrguard_stream_next_of(&st->reports, e->employee_id)) != NULL)
	{
		if (f->nreports == cap)
		{
			cap = cap ? cap * 2 : 128;
			f->reports = f->reports ? repalloc(f->reports, sizeof(Report) * cap) : palloc(sizeof(Report) * cap);
		}
		f->reports[f->nreports].day = DatumGetDateADT(hrguard_stream_column(&st->reports, tuple, 2, &isnull));
		f->reports[f->nreports].hours = DatumGetFloat8(hrguard_stream_column(&st->reports, tuple, 3, &isnull));
		f->reports[f->nreports].late = DatumGetBool(hrguard_stream_column(&st->reports, tuple, 4, &isnull));
		f->nreports++;
	}
}

/* days outside the employment count for nothing */
static bool
employed(DateADT day, DateADT hired_on, DateADT left_on)
{
	return !((hired_on != DATEVAL_NOBEGIN && day < hired_on) ||
			 (left_on != DATEVAL_NOEND && day > left_on));
}

/*
 * Day by day: working windows, leave, verified hours, reports.  A working
 * day not wholly on leave wants a report: the period's days make the
 * "missed" string (kept in "keep"), the history's count.
 */
static void
walk_days(ScoreEmployee *e, const ScoreSpan *span, MemoryContext keep,
		  const ScoreDayWindows *day_windows, DateADT hired_on, DateADT left_on,
		  EmployeeFacts *f)
{
	ScoreTimeInputs *t = &e->in.time;
	StringInfoData missed;
	MemoryContext old = MemoryContextSwitchTo(keep);
	DateADT		day;
	int			r = 0;

	initStringInfo(&missed);
	MemoryContextSwitchTo(old);
	for (day = span->first_day; day <= span->to; day++)
	{
		int64		scheduled,
					leave_us,
					verified;
		bool		reported = false,
					late = false;
		int			b;

		CHECK_FOR_INTERRUPTS();
		while (r < f->nreports && f->reports[r].day < day)
			r++;
		if (r < f->nreports && f->reports[r].day == day)
		{
			reported = true;
			late = f->reports[r].late;
		}
		if (!employed(day, hired_on, left_on))
			continue;
		if (reported && day >= span->from)
			t->declared_hours += f->reports[r].hours;
		hrguard_score_day(day_windows, day, &f->evidence, &f->away, &scheduled, &leave_us, &verified);
		if (scheduled <= 0)
			continue;

		b = block_of(span, day);
		if (b >= 0)
		{
			f->days[b] += 1.0 - (double) leave_us / scheduled;
			f->hours[b] += (double) verified / USECS_PER_HOUR;
		}
		if (leave_us < scheduled)
		{
			bool		miss = !reported || late;

			if (day >= span->from)
			{
				old = MemoryContextSwitchTo(keep);
				appendStringInfoChar(&missed, miss ? '1' : '0');
				MemoryContextSwitchTo(old);
			}
			else if (day >= span->history_from)
			{
				e->in.report.history_days++;
				e->in.report.history_misses += miss ? 1 : 0;
			}
		}
	}
	e->in.report.missed = missed.data;
	e->in.report.ndays = missed.len;
}

static int
compare_deals(const void *a, const void *b)
{
	const ScoreDeal *x = a;
	const ScoreDeal *y = b;

	if (x->closed != y->closed)
		return (x->closed > y->closed) - (x->closed < y->closed);
	/*
	 * Deals at the same time: the period's (which have ids) by id, the
	 * others (without) by amount, so that sums add in one order.  Deals at
	 * one time are all of the period or none.
	 */
	if (x->sale_id != NULL && y->sale_id != NULL)
		return strcmp(x->sale_id, y->sale_id);
	return (x->amount > y->amount) - (x->amount < y->amount);
}

/*
 * Deals closed while employed, in time order: sales by block, and, for the
 * period's, whether the customer came from nowhere and whether a visit is
 * behind the deal (the sale ids of those flagged kept in "keep").
 */
static void
read_deals(ScoreEmployee *e, const ScoreSpan *span, const ScoreChunkFacts *chunk, int k,
		   MemoryContext keep, pg_tz *tz, DateADT hired_on, DateADT left_on, EmployeeFacts *f)
{
	ScoreTimeInputs *t = &e->in.time;
	ScoreDeal  *deals = SCORE_GROUP(&chunk->deals, k);
	int			n = SCORE_GROUP_SIZE(&chunk->deals, k);
	int			i;

	if (n > 0)
		qsort(deals, n, sizeof(ScoreDeal), compare_deals);
	for (i = 0; i < n; i++)
	{
		const ScoreDeal *d = &deals[i];
		DateADT		day = local_day(tz, d->closed);
		int			b = block_of(span, day);
		const ScoreCustomer *customer;
		bool		unknown;
		char	   *sale_id;
		MemoryContext old;

		if (b < 0 || !employed(day, hired_on, left_on))
			continue;
		f->sales[b] += d->amount;
		if (b != 0)
			continue;
		if (d->sale_id == NULL)
			elog(ERROR, "a deal of the period was read without its ids");
		t->deals++;
		t->top_deal = Max(t->top_deal, d->amount);

		/*
		 * From nowhere: not in the master of the seller's tenant when the
		 * deal closed, or created by the seller in the days just before it.
		 */
		customer = hrguard_score_customer(chunk, d->customer_id, e->tenant_id);
		unknown = customer == NULL || customer->created_at > d->closed ||
			(customer->created_by != NULL && strcmp(customer->created_by, e->employee_id) == 0 &&
			 d->closed - customer->created_at <= (int64) SCORE_SELF_CREATED_DAYS * USECS_PER_DAY);
		old = MemoryContextSwitchTo(keep);
		sale_id = pstrdup(d->sale_id);
		e->in.customer.n++;
		if (unknown)
		{
			e->in.customer.k++;
			e->in.customer.flagged = lappend(e->in.customer.flagged, sale_id);
		}
		e->in.visit.n++;
		if (!deal_linked(f->visits, f->nvisits, d->customer_id, d->closed))
		{
			e->in.visit.k++;
			e->in.visit.flagged = lappend(e->in.visit.flagged, sale_id);
		}
		MemoryContextSwitchTo(old);
	}
}

/*
 * Read one employee's facts from the streams and compute their inputs;
 * works in the current (scratch) context, keeps what the inputs point to
 * in "keep".
 */
static void
gather_employee(ScoreEmployee *e, const ScoreSpan *span, Streams *st, MemoryContext keep,
				HrguardZoneCache *cache, ScoreWindowCache *windows,
				int64 schedule_id, DateADT hired_on, DateADT left_on,
				const ScoreChunkFacts *chunk, int k)
{
	const HrguardSchedule *schedule = employee_schedule(cache, schedule_id);
	pg_tz	   *tz = employee_tz(schedule, e);
	const ScoreDayWindows *day_windows =
		hrguard_score_day_windows(windows, schedule, tz, &cache->calendar,
								  hrguard_tenant_index(cache, e->tenant_id));
	ScoreTimeInputs *t = &e->in.time;
	EmployeeFacts f;
	int			b;

	memset(&f, 0, sizeof(f));
	/* punches, visits and leave: the evidence of time */
	hrguard_score_pair_punches(SCORE_GROUP(&chunk->punches, k), SCORE_GROUP_SIZE(&chunk->punches, k),
							   &f.evidence);
	read_visits(SCORE_GROUP(&chunk->visits, k), SCORE_GROUP_SIZE(&chunk->visits, k), &f);
	hrguard_ranges_union(&f.evidence);
	read_leave_and_reports(e, st, &f);
	walk_days(e, span, keep, day_windows, hired_on, left_on, &f);
	read_deals(e, span, chunk, k, keep, tz, hired_on, left_on, &f);

	t->days = f.days[0];
	t->sales = f.sales[0];
	t->hours = f.hours[0];
	t->nbase = 0;
	for (b = 1; b < SCORE_BLOCKS; b++)
		if (f.days[b] >= SCORE_MIN_DAYS)
		{
			t->base_days[t->nbase] = f.days[b];
			t->base_sales[t->nbase] = f.sales[b];
			t->base_hours[t->nbase] = f.hours[b];
			t->nbase++;
		}
}

/* the employees whose punches, visits and deals one pass reads, at most */
#define SCORE_CHUNK 20000

typedef struct EmployeeRow
{
	int64		schedule_id;
	DateADT		hired_on;
	DateADT		left_on;
} EmployeeRow;

/* ---- every employee ---------------------------------------------------------- */

/* the period's employees, in employee_id order; their dates in rows */
static ScoreEmployee *
read_employees(Datum *period, const char *tenant_nulls, MemoryContext caller,
			   EmployeeRow **rows_out, int *nemployees)
{
	Oid			date_types[3] = {DATEOID, DATEOID, TEXTOID};
	ScoreStream employees;
	ScoreEmployee *out = NULL;
	EmployeeRow *rows = NULL;
	int			n = 0,
				cap = 0;
	HeapTuple	tuple;

	hrguard_stream_open(&employees,
						"SELECT employee_id, tenant_id, team, role, timezone, schedule_id, hired_on, left_on "
						"  FROM hrguard.employee "
						" WHERE (hired_on IS NULL OR hired_on OPERATOR(pg_catalog.<=) $2) "
						"   AND (left_on IS NULL OR left_on OPERATOR(pg_catalog.>=) $1) "
						"   AND ($3::pg_catalog.text IS NULL OR tenant_id OPERATOR(pg_catalog.=) $3) "
						" ORDER BY employee_id COLLATE pg_catalog.\"C\"",
						3, date_types, period, tenant_nulls);
	while ((tuple = hrguard_stream_peek(&employees)) != NULL)
	{
		ScoreEmployee *e;
		EmployeeRow *row;
		bool		isnull;
		Datum		d;
		MemoryContext old;

		employees.pos++;
		if (n == cap)
		{
			cap = cap ? cap * 2 : 1024;
			out = out ? repalloc_huge(out, sizeof(ScoreEmployee) * cap)
				: MemoryContextAllocHuge(caller, sizeof(ScoreEmployee) * cap);
			rows = rows ? repalloc_huge(rows, sizeof(EmployeeRow) * cap)
				: MemoryContextAllocHuge(caller, sizeof(EmployeeRow) * cap);
		}
		e = &out[n];
		row = &rows[n];
		memset(e, 0, sizeof(ScoreEmployee));
		old = MemoryContextSwitchTo(caller);
		e->employee_id = hrguard_stream_text(&employees, tuple, 1);
		e->tenant_id = hrguard_stream_text(&employees, tuple, 2);
		e->team = hrguard_stream_text(&employees, tuple, 3);
		e->role = hrguard_stream_text(&employees, tuple, 4);
		e->timezone = hrguard_stream_text(&employees, tuple, 5);
		MemoryContextSwitchTo(old);
		d = hrguard_stream_column(&employees, tuple, 6, &isnull);
		row->schedule_id = isnull ? 0 : DatumGetInt64(d);
		d = hrguard_stream_column(&employees, tuple, 7, &isnull);
		row->hired_on = isnull ? DATEVAL_NOBEGIN : DatumGetDateADT(d);
		d = hrguard_stream_column(&employees, tuple, 8, &isnull);
		row->left_on = isnull ? DATEVAL_NOEND : DatumGetDateADT(d);
		n++;
	}
	*rows_out = rows;
	*nemployees = n;
	return out;
}

/*
 * The leave and reports of the period's employees, each a stream in
 * employee order; times reach a day either side (time zones).
 */
static void
open_fact_streams(Streams *st, const ScoreSpan *span, Datum tenant, const char *tenant_nulls)
{
	Oid			date_types[3] = {DATEOID, DATEOID, TEXTOID};
	Oid			time_types[3] = {TIMESTAMPTZOID, TIMESTAMPTZOID, TEXTOID};
	Datum		days[3] = {DateADTGetDatum(span->first_day), DateADTGetDatum(span->to), tenant};
	Datum		times[3] = {TimestampTzGetDatum(SCORE_SPAN_START(span)),
	TimestampTzGetDatum(SCORE_SPAN_END(span)), tenant};

	hrguard_stream_open(&st->leave,
						"SELECT l.employee_id, l.starts_at, l.ends_at FROM hrguard.leave l " OF_TENANT("l")
						" WHERE l.starts_at OPERATOR(pg_catalog.<) $2 AND l.ends_at OPERATOR(pg_catalog.>) $1 "
						" ORDER BY l.employee_id COLLATE pg_catalog.\"C\", l.starts_at",
						3, time_types, times, tenant_nulls);
	hrguard_stream_open(&st->reports,
						"SELECT r.employee_id, r.report_date, r.hours::pg_catalog.float8, "
						"       v.recorded_at IS NOT NULL AND r.submitted_at OPERATOR(pg_catalog.>) v.recorded_at "
						"  FROM hrguard.daily_report r " OF_TENANT("r")
						"  LEFT JOIN hrguard.day_close c "
						"    ON c.employee_id OPERATOR(pg_catalog.=) r.employee_id AND c.day OPERATOR(pg_catalog.=) r.report_date "
						"  LEFT JOIN hrguard.evidence v "
						"    ON v.employee_id OPERATOR(pg_catalog.=) c.employee_id AND v.seq OPERATOR(pg_catalog.=) c.seq "
						" WHERE r.report_date OPERATOR(pg_catalog.>=) $1 AND r.report_date OPERATOR(pg_catalog.<=) $2 "
						" ORDER BY r.employee_id COLLATE pg_catalog.\"C\", r.report_date",
						3, date_types, days, tenant_nulls);
}

/* a time zone's offset from UTC at the start of a day, in seconds */
static int
offset_on(pg_tz *tz, DateADT day)
{
	struct pg_tm tm;

	memset(&tm, 0, sizeof(tm));
	j2date(day + POSTGRES_EPOCH_JDATE, &tm.tm_year, &tm.tm_mon, &tm.tm_mday);
	return DetermineTimeZoneOffset(&tm, tz);
}

/*
 * The days either side of the span that its facts are read from.  The
 * last day's windows may end as late as two days after it starts (a
 * window past midnight), and the off-duty punch that closes a pair up to
 * 24 hours after its on-duty punch: three days after the last day's start,
 * local time.  The first day's pairs may open up to a day before it.  So
 * three days, plus the widest UTC offset of the employees' time zones at
 * the span's ends in whole days (offsets within a day are covered by the
 * three).
 */
static int
margin_days(const ScoreEmployee *es, const EmployeeRow *rows, int n, const ScoreSpan *span,
			HrguardZoneCache *cache)
{
	int			widest = 0;
	pg_tz	   *last = NULL;
	int			i;

	for (i = 0; i < n; i++)
	{
		pg_tz	   *tz = employee_tz(employee_schedule(cache, rows[i].schedule_id), &es[i]);

		if (tz == last)
			continue;
		last = tz;
		widest = Max(widest, Abs(offset_on(tz, span->first_day)));
		widest = Max(widest, Abs(offset_on(tz, span->to)));
	}
	return widest / SECS_PER_DAY + 3;
}

/*
 * The inputs of every employee employed in the period (peer statistics
 * aside), in employee_id order.  Runs in SPI, as the owner of the tables.
 */
ScoreEmployee *
hrguard_score_gather(const ScoreSpan *period_span, const char *tenant_id, int *nemployees)
{
	ScoreSpan	wide = *period_span;
	const ScoreSpan *span = &wide;
	HrguardZoneCache *cache = hrguard_zone_cache();
	MemoryContext caller = CurrentMemoryContext;
	MemoryContext scratch = AllocSetContextCreate(CurrentMemoryContext, "hrguard scoring employee",
												  ALLOCSET_DEFAULT_SIZES);
	char		tenant_nulls[3] = {' ', ' ', tenant_id ? ' ' : 'n'};
	Datum		tenant = tenant_id ? CStringGetTextDatum(tenant_id) : (Datum) 0;
	Datum		period[3] = {DateADTGetDatum(span->from), DateADTGetDatum(span->to), tenant};
	Streams		st;
	ScoreEmployee *out;
	EmployeeRow *rows;
	int			n,
				first;
	MemoryContext chunk_context = AllocSetContextCreate(CurrentMemoryContext, "hrguard scoring facts",
														ALLOCSET_DEFAULT_SIZES);
	TimestampTz last_notice = GetCurrentTimestamp();
	ScoreWindowCache windows = {CurrentMemoryContext, span->first_day, span->to, NULL};

	out = read_employees(period, tenant_nulls, caller, &rows, &n);
	wide.margin_days = margin_days(out, rows, n, period_span, cache);
	open_fact_streams(&st, span, tenant, tenant_nulls);

	/* the employees in chunks: their punches, visits and deals, then each employee's facts */
	for (first = 0; first < n; first += SCORE_CHUNK)
	{
		int			end = Min(n, first + SCORE_CHUNK);
		ScoreChunkFacts chunk;
		int			i;

		MemoryContextReset(chunk_context);
		hrguard_score_read_chunk(&chunk, out, first, end, n, span, chunk_context);
		for (i = first; i < end; i++)
		{
			MemoryContext old = CurrentMemoryContext;

			/* what is kept (flagged sale ids, missed days) in the caller's context */
			MemoryContextReset(scratch);
			MemoryContextSwitchTo(scratch);
			gather_employee(&out[i], span, &st, caller, cache, &windows, rows[i].schedule_id,
							rows[i].hired_on, rows[i].left_on, &chunk, i - first);
			MemoryContextSwitchTo(old);

			if (TimestampDifferenceExceeds(last_notice, GetCurrentTimestamp(), 5000))
			{
				ereport(NOTICE,
						(errmsg("hrguard.score_period: read the facts of %d of %d employees", i + 1, n)));
				last_notice = GetCurrentTimestamp();
			}
		}
	}
	MemoryContextDelete(chunk_context);
	MemoryContextDelete(scratch);
	*nemployees = n;
	return out;
}
