/*-------------------------------------------------------------------------
 *
 * score_hours.c
 *	  Verified hours for scoring, as hrguard.verified_hours() computes
 *	  them: sets of time ranges (union, clipping, overlap), on-duty to
 *	  off-duty punch pairs, and each day's working windows.
 *
 * A day's windows depend on the schedule, its time zone and the tenant
 * calendar only, so they are worked out once per such combination for the
 * whole span a run reads (most employees share the default schedule), not
 * once per employee: the local-to-UTC conversion is the costly part.
 *
 * IDENTIFICATION
 *	  src/score_hours.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "miscadmin.h"
#include "pgtime.h"
#include "utils/datetime.h"
#include "utils/timestamp.h"

#include "common.h"
#include "score_hours.h"

#define PAIR_MAX_US ((int64) 24 * USECS_PER_HOUR)

/* ---- sets of time ranges ---------------------------------------------------- */

void
hrguard_ranges_add(ScoreRanges *s, TimestampTz lo, TimestampTz hi)
{
	if (hi <= lo)
		return;
	if (s->n == s->cap)
	{
		s->cap = s->cap ? s->cap * 2 : 64;
		s->v = s->v ? repalloc(s->v, sizeof(ScoreRange) * s->cap) : palloc(sizeof(ScoreRange) * s->cap);
	}
	s->v[s->n].lo = lo;
	s->v[s->n].hi = hi;
	s->n++;
}

/* sort_ranges(): by start, then end, the comparison inlined */
#define ST_SORT sort_ranges
#define ST_ELEMENT_TYPE ScoreRange
#define ST_COMPARE(x, y) \
	((x)->lo != (y)->lo ? ((x)->lo < (y)->lo ? -1 : 1) : ((x)->hi > (y)->hi) - ((x)->hi < (y)->hi))
#define ST_SCOPE static
#define ST_DEFINE
#include "lib/sort_template.h"

/* sort and merge into disjoint ranges, in order */
void
hrguard_ranges_union(ScoreRanges *s)
{
	int			i,
				out = 0;

	if (s->n == 0)
		return;
	sort_ranges(s->v, s->n);
	for (i = 1; i < s->n; i++)
	{
		if (s->v[i].lo <= s->v[out].hi)
			s->v[out].hi = Max(s->v[out].hi, s->v[i].hi);
		else
			s->v[++out] = s->v[i];
	}
	s->n = out + 1;
}

/* whether a range ends at or before a time: it then comes before it */
static int
range_ends_by(const void *element, const void *key)
{
	return ((const ScoreRange *) element)->hi <= *(const TimestampTz *) key ? -1 : 1;
}

/* first range of a disjoint sorted set that ends after t */
static int
ranges_from(const ScoreRange *v, int n, TimestampTz t)
{
	return hrguard_lower_bound(v, n, sizeof(ScoreRange), &t, range_ends_by);
}

/* the length of [lo, hi) that a disjoint sorted set covers */
static int64
covered(const ScoreRanges *s, TimestampTz lo, TimestampTz hi)
{
	int64		total = 0;
	int			i;

	for (i = ranges_from(s->v, s->n, lo); i < s->n && s->v[i].lo < hi; i++)
		total += Min(hi, s->v[i].hi) - Max(lo, s->v[i].lo);
	return total;
}

/* ---- punch pairs --------------------------------------------------------------- */

/* sort_punches(): by time, then kind */
#define ST_SORT sort_punches
#define ST_ELEMENT_TYPE ScorePunch
#define ST_COMPARE(x, y) ((*(x) > *(y)) - (*(x) < *(y)))
#define ST_SCOPE static
#define ST_DEFINE
#include "lib/sort_template.h"

/*
 * Each on-duty punch that counts (not outside the zones), paired with the
 * first off-duty punch later than it within 24 hours, unless an on-duty
 * punch comes between: the ranges go into evidence.  The punches are
 * sorted by time first.
 */
void
hrguard_score_pair_punches(ScorePunch *p, int n, ScoreRanges *evidence)
{
	int			i;

	sort_punches(p, n);
	for (i = 0; i < n; i++)
	{
		TimestampTz on = SCORE_PUNCH_AT(p[i]);
		int			j;
		int			off = -1;

		if (SCORE_PUNCH_KIND(p[i]) != SCORE_PUNCH_ON_COUNTS)
			continue;
		for (j = i + 1; j < n && SCORE_PUNCH_AT(p[j]) < on + PAIR_MAX_US; j++)
			if (SCORE_PUNCH_KIND(p[j]) == SCORE_PUNCH_OFF && SCORE_PUNCH_AT(p[j]) > on)
			{
				off = j;
				break;
			}
		if (off < 0)
			continue;
		for (j = i + 1; j < off; j++)
			if (SCORE_PUNCH_KIND(p[j]) != SCORE_PUNCH_OFF && SCORE_PUNCH_AT(p[j]) > on &&
				SCORE_PUNCH_AT(p[j]) < SCORE_PUNCH_AT(p[off]))
				break;
		if (j == off)
			hrguard_ranges_add(evidence, on, SCORE_PUNCH_AT(p[off]));
	}
}

/* ---- working windows, day by day ------------------------------------------------- */

/* the moment a local date and time of day (which may pass 24:00) is in tz */
static TimestampTz
local_moment(pg_tz *tz, DateADT day, int64 time_us)
{
	Timestamp	local = (Timestamp) day * USECS_PER_DAY + time_us;
	struct pg_tm tm;
	fsec_t		fsec;
	int			offset;
	TimestampTz result;

	if (timestamp2tm(local, NULL, &tm, &fsec, NULL, NULL) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range")));
	offset = DetermineTimeZoneOffset(&tm, tz);
	if (tm2timestamp(&tm, fsec, &offset, &result) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range")));
	return result;
}

/*
 * The windows of every day from first_day to last_day under a schedule, in
 * its time zone, under a tenant's calendar: found in the list, or worked
 * out and added to it (in the list's context).
 */
const ScoreDayWindows *
hrguard_score_day_windows(ScoreWindowCache *cache, const HrguardSchedule *schedule, pg_tz *tz,
						  const HrguardCalendar *calendar, int tenant)
{
	ScoreDayWindows *w;
	MemoryContext old;
	ScoreRanges day_ranges = {0};
	int			d;

	for (w = cache->head; w != NULL; w = w->next)
		if (w->schedule == schedule && w->tz == tz && w->tenant == tenant)
			return w;

	old = MemoryContextSwitchTo(cache->context);
	w = palloc0(sizeof(ScoreDayWindows));
	w->schedule = schedule;
	w->tz = tz;
	w->tenant = tenant;
	w->first_day = cache->first_day;
	w->ndays = cache->last_day - cache->first_day + 1;
	w->first = palloc(sizeof(int) * (w->ndays + 1));
	w->scheduled = palloc(sizeof(int64) * w->ndays);
	for (d = 0; d < w->ndays; d++)
	{
		DateADT		day = w->first_day + d;
		int			weekday = hrguard_day_weekday(schedule, calendar, tenant, day);
		int			i;

		CHECK_FOR_INTERRUPTS();
		day_ranges.n = 0;
		for (i = 0; weekday > 0 && i < schedule->nwindows; i++)
			if (schedule->windows[i].isodow == weekday)
				hrguard_ranges_add(&day_ranges, local_moment(tz, day, schedule->windows[i].start_us),
								   local_moment(tz, day, schedule->windows[i].end_us));
		hrguard_ranges_union(&day_ranges);
		w->first[d] = w->all.n;
		w->scheduled[d] = 0;
		for (i = 0; i < day_ranges.n; i++)
		{
			hrguard_ranges_add(&w->all, day_ranges.v[i].lo, day_ranges.v[i].hi);
			w->scheduled[d] += day_ranges.v[i].hi - day_ranges.v[i].lo;
		}
	}
	w->first[w->ndays] = w->all.n;
	w->next = cache->head;
	cache->head = w;
	MemoryContextSwitchTo(old);
	return w;
}

/*
 * One day of an employee: the time scheduled, the part of it on approved
 * leave, and the part the evidence covers less leave.
 */
void
hrguard_score_day(const ScoreDayWindows *w, DateADT day, const ScoreRanges *evidence,
				  const ScoreRanges *away, int64 *scheduled, int64 *leave, int64 *verified)
{
	int			d = day - w->first_day;
	int			i;

	*scheduled = w->scheduled[d];
	*leave = 0;
	*verified = 0;
	for (i = w->first[d]; i < w->first[d + 1]; i++)
	{
		const ScoreRange *win = &w->all.v[i];
		int			j;

		*leave += covered(away, win->lo, win->hi);
		/* the evidence within the window, less what leave covers of it */
		for (j = ranges_from(evidence->v, evidence->n, win->lo);
			 j < evidence->n && evidence->v[j].lo < win->hi; j++)
		{
			TimestampTz lo = Max(win->lo, evidence->v[j].lo);
			TimestampTz hi = Min(win->hi, evidence->v[j].hi);

			*verified += (hi - lo) - covered(away, lo, hi);
		}
	}
}
