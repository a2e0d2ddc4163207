/*-------------------------------------------------------------------------
 *
 * score_store.c
 *	  Storing the scores of a run: each score whose inputs changed is
 *	  recorded in the employee's evidence chain and upserted into
 *	  hrguard.score, in batches of one statement each, and its signals
 *	  raise the alerts of its band that the period has not had yet.
 *
 * A batch is one INSERT ... SELECT FROM unnest(...) ON CONFLICT DO UPDATE:
 * the rows go through the executor as any insert does (the table's
 * triggers, constraints, foreign key and unique index), one statement per
 * batch rather than per score.  Each row returned is checked against what
 * was computed (a trigger that dropped or changed a score is an error), and
 * the alerts follow, which name the score's id.
 *
 * IDENTIFICATION
 *	  src/score_store.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "common/sha2.h"
#include "executor/spi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/hsearch.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/numeric.h"

#include "alert.h"
#include "canon_writer.h"
#include "common.h"
#include "evidence_stage.h"
#include "privilege.h"
#include "score.h"
#include "score_json.h"
#include "score_signals.h"
#include "score_store.h"
#include "sha256.h"

/* scores upserted by one statement, at most */
#define SCORE_STORE_BATCH 500

/* the columns of a batch, in the statement's order from $4 */
enum
{
	COL_EMPLOYEE,
	COL_TENANT,
	COL_BAND,
	COL_TOTAL,
	COL_TIME,
	COL_CUSTOMER,
	COL_VISIT,
	COL_REPORTING,
	COL_LOCATION,
	COL_SIGNALS,
	COL_INPUTS,
	COL_HASH,
	COL_SEQ,
	STORE_COLUMNS
};

static const Oid column_types[STORE_COLUMNS] = {
	TEXTOID, TEXTOID, TEXTOID, NUMERICOID, NUMERICOID, NUMERICOID, NUMERICOID, NUMERICOID,
	NUMERICOID, JSONBOID, JSONBOID, TEXTOID, INT8OID
};

/* a score in the batch, waiting to be stored */
typedef struct PendingScore
{
	ScoreEmployee *e;
	char		input_hash[PG_SHA256_DIGEST_STRING_LENGTH];
	StringInfoData payload;		/* its evidence entry's, canonical */
} PendingScore;

struct ScoreStore
{
	Datum		period[2];
	char	   *period_from;	/* YYYY-MM-DD */
	char	   *period_to;
	const ScoreSpan *span;
	TimestampTz now;
	HTAB	   *stored;
	HTAB	   *alerts;
	SPIPlanPtr	upsert;
	MemoryContext batch_context;	/* what the batch holds; reset after it is stored */
	int			n;
	PendingScore pending[SCORE_STORE_BATCH];
	Datum		columns[STORE_COLUMNS][SCORE_STORE_BATCH];
	int64		changed;
	int64		raised;
};

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

/* the evidence payload of a score: what it concluded, and from what (canonical JSON) */
static void
score_payload(StringInfo out, const ScoreStore *run, const ScoreResult *r, const char *input_hash)
{
	CanonWriter w;
	int			order[SCORE_SIGNALS];
	int			i,
				j;

	/* the signals' levels, keyed by kind: in byte order */
	for (i = 0; i < SCORE_SIGNALS; i++)
	{
		for (j = i; j > 0 && strcmp(hrguard_score_signal_kinds[order[j - 1]],
									hrguard_score_signal_kinds[i]) > 0; j--)
			order[j] = order[j - 1];
		order[j] = i;
	}
	hrguard_canon_writer_init(&w, out);
	hrguard_canon_object_begin(&w);
	hrguard_canon_key(&w, "score");
	hrguard_canon_object_begin(&w);
	hrguard_canon_key(&w, "algorithm");
	hrguard_canon_cstring(&w, HRGUARD_SCORE_ALGORITHM);
	hrguard_canon_key(&w, "band");
	hrguard_canon_cstring(&w, r->band);
	hrguard_canon_key(&w, "input_sha256");
	hrguard_canon_cstring(&w, input_hash);
	hrguard_canon_key(&w, "levels");
	hrguard_canon_object_begin(&w);
	for (i = 0; i < SCORE_SIGNALS; i++)
	{
		hrguard_canon_key(&w, hrguard_score_signal_kinds[order[i]]);
		hrguard_canon_cstring(&w, hrguard_score_level_name(hrguard_score_signal(r, order[i])->level));
	}
	hrguard_canon_object_end(&w);
	hrguard_canon_key(&w, "period_from");
	hrguard_canon_cstring(&w, run->period_from);
	hrguard_canon_key(&w, "period_to");
	hrguard_canon_cstring(&w, run->period_to);
	hrguard_canon_key(&w, "points");
	hrguard_canon_object_begin(&w);
	hrguard_canon_key(&w, "customer");
	hrguard_canon_cstring(&w, points_text(r->family_points[SCORE_FAMILY_CUSTOMER]));
	hrguard_canon_key(&w, "location");
	hrguard_canon_cstring(&w, points_text(r->family_points[SCORE_FAMILY_LOCATION]));
	hrguard_canon_key(&w, "reporting");
	hrguard_canon_cstring(&w, points_text(r->family_points[SCORE_FAMILY_REPORTING]));
	hrguard_canon_key(&w, "time");
	hrguard_canon_cstring(&w, points_text(r->family_points[SCORE_FAMILY_TIME]));
	hrguard_canon_key(&w, "visit");
	hrguard_canon_cstring(&w, points_text(r->family_points[SCORE_FAMILY_VISIT]));
	hrguard_canon_object_end(&w);
	hrguard_canon_key(&w, "total_points");
	hrguard_canon_cstring(&w, points_text(r->total));
	hrguard_canon_object_end(&w);
	hrguard_canon_object_end(&w);
}

/* ---- storing scores ------------------------------------------------------------ */

/* the alerts of a stored score: the signals that fire, in its band, if new */
static void
raise_alerts(ScoreStore *run, const PendingScore *p, int64 score_id)
{
	ScoreEmployee *e = p->e;
	int			band_rank = hrguard_score_band_rank(e->result.band);
	int			i;

	if (band_rank <= 0)
		return;
	for (i = 0; i < SCORE_SIGNALS; i++)
	{
		const ScoreSignal *s = hrguard_score_signal(&e->result, i);
		char		key[NAMEDATALEN * 3];
		RaisedAlert *raised;
		bool		found;
		StringInfoData reasons;
		Jsonb	   *signal;

		if (s->level == SCORE_LEVEL_NONE)
			continue;
		alert_key(key, e->employee_id, hrguard_score_signal_kinds[i]);
		raised = hash_search(run->alerts, key, HASH_ENTER, &found);
		if (found && raised->rank >= band_rank)
			continue;
		raised->rank = band_rank;

		signal = hrguard_score_signal_json(&e->result, i);
		initStringInfo(&reasons);
		appendStringInfo(&reasons,
						 "{\"score_id\":" INT64_FORMAT ",\"period_from\":\"%s\",\"period_to\":\"%s\","
						 "\"algorithm\":\"%s\",\"input_sha256\":\"%s\",\"band\":\"%s\","
						 "\"total_points\":%s,\"signal\":%s}",
						 score_id, run->period_from, run->period_to, HRGUARD_SCORE_ALGORITHM,
						 p->input_hash, e->result.band, points_text(e->result.total),
						 JsonbToCString(NULL, &signal->root, VARSIZE(signal)));
		hrguard_alert_raise(e->employee_id, hrguard_score_signal_kinds[i], e->result.band, run->now,
							DirectFunctionCall1(jsonb_in, CStringGetDatum(reasons.data)),
							"score_id", score_id);
		run->raised++;
	}
}

/* whether column "col" of a row the upsert returned is as hrguard computed it */
static bool
stored_as(Datum computed, HeapTuple tuple, TupleDesc desc, int col, Oid type)
{
	bool		isnull;
	Datum		stored = SPI_getbinval(tuple, desc, col, &isnull);
	int16		typlen;
	bool		typbyval;

	if (isnull)
		return false;
	get_typlenbyval(type, &typlen, &typbyval);
	return datum_image_eq(computed, stored, typbyval, typlen);
}

static Datum
column_array(ScoreStore *run, int c)
{
	int16		typlen;
	bool		typbyval;
	char		typalign;

	get_typlenbyvalalign(column_types[c], &typlen, &typbyval, &typalign);
	return PointerGetDatum(construct_array(run->columns[c], run->n, column_types[c],
										   typlen, typbyval, typalign));
}

/*
 * Upsert the batch in one statement, check each row returned against what
 * was computed, then raise the alerts of each score.
 */
static void
store_batch(ScoreStore *run)
{
	MemoryContext old;
	Datum		args[3 + STORE_COLUMNS];
	uint64		returned;
	int			i,
				c;

	if (run->n == 0)
		return;
	old = MemoryContextSwitchTo(run->batch_context);

	/* the batch's chains locked together, then each score's entry numbered */
	{
		const char **ids = palloc(sizeof(char *) * run->n);

		for (i = 0; i < run->n; i++)
			ids[i] = run->pending[i].e->employee_id;
		hrguard_evidence_lock_chains(ids, run->n);
	}
	for (i = 0; i < run->n; i++)
	{
		const PendingScore *p = &run->pending[i];

		run->columns[COL_SEQ][i] =
			Int64GetDatum(hrguard_evidence_stage(p->e->employee_id, "score", run->now, &p->payload));
	}

	args[0] = run->period[0];
	args[1] = run->period[1];
	args[2] = CStringGetTextDatum(HRGUARD_SCORE_ALGORITHM);
	for (c = 0; c < STORE_COLUMNS; c++)
		args[3 + c] = column_array(run, c);

	writing_depth = hrguard_trigger_depth();
	writing_scores = true;
	PG_TRY();
	{
		if (SPI_execute_plan(run->upsert, args, NULL, false, 0) != SPI_OK_INSERT_RETURNING)
			elog(ERROR, "could not store the scores");
	}
	PG_FINALLY();
	{
		writing_scores = false;
	}
	PG_END_TRY();

	/*
	 * The rows come back in the batch's order, each as computed (every
	 * column hrguard wrote: the row must say what its evidence entry says
	 * and hash to its input hash), or the run fails.
	 */
	returned = SPI_processed;
	for (i = 0; i < run->n; i++)
	{
		const PendingScore *p = &run->pending[i];
		HeapTuple	tuple = (uint64) i < returned ? SPI_tuptable->vals[i] : NULL;
		TupleDesc	desc = SPI_tuptable->tupdesc;
		bool		same = true;

		if (tuple == NULL ||
			!stored_as(run->columns[COL_EMPLOYEE][i], tuple, desc, 2, column_types[COL_EMPLOYEE]))
			ereport(ERROR,
					(errcode(ERRCODE_TRIGGERED_ACTION_EXCEPTION),
					 errmsg("the score of employee \"%s\" was not stored", p->e->employee_id),
					 errdetail("A trigger on hrguard.score dropped it or changed its employee; every score hrguard computes must be stored.")));
		for (c = COL_EMPLOYEE + 1; c < STORE_COLUMNS && same; c++)
			same = stored_as(run->columns[c][i], tuple, desc, 2 + c, column_types[c]);
		for (c = 0; c < 3 && same; c++)
			same = stored_as(args[c], tuple, desc, 2 + STORE_COLUMNS + c, c < 2 ? DATEOID : TEXTOID);
		if (!same)
			ereport(ERROR,
					(errcode(ERRCODE_TRIGGERED_ACTION_EXCEPTION),
					 errmsg("the score of employee \"%s\" was changed as it was stored", p->e->employee_id),
					 errdetail("A trigger on hrguard.score changed what score_period() computed (its tenant, period, algorithm, band, points, signals, inputs, input hash or evidence entry); a stored score must say what its evidence entry says.")));
	}
	{
		int64	   *score_ids = palloc(sizeof(int64) * run->n);
		bool		isnull;

		for (i = 0; i < run->n; i++)
			score_ids[i] = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &isnull));
		SPI_freetuptable(SPI_tuptable);
		for (i = 0; i < run->n; i++)
		{
			run->changed++;
			raise_alerts(run, &run->pending[i], score_ids[i]);
		}
	}
	MemoryContextSwitchTo(old);
	MemoryContextReset(run->batch_context);
	run->n = 0;
}

/*
 * Store the score of one employee if its inputs changed: its evidence
 * entry and its row go with the batch.  Works in the caller's (scratch)
 * context; what the batch keeps goes in its own.
 */
void
hrguard_score_store(ScoreStore *run, ScoreEmployee *e)
{
	StringInfoData inputs;
	Jsonb	   *inputs_jsonb;
	Jsonb	   *signals;
	char		input_hash[PG_SHA256_DIGEST_STRING_LENGTH];
	StoredScore *stored;
	PendingScore *p;
	MemoryContext old;
	int			k = run->n;

	initStringInfo(&inputs);
	inputs_jsonb = hrguard_score_inputs_json(&inputs, &e->in, run->span);	/* canonical */
	sha256_hex(inputs.data, inputs.len, input_hash);

	stored = hash_search(run->stored, e->employee_id, HASH_FIND, NULL);
	if (stored != NULL && strcmp(stored->input_hash, input_hash) == 0)
		return;

	signals = hrguard_score_result_json(&e->result);

	p = &run->pending[k];
	p->e = e;
	strlcpy(p->input_hash, input_hash, sizeof(p->input_hash));

	old = MemoryContextSwitchTo(run->batch_context);
	initStringInfo(&p->payload);
	score_payload(&p->payload, run, &e->result, input_hash);
	run->columns[COL_EMPLOYEE][k] = CStringGetTextDatum(e->employee_id);
	run->columns[COL_TENANT][k] = CStringGetTextDatum(e->tenant_id);
	run->columns[COL_BAND][k] = CStringGetTextDatum(e->result.band);
	run->columns[COL_TOTAL][k] = rounded(e->result.total);
	run->columns[COL_TIME][k] = rounded(e->result.family_points[SCORE_FAMILY_TIME]);
	run->columns[COL_CUSTOMER][k] = rounded(e->result.family_points[SCORE_FAMILY_CUSTOMER]);
	run->columns[COL_VISIT][k] = rounded(e->result.family_points[SCORE_FAMILY_VISIT]);
	run->columns[COL_REPORTING][k] = rounded(e->result.family_points[SCORE_FAMILY_REPORTING]);
	run->columns[COL_LOCATION][k] = rounded(e->result.family_points[SCORE_FAMILY_LOCATION]);
	run->columns[COL_SIGNALS][k] = datumCopy(PointerGetDatum(signals), false, -1);
	run->columns[COL_INPUTS][k] = datumCopy(PointerGetDatum(inputs_jsonb), false, -1);
	run->columns[COL_HASH][k] = CStringGetTextDatum(input_hash);
	MemoryContextSwitchTo(old);
	if (++run->n == SCORE_STORE_BATCH)
		store_batch(run);
}

/*
 * A store for the scores of the period from .. to: the scores and alerts
 * of the period already stored, and the upsert prepared.  In SPI, as the
 * owner of the tables.
 */
ScoreStore *
hrguard_score_store_begin(DateADT from, DateADT to, const ScoreSpan *span)
{
	ScoreStore *run = palloc0(sizeof(ScoreStore));
	Oid			types[3 + STORE_COLUMNS];
	int			c;

	run->period[0] = DateADTGetDatum(from);
	run->period[1] = DateADTGetDatum(to);
	run->period_from = hrguard_iso_date(from);
	run->period_to = hrguard_iso_date(to);
	run->span = span;
	run->now = GetCurrentTransactionStartTimestamp();
	run->stored = stored_scores(run->period);	/* of every tenant: keyed by employee */
	run->alerts = raised_alerts(run->period_from, run->period_to);
	run->batch_context = AllocSetContextCreate(CurrentMemoryContext, "hrguard score batch",
											   ALLOCSET_DEFAULT_SIZES);

	types[0] = DATEOID;
	types[1] = DATEOID;
	types[2] = TEXTOID;
	for (c = 0; c < STORE_COLUMNS; c++)
		types[3 + c] = get_array_type(column_types[c]);
	/* planned generically: a custom plan would copy the batch's arrays into it */
	run->upsert = SPI_prepare_cursor(
		"INSERT INTO hrguard.score AS s (employee_id, tenant_id, period_from, period_to, algorithm, "
		"       band, total_points, time_points, customer_points, visit_points, reporting_points, "
		"       location_points, signals, inputs, input_hash, evidence_seq) "
		"SELECT u.employee_id, u.tenant_id, $1, $2, $3, u.band, u.total_points, u.time_points, "
		"       u.customer_points, u.visit_points, u.reporting_points, u.location_points, "
		"       u.signals, u.inputs, u.input_hash, u.evidence_seq "
		"  FROM ROWS FROM (pg_catalog.unnest($4), pg_catalog.unnest($5), pg_catalog.unnest($6), "
		"       pg_catalog.unnest($7), pg_catalog.unnest($8), pg_catalog.unnest($9), "
		"       pg_catalog.unnest($10), pg_catalog.unnest($11), pg_catalog.unnest($12), "
		"       pg_catalog.unnest($13), pg_catalog.unnest($14), pg_catalog.unnest($15), "
		"       pg_catalog.unnest($16)) WITH ORDINALITY AS u(employee_id, tenant_id, band, total_points, time_points, "
		"            customer_points, visit_points, reporting_points, location_points, signals, "
		"            inputs, input_hash, evidence_seq, ord) "
		" ORDER BY u.ord "
		"ON CONFLICT (employee_id, period_from, period_to) DO UPDATE SET "
		"       tenant_id = excluded.tenant_id, algorithm = excluded.algorithm, band = excluded.band, "
		"       total_points = excluded.total_points, time_points = excluded.time_points, "
		"       customer_points = excluded.customer_points, visit_points = excluded.visit_points, "
		"       reporting_points = excluded.reporting_points, location_points = excluded.location_points, "
		"       signals = excluded.signals, inputs = excluded.inputs, input_hash = excluded.input_hash, "
		"       evidence_seq = excluded.evidence_seq, computed_at = pg_catalog.now(), "
		"       revision = s.revision OPERATOR(pg_catalog.+) 1 "
		"RETURNING score_id, employee_id, tenant_id, band, total_points, time_points, customer_points, "
		"          visit_points, reporting_points, location_points, signals, inputs, input_hash, "
		"          evidence_seq, period_from, period_to, algorithm",
		3 + STORE_COLUMNS, types, CURSOR_OPT_GENERIC_PLAN);
	if (run->upsert == NULL)
		elog(ERROR, "could not prepare the score upsert: %s", SPI_result_code_string(SPI_result));
	return run;
}

/* store what the batch still holds; the scores changed and the alerts raised */
void
hrguard_score_store_end(ScoreStore *run, int64 *changed, int64 *raised)
{
	store_batch(run);
	MemoryContextDelete(run->batch_context);
	*changed = run->changed;
	*raised = run->raised;
}
