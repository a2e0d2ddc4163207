/*-------------------------------------------------------------------------
 *
 * punch_timeline.h
 *	  The punches a statement has classified so far, in time order
 *	  (punch_timeline.c).
 *
 * IDENTIFICATION
 *	  src/punch_timeline.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef HRGUARD_PUNCH_TIMELINE_H
#define HRGUARD_PUNCH_TIMELINE_H

#include "postgres.h"

#include "datatype/timestamp.h"

/* one punch an earlier row of the statement made */
typedef struct TimelinePunch
{
	TimestampTz at;
	bool		located;
	double		lat;
	double		lon;
} TimelinePunch;

/* sorted by time; among equal times, in the order they were added */
typedef struct PunchTimeline
{
	TimelinePunch *v;
	int			n;
	int			cap;
} PunchTimeline;

extern void hrguard_timeline_add(PunchTimeline *t, MemoryContext context,
								 const TimelinePunch *p);
extern const TimelinePunch *hrguard_timeline_latest(const PunchTimeline *t, TimestampTz at,
													TimestampTz since, bool located);
extern bool hrguard_timeline_other_day(const PunchTimeline *t, TimestampTz since,
									   TimestampTz until, TimestampTz day_start,
									   TimestampTz day_end);

#endif							/* HRGUARD_PUNCH_TIMELINE_H */
