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

/*
 * A punch as pairing reads it: its time and kind in one word, which sorts
 * by time (then kind).  The time is counted from 2^54 microseconds before
 * 2000 (the year 1429): scoring reads punches of 1700 to 2200 only.
 */
#define SCORE_PUNCH_OFF			0	/* off duty */
#define SCORE_PUNCH_ON			1	/* on duty, outside the zones */
#define SCORE_PUNCH_ON_COUNTS	2	/* on duty, inside or uncertain */
typedef uint64 ScorePunch;

#define SCORE_PUNCH_ORIGIN		(-(INT64CONST(1) << 54))
#define SCORE_PUNCH(at, kind)	((((uint64) ((at) - SCORE_PUNCH_ORIGIN)) << 2) | (uint64) (kind))
#define SCORE_PUNCH_AT(p)		((TimestampTz) ((p) >> 2) + SCORE_PUNCH_ORIGIN)
#define SCORE_PUNCH_KIND(p)		((int) ((p) & 3))

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
