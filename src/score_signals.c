/*-------------------------------------------------------------------------
 *
 * score_signals.c
 *	  The four signals of a score, its points and its band, computed from
 *	  one employee's inputs (score.h).  score_json.c writes inputs and
 *	  results as JSON and reads inputs back for hrguard.score_evaluate().
 *
 * Signals (DESIGN section 7; the reference's section 6):
 *	  hours_mismatch (family time): D = ln((s + c_s) / (B_s + c_s)) -
 *		ln((h + c_h) / (B_h + c_h)) with s, h per working day and B_s, B_h
 *		the medians of the employee's own earlier periods, standardised
 *		against the peers' D (modified z); gated on sales up 20 %, hours
 *		down 15 %, 3 deals and 10 working days.
 *	  customer_source (family customer) and unlinked_sale (family visit):
 *		k flagged deals of n against the peers' pooled rate: one-sided
 *		binomial tail and Wilson lower bound.
 *	  report_gap (family reporting): a Bernoulli CUSUM over the period's
 *		working days, missed or late report = 1.
 * Each signal's strength maps to points (0 below 2.5, 40 at 3.5, 80 at 5,
 * 100 at 7); a family's points are its strongest signal's; the families
 * combine with weights j^-1.5 by rank into 0-100, and the total gives the
 * band: watch from 40, alert from 60, priority from 80.
 *
 * IDENTIFICATION
 *	  src/score_signals.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "fmgr.h"

#include "score.h"
#include "score_signals.h"

/* ---- strength, points, bands ---------------------------------------------- */

const char *
hrguard_score_level_name(ScoreLevel level)
{
	switch (level)
	{
		case SCORE_LEVEL_WATCH:
			return "watch";
		case SCORE_LEVEL_ALERT:
			return "alert";
		default:
			return "none";
	}
}

/* the order of bands: none 0, watch 1, alert 2, priority 3; -1 unknown */
int
hrguard_score_band_rank(const char *band)
{
	static const char *const bands[] = {"none", "watch", "alert", "priority"};
	int			i;

	for (i = 0; i < (int) lengthof(bands); i++)
		if (strcmp(band, bands[i]) == 0)
			return i;
	return -1;
}

static ScoreLevel
level_of_strength(double m)
{
	if (m >= SCORE_ALERT)
		return SCORE_LEVEL_ALERT;
	if (m >= SCORE_WATCH)
		return SCORE_LEVEL_WATCH;
	return SCORE_LEVEL_NONE;
}

/* points of a strength, piecewise linear, within what its level allows */
static double
points_of(double m, ScoreLevel level)
{
	double		p;

	if (m < SCORE_WATCH)
		p = 0.0;
	else if (m < SCORE_ALERT)
		p = 40.0 * (m - SCORE_WATCH);
	else if (m < 5.0)
		p = 40.0 + (40.0 / 1.5) * (m - SCORE_ALERT);
	else
		p = Min(100.0, 80.0 + 10.0 * (m - 5.0));

	switch (level)
	{
		case SCORE_LEVEL_NONE:
			return 0.0;
		case SCORE_LEVEL_WATCH:
			return Min(p, 39.0);
		default:
			return Max(p, 40.0);
	}
}

/* z with Pr[Z >= z] = p for a standard normal Z, within +-8 */
static double
upper_tail_z(double p)
{
	double		lo = -SCORE_MAX_STRENGTH,
				hi = SCORE_MAX_STRENGTH;
	int			i;

	if (p <= 0.5 * erfc(SCORE_MAX_STRENGTH / M_SQRT2))
		return SCORE_MAX_STRENGTH;
	if (p >= 0.5 * erfc(-SCORE_MAX_STRENGTH / M_SQRT2))
		return -SCORE_MAX_STRENGTH;
	for (i = 0; i < 100; i++)
	{
		double		mid = (lo + hi) / 2.0;

		if (0.5 * erfc(mid / M_SQRT2) > p)
			lo = mid;
		else
			hi = mid;
	}
	return (lo + hi) / 2.0;
}

static void
signal_init(ScoreSignal *s, const char *status)
{
	memset(s, 0, sizeof(ScoreSignal));
	s->status = status;
	s->level = SCORE_LEVEL_NONE;
	s->counterfactual_hours = -1.0;
	s->counterfactual_k = -1;
}

static void
signal_strength(ScoreSignal *s, double m, ScoreLevel level)
{
	s->has_strength = true;
	s->strength = m;
	s->level = level;
	s->points = points_of(m, level);
}

/* ---- hours_mismatch ------------------------------------------------------- */

static double
baseline_median(const ScoreTimeInputs *in, const double *totals)
{
	double		rates[SCORE_BASELINE_BLOCKS];
	int			i;

	for (i = 0; i < in->nbase; i++)
		rates[i] = totals[i] / in->base_days[i];
	return hrguard_median(rates, in->nbase);
}

/* D of the inputs, false when there is none (no working days, no baseline) */
bool
hrguard_score_time_d(const ScoreTimeInputs *in, double *d)
{
	if (in->days <= 0.0 || in->nbase < SCORE_MIN_BASELINE_BLOCKS)
		return false;
	return hrguard_mismatch(in->sales / in->days, in->hours / in->days,
							baseline_median(in, in->base_sales),
							baseline_median(in, in->base_hours),
							in->c_sales, SCORE_C_HOURS_PER_DAY, d);
}

static void
evaluate_time(const ScoreTimeInputs *in, ScoreSignal *s)
{
	double		c_h = SCORE_C_HOURS_PER_DAY;
	double		m;
	double		threshold;
	double		hours_for_m;
	double		hours_for_gate;
	ScoreLevel	level;

	if (in->days <= 0.0)
	{
		signal_init(s, "no_working_days");
		return;
	}
	if (in->nbase < SCORE_MIN_BASELINE_BLOCKS)
	{
		signal_init(s, "no_baseline");
		return;
	}
	signal_init(s, "scored");
	s->rate_sales = in->sales / in->days;
	s->rate_hours = in->hours / in->days;
	s->baseline_sales = baseline_median(in, in->base_sales);
	s->baseline_hours = baseline_median(in, in->base_hours);
	if (!hrguard_mismatch(s->rate_sales, s->rate_hours, s->baseline_sales, s->baseline_hours,
						  in->c_sales, c_h, &s->d))
	{
		s->status = "no_sales";
		return;
	}
	s->delta_sales = log((s->rate_sales + in->c_sales) / (s->baseline_sales + in->c_sales));
	s->delta_hours = log((s->rate_hours + c_h) / (s->baseline_hours + c_h));
	s->gates_pass = s->delta_sales >= log(SCORE_GATE_SALES_UP) &&
		s->delta_hours <= log(SCORE_GATE_HOURS_DOWN) &&
		in->deals >= SCORE_GATE_MIN_DEALS && in->days >= SCORE_MIN_DAYS;
	if (in->peers.group == NULL)
	{
		s->status = "insufficient_peers";
		return;
	}
	s->scale = hrguard_robust_scale(&in->peer_d, SCORE_D_FLOOR, &s->floored);
	m = (s->d - in->peer_d.median) / s->scale;
	level = s->gates_pass ? level_of_strength(m) : SCORE_LEVEL_NONE;
	if (!s->gates_pass)
		s->status = "gated";
	signal_strength(s, m, level);
	if (level == SCORE_LEVEL_NONE)
		return;

	/*
	 * The counterfactual: the verified hours from which the signal would no
	 * longer reach its level (z below its threshold, or hours no longer
	 * down 15 %), hours being the only input changed.
	 */
	threshold = level == SCORE_LEVEL_ALERT ? SCORE_ALERT : SCORE_WATCH;
	hours_for_m = (s->baseline_hours + c_h) *
		exp(s->delta_sales - (in->peer_d.median + threshold * s->scale)) - c_h;
	hours_for_gate = SCORE_GATE_HOURS_DOWN * (s->baseline_hours + c_h) - c_h;
	/* in tenths of an hour, rounded up: from there on it does not fire */
	s->counterfactual_hours = ceil(Max(0.0, Min(hours_for_m, hours_for_gate)) * in->days * 10.0) / 10.0;
}

/* ---- customer_source and unlinked_sale ------------------------------------- */

static ScoreLevel
rate_level(int k, int n, double p0, double *tail, double *wilson)
{
	*tail = hrguard_binomial_upper_tail(k, n, p0);
	*wilson = k > 0 ? hrguard_wilson_lower(k, n, SCORE_WILSON_Z) : 0.0;
	if (k >= SCORE_RATE_MIN_K && *tail < SCORE_RATE_ALERT_P &&
		*wilson > Max(2.0 * p0, p0 + SCORE_RATE_MARGIN))
		return SCORE_LEVEL_ALERT;
	/* watch: unlikely, and as strong as a watch-level z (so never 0 points) */
	if (k > 0 && *tail < SCORE_RATE_WATCH_P && upper_tail_z(*tail) >= SCORE_WATCH)
		return SCORE_LEVEL_WATCH;
	return SCORE_LEVEL_NONE;
}

static void
evaluate_rate(const ScoreRateInputs *in, ScoreSignal *s)
{
	ScoreLevel	level;
	int			k;

	if (in->n <= 0)
	{
		signal_init(s, "no_deals");
		return;
	}
	if (in->peers.group == NULL)
	{
		signal_init(s, "insufficient_peers");
		return;
	}
	signal_init(s, "scored");
	/* the peers' pooled rate, kept off 0 and 1 by half a deal */
	s->p0 = (in->peer_k + 0.5) / (in->peer_n + 1.0);
	level = rate_level(in->k, in->n, s->p0, &s->tail, &s->wilson);
	signal_strength(s, upper_tail_z(s->tail), level);
	if (level == SCORE_LEVEL_NONE)
		return;
	for (k = in->k - 1; k >= 0; k--)
	{
		double		tail,
					wilson;

		if (rate_level(k, in->n, s->p0, &tail, &wilson) < level)
			break;
	}
	s->counterfactual_k = k;
}

/* ---- report_gap ------------------------------------------------------------ */

static void
evaluate_report(const ScoreReportInputs *in, ScoreSignal *s)
{
	double		peer_rate;
	double		w_miss,
				w_kept;
	double		cusum = 0.0;
	int			d;

	if (in->ndays <= 0)
	{
		signal_init(s, "no_working_days");
		return;
	}
	/*
	 * The rate expected: the peers', or without peers the employee's own
	 * over enough days; with neither there is nothing to compare with (an
	 * employee who just joined a team without peers)
	 */
	if (in->peers.group != NULL && in->peer_days > 0)
		peer_rate = in->peer_misses / in->peer_days;
	else if (in->history_days >= SCORE_REPORT_MIN_HISTORY_DAYS)
		peer_rate = (double) in->history_misses / in->history_days;
	else
	{
		signal_init(s, "no_baseline");
		return;
	}
	signal_init(s, "scored");
	s->p0 = (in->history_misses + SCORE_REPORT_SHRINK_DAYS * peer_rate) /
		(in->history_days + SCORE_REPORT_SHRINK_DAYS);
	s->p0 = Max(s->p0, SCORE_REPORT_P0_FLOOR);
	s->p1 = Min(SCORE_REPORT_P1_MAX, Max(2.0 * s->p0, s->p0 + SCORE_REPORT_P1_MARGIN));
	s->cusum_h = SCORE_REPORT_H;
	if (s->p1 > s->p0)
	{
		w_miss = log(s->p1 / s->p0);
		w_kept = log((1.0 - s->p1) / (1.0 - s->p0));
		for (d = 0; d < in->ndays; d++)
		{
			double		step = Max(0.0, cusum + (in->missed[d] == '1' ? w_miss : w_kept));

			cusum = step;
			s->cusum = Max(s->cusum, cusum);
		}
	}
	signal_strength(s, SCORE_ALERT * s->cusum / SCORE_REPORT_H,
					s->cusum >= SCORE_REPORT_H ? SCORE_LEVEL_ALERT :
					level_of_strength(SCORE_ALERT * s->cusum / SCORE_REPORT_H));
}

/* ---- the score ------------------------------------------------------------- */

static int
compare_points_desc(const void *a, const void *b)
{
	double		x = *(const double *) a;
	double		y = *(const double *) b;

	return (x < y) - (x > y);
}

void
hrguard_score_evaluate(const ScoreInputs *in, ScoreResult *out)
{
	double		sorted[SCORE_FAMILIES];
	double		weighted = 0.0;
	double		weights = 0.0;
	int			j;

	evaluate_time(&in->time, &out->time);
	evaluate_rate(&in->customer, &out->customer);
	evaluate_rate(&in->visit, &out->visit);
	evaluate_report(&in->report, &out->report);
	out->family_points[SCORE_FAMILY_TIME] = out->time.points;
	out->family_points[SCORE_FAMILY_CUSTOMER] = out->customer.points;
	out->family_points[SCORE_FAMILY_VISIT] = out->visit.points;
	out->family_points[SCORE_FAMILY_REPORTING] = out->report.points;
	out->family_points[SCORE_FAMILY_LOCATION] = 0.0;

	memcpy(sorted, out->family_points, sizeof(sorted));
	qsort(sorted, SCORE_FAMILIES, sizeof(double), compare_points_desc);
	for (j = 0; j < SCORE_FAMILIES; j++)
	{
		double		w = pow(j + 1.0, -1.5);

		weighted += sorted[j] * w;
		weights += w;
	}
	out->total = weighted / weights;
	out->band = out->total >= 80.0 ? "priority" :
		out->total >= 60.0 ? "alert" :
		out->total >= 40.0 ? "watch" : "none";
}

/* the signals, in the order of their families, as alert kinds name them */
const char *const hrguard_score_signal_kinds[SCORE_SIGNALS] = {
	"hours_mismatch", "customer_source", "unlinked_sale", "report_gap"
};

const ScoreSignal *
hrguard_score_signal(const ScoreResult *r, int i)
{
	switch (i)
	{
		case 0:
			return &r->time;
		case 1:
			return &r->customer;
		case 2:
			return &r->visit;
		default:
			return &r->report;
	}
}
