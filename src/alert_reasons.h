/*-------------------------------------------------------------------------
 *
 * alert_reasons.h
 *	  The reasons of a punch's alerts (alert_reasons.c).
 *
 * IDENTIFICATION
 *	  src/alert_reasons.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef HRGUARD_ALERT_REASONS_H
#define HRGUARD_ALERT_REASONS_H

#include "postgres.h"

#include "access/htup.h"
#include "access/tupdesc.h"
#include "utils/jsonb.h"

#include "employee_cache.h"
#include "schedule.h"
#include "zone_cache.h"

/* a stored punch, as its AFTER trigger reads it to raise its alerts */
typedef struct StoredPunch
{
	int64		punch_id;
	char	   *employee_id;
	TimestampTz at;
	bool		located;
	double		lat;
	double		lon;
	double		accuracy;
	Jsonb	   *risk;
	HrguardZoneCache *cache;
	HrguardEmployee *employee;
	HrguardWindowMatch work;
	int			zone;			/* index in the cache, or -1 */
	int			watched;		/* index in the cache, or -1 */
	char	   *punched_at;		/* UTC, ISO */
	char	   *local_time;		/* the employee's local time, ISO */
} StoredPunch;

extern void hrguard_read_stored_punch(HeapTuple tuple, TupleDesc desc, const int *attnum,
									  StoredPunch *p);
/* one alert's reasons; sets its severity and the zone it names (0: none) */
extern Jsonb *hrguard_alert_reasons(const StoredPunch *p, const char *kind,
									const char **severity, int64 *zone_id);

#endif							/* HRGUARD_ALERT_REASONS_H */
