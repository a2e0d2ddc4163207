/*-------------------------------------------------------------------------
 *
 * schedule.h
 *	  Working windows: weekly schedules in local time, overridden per date
 *	  by the tenant calendar.
 *
 * IDENTIFICATION
 *	  src/schedule.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef HRGUARD_SCHEDULE_H
#define HRGUARD_SCHEDULE_H

#include "datatype/timestamp.h"
#include "pgtime.h"
#include "utils/date.h"

#define USECS_PER_LOCAL_DAY INT64CONST(86400000000)

/* one weekly window; end may pass midnight (end > USECS_PER_LOCAL_DAY) */
typedef struct HrguardWindow
{
	int			isodow;			/* 1 = Monday ... 7 = Sunday */
	int64		start_us;		/* from local midnight */
	int64		end_us;			/* from the same midnight, > start_us */
} HrguardWindow;

typedef struct HrguardSchedule
{
	int64		schedule_id;	/* 0 for the built-in default */
	pg_tz	   *tz;				/* NULL: the employee's time zone */
	int			nwindows;
	HrguardWindow *windows;
	bool		has_windows_on[8];	/* by ISO weekday */
} HrguardSchedule;

/* one date of a tenant calendar */
typedef struct HrguardCalendarDay
{
	int			tenant;			/* index of the tenant in the zone cache */
	DateADT		day;
	bool		is_workday;
	int			works_like;		/* ISO weekday, 0 if not given */
} HrguardCalendarDay;

typedef struct HrguardCalendar
{
	int			ndays;
	HrguardCalendarDay *days;	/* sorted by (tenant, day) */
} HrguardCalendar;

/* where a moment falls relative to a schedule */
typedef struct HrguardWindowMatch
{
	bool		open;			/* inside a window */
	DateADT		local_day;		/* local date of the moment */
	int64		local_time_us;	/* local time of day of the moment */
	int			day_isodow;		/* weekday whose windows apply, -1 holiday */
	int64		window_start_us;	/* the matching window, when open */
	int64		window_end_us;
} HrguardWindowMatch;

extern int	hrguard_compare_calendar_days(const void *a, const void *b);
extern const HrguardSchedule *hrguard_default_schedule(void);
extern void hrguard_schedule_match(const HrguardSchedule *schedule, pg_tz *employee_tz,
								   const HrguardCalendar *calendar, int tenant,
								   TimestampTz at, int64 grace, HrguardWindowMatch *match);
extern int	hrguard_isodow(DateADT day);
extern int	hrguard_day_weekday(const HrguardSchedule *schedule,
								const HrguardCalendar *calendar, int tenant, DateADT day);

#endif							/* HRGUARD_SCHEDULE_H */
