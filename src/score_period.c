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
 * pure function of their inputs (score_signals.c).
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
#include "common/cryptohash.h"
#include "common/sha2.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/hsearch.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "alert.h"
#include "canon.h"
#include "common.h"
#include "evidence.h"
#include "evidence_stage.h"
#include "privilege.h"
#include "score.h"
#include "score_inputs.h"
#include "score_json.h"
#include "score_peers.h"
#include "score_period.h"
#include "score_signals.h"
#include "sha256.h"
#include "zone_cache.h"

/* advisory lock space of score_period (close_day uses its own) */
#define SCORE_LOCK_SPACE 0x68727363	/* "hrsc" */

/* the longest period scored at once */
#define SCORE_MAX_PERIOD_DAYS 366

/* ---- what is stored already ----------------------------------------------- */

typedef struct StoredScore
{
	char		employee_id[NAMEDATALEN * 2];	/* hash key */
	char		input_hash[PG_SHA256_DIGEST_STRING_LENGTH];
} StoredScore;

typedef struct RaisedAlert
{
	char		key[NAMEDATALEN * 3];	/* employee_id, 0x1f, kind */
	int			rank;			/* highest severity raised */
} RaisedAlert;

static HTAB *
string_table(const char *name, Size keysize, Size entrysize)
{
	HASHCTL		hctl;

	hctl.keysize = keysize;
	hctl.entrysize = entrysize;
	hctl.hcxt = CurrentMemoryContext;
	return hash_create(name, 1024, &hctl, HASH_ELEM | HASH_STRINGS | HASH_CONTEXT);
}

static void
alert_key(char *key, const char *employee_id, const char *kind)
{
	snprintf(key, NAMEDATALEN * 3, "%s\x1f%s", employee_id, kind);
}

static HTAB *
stored_scores(Datum *period)
{
	Oid			types[2] = {DATEOID, DATEOID};
	HTAB	   *table = string_table("hrguard stored scores", NAMEDATALEN * 2, sizeof(StoredScore));
	uint64		i;

	if (SPI_execute_with_args("SELECT employee_id, input_hash FROM hrguard.score "
							  " WHERE period_from OPERATOR(pg_catalog.=) $1 "
							  "   AND period_to OPERATOR(pg_catalog.=) $2",
							  2, types, period, NULL, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read the stored scores");
	for (i = 0; i < SPI_processed; i++)
	{
		bool		isnull;
		char	   *id = TextDatumGetCString(SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &isnull));
		Datum		hash = SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 2, &isnull);
		StoredScore *s;

		if (strlen(id) >= NAMEDATALEN * 2)
			continue;
		s = hash_search(table, id, HASH_ENTER, NULL);
		strlcpy(s->input_hash, isnull ? "" : TextDatumGetCString(hash), sizeof(s->input_hash));
	}
	SPI_freetuptable(SPI_tuptable);
	return table;
}

static HTAB *
raised_alerts(const char *period_from, const char *period_to)
{
	Oid			types[2] = {TEXTOID, TEXTOID};
	Datum		period[2] = {CStringGetTextDatum(period_from), CStringGetTextDatum(period_to)};
	HTAB	   *table = string_table("hrguard scoring alerts", NAMEDATALEN * 3, sizeof(RaisedAlert));
	uint64		i;

	if (SPI_execute_with_args(
			"SELECT employee_id, kind, severity FROM hrguard.alert "
			" WHERE kind OPERATOR(pg_catalog.=) ANY "
			"       (ARRAY['hours_mismatch', 'customer_source', 'unlinked_sale', 'report_gap']) "
			"   AND reasons OPERATOR(pg_catalog.->>) 'period_from' OPERATOR(pg_catalog.=) $1 "
			"   AND reasons OPERATOR(pg_catalog.->>) 'period_to' OPERATOR(pg_catalog.=) $2",
			2, types, period, NULL, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read the scoring alerts");
	for (i = 0; i < SPI_processed; i++)
	{
		bool		isnull;
		HeapTuple	tuple = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		char	   *id = TextDatumGetCString(SPI_getbinval(tuple, desc, 1, &isnull));
		char	   *kind = TextDatumGetCString(SPI_getbinval(tuple, desc, 2, &isnull));
		int			rank = hrguard_score_band_rank(TextDatumGetCString(SPI_getbinval(tuple, desc, 3, &isnull)));
		char		key[NAMEDATALEN * 3];
		RaisedAlert *a;
		bool		found;

		if (strlen(id) >= NAMEDATALEN * 2)
			continue;
		alert_key(key, id, kind);
		a = hash_search(table, key, HASH_ENTER, &found);
		a->rank = found ? Max(a->rank, rank) : rank;
	}
	SPI_freetuptable(SPI_tuptable);
	return table;
}

/* ---- storing one score ------------------------------------------------------ */

/*
 * True while the run writes hrguard.score, for the row triggers of its own
 * statement only: its guard admits these writes and not those of a
 * statement that an application's trigger on hrguard.score runs.
 */
static bool writing_scores = false;
static int	writing_depth = 0;

bool
hrguard_score_writing(void)
{
	return writing_scores && hrguard_trigger_depth() == writing_depth + 1;
}

typedef struct RunState
{
	Datum		period[2];
	char	   *period_from;	/* YYYY-MM-DD */
	char	   *period_to;
	TimestampTz now;
	HTAB	   *stored;
	HTAB	   *alerts;
	SPIPlanPtr	upsert;
	int64		changed;
	int64		raised;
} RunState;

static void
sha256_hex(const char *data, size_t len, char *hex)
{
	const void *parts[1] = {data};
	uint8		digest[PG_SHA256_DIGEST_LENGTH];

	hrguard_sha256_parts(NULL, parts, &len, 1, digest);
	hex[hex_encode((const char *) digest, sizeof(digest), hex)] = '\0';
}

static Datum
numeric_of(double x)
{
	return DirectFunctionCall1(float8_numeric, Float8GetDatum(x));
}

static Datum
rounded(double x)
{
	return DirectFunctionCall2(numeric_round, numeric_of(x), Int32GetDatum(2));
}

/* points as the score's columns hold them, two decimals */
static char *
points_text(double x)
{
	return DatumGetCString(DirectFunctionCall1(numeric_out, rounded(x)));
}

/* the evidence payload of a score: what it concluded, and from what */
static void
score_payload(StringInfo out, const RunState *run, const ScoreResult *r, const char *input_hash)
{
	StringInfoData text;
	int			i;

	initStringInfo(&text);
	appendStringInfo(&text,
					 "{\"score\":{\"algorithm\":\"%s\",\"period_from\":\"%s\",\"period_to\":\"%s\","
					 "\"input_sha256\":\"%s\",\"band\":\"%s\",\"total_points\":\"%s\",\"points\":{"
					 "\"time\":\"%s\",\"customer\":\"%s\",\"visit\":\"%s\",\"reporting\":\"%s\",\"location\":\"%s\"},"
					 "\"levels\":{",
					 HRGUARD_SCORE_ALGORITHM, run->period_from, run->period_to, input_hash,
					 r->band, points_text(r->total),
					 points_text(r->family_points[SCORE_FAMILY_TIME]),
					 points_text(r->family_points[SCORE_FAMILY_CUSTOMER]),
					 points_text(r->family_points[SCORE_FAMILY_VISIT]),
					 points_text(r->family_points[SCORE_FAMILY_REPORTING]),
					 points_text(r->family_points[SCORE_FAMILY_LOCATION]));
	for (i = 0; i < SCORE_SIGNALS; i++)
		appendStringInfo(&text, "%s\"%s\":\"%s\"", i ? "," : "", hrguard_score_signal_kinds[i],
						 hrguard_score_level_name(hrguard_score_signal(r, i)->level));
	appendStringInfoString(&text, "}}}");
	hrguard_canonicalize(text.data, text.len, out);
	pfree(text.data);
}

static void
store_score(RunState *run, const ScoreSpan *span, ScoreEmployee *e)
{
	StringInfoData inputs_text;
	StringInfoData inputs;
	StringInfoData signals;
	StringInfoData payload;
	char		input_hash[PG_SHA256_DIGEST_STRING_LENGTH];
	StoredScore *stored;
	int64		seq;
	int64		score_id;
	Datum		args[16];
	bool		isnull;
	int			band_rank;
	int			i;

	initStringInfo(&inputs_text);
	hrguard_score_inputs_json(&inputs_text, &e->in, span);
	initStringInfo(&inputs);
	hrguard_canonicalize(inputs_text.data, inputs_text.len, &inputs);
	sha256_hex(inputs.data, inputs.len, input_hash);

	stored = hash_search(run->stored, e->employee_id, HASH_FIND, NULL);
	if (stored != NULL && strcmp(stored->input_hash, input_hash) == 0)
		return;

	initStringInfo(&signals);
	hrguard_score_result_json(&signals, &e->result);
	initStringInfo(&payload);
	score_payload(&payload, run, &e->result, input_hash);
	seq = hrguard_evidence_stage(e->employee_id, "score", run->now, &payload);

	args[0] = CStringGetTextDatum(e->employee_id);
	args[1] = CStringGetTextDatum(e->tenant_id);
	args[2] = run->period[0];
	args[3] = run->period[1];
	args[4] = CStringGetTextDatum(HRGUARD_SCORE_ALGORITHM);
	args[5] = CStringGetTextDatum(e->result.band);
	args[6] = rounded(e->result.total);
	args[7] = rounded(e->result.family_points[SCORE_FAMILY_TIME]);
	args[8] = rounded(e->result.family_points[SCORE_FAMILY_CUSTOMER]);
	args[9] = rounded(e->result.family_points[SCORE_FAMILY_VISIT]);
	args[10] = rounded(e->result.family_points[SCORE_FAMILY_REPORTING]);
	args[11] = rounded(e->result.family_points[SCORE_FAMILY_LOCATION]);
	args[12] = DirectFunctionCall1(jsonb_in, CStringGetDatum(signals.data));
	args[13] = DirectFunctionCall1(jsonb_in, CStringGetDatum(inputs.data));
	args[14] = CStringGetTextDatum(input_hash);
	args[15] = Int64GetDatum(seq);
	writing_depth = hrguard_trigger_depth();
	writing_scores = true;
	PG_TRY();
	{
		if (SPI_execute_plan(run->upsert, args, NULL, false, 0) != SPI_OK_INSERT_RETURNING)
			elog(ERROR, "could not store a score");
	}
	PG_FINALLY();
	{
		writing_scores = false;
	}
	PG_END_TRY();
	if (SPI_processed != 1)
		ereport(ERROR,
				(errcode(ERRCODE_TRIGGERED_ACTION_EXCEPTION),
				 errmsg("the score of employee \"%s\" was not stored", e->employee_id),
				 errdetail("A trigger on hrguard.score dropped it; every score hrguard computes must be stored.")));
	score_id = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	/* as computed: a trigger that changed it would part the row from its entry */
	{
		Datum		stored_band = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull);
		Datum		stored_hash = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 3, &isnull);
		Datum		stored_seq = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 4, &isnull);
		Datum		stored_total = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 5, &isnull);

		if (strcmp(TextDatumGetCString(stored_band), e->result.band) != 0 ||
			strcmp(TextDatumGetCString(stored_hash), input_hash) != 0 ||
			DatumGetInt64(stored_seq) != seq ||
			!DatumGetBool(DirectFunctionCall2(numeric_eq, stored_total, args[6])))
			ereport(ERROR,
					(errcode(ERRCODE_TRIGGERED_ACTION_EXCEPTION),
					 errmsg("the score of employee \"%s\" was changed as it was stored", e->employee_id),
					 errdetail("A trigger on hrguard.score changed its band, total, input hash or evidence entry; a stored score must say what its evidence entry says.")));
	}
	SPI_freetuptable(SPI_tuptable);
	run->changed++;

	/* alerts: the signals that fire, in the employee's band, if new */
	band_rank = hrguard_score_band_rank(e->result.band);
	if (band_rank <= 0)
		return;
	for (i = 0; i < SCORE_SIGNALS; i++)
	{
		const ScoreSignal *s = hrguard_score_signal(&e->result, i);
		char		key[NAMEDATALEN * 3];
		RaisedAlert *raised;
		bool		found;
		StringInfoData reasons;
		StringInfoData signal;

		if (s->level == SCORE_LEVEL_NONE)
			continue;
		alert_key(key, e->employee_id, hrguard_score_signal_kinds[i]);
		raised = hash_search(run->alerts, key, HASH_ENTER, &found);
		if (found && raised->rank >= band_rank)
			continue;
		raised->rank = band_rank;

		initStringInfo(&signal);
		hrguard_score_signal_json(&signal, &e->result, i);
		initStringInfo(&reasons);
		appendStringInfo(&reasons,
						 "{\"score_id\":" INT64_FORMAT ",\"period_from\":\"%s\",\"period_to\":\"%s\","
						 "\"algorithm\":\"%s\",\"input_sha256\":\"%s\",\"band\":\"%s\","
						 "\"total_points\":%s,\"signal\":%s}",
						 score_id, run->period_from, run->period_to, HRGUARD_SCORE_ALGORITHM,
						 input_hash, e->result.band, points_text(e->result.total), signal.data);
		hrguard_alert_raise(e->employee_id, hrguard_score_signal_kinds[i], e->result.band, run->now,
							DirectFunctionCall1(jsonb_in, CStringGetDatum(reasons.data)),
							"score_id", score_id);
		run->raised++;
	}
}

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
	RunState	run;
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

	hrguard_score_span(from, to, &span);
	if (span.first_day < date2j(1700, 1, 3) - POSTGRES_EPOCH_JDATE)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_FIELD_OVERFLOW),
				 errmsg("the period to score is outside the times hrguard records"),
				 errdetail("Its six earlier periods and report history reach back to %s; facts are recorded from 1700.",
						   hrguard_iso_date(span.first_day))));
	memset(&run, 0, sizeof(run));
	run.period[0] = DateADTGetDatum(from);
	run.period[1] = DateADTGetDatum(to);
	run.period_from = hrguard_iso_date(from);
	run.period_to = hrguard_iso_date(to);
	run.now = GetCurrentTransactionStartTimestamp();

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	(void) hrguard_zone_cache();
	hrguard_become_owner(hrguard_tables_owner(), &saved);

	es = hrguard_score_gather(&span, tenant_id, &n);
	hrguard_score_peers(es, n);
	for (i = 0; i < n; i++)
		hrguard_score_evaluate(&es[i].in, &es[i].result);

	run.stored = stored_scores(run.period);  /* of every tenant: keyed by employee */
	run.alerts = raised_alerts(run.period_from, run.period_to);
	{
		Oid			types[16] = {TEXTOID, TEXTOID, DATEOID, DATEOID, TEXTOID, TEXTOID,
			NUMERICOID, NUMERICOID, NUMERICOID, NUMERICOID, NUMERICOID, NUMERICOID,
		JSONBOID, JSONBOID, TEXTOID, INT8OID};

		run.upsert = SPI_prepare(
			"INSERT INTO hrguard.score AS s (employee_id, tenant_id, period_from, period_to, algorithm, "
			"       band, total_points, time_points, customer_points, visit_points, reporting_points, "
			"       location_points, signals, inputs, input_hash, evidence_seq) "
			"VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) "
			"ON CONFLICT (employee_id, period_from, period_to) DO UPDATE SET "
			"       tenant_id = excluded.tenant_id, algorithm = excluded.algorithm, band = excluded.band, "
			"       total_points = excluded.total_points, time_points = excluded.time_points, "
			"       customer_points = excluded.customer_points, visit_points = excluded.visit_points, "
			"       reporting_points = excluded.reporting_points, location_points = excluded.location_points, "
			"       signals = excluded.signals, inputs = excluded.inputs, input_hash = excluded.input_hash, "
			"       evidence_seq = excluded.evidence_seq, computed_at = pg_catalog.now(), "
			"       revision = s.revision OPERATOR(pg_catalog.+) 1 "
			"RETURNING score_id, band, input_hash, evidence_seq, total_points", 16, types);
		if (run.upsert == NULL)
			elog(ERROR, "could not prepare the score upsert: %s", SPI_result_code_string(SPI_result));
	}

	last_notice = GetCurrentTimestamp();
	per_score = AllocSetContextCreate(CurrentMemoryContext, "hrguard score", ALLOCSET_DEFAULT_SIZES);
	for (i = 0; i < n; i++)
	{
		MemoryContext old;

		CHECK_FOR_INTERRUPTS();
		MemoryContextReset(per_score);
		old = MemoryContextSwitchTo(per_score);
		store_score(&run, &span, &es[i]);
		MemoryContextSwitchTo(old);
		if (TimestampDifferenceExceeds(last_notice, GetCurrentTimestamp(), 5000))
		{
			ereport(NOTICE,
					(errmsg("hrguard.score_period: scored %d of %d employees", i + 1, n)));
			last_notice = GetCurrentTimestamp();
		}
	}
	if (!hrguard_evidence_write_staged())
		elog(ERROR, "the staged evidence could not be written");
	hrguard_restore_user(&saved);
	SPI_finish();

	values[0] = Int64GetDatum(n);
	values[1] = Int64GetDatum(run.changed);
	values[2] = Int64GetDatum(run.raised);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(desc), values, nulls)));
}
