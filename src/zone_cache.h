/*-------------------------------------------------------------------------
 *
 * zone_cache.h
 *	  The per-backend cache of zones, schedules, calendars and employees
 *	  that punch classification reads, with its grid index.
 *
 * IDENTIFICATION
 *	  src/zone_cache.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef HRGUARD_ZONE_CACHE_H
#define HRGUARD_ZONE_CACHE_H

#include "access/htup.h"
#include "access/tupdesc.h"
#include "utils/hsearch.h"

#include "geo.h"
#include "schedule.h"

typedef enum HrguardZoneKind
{
	ZONE_OFFICE,
	ZONE_CLIENT,
	ZONE_PROJECT,
	ZONE_COMPETITOR,
	ZONE_RESTRICTED
} HrguardZoneKind;

#define ZONE_KIND_IS_WATCHED(k) ((k) == ZONE_COMPETITOR || (k) == ZONE_RESTRICTED)

typedef struct HrguardZone
{
	int64		zone_id;
	char	   *name;
	int			tenant;
	HrguardZoneKind kind;
	const HrguardSchedule *schedule;	/* NULL: no window of its own */
	bool		has_valid_from;
	bool		has_valid_to;
	bool		valid_from_inc;
	bool		valid_to_inc;
	TimestampTz valid_from;
	TimestampTz valid_to;
	int			nbssids;
	char	  **bssids;			/* normalised, sorted */
	bool		tenant_wide;	/* assigned to every employee of the tenant */
	int			nteams;
	char	  **teams;			/* teams it is assigned to */
	HrguardShape shape;
} HrguardZone;

/* an employee as classification needs it */
typedef struct HrguardEmployee
{
	char		employee_id[NAMEDATALEN * 2];	/* hash key */
	bool		exists;
	int			tenant;			/* -1: a tenant without any zone */
	char	   *tenant_id;
	char	   *team;
	pg_tz	   *tz;
	const HrguardSchedule *schedule;
	int			nzones;			/* zones assigned to this employee by id */
	int		   *zones;			/* sorted zone indexes */
	bool		has_allowed_zone;
} HrguardEmployee;

typedef struct HrguardZoneCache
{
	MemoryContext context;
	int			ntenants;
	char	  **tenants;		/* sorted */
	int			nzones;
	HrguardZone *zones;
	int			nschedules;
	HrguardSchedule *schedules; /* sorted by schedule_id */
	HrguardCalendar calendar;

	/* assignments to single employees, sorted by employee_id */
	int			nassignments;
	char	  **assignment_employee;
	int		   *assignment_zone;

	/* (tenant, team) pairs that have at least one zone, sorted */
	int			nteam_keys;
	char	  **team_keys;

	bool	   *tenant_has_wide_zone;

	/* uniform grid over the zones' bounding boxes */
	double		cell;			/* degrees */
	int			ncells;
	int64	   *cell_keys;		/* sorted */
	int		   *cell_start;		/* ncells + 1 offsets into cell_zones */
	int		   *cell_zones;
	int			nlarge;
	int		   *large_zones;	/* zones covering too many cells */

	/* de-duplication of candidates within one lookup */
	uint32	   *seen;
	uint32		seen_stamp;

	HTAB	   *employees;

	/* the block that names and shapes are carved from */
	char	   *arena_next;
	size_t		arena_left;
} HrguardZoneCache;

extern HrguardZoneCache *hrguard_zone_cache(void);
extern Oid	hrguard_tables_owner(void);
extern void hrguard_zone_cache_invalidate(void);
extern void hrguard_zone_cache_register(void);
/* zone_cache.c, for the parts of the cache built elsewhere */
extern char *hrguard_team_key(const char *tenant_id, const char *team);
extern char *hrguard_cache_column_text(HeapTuple tuple, TupleDesc desc, int col);
extern int64 hrguard_cache_column_int64(HeapTuple tuple, TupleDesc desc, int col, int64 if_null);
extern pg_tz *hrguard_timezone_or_error(const char *name, const char *owner);
extern int	hrguard_tenant_index(const HrguardZoneCache *cache, const char *tenant_id);
extern const HrguardSchedule *hrguard_cached_schedule(const HrguardZoneCache *cache,
													  int64 schedule_id);
extern int	hrguard_zone_index(const HrguardZoneCache *cache, int64 zone_id);
extern bool hrguard_zone_in_force(const HrguardZone *zone, TimestampTz at);

#endif							/* HRGUARD_ZONE_CACHE_H */
