/*-------------------------------------------------------------------------
 *
 * score_peers.c
 *	  The peer statistics of a scoring run.  Peers are the same tenant,
 *	  team and role or, with fewer than 8 peers there, the same tenant and
 *	  role; with fewer than 8 there too, the employee has "insufficient
 *	  peers" and no peer-based score.  Peer statistics leave the employee
 *	  out (exactly, for groups up to 200; larger groups use the whole
 *	  group, a bias of at most 1/n).
 *
 * IDENTIFICATION
 *	  src/score_peers.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "miscadmin.h"

#include "robust_stats.h"
#include "score.h"
#include "score_peers.h"
#include "score_signals.h"

typedef struct PeerGroup
{
	const char *label;			/* "team_role" or "role" */
	int			n;				/* members of the set, in employee order */
	int		   *members;
	bool		summarised;		/* whole-group summary, for large groups */
	HrguardRobustSummary whole;
} PeerGroup;

static ScoreEmployee *sort_base;

static int
text_cmp_nulls_last(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a == NULL) - (b == NULL);
	return strcmp(a, b);
}

static int
compare_team_role(const void *x, const void *y)
{
	const ScoreEmployee *a = &sort_base[*(const int *) x];
	const ScoreEmployee *b = &sort_base[*(const int *) y];
	int			c = strcmp(a->tenant_id, b->tenant_id);

	if (c == 0)
		c = text_cmp_nulls_last(a->team, b->team);
	if (c == 0)
		c = text_cmp_nulls_last(a->role, b->role);
	if (c == 0)
		c = *(const int *) x - *(const int *) y;
	return c;
}

static int
compare_role(const void *x, const void *y)
{
	const ScoreEmployee *a = &sort_base[*(const int *) x];
	const ScoreEmployee *b = &sort_base[*(const int *) y];
	int			c = strcmp(a->tenant_id, b->tenant_id);

	if (c == 0)
		c = text_cmp_nulls_last(a->role, b->role);
	if (c == 0)
		c = *(const int *) x - *(const int *) y;
	return c;
}

static bool
same_key(const ScoreEmployee *a, const ScoreEmployee *b, bool by_team)
{
	if (strcmp(a->tenant_id, b->tenant_id) != 0 || text_cmp_nulls_last(a->role, b->role) != 0)
		return false;
	return !by_team || text_cmp_nulls_last(a->team, b->team) == 0;
}

/*
 * For every employee, the group of members of a set it is compared with:
 * its team and role when that gives 8 peers (the employee not counted),
 * else its role; NULL when neither does.  Employees without a role (or,
 * for the first level, a team) have no group at that level.
 */
static void
choose_groups(ScoreEmployee *es, int n, const bool *in_set, PeerGroup **chosen)
{
	int		   *order = palloc(sizeof(int) * Max(n, 1));
	int			level;

	memset(chosen, 0, sizeof(PeerGroup *) * n);
	for (level = 0; level < 2; level++)
	{
		bool		by_team = (level == 0);
		int			i,
					start;

		for (i = 0; i < n; i++)
			order[i] = i;
		sort_base = es;
		qsort(order, n, sizeof(int), by_team ? compare_team_role : compare_role);
		for (start = 0; start < n;)
		{
			ScoreEmployee *first = &es[order[start]];
			int			end = start + 1;
			PeerGroup  *g;

			while (end < n && same_key(first, &es[order[end]], by_team))
				end++;
			if (first->role == NULL || (by_team && first->team == NULL))
			{
				start = end;
				continue;
			}
			g = palloc0(sizeof(PeerGroup));
			g->label = by_team ? "team_role" : "role";
			g->members = palloc(sizeof(int) * (end - start));
			for (i = start; i < end; i++)
				if (in_set[order[i]])
					g->members[g->n++] = order[i];
			for (i = start; i < end; i++)
			{
				int			e = order[i];
				int			peers = g->n - (in_set[e] ? 1 : 0);

				if (chosen[e] == NULL && peers >= SCORE_MIN_PEERS)
					chosen[e] = g;
			}
			start = end;
		}
	}
	pfree(order);
}

static void
peers_of(const PeerGroup *g, bool self_in_set, ScorePeers *peers)
{
	peers->group = g ? g->label : NULL;
	peers->n = g ? g->n - (self_in_set ? 1 : 0) : 0;
}

/* the summary of a value over the group, the employee left out */
static void
summary_without(PeerGroup *g, int self, const double *values, HrguardRobustSummary *s)
{
	double	   *work;
	int			i,
				k = 0;

	if (g->n > SCORE_EXACT_LOO_MAX)
	{
		if (!g->summarised)
		{
			work = palloc(sizeof(double) * g->n);
			for (i = 0; i < g->n; i++)
				work[i] = values[g->members[i]];
			hrguard_robust_summary(work, g->n, &g->whole);
			g->summarised = true;
			pfree(work);
		}
		*s = g->whole;
		return;
	}
	work = palloc(sizeof(double) * g->n);
	for (i = 0; i < g->n; i++)
		if (g->members[i] != self)
			work[k++] = values[g->members[i]];
	hrguard_robust_summary(work, k, s);
	pfree(work);
}

/* pooled counts over the group, the employee left out */
static void
pooled_without(const PeerGroup *g, int self, const double *a, const double *b,
			   double *sum_a, double *sum_b)
{
	int			i;

	*sum_a = *sum_b = 0.0;
	for (i = 0; i < g->n; i++)
		if (g->members[i] != self)
		{
			*sum_a += a[g->members[i]];
			*sum_b += b[g->members[i]];
		}
}

/* pooled rates: the group sums are kept, each employee takes away its own */
static void
pooled_rates(ScoreEmployee *es, int n, ScoreRateInputs *(*rate) (ScoreEmployee *))
{
	bool	   *in_set = palloc(sizeof(bool) * n);
	PeerGroup **chosen = palloc(sizeof(PeerGroup *) * n);
	double	   *k = palloc(sizeof(double) * n);
	double	   *m = palloc(sizeof(double) * n);
	int			i;

	for (i = 0; i < n; i++)
	{
		ScoreRateInputs *r = rate(&es[i]);

		in_set[i] = r->n > 0;
		k[i] = r->k;
		m[i] = r->n;
	}
	choose_groups(es, n, in_set, chosen);
	for (i = 0; i < n; i++)
	{
		ScoreRateInputs *r = rate(&es[i]);

		CHECK_FOR_INTERRUPTS();
		peers_of(chosen[i], in_set[i], &r->peers);
		if (chosen[i])
			pooled_without(chosen[i], i, k, m, &r->peer_k, &r->peer_n);
	}
}

static ScoreRateInputs *
customer_rate(ScoreEmployee *e)
{
	return &e->in.customer;
}

static ScoreRateInputs *
visit_rate(ScoreEmployee *e)
{
	return &e->in.visit;
}

/* every peer statistic of every employee's inputs */
void
hrguard_score_peers(ScoreEmployee *es, int n)
{
	bool	   *in_set = palloc(sizeof(bool) * Max(n, 1));
	PeerGroup **chosen = palloc(sizeof(PeerGroup *) * Max(n, 1));
	double	   *values = palloc(sizeof(double) * Max(n, 1));
	double	   *misses = palloc(sizeof(double) * Max(n, 1));
	int			i;

	/* the sales smoothing constant: a share of the peers' median sales */
	for (i = 0; i < n; i++)
	{
		ScoreTimeInputs *t = &es[i].in.time;

		in_set[i] = t->days > 0;
		values[i] = t->days > 0 ? t->sales / t->days : 0.0;
	}
	choose_groups(es, n, in_set, chosen);
	for (i = 0; i < n; i++)
	{
		HrguardRobustSummary s;

		CHECK_FOR_INTERRUPTS();
		if (chosen[i] != NULL)
		{
			summary_without(chosen[i], i, values, &s);
			es[i].in.time.c_sales = SCORE_C_SALES_SHARE * s.median;
		}
		else
			es[i].in.time.c_sales = SCORE_C_SALES_SHARE * values[i];
	}

	/* the mismatch D, and its peers */
	for (i = 0; i < n; i++)
	{
		values[i] = 0.0;
		in_set[i] = hrguard_score_time_d(&es[i].in.time, &values[i]);
	}
	choose_groups(es, n, in_set, chosen);
	for (i = 0; i < n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		peers_of(chosen[i], in_set[i], &es[i].in.time.peers);
		if (chosen[i] != NULL)
			summary_without(chosen[i], i, values, &es[i].in.time.peer_d);
	}

	pooled_rates(es, n, customer_rate);
	pooled_rates(es, n, visit_rate);

	/* report misses of the 90 days before */
	for (i = 0; i < n; i++)
	{
		in_set[i] = es[i].in.report.history_days > 0;
		values[i] = es[i].in.report.history_days;
		misses[i] = es[i].in.report.history_misses;
	}
	choose_groups(es, n, in_set, chosen);
	for (i = 0; i < n; i++)
	{
		ScoreReportInputs *r = &es[i].in.report;

		peers_of(chosen[i], in_set[i], &r->peers);
		if (chosen[i] != NULL)
			pooled_without(chosen[i], i, misses, values, &r->peer_misses, &r->peer_days);
	}
}
