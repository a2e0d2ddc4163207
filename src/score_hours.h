/*-------------------------------------------------------------------------
 *
 * score_hours.h
 *	  Time ranges, punch pairs and day windows for verified hours in
 *	  scoring (score_hours.c).
 *
 * IDENTIFICATION
 *	  src/score_hours.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef HRGUARD_SCORE_HOURS_H
#define HRGUARD_SCORE_HOURS_H

#include "datatype/timestamp.h"
#include "utils/date.h"

#include "schedule.h"

typedef struct ScoreRange
{
	TimestampTz lo;
	TimestampTz hi;
} ScoreRange;

typedef struct ScoreRanges
{
	int			n;
	int			cap;
	ScoreRange *v;
} ScoreRanges;

extern void hrguard_ranges_add(ScoreRanges *s, TimestampTz lo, TimestampTz hi);
extern void hrguard_ranges_union(ScoreRanges *s);

/* a punch as pairing reads it */
#define SCORE_PUNCH_OFF			0	/* off duty */
#define SCORE_PUNCH_ON			1	/* on duty, outside the zones */
#define SCORE_PUNCH_ON_COUNTS	2	/* on duty, inside or uncertain */
typedef struct ScorePunch
{
	TimestampTz at;
	int			kind;
} ScorePunch;

extern void hrguard_score_pair_punches(ScorePunch *p, int n, ScoreRanges *evidence);

/* the windows of each day of a span under one schedule, time zone, tenant */
typedef struct ScoreDayWindows
{
	const HrguardSchedule *schedule;
	pg_tz	   *tz;
	int			tenant;
	DateADT		first_day;
	int			ndays;
	int		   *first;			/* ndays + 1 offsets into all */
	int64	   *scheduled;		/* per day */
	ScoreRanges all;
	struct ScoreDayWindows *next;
} ScoreDayWindows;

typedef struct ScoreWindowCache
{
	MemoryContext context;
	DateADT		first_day;
	DateADT		last_day;
	ScoreDayWindows *head;
} ScoreWindowCache;

extern const ScoreDayWindows *hrguard_score_day_windows(ScoreWindowCache *cache,
														const HrguardSchedule *schedule,
														pg_tz *tz,
														const HrguardCalendar *calendar,
														int tenant);
extern void hrguard_score_day(const ScoreDayWindows *w, DateADT day, const ScoreRanges *evidence,
							  const ScoreRanges *away, int64 *scheduled, int64 *leave,
							  int64 *verified);

#endif							/* HRGUARD_SCORE_HOURS_H */
