/*-------------------------------------------------------------------------
 *
 * score_period.c
 *	  hrguard.score_period(from, to): scores every employee employed in a
 *	  period against their own earlier periods and their peers, stores the
 *	  scores (hrguard.score), records each in the employee's evidence
 *	  chain, and raises alerts as punches do.
 *
 * The run reads every employee's facts (score_inputs.c), then works out
 * their peers' statistics (score_peers.c); each employee's score is then a
 * pure function of their inputs (score_signals.c), and is stored with its
 * evidence entry and alerts (score_store.c).
 *
 * Idempotent: a score whose inputs (hashed, with the parameters) did not
 * change is left alone, with no new entry and no new alert; a changed one
 * is updated, recorded again, and raises alerts only for signals that have
 * none of its band or higher for the period yet (a dismissed alert counts:
 * a rerun does not raise it again).  Runs for the same period wait for
 * each other.
 *
 * IDENTIFICATION
 *	  src/score_period.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"

#include "common.h"
#include "evidence.h"
#include "evidence_stage.h"
#include "privilege.h"
#include "score.h"
#include "score_inputs.h"
#include "score_peers.h"
#include "score_signals.h"
#include "score_store.h"
#include "zone_cache.h"

/* advisory lock space of score_period (close_day uses its own) */
#define SCORE_LOCK_SPACE 0x68727363	/* "hrsc" */

/* the longest period scored at once */
#define SCORE_MAX_PERIOD_DAYS 366

/* ---- hrguard.score_period(from, to) -------------------------------------------- */


static void
check_period(DateADT from, DateADT to)
{
	DateADT		today;

	if (DATE_NOT_FINITE(from) || DATE_NOT_FINITE(to))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("the period to score must have finite dates")));
	if (to < from)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the period to score ends (%s) before it starts (%s)",
						hrguard_iso_date(to), hrguard_iso_date(from))));
	if (to - from + 1 > SCORE_MAX_PERIOD_DAYS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("a period of %d days is too long to score", to - from + 1),
				 errdetail("Periods of up to %d days are scored; a month is the usual one.",
						   SCORE_MAX_PERIOD_DAYS)));
	/* before the date arithmetic below: a span of at most a year, 1700-2199 */
	if (from < date2j(1700, 1, 1) - POSTGRES_EPOCH_JDATE ||
		to > date2j(2199, 12, 28) - POSTGRES_EPOCH_JDATE)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_FIELD_OVERFLOW),
				 errmsg("the period to score is outside the times hrguard records"),
				 errdetail("Facts are recorded from 1700 to 2199; a period scored ends by 2199-12-28.")));
	{
		struct pg_tm tm;
		fsec_t		fsec;
		int			offset;

		if (timestamp2tm(GetCurrentTransactionStartTimestamp(), &offset, &tm, &fsec, NULL,
						 hrguard_default_tz()) != 0)
			elog(ERROR, "the current time is out of range");
		today = date2j(tm.tm_year, tm.tm_mon, tm.tm_mday) - POSTGRES_EPOCH_JDATE;
	}
	if (to >= today)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the period to score has not ended: it ends on %s", hrguard_iso_date(to)),
				 errdetail("Only periods whose last day is before today (%s in hrguard.default_timezone) are scored.", hrguard_iso_date(today))));
}

PG_FUNCTION_INFO_V1(hrguard_score_period);
Datum
hrguard_score_period(PG_FUNCTION_ARGS)
{
	DateADT		from;
	DateADT		to;
	char	   *tenant_id = PG_ARGISNULL(2) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(2));
	ScoreSpan	span;
	ScoreStore *store;
	int64		changed,
				raised;
	HrguardSavedUser saved;
	ScoreEmployee *es;
	int			n,
				i;
	TupleDesc	desc;
	Datum		values[3];
	bool		nulls[3] = {false, false, false};
	TimestampTz last_notice;
	MemoryContext per_score;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("the period to score needs a first and a last day")));
	from = PG_GETARG_DATEADT(0);
	to = PG_GETARG_DATEADT(1);
	check_period(from, to);
	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	if (hrguard_evidence_staged() && !hrguard_evidence_stage_writable())
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("hrguard.score_period() cannot run inside a statement that records evidence"),
				 errhint("Call it in a statement of its own.")));

	/* one run per period at a time; the second then finds the first's scores */
	DirectFunctionCall2(pg_advisory_xact_lock_int4,
						Int32GetDatum(SCORE_LOCK_SPACE), Int32GetDatum(from));

	/*
	 * The facts and scores as they are once the lock is held: a run that
	 * waited for another would otherwise read them as its statement began,
	 * and store over the other's scores ones computed from older facts.
	 * Under READ COMMITTED this is a new snapshot; under REPEATABLE READ and
	 * SERIALIZABLE it is the transaction's, as those levels require.
	 */
	PushActiveSnapshot(GetTransactionSnapshot());

	hrguard_score_span(from, to, &span);
	if (span.first_day < date2j(1700, 1, 1) - POSTGRES_EPOCH_JDATE)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_FIELD_OVERFLOW),
				 errmsg("the period to score is outside the times hrguard records"),
				 errdetail("Its six earlier periods and report history reach back to %s; facts are recorded from 1700.",
						   hrguard_iso_date(span.first_day))));
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	(void) hrguard_zone_cache();
	hrguard_become_owner(hrguard_tables_owner(), &saved);

	es = hrguard_score_gather(&span, tenant_id, &n);
	if (n == 0)
		ereport(NOTICE,
				(errmsg("hrguard.score_period: no employee%s%s%s is employed from %s to %s",
						tenant_id ? " of tenant \"" : "", tenant_id ? tenant_id : "",
						tenant_id ? "\"" : "", hrguard_iso_date(from), hrguard_iso_date(to)),
				 tenant_id ? errhint("Tenant ids are compared exactly, as hrguard.employee.tenant_id holds them.") : 0));
	hrguard_score_peers(es, n);
	for (i = 0; i < n; i++)
		hrguard_score_evaluate(&es[i].in, &es[i].result);

	store = hrguard_score_store_begin(from, to, &span);

	last_notice = GetCurrentTimestamp();
	per_score = AllocSetContextCreate(CurrentMemoryContext, "hrguard score", ALLOCSET_DEFAULT_SIZES);
	for (i = 0; i < n; i++)
	{
		MemoryContext old;

		CHECK_FOR_INTERRUPTS();
		MemoryContextReset(per_score);
		old = MemoryContextSwitchTo(per_score);
		hrguard_score_store(store, &es[i]);
		MemoryContextSwitchTo(old);
		if (TimestampDifferenceExceeds(last_notice, GetCurrentTimestamp(), 5000))
		{
			ereport(NOTICE,
					(errmsg("hrguard.score_period: scored %d of %d employees", i + 1, n)));
			last_notice = GetCurrentTimestamp();
		}
	}
	hrguard_score_store_end(store, &changed, &raised);
	if (!hrguard_evidence_write_staged())
		elog(ERROR, "the staged evidence could not be written");
	hrguard_restore_user(&saved);
	SPI_finish();
	PopActiveSnapshot();

	values[0] = Int64GetDatum(n);
	values[1] = Int64GetDatum(changed);
	values[2] = Int64GetDatum(raised);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(desc), values, nulls)));
}
