/*-------------------------------------------------------------------------
 *
 * schedule.c
 *	  Evaluating working windows at a moment in time.
 *
 * A moment is turned into a local date and time of day in the schedule's
 * time zone (or the employee's).  It is inside the schedule if a window of
 * that date covers the time of day, or a window of the previous date that
 * runs past midnight still does.  Which weekday's windows a date gets comes
 * from the tenant calendar: none on a holiday, those of the "works like"
 * weekday on a make-up working day (调休), its own weekday otherwise.
 *
 * IDENTIFICATION
 *	  src/schedule.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "utils/datetime.h"
#include "utils/timestamp.h"

#include "common.h"
#include "schedule.h"

/* Monday to Friday, 09:00 to 18:00 local time */
static HrguardWindow default_windows[] = {
	{1, INT64CONST(9) * USECS_PER_HOUR, INT64CONST(18) * USECS_PER_HOUR},
	{2, INT64CONST(9) * USECS_PER_HOUR, INT64CONST(18) * USECS_PER_HOUR},
	{3, INT64CONST(9) * USECS_PER_HOUR, INT64CONST(18) * USECS_PER_HOUR},
	{4, INT64CONST(9) * USECS_PER_HOUR, INT64CONST(18) * USECS_PER_HOUR},
	{5, INT64CONST(9) * USECS_PER_HOUR, INT64CONST(18) * USECS_PER_HOUR},
};

static const HrguardSchedule default_schedule = {
	0, NULL, lengthof(default_windows), default_windows,
	{false, true, true, true, true, true, false, false}
};

const HrguardSchedule *
hrguard_default_schedule(void)
{
	return &default_schedule;
}

int
hrguard_isodow(DateADT day)
{
	int			dow = j2day(day + POSTGRES_EPOCH_JDATE);	/* 0 = Sunday */

	return dow == 0 ? 7 : dow;
}

/* the order of a calendar's days: by tenant, then date */
int
hrguard_compare_calendar_days(const void *a, const void *b)
{
	const HrguardCalendarDay *x = a;
	const HrguardCalendarDay *y = b;

	if (x->tenant != y->tenant)
		return x->tenant < y->tenant ? -1 : 1;
	return x->day < y->day ? -1 : (x->day > y->day ? 1 : 0);
}

static const HrguardCalendarDay *
calendar_lookup(const HrguardCalendar *calendar, int tenant, DateADT day)
{
	HrguardCalendarDay key = {.tenant = tenant,.day = day};
	int			i;

	if (calendar == NULL)
		return NULL;
	i = hrguard_find_sorted(calendar->days, calendar->ndays, sizeof(HrguardCalendarDay), &key,
							hrguard_compare_calendar_days);
	return i < 0 ? NULL : &calendar->days[i];
}

/*
 * The ISO weekday whose windows apply on a date, or -1 on a holiday.
 */
int
hrguard_day_weekday(const HrguardSchedule *schedule,
					const HrguardCalendar *calendar, int tenant, DateADT day)
{
	const HrguardCalendarDay *entry = calendar_lookup(calendar, tenant, day);
	int			own = hrguard_isodow(day);

	if (entry == NULL)
		return own;
	if (!entry->is_workday)
		return -1;
	if (entry->works_like != 0)
		return entry->works_like;
	return schedule->has_windows_on[own] ? own : 1;
}

/*
 * Does a window of weekday "isodow", widened by "grace" at both ends, cover
 * time of day "t" (which may be 24h or more, for the previous day's windows)?
 */
static const HrguardWindow *
window_covering(const HrguardSchedule *schedule, int isodow, int64 t, int64 grace)
{
	int			i;

	if (isodow < 0)
		return NULL;
	for (i = 0; i < schedule->nwindows; i++)
	{
		const HrguardWindow *w = &schedule->windows[i];

		if (w->isodow == isodow && w->start_us - grace <= t && t < w->end_us + grace)
			return w;
	}
	return NULL;
}

/*
 * Where a moment falls relative to a schedule.  "grace" widens every window
 * at both ends (an employee clocking in a little early is not off hours).
 */
void
hrguard_schedule_match(const HrguardSchedule *schedule, pg_tz *employee_tz,
					   const HrguardCalendar *calendar, int tenant,
					   TimestampTz at, int64 grace, HrguardWindowMatch *match)
{
	pg_tz	   *tz = schedule->tz ? schedule->tz : employee_tz;
	struct pg_tm tm;
	fsec_t		fsec;
	int			tzoff;
	const HrguardWindow *w;

	if (timestamp2tm(at, &tzoff, &tm, &fsec, NULL, tz) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range")));

	match->local_day = date2j(tm.tm_year, tm.tm_mon, tm.tm_mday) - POSTGRES_EPOCH_JDATE;
	match->local_time_us = ((((int64) tm.tm_hour * MINS_PER_HOUR) + tm.tm_min) * SECS_PER_MINUTE +
							tm.tm_sec) * USECS_PER_SEC + fsec;
	match->day_isodow = hrguard_day_weekday(schedule, calendar, tenant, match->local_day);

	w = window_covering(schedule, match->day_isodow, match->local_time_us, grace);
	if (w == NULL)
	{
		/* a window of the previous day that runs past midnight */
		int			prev = hrguard_day_weekday(schedule, calendar, tenant,
											   match->local_day - 1);

		w = window_covering(schedule, prev, match->local_time_us + USECS_PER_LOCAL_DAY, grace);
	}
	if (w == NULL && grace > 0)
	{
		/* a window of the next day starting within the grace period */
		int			next = hrguard_day_weekday(schedule, calendar, tenant,
											   match->local_day + 1);

		w = window_covering(schedule, next, match->local_time_us - USECS_PER_LOCAL_DAY, grace);
	}
	match->open = (w != NULL);
	match->window_start_us = w ? w->start_us : 0;
	match->window_end_us = w ? w->end_us : 0;
}
