/*-------------------------------------------------------------------------
 *
 * punch_timeline.c
 *	  The punches a statement has classified so far, of one employee or at
 *	  one raw position, kept in time order: a statement's own rows are not
 *	  visible to the history probes, and its rows may come in any order, so
 *	  "the latest punch at or before this one" and "the same position on
 *	  another day within the lookback" are answered here for them.
 *
 * A bulk load in time order appends; a row earlier than the ones before
 * it is inserted in its place.
 *
 * IDENTIFICATION
 *	  src/punch_timeline.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "miscadmin.h"
#include "utils/memutils.h"

#include "common.h"
#include "punch_timeline.h"

/* an element at or before the key's time comes before it */
static int
at_or_before(const void *element, const void *key)
{
	return ((const TimelinePunch *) element)->at <= *(const TimestampTz *) key ? -1 : 1;
}

/* an element before the key's time comes before it */
static int
before(const void *element, const void *key)
{
	return ((const TimelinePunch *) element)->at < *(const TimestampTz *) key ? -1 : 1;
}

/* the number of punches at or before "at" */
static int
count_until(const PunchTimeline *t, TimestampTz at)
{
	return hrguard_lower_bound(t->v, t->n, sizeof(TimelinePunch), &at, at_or_before);
}

/* the first punch at or after "at" (t->n if none) */
static int
first_from(const PunchTimeline *t, TimestampTz at)
{
	return hrguard_lower_bound(t->v, t->n, sizeof(TimelinePunch), &at, before);
}

/* Add a punch after every one not later than it; memory from "context". */
void
hrguard_timeline_add(PunchTimeline *t, MemoryContext context, const TimelinePunch *p)
{
	int			i;

	if (t->n == t->cap)
	{
		t->cap = t->cap ? t->cap * 2 : 8;
		t->v = t->v ? repalloc_huge(t->v, sizeof(TimelinePunch) * t->cap)
			: MemoryContextAllocHuge(context, sizeof(TimelinePunch) * t->cap);
	}
	i = (t->n == 0 || t->v[t->n - 1].at <= p->at) ? t->n : count_until(t, p->at);
	if (i < t->n)
		memmove(&t->v[i + 1], &t->v[i], sizeof(TimelinePunch) * (t->n - i));
	t->v[i] = *p;
	t->n++;
}

/*
 * The latest punch at or before "at" and not before "since" (with a
 * position, if "located"); NULL if none.  Among punches at the same time,
 * the one added last.
 */
const TimelinePunch *
hrguard_timeline_latest(const PunchTimeline *t, TimestampTz at, TimestampTz since, bool located)
{
	int			i;

	for (i = count_until(t, at) - 1; i >= 0 && t->v[i].at >= since; i--)
	{
		CHECK_FOR_INTERRUPTS();
		if (!located || t->v[i].located)
			return &t->v[i];
	}
	return NULL;
}

/* Is there a punch in [since, until] outside [day_start, day_end)? */
bool
hrguard_timeline_other_day(const PunchTimeline *t, TimestampTz since, TimestampTz until,
						   TimestampTz day_start, TimestampTz day_end)
{
	int			i = first_from(t, since);

	if (i < t->n && t->v[i].at < day_start && t->v[i].at <= until)
		return true;
	i = first_from(t, Max(since, day_end));
	return i < t->n && t->v[i].at <= until;
}
