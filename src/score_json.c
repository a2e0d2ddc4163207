/*-------------------------------------------------------------------------
 *
 * score_json.c
 *	  A score's inputs and results as JSON: the inputs as the canonical
 *	  bytes their hash is taken over (and as jsonb), the results as jsonb,
 *	  as hrguard.score keeps them, and hrguard.score_evaluate(), which reads
 *	  a score's inputs back and recomputes its signals (score_signals.c).
 *
 * IDENTIFICATION
 *	  src/score_json.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "common/shortest_dec.h"
#include "fmgr.h"
/* builtins.h declares SQL functions named like jansson's json_object() */
#define json_object pg_sql_json_object
#define json_typeof pg_sql_json_typeof
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#undef json_object
#undef json_typeof

#include <jansson.h>

#include "canon_writer.h"
#include "common.h"
#include "jsonb_builder.h"
#include "hrguard.h"
#include "privilege.h"
#include "score.h"
#include "score_json.h"
#include "score_signals.h"

/* ---- JSON ------------------------------------------------------------------ */

static void
json_number(StringInfo out, double x)
{
	char		buf[DOUBLE_SHORTEST_DECIMAL_LEN];

	if (isnan(x) || isinf(x))
	{
		appendStringInfoString(out, "null");
		return;
	}
	if (x == 0.0)
		x = 0.0;				/* no -0 */
	double_to_shortest_decimal_buf(x, buf);
	appendStringInfoString(out, buf);
}

/* ---- the results, built as jsonb ------------------------------------------- */

/* a double as jsonb_in() reads its shortest decimal (null when not finite) */
static void
jb_key_number(JsonbBuilder *b, const char *key, double x)
{
	hrguard_jb_key(b, key);
	if (isnan(x) || isinf(x))
		hrguard_jb_null(b);
	else
	{
		StringInfoData buf;

		initStringInfo(&buf);
		json_number(&buf, x);
		hrguard_jb_number(b, buf.data);
	}
}

static void
jb_key_text(JsonbBuilder *b, const char *key, const char *value)
{
	hrguard_jb_key(b, key);
	if (value == NULL)
		hrguard_jb_null(b);
	else
		hrguard_jb_string(b, value);
}

static void
jb_key_bool(JsonbBuilder *b, const char *key, bool value)
{
	hrguard_jb_key(b, key);
	hrguard_jb_bool(b, value);
}

/* ---- the inputs, as canonical JSON ------------------------------------------- */

/*
 * A decimal of the inputs: a string holding the shortest decimal that reads
 * back as the same double (canonical JSON has integers only).
 */
static void
canon_decimal(CanonWriter *w, const char *key, double x)
{
	StringInfoData buf;

	initStringInfo(&buf);
	json_number(&buf, x);
	hrguard_canon_key(w, key);
	hrguard_canon_string(w, buf.data, buf.len);
	pfree(buf.data);
}

/* a count, held in a double */
static void
canon_count(CanonWriter *w, const char *key, double x)
{
	hrguard_canon_key(w, key);
	hrguard_canon_int(w, (int64) x);
}

static void
canon_text(CanonWriter *w, const char *key, const char *value)
{
	hrguard_canon_key(w, key);
	if (value == NULL)
		hrguard_canon_null(w);
	else
		hrguard_canon_cstring(w, value);
}

static void
rate_inputs_json(CanonWriter *w, const char *key, const ScoreRateInputs *in)
{
	ListCell   *lc;

	hrguard_canon_key(w, key);
	hrguard_canon_object_begin(w);
	canon_count(w, "k", in->k);
	canon_count(w, "n", in->n);
	canon_text(w, "peer_group", in->peers.group);
	canon_count(w, "peer_k", in->peer_k);
	canon_count(w, "peer_n", in->peer_n);
	canon_count(w, "peers", in->peers.n);
	hrguard_canon_key(w, "sales");
	hrguard_canon_array_begin(w);
	foreach(lc, in->flagged)
		hrguard_canon_cstring(w, lfirst(lc));
	hrguard_canon_array_end(w);
	hrguard_canon_object_end(w);
}

/* the parameters every score is computed with */
static void
params_json(CanonWriter *w)
{
	hrguard_canon_object_begin(w);
	canon_decimal(w, "alert", SCORE_ALERT);
	canon_decimal(w, "baseline_periods", SCORE_BASELINE_BLOCKS);
	canon_decimal(w, "c_hours_per_day", SCORE_C_HOURS_PER_DAY);
	canon_decimal(w, "c_sales_share", SCORE_C_SALES_SHARE);
	canon_decimal(w, "d_scale_floor", SCORE_D_FLOOR);
	canon_decimal(w, "gate_hours_down", SCORE_GATE_HOURS_DOWN);
	canon_decimal(w, "gate_min_deals", SCORE_GATE_MIN_DEALS);
	canon_decimal(w, "gate_sales_up", SCORE_GATE_SALES_UP);
	canon_decimal(w, "link_after_days", SCORE_LINK_AFTER_DAYS);
	canon_decimal(w, "link_before_days", SCORE_LINK_BEFORE_DAYS);
	canon_decimal(w, "link_min_minutes", SCORE_LINK_MIN_MINUTES);
	canon_decimal(w, "min_baseline_periods", SCORE_MIN_BASELINE_BLOCKS);
	canon_decimal(w, "min_days", SCORE_MIN_DAYS);
	canon_decimal(w, "min_peers", SCORE_MIN_PEERS);
	canon_decimal(w, "rate_alert_p", SCORE_RATE_ALERT_P);
	canon_decimal(w, "rate_margin", SCORE_RATE_MARGIN);
	canon_decimal(w, "rate_min_k", SCORE_RATE_MIN_K);
	canon_decimal(w, "rate_watch_p", SCORE_RATE_WATCH_P);
	canon_decimal(w, "report_cusum_h", SCORE_REPORT_H);
	canon_decimal(w, "report_history_days", SCORE_REPORT_HISTORY_DAYS);
	canon_decimal(w, "report_p0_floor", SCORE_REPORT_P0_FLOOR);
	canon_decimal(w, "report_shrink_days", SCORE_REPORT_SHRINK_DAYS);
	canon_decimal(w, "self_created_days", SCORE_SELF_CREATED_DAYS);
	canon_decimal(w, "watch", SCORE_WATCH);
	canon_decimal(w, "wilson_z", SCORE_WILSON_Z);
	hrguard_canon_object_end(w);
}

/*
 * The inputs as canonical JSON, the bytes their hash is taken over: written
 * directly, keys in byte order (canon_writer.c), so they are not parsed
 * again to be canonicalised; and the same as jsonb, as hrguard.score keeps
 * them.
 */
Jsonb *
hrguard_score_inputs_json(StringInfo out, const ScoreInputs *in, const ScoreSpan *span)
{
	const ScoreTimeInputs *t = &in->time;
	const ScoreReportInputs *r = &in->report;
	CanonWriter w;
	int			i;

	hrguard_canon_writer_init_jsonb(&w, out);
	hrguard_canon_object_begin(&w);
	canon_text(&w, "algorithm", HRGUARD_SCORE_ALGORITHM);
	rate_inputs_json(&w, "customer_source", &in->customer);

	hrguard_canon_key(&w, "hours_mismatch");
	hrguard_canon_object_begin(&w);
	hrguard_canon_key(&w, "baseline");
	hrguard_canon_array_begin(&w);
	for (i = 0; i < t->nbase; i++)
	{
		hrguard_canon_object_begin(&w);
		canon_decimal(&w, "days", t->base_days[i]);
		canon_decimal(&w, "hours", t->base_hours[i]);
		canon_decimal(&w, "sales", t->base_sales[i]);
		hrguard_canon_object_end(&w);
	}
	hrguard_canon_array_end(&w);
	canon_decimal(&w, "c_sales", t->c_sales);
	canon_decimal(&w, "days", t->days);
	canon_count(&w, "deals", t->deals);
	canon_decimal(&w, "declared_hours", t->declared_hours);
	canon_decimal(&w, "hours", t->hours);
	canon_text(&w, "peer_group", t->peers.group);
	canon_decimal(&w, "peer_mad", t->peer_d.mad);
	canon_decimal(&w, "peer_mean_ad", t->peer_d.mean_ad);
	canon_decimal(&w, "peer_median", t->peer_d.median);
	canon_count(&w, "peers", t->peers.n);
	canon_decimal(&w, "sales", t->sales);
	canon_decimal(&w, "top_deal", t->top_deal);
	hrguard_canon_object_end(&w);

	hrguard_canon_key(&w, "params");
	params_json(&w);
	if (span != NULL)
	{
		hrguard_canon_key(&w, "period");
		hrguard_canon_object_begin(&w);
		canon_text(&w, "baseline_from", hrguard_iso_date(span->block_from[SCORE_BLOCKS - 1]));
		canon_text(&w, "first_day", hrguard_iso_date(span->first_day));
		canon_text(&w, "from", hrguard_iso_date(span->from));
		hrguard_canon_key(&w, "months");
		hrguard_canon_bool(&w, span->months);
		canon_text(&w, "to", hrguard_iso_date(span->to));
		hrguard_canon_object_end(&w);
	}

	hrguard_canon_key(&w, "report_gap");
	hrguard_canon_object_begin(&w);
	canon_count(&w, "history_days", r->history_days);
	canon_count(&w, "history_misses", r->history_misses);
	hrguard_canon_key(&w, "missed");
	hrguard_canon_string(&w, r->missed ? r->missed : "", r->ndays);
	canon_count(&w, "peer_days", r->peer_days);
	canon_text(&w, "peer_group", r->peers.group);
	canon_count(&w, "peer_misses", r->peer_misses);
	canon_count(&w, "peers", r->peers.n);
	hrguard_canon_object_end(&w);

	rate_inputs_json(&w, "unlinked_sale", &in->visit);
	hrguard_canon_object_end(&w);
	return hrguard_canon_writer_jsonb(&w);
}

/* one signal's result, an object: a member's value, or the whole document */
static void
signal_json(JsonbBuilder *b, const ScoreSignal *s, int kind)
{
	hrguard_jb_begin_object(b);
	jb_key_text(b, "status", s->status);
	jb_key_text(b, "level", hrguard_score_level_name(s->level));
	jb_key_number(b, "points", s->points);
	if (s->has_strength)
		jb_key_number(b, "strength", s->strength);
	else
		jb_key_text(b, "strength", NULL);	/* null */
	if (kind == 0 && strcmp(s->status, "no_working_days") != 0 &&
		strcmp(s->status, "no_baseline") != 0)
	{
		jb_key_number(b, "rate_sales", s->rate_sales);
		jb_key_number(b, "rate_hours", s->rate_hours);
		jb_key_number(b, "baseline_sales", s->baseline_sales);
		jb_key_number(b, "baseline_hours", s->baseline_hours);
		if (strcmp(s->status, "no_sales") != 0)
		{
			jb_key_number(b, "d", s->d);
			jb_key_number(b, "delta_sales", s->delta_sales);
			jb_key_number(b, "delta_hours", s->delta_hours);
			jb_key_bool(b, "gates_pass", s->gates_pass);
		}
		if (s->has_strength)
		{
			jb_key_number(b, "scale", s->scale);
			jb_key_bool(b, "scale_floored", s->floored);
		}
		if (s->counterfactual_hours >= 0.0)
			jb_key_number(b, "counterfactual_hours", s->counterfactual_hours);
	}
	if (kind == 1 && s->has_strength)
	{
		jb_key_number(b, "p0", s->p0);
		jb_key_number(b, "tail", s->tail);
		jb_key_number(b, "wilson_lower", s->wilson);
		if (s->counterfactual_k >= 0)
			jb_key_number(b, "counterfactual_k", s->counterfactual_k);
	}
	if (kind == 2 && s->has_strength)
	{
		jb_key_number(b, "p0", s->p0);
		jb_key_number(b, "p1", s->p1);
		jb_key_number(b, "cusum", s->cusum);
		jb_key_number(b, "cusum_h", s->cusum_h);
	}
	hrguard_jb_end_object(b);
}

static int
signal_json_kind(int i)
{
	return i == 0 ? 0 : i == 3 ? 2 : 1;
}

/* the results as hrguard.score keeps them (signals), built as jsonb directly */
Jsonb *
hrguard_score_result_json(const ScoreResult *r)
{
	JsonbBuilder b;
	int			i;

	hrguard_jb_init(&b);
	hrguard_jb_begin_object(&b);
	jb_key_text(&b, "band", r->band);
	jb_key_number(&b, "total_points", r->total);
	hrguard_jb_key(&b, "family_points");
	hrguard_jb_begin_object(&b);
	jb_key_number(&b, "time", r->family_points[SCORE_FAMILY_TIME]);
	jb_key_number(&b, "customer", r->family_points[SCORE_FAMILY_CUSTOMER]);
	jb_key_number(&b, "visit", r->family_points[SCORE_FAMILY_VISIT]);
	jb_key_number(&b, "reporting", r->family_points[SCORE_FAMILY_REPORTING]);
	jb_key_number(&b, "location", r->family_points[SCORE_FAMILY_LOCATION]);
	hrguard_jb_end_object(&b);
	for (i = 0; i < SCORE_SIGNALS; i++)
	{
		hrguard_jb_key(&b, hrguard_score_signal_kinds[i]);
		signal_json(&b, hrguard_score_signal(r, i), signal_json_kind(i));
	}
	hrguard_jb_end_object(&b);
	return hrguard_jb_finish(&b);
}

/* one signal's result as a jsonb object */
Jsonb *
hrguard_score_signal_json(const ScoreResult *r, int i)
{
	JsonbBuilder b;

	hrguard_jb_init(&b);
	signal_json(&b, hrguard_score_signal(r, i), signal_json_kind(i));
	return hrguard_jb_finish(&b);
}

/* ---- hrguard.score_evaluate(inputs jsonb) ----------------------------------- */

static void
bad_inputs(const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("the score inputs are not valid: %s", what),
			 errhint("Pass the inputs column of a row of hrguard.score.")));
}

static json_t *
member(json_t *object, const char *key, bool (*is) (const json_t *))
{
	json_t	   *v = json_is_object(object) ? json_object_get(object, key) : NULL;

	if (v == NULL || !is(v))
		bad_inputs(key);
	return v;
}

static bool
is_number(const json_t *v)
{
	return json_is_number(v);
}

static bool
is_object(const json_t *v)
{
	return json_is_object(v);
}

static bool
is_array(const json_t *v)
{
	return json_is_array(v);
}

static bool
is_string(const json_t *v)
{
	return json_is_string(v);
}

/* a number of the inputs: a JSON number, or a decimal in a string */
static double
number(json_t *object, const char *key)
{
	json_t	   *v = json_is_object(object) ? json_object_get(object, key) : NULL;
	double		x;

	if (v != NULL && json_is_string(v))
	{
		const char *text = json_string_value(v);
		char	   *end;

		errno = 0;
		x = strtod(text, &end);
		if (end == text || *end != '\0' || errno != 0)
			bad_inputs(key);
	}
	else
		x = json_number_value(member(object, key, is_number));
	if (!isfinite(x))
		bad_inputs(key);
	return x;
}

/* a count over many employees: a whole number, exact in a double */
static double
whole(json_t *object, const char *key)
{
	double		x = number(object, key);

	if (x < 0 || x > 9007199254740991.0 || x != floor(x))
		bad_inputs(key);
	return x;
}

static int
count(json_t *object, const char *key)
{
	double		x = number(object, key);

	if (x < 0 || x > INT_MAX || x != floor(x))
		bad_inputs(key);
	return (int) x;
}

static void
peers_from(json_t *object, ScorePeers *peers)
{
	json_t	   *group = json_object_get(object, "peer_group");

	peers->n = count(object, "peers");
	if (group == NULL || json_is_null(group))
		peers->group = NULL;
	else if (json_is_string(group))
		peers->group = pstrdup(json_string_value(group));
	else
		bad_inputs("peer_group");
}

static void
rate_from(json_t *root, const char *key, ScoreRateInputs *in)
{
	json_t	   *o = member(root, key, is_object);

	in->k = count(o, "k");
	in->n = count(o, "n");
	if (in->k > in->n)
		bad_inputs("k");
	in->peer_k = whole(o, "peer_k");
	in->peer_n = whole(o, "peer_n");
	if (in->peer_n < in->peer_k)
		bad_inputs("peer_k");
	peers_from(o, &in->peers);
	/* the flagged deals' ids: listed, not computed with */
	{
		json_t	   *sales = member(o, "sales", is_array);
		size_t		i;

		for (i = 0; i < json_array_size(sales); i++)
			if (!json_is_string(json_array_get(sales, i)))
				bad_inputs("sales");
	}
	in->flagged = NIL;
}

static void
inputs_from_json(json_t *root, ScoreInputs *in)
{
	json_t	   *t = member(root, "hours_mismatch", is_object);
	json_t	   *base = member(t, "baseline", is_array);
	json_t	   *r = member(root, "report_gap", is_object);
	const char *missed;
	size_t		i;

	memset(in, 0, sizeof(ScoreInputs));
	if (strcmp(json_string_value(member(root, "algorithm", is_string)), HRGUARD_SCORE_ALGORITHM) != 0)
		bad_inputs("algorithm");
	/* the parameters recorded are those the algorithm computes with */
	{
		StringInfoData text;
		CanonWriter w;
		json_t	   *expected;
		bool		same;

		initStringInfo(&text);
		hrguard_canon_writer_init(&w, &text);
		params_json(&w);
		expected = json_loads(text.data, 0, NULL);
		same = expected != NULL && json_equal(expected, member(root, "params", is_object));
		json_decref(expected);
		if (!same)
			bad_inputs("params (they are not those of " HRGUARD_SCORE_ALGORITHM ")");
	}
	in->time.days = number(t, "days");
	in->time.sales = number(t, "sales");
	in->time.hours = number(t, "hours");
	in->time.declared_hours = number(t, "declared_hours");
	in->time.deals = count(t, "deals");
	in->time.top_deal = number(t, "top_deal");
	in->time.c_sales = number(t, "c_sales");
	if (in->time.days < 0 || in->time.sales < 0 || in->time.hours < 0 || in->time.c_sales < 0)
		bad_inputs("hours_mismatch");
	if (json_array_size(base) > SCORE_BASELINE_BLOCKS)
		bad_inputs("baseline");
	for (i = 0; i < json_array_size(base); i++)
	{
		json_t	   *b = json_array_get(base, i);

		in->time.base_days[i] = number(b, "days");
		in->time.base_sales[i] = number(b, "sales");
		in->time.base_hours[i] = number(b, "hours");
		if (in->time.base_days[i] <= 0 || in->time.base_sales[i] < 0 || in->time.base_hours[i] < 0)
			bad_inputs("baseline");
	}
	in->time.nbase = (int) json_array_size(base);
	peers_from(t, &in->time.peers);
	in->time.peer_d.median = number(t, "peer_median");
	in->time.peer_d.mad = number(t, "peer_mad");
	in->time.peer_d.mean_ad = number(t, "peer_mean_ad");
	if (in->time.peer_d.mad < 0 || in->time.peer_d.mean_ad < 0)
		bad_inputs("peer_mad");

	rate_from(root, "customer_source", &in->customer);
	rate_from(root, "unlinked_sale", &in->visit);

	in->report.history_days = count(r, "history_days");
	in->report.history_misses = count(r, "history_misses");
	in->report.peer_days = whole(r, "peer_days");
	in->report.peer_misses = whole(r, "peer_misses");
	if (in->report.history_misses > in->report.history_days ||
		in->report.peer_misses < 0 || in->report.peer_days < in->report.peer_misses)
		bad_inputs("report_gap");
	peers_from(r, &in->report.peers);
	missed = json_string_value(member(r, "missed", is_string));
	if (strspn(missed, "01") != strlen(missed))
		bad_inputs("missed");
	in->report.missed = pstrdup(missed);
	in->report.ndays = (int) strlen(missed);
}

PG_FUNCTION_INFO_V1(hrguard_score_evaluate_sql);
Datum
hrguard_score_evaluate_sql(PG_FUNCTION_ARGS)
{
	Jsonb	   *inputs = PG_GETARG_JSONB_P(0);
	char	   *text = JsonbToCString(NULL, &inputs->root, VARSIZE(inputs));
	json_error_t error;
	json_t	   *root;
	ScoreInputs in;
	ScoreResult result;
	
	hrguard_check_input_size("score inputs", strlen(text), HRGUARD_MAX_CANON_BYTES, "bytes");
	root = json_loads(text, JSON_DECODE_ANY, &error);
	if (root == NULL)
		bad_inputs(error.text);
	PG_TRY();
	{
		inputs_from_json(root, &in);
	}
	PG_FINALLY();
	{
		json_decref(root);
	}
	PG_END_TRY();

	hrguard_score_evaluate(&in, &result);
	PG_RETURN_JSONB_P(hrguard_score_result_json(&result));
}
