/*-------------------------------------------------------------------------
 *
 * score.h
 *	  Scoring sales against verified hours: the types of one employee's
 *	  inputs for one period, of the signals computed from them, and the
 *	  published parameters.  The functions are declared by the header of
 *	  the file that defines them: score_inputs.h, score_signals.h,
 *	  score_json.h, score_hours.h, score_facts.h, score_rows.h, score_store.h.
 *
 * A score is a pure function of its inputs: score_period() gathers the
 * inputs of every employee (their facts, and the summaries of their peers),
 * and hrguard.score_evaluate() recomputes the same signals from the inputs
 * a stored score keeps, so that anyone can check an alert's numbers.
 *
 * IDENTIFICATION
 *	  src/score.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef HRGUARD_SCORE_H
#define HRGUARD_SCORE_H

#include "lib/stringinfo.h"
#include "nodes/pg_list.h"
#include "utils/date.h"

#include "robust_stats.h"

#define HRGUARD_SCORE_ALGORITHM		"hrguard-score/1"

/* own baseline: the periods before, up to six, at least three usable */
#define SCORE_BASELINE_BLOCKS		6
#define SCORE_MIN_BASELINE_BLOCKS	3
/* a period counts when it has this many working days (minus leave) */
#define SCORE_MIN_DAYS				10.0
/* peers, not counting the employee scored */
#define SCORE_MIN_PEERS				8
/* exact leave-one-out statistics up to this group size, whole group above */
#define SCORE_EXACT_LOO_MAX			200

/* mismatch: smoothing, gates, scale floor */
#define SCORE_C_HOURS_PER_DAY		0.5
#define SCORE_C_SALES_SHARE			0.1
#define SCORE_GATE_SALES_UP			1.2
#define SCORE_GATE_HOURS_DOWN		0.85
#define SCORE_GATE_MIN_DEALS		3
#define SCORE_D_FLOOR				0.1

/* modified z thresholds */
#define SCORE_WATCH					2.5
#define SCORE_ALERT					3.5

/* rate signals (customer source, unlinked sales) */
#define SCORE_SELF_CREATED_DAYS		7
#define SCORE_LINK_BEFORE_DAYS		30
#define SCORE_LINK_AFTER_DAYS		3
#define SCORE_LINK_MIN_MINUTES		10
#define SCORE_WILSON_Z				2.326
#define SCORE_RATE_MIN_K			3
#define SCORE_RATE_ALERT_P			0.001
#define SCORE_RATE_WATCH_P			0.01
#define SCORE_RATE_MARGIN			0.15
#define SCORE_MAX_STRENGTH			8.0

/* report gaps: Bernoulli CUSUM */
#define SCORE_REPORT_HISTORY_DAYS	90
/* without peers, the own history needs this many working days */
#define SCORE_REPORT_MIN_HISTORY_DAYS 20
#define SCORE_REPORT_SHRINK_DAYS	20.0
#define SCORE_REPORT_P0_FLOOR		0.01
#define SCORE_REPORT_P1_MAX			0.9
#define SCORE_REPORT_P1_MARGIN		0.2
#define SCORE_REPORT_H				4.0

typedef enum ScoreLevel
{
	SCORE_LEVEL_NONE = 0,
	SCORE_LEVEL_WATCH,
	SCORE_LEVEL_ALERT
} ScoreLevel;

typedef enum ScoreFamily
{
	SCORE_FAMILY_TIME = 0,
	SCORE_FAMILY_CUSTOMER,
	SCORE_FAMILY_VISIT,
	SCORE_FAMILY_REPORTING,
	SCORE_FAMILY_LOCATION,
	SCORE_FAMILIES
} ScoreFamily;

/* the peer group a signal was compared with */
typedef struct ScorePeers
{
	const char *group;			/* "team_role", "role", or NULL: too few */
	int			n;				/* peers, the employee not counted */
} ScorePeers;

typedef struct ScoreTimeInputs
{
	double		days;			/* working days of the period, minus leave */
	double		sales;			/* sales closed in the period */
	double		hours;			/* verified hours of the period */
	double		declared_hours; /* hours of the daily reports */
	int			deals;
	double		top_deal;
	int			nbase;			/* usable baseline periods, newest first */
	double		base_days[SCORE_BASELINE_BLOCKS];
	double		base_sales[SCORE_BASELINE_BLOCKS];
	double		base_hours[SCORE_BASELINE_BLOCKS];
	double		c_sales;		/* smoothing: a share of the peers' median */
	ScorePeers	peers;
	HrguardRobustSummary peer_d;	/* of the peers' mismatch D */
} ScoreTimeInputs;

typedef struct ScoreRateInputs
{
	int			k;				/* deals flagged */
	int			n;				/* deals */
	double		peer_k;			/* pooled over the peers */
	double		peer_n;
	ScorePeers	peers;
	List	   *flagged;		/* sale ids of the deals flagged (char *) */
} ScoreRateInputs;

typedef struct ScoreReportInputs
{
	int			history_days;	/* working days of the 90 days before */
	int			history_misses;
	double		peer_days;		/* pooled over the peers, same 90 days */
	double		peer_misses;
	ScorePeers	peers;
	int			ndays;			/* working days of the period */
	char	   *missed;			/* per working day, in order: '1' missed or late */
} ScoreReportInputs;

typedef struct ScoreInputs
{
	ScoreTimeInputs time;
	ScoreRateInputs customer;
	ScoreRateInputs visit;
	ScoreReportInputs report;
} ScoreInputs;

/* one signal's result */
typedef struct ScoreSignal
{
	const char *status;			/* "scored" or why not */
	bool		has_strength;
	double		strength;		/* modified z, or its equivalent */
	ScoreLevel	level;
	double		points;
	/* mismatch */
	double		rate_sales;		/* per working day */
	double		rate_hours;
	double		baseline_sales;
	double		baseline_hours;
	double		delta_sales;
	double		delta_hours;
	double		d;
	double		scale;
	bool		floored;
	bool		gates_pass;
	double		counterfactual_hours;	/* verified hours at which it would not fire */
	/* rates */
	double		p0;
	double		tail;
	double		wilson;
	int			counterfactual_k;	/* flagged deals at which it would not fire */
	/* report gap */
	double		p1;
	double		cusum;
	double		cusum_h;
} ScoreSignal;

typedef struct ScoreResult
{
	ScoreSignal time;
	ScoreSignal customer;
	ScoreSignal visit;
	ScoreSignal report;
	double		family_points[SCORE_FAMILIES];
	double		total;
	const char *band;			/* "none", "watch", "alert", "priority" */
} ScoreResult;

/* the period scored and the earlier periods its baseline is taken from */
#define SCORE_BLOCKS (SCORE_BASELINE_BLOCKS + 1)
typedef struct ScoreSpan
{
	DateADT		from;			/* the period, local days, inclusive */
	DateADT		to;
	bool		months;			/* whole months: earlier periods are months too */
	DateADT		block_from[SCORE_BLOCKS];	/* 0: the period, 1..6: before */
	DateADT		block_to[SCORE_BLOCKS];
	DateADT		history_from;	/* of the report history */
	DateADT		first_day;		/* the earliest day read */
	int			margin_days;	/* facts read this many days either side (time zones) */
} ScoreSpan;

/* one employee of a scoring run */
typedef struct ScoreEmployee
{
	char	   *employee_id;
	char	   *tenant_id;
	char	   *team;			/* NULL: none */
	char	   *role;
	char	   *timezone;
	ScoreInputs in;
	ScoreResult result;
} ScoreEmployee;

#endif							/* HRGUARD_SCORE_H */
