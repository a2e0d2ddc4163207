/*-------------------------------------------------------------------------
 *
 * zone_cache.c
 *	  Per-backend cache of everything punch classification reads: zones
 *	  (with their shapes and a grid index), assignments, schedules, the
 *	  tenant calendar, and employees (employee_cache.c: loaded one by one
 *	  on first use).
 *
 * The cache is built lazily through SPI and kept in its own memory context
 * under CacheMemoryContext.  A statement trigger on every table it reads
 * sends a relcache invalidation for that table; invalidations are
 * transactional, so other backends see the change only after it commits,
 * and the changing backend sees it at its next command (and again, undone,
 * after a rollback).  The relcache callback only marks the cache stale;
 * the next lookup rebuilds it.  Nothing from the cache may be held across
 * calls to hrguard_zone_cache(), which is where an old cache is freed.
 *
 * The grid is uniform, with cells about twice the median zone size, stored
 * as a sorted array of cell keys with the zones of each cell behind it.
 * Zones that would cover too many cells are kept apart and checked always.
 *
 * IDENTIFICATION
 *	  src/zone_cache.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "common.h"
#include "postgis_bridge.h"
#include "privilege.h"
#include "wkb.h"
#include "zone_cache.h"
#include "zone_grid.h"

/* the tables the cache reads; a change to any of them makes it stale */
static const char *const watched_table_names[] = {
	"zone", "zone_assignment", "schedule", "schedule_window", "calendar_day", "employee"
};
#define NWATCHED lengthof(watched_table_names)

static HrguardZoneCache *zone_cache = NULL;
static bool zone_cache_stale = true;
static Oid	watched_relids[NWATCHED];
static Oid	tables_owner = InvalidOid;

static void
zone_cache_relcache_callback(Datum arg, Oid relid)
{
	int			i;

	if (relid == InvalidOid)
	{
		zone_cache_stale = true;
		return;
	}
	for (i = 0; i < (int) NWATCHED; i++)
		if (watched_relids[i] == relid)
			zone_cache_stale = true;
}

/* Called once from _PG_init. */
void
hrguard_zone_cache_register(void)
{
	CacheRegisterRelcacheCallback(zone_cache_relcache_callback, (Datum) 0);
}

void
hrguard_zone_cache_invalidate(void)
{
	zone_cache_stale = true;
}

/*
 * hrguard.config_changed() -- statement trigger on the tables the cache
 * reads: tell every backend (after commit) that the cache is out of date.
 */
static const char *const cached_tables[] = {
	"zone", "zone_assignment", "schedule", "schedule_window", "calendar_day", "employee", NULL
};
static const HrguardTriggerSpec config_changed_spec = {
	"hrguard.config_changed()", cached_tables, false, HRGUARD_TRIGGER_STATEMENT,
	HRGUARD_ON_INSERT | HRGUARD_ON_UPDATE | HRGUARD_ON_DELETE | HRGUARD_ON_TRUNCATE,
	"an AFTER statement trigger on the tables the zone cache reads"
};

PG_FUNCTION_INFO_V1(hrguard_config_changed);
Datum
hrguard_config_changed(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;

	(void) hrguard_trigger_guard(fcinfo, &config_changed_spec);
	CacheInvalidateRelcache(trigdata->tg_relation);
	return PointerGetDatum(NULL);
}

/* ---- small helpers -------------------------------------------------- */

char *
hrguard_team_key(const char *tenant_id, const char *team)
{
	return psprintf("%s%c%s", tenant_id, '\x1f', team);
}

char *
hrguard_cache_column_text(HeapTuple tuple, TupleDesc desc, int col)
{
	bool		isnull;
	Datum		d = SPI_getbinval(tuple, desc, col, &isnull);

	return isnull ? NULL : TextDatumGetCString(d);
}

int64
hrguard_cache_column_int64(HeapTuple tuple, TupleDesc desc, int col, int64 if_null)
{
	bool		isnull;
	Datum		d = SPI_getbinval(tuple, desc, col, &isnull);

	return isnull ? if_null : DatumGetInt64(d);
}

/*
 * Run a read-only query for the cache being built.  SPI returns to its own
 * memory context, so switch back to the cache's before copying results.
 */
static void
run_query(HrguardZoneCache *cache, const char *query)
{
	int			rc = SPI_execute(query, true, 0);

	if (rc != SPI_OK_SELECT)
		elog(ERROR, "zone cache query failed: %s", SPI_result_code_string(rc));
	MemoryContextSwitchTo(cache->context);
}

pg_tz *
hrguard_timezone_or_error(const char *name, const char *owner)
{
	pg_tz	   *tz = pg_tzset(name);

	if (tz == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("time zone \"%s\" of %s is not known", name, owner)));
	return tz;
}

/* ---- building the cache --------------------------------------------- */

static void
load_tenants(HrguardZoneCache *cache)
{
	int			i,
				n = 0;

	run_query(cache, "SELECT tenant_id FROM hrguard.zone "
			  "UNION SELECT tenant_id FROM hrguard.calendar_day");
	cache->ntenants = SPI_processed;
	cache->tenants = palloc(sizeof(char *) * Max(SPI_processed, 1));
	for (i = 0; i < (int) SPI_processed; i++)
		cache->tenants[n++] = hrguard_cache_column_text(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1);
	qsort(cache->tenants, n, sizeof(char *), hrguard_compare_strings);
	cache->tenant_has_wide_zone = palloc0(sizeof(bool) * Max(n, 1));
}

int
hrguard_tenant_index(const HrguardZoneCache *cache, const char *tenant_id)
{
	return hrguard_find_string(cache->tenants, cache->ntenants, tenant_id);
}

static void
load_schedules(HrguardZoneCache *cache)
{
	TupleDesc	desc;
	int			i,
				s = -1;
	int			capacity = 0;

	run_query(cache, "SELECT s.schedule_id, s.timezone, w.isodow, "
			  "       pg_catalog.date_part('epoch', w.starts_at)::pg_catalog.float8, "
			  "       pg_catalog.date_part('epoch', w.ends_at)::pg_catalog.float8 "
			  "  FROM hrguard.schedule s "
			  "  LEFT JOIN hrguard.schedule_window w "
			  "    ON w.schedule_id OPERATOR(pg_catalog.=) s.schedule_id "
			  " ORDER BY s.schedule_id, w.isodow, w.starts_at");
	desc = SPI_tuptable->tupdesc;
	cache->schedules = palloc0(sizeof(HrguardSchedule) * Max(SPI_processed, 1));
	cache->nschedules = 0;
	for (i = 0; i < (int) SPI_processed; i++)
	{
		HeapTuple	tuple = SPI_tuptable->vals[i];
		int64		id = hrguard_cache_column_int64(tuple, desc, 1, 0);
		HrguardSchedule *sched;
		bool		isnull;
		Datum		d;

		if (s < 0 || cache->schedules[s].schedule_id != id)
		{
			char	   *tz = hrguard_cache_column_text(tuple, desc, 2);

			s = cache->nschedules++;
			sched = &cache->schedules[s];
			sched->schedule_id = id;
			sched->tz = tz ? hrguard_timezone_or_error(tz, "a schedule") : NULL;
			capacity = 8;
			sched->windows = palloc(sizeof(HrguardWindow) * capacity);
		}
		sched = &cache->schedules[s];
		d = SPI_getbinval(tuple, desc, 3, &isnull);
		if (isnull)
			continue;			/* a schedule without windows */
		if (sched->nwindows == capacity)
		{
			capacity *= 2;
			sched->windows = repalloc(sched->windows, sizeof(HrguardWindow) * capacity);
		}
		{
			HrguardWindow *w = &sched->windows[sched->nwindows++];

			w->isodow = DatumGetInt16(d);
			w->start_us = (int64) (DatumGetFloat8(SPI_getbinval(tuple, desc, 4, &isnull)) * USECS_PER_SEC);
			w->end_us = (int64) (DatumGetFloat8(SPI_getbinval(tuple, desc, 5, &isnull)) * USECS_PER_SEC);
			if (w->end_us <= w->start_us)
				w->end_us += USECS_PER_LOCAL_DAY;
			sched->has_windows_on[w->isodow] = true;
		}
	}
}

const HrguardSchedule *
hrguard_cached_schedule(const HrguardZoneCache *cache, int64 schedule_id)
{
	int			i = hrguard_find_sorted(cache->schedules, cache->nschedules, sizeof(HrguardSchedule),
										&schedule_id, hrguard_compare_int64_key);

	if (i < 0)
		elog(ERROR, "schedule " INT64_FORMAT " is not in the zone cache", schedule_id);
	return &cache->schedules[i];
}

static void
load_calendar(HrguardZoneCache *cache)
{
	TupleDesc	desc;
	int			i;

	run_query(cache, "SELECT tenant_id, day, is_workday, works_like FROM hrguard.calendar_day");
	desc = SPI_tuptable->tupdesc;
	cache->calendar.ndays = SPI_processed;
	cache->calendar.days = palloc(sizeof(HrguardCalendarDay) * Max(SPI_processed, 1));
	for (i = 0; i < (int) SPI_processed; i++)
	{
		HeapTuple	tuple = SPI_tuptable->vals[i];
		HrguardCalendarDay *day = &cache->calendar.days[i];
		bool		isnull;
		Datum		d;

		day->tenant = hrguard_tenant_index(cache, hrguard_cache_column_text(tuple, desc, 1));
		day->day = DatumGetDateADT(SPI_getbinval(tuple, desc, 2, &isnull));
		day->is_workday = DatumGetBool(SPI_getbinval(tuple, desc, 3, &isnull));
		d = SPI_getbinval(tuple, desc, 4, &isnull);
		day->works_like = isnull ? 0 : DatumGetInt16(d);
	}
	qsort(cache->calendar.days, cache->calendar.ndays, sizeof(HrguardCalendarDay),
		  hrguard_compare_calendar_days);
}

static HrguardZoneKind
zone_kind_from_name(const char *kind)
{
	if (strcmp(kind, "office") == 0)
		return ZONE_OFFICE;
	if (strcmp(kind, "client") == 0)
		return ZONE_CLIENT;
	if (strcmp(kind, "project") == 0)
		return ZONE_PROJECT;
	if (strcmp(kind, "competitor") == 0)
		return ZONE_COMPETITOR;
	if (strcmp(kind, "restricted") == 0)
		return ZONE_RESTRICTED;
	elog(ERROR, "unknown zone kind \"%s\"", kind);
	return ZONE_OFFICE;
}

/*
 * Zones are many and small: their names, shapes and lists are carved out of
 * large blocks of the cache's context, without a chunk header each.
 */
#define ARENA_BLOCK_SIZE (256 * 1024)

static void *
arena_alloc(HrguardZoneCache *cache, size_t size)
{
	void	   *p;

	size = MAXALIGN(size);
	if (size > cache->arena_left)
	{
		size_t		block = Max(ARENA_BLOCK_SIZE, size);

		cache->arena_next = MemoryContextAlloc(cache->context, block);
		cache->arena_left = block;
	}
	p = cache->arena_next;
	cache->arena_next += size;
	cache->arena_left -= size;
	return p;
}

static char *
arena_strdup(HrguardZoneCache *cache, const char *s)
{
	size_t		len = strlen(s) + 1;
	char	   *copy = arena_alloc(cache, len);

	memcpy(copy, s, len);
	return copy;
}

/* Copy a parsed multipolygon's rings into the arena. */
static void
arena_copy_polygons(HrguardZoneCache *cache, HrguardShape *to, const HrguardShape *from)
{
	int			p,
				r;

	to->npolygons = from->npolygons;
	to->polygons = arena_alloc(cache, sizeof(HrguardPolygon) * Max(from->npolygons, 1));
	for (p = 0; p < from->npolygons; p++)
	{
		const HrguardPolygon *fp = &from->polygons[p];
		HrguardPolygon *tp = &to->polygons[p];

		tp->nrings = fp->nrings;
		tp->rings = arena_alloc(cache, sizeof(HrguardRing) * Max(fp->nrings, 1));
		for (r = 0; r < fp->nrings; r++)
		{
			tp->rings[r].npoints = fp->rings[r].npoints;
			tp->rings[r].points = arena_alloc(cache, sizeof(HrguardXY) * Max(fp->rings[r].npoints, 1));
			memcpy(tp->rings[r].points, fp->rings[r].points,
				   sizeof(HrguardXY) * fp->rings[r].npoints);
		}
	}
}

/*
 * Read a zone's shape.  PostGIS's EWKB and the parse live in "scratch";
 * only the result is copied into the cache.
 */
static void
load_zone_shape(HrguardZoneCache *cache, MemoryContext scratch, HrguardZone *zone,
				HeapTuple tuple, TupleDesc desc)
{
	bool		geom_null;
	bool		center_null;
	Datum		geom = SPI_getbinval(tuple, desc, 5, &geom_null);
	Datum		center = SPI_getbinval(tuple, desc, 6, &center_null);
	int32		srid;
	MemoryContext old = MemoryContextSwitchTo(scratch);

	hrguard_postgis_prepare(SPI_gettypeid(desc, 5));
	if (!geom_null)
	{
		HrguardShape *shape = hrguard_shape_from_ewkb(hrguard_geometry_to_ewkb(geom), &srid);

		if (shape == NULL)
			elog(ERROR, "zone " INT64_FORMAT " has a geom that is not a multipolygon",
				 zone->zone_id);
		arena_copy_polygons(cache, &zone->shape, shape);
	}
	else if (!center_null)
	{
		bool		isnull;

		if (!hrguard_point_from_ewkb(hrguard_geometry_to_ewkb(center), &srid, &zone->shape.center))
			elog(ERROR, "zone " INT64_FORMAT " has a center that is not a point",
				 zone->zone_id);
		zone->shape.is_circle = true;
		zone->shape.radius_m = DatumGetFloat8(SPI_getbinval(tuple, desc, 7, &isnull));
	}
	else
		elog(ERROR, "zone " INT64_FORMAT " has no shape", zone->zone_id);
	MemoryContextSwitchTo(old);
	MemoryContextReset(scratch);
	hrguard_shape_finish(&zone->shape);
}

static void
load_zones(HrguardZoneCache *cache)
{
	TupleDesc	desc;
	int			i;
	MemoryContext scratch = AllocSetContextCreate(CurrentMemoryContext,
												  "hrguard zone loading",
												  ALLOCSET_DEFAULT_SIZES);

	run_query(cache, "SELECT zone_id, tenant_id, name, kind, geom, center, radius_m, schedule_id, "
			  "       pg_catalog.lower(valid), pg_catalog.upper(valid), "
			  "       pg_catalog.lower_inc(valid), pg_catalog.upper_inc(valid), bssids "
			  "  FROM hrguard.zone ORDER BY zone_id");
	desc = SPI_tuptable->tupdesc;
	cache->nzones = SPI_processed;
	cache->zones = palloc0(sizeof(HrguardZone) * Max(SPI_processed, 1));
	for (i = 0; i < (int) SPI_processed; i++)
	{
		HeapTuple	tuple = SPI_tuptable->vals[i];
		HrguardZone *zone = &cache->zones[i];
		bool		isnull;
		Datum		d;
		int64		schedule_id;
		MemoryContext old;

		zone->zone_id = hrguard_cache_column_int64(tuple, desc, 1, 0);
		old = MemoryContextSwitchTo(scratch);
		zone->tenant = hrguard_tenant_index(cache, hrguard_cache_column_text(tuple, desc, 2));
		zone->name = arena_strdup(cache, hrguard_cache_column_text(tuple, desc, 3));
		zone->kind = zone_kind_from_name(hrguard_cache_column_text(tuple, desc, 4));
		MemoryContextSwitchTo(old);
		load_zone_shape(cache, scratch, zone, tuple, desc);
		schedule_id = hrguard_cache_column_int64(tuple, desc, 8, 0);
		zone->schedule = schedule_id ? hrguard_cached_schedule(cache, schedule_id) : NULL;

		d = SPI_getbinval(tuple, desc, 9, &isnull);
		zone->has_valid_from = !isnull;
		zone->valid_from = isnull ? 0 : DatumGetTimestampTz(d);
		d = SPI_getbinval(tuple, desc, 10, &isnull);
		zone->has_valid_to = !isnull;
		zone->valid_to = isnull ? 0 : DatumGetTimestampTz(d);
		d = SPI_getbinval(tuple, desc, 11, &isnull);
		zone->valid_from_inc = !isnull && DatumGetBool(d);
		d = SPI_getbinval(tuple, desc, 12, &isnull);
		zone->valid_to_inc = !isnull && DatumGetBool(d);

		d = SPI_getbinval(tuple, desc, 13, &isnull);
		if (!isnull)
		{
			Datum	   *elems;
			bool	   *nulls;
			int			n,
						k;

			old = MemoryContextSwitchTo(scratch);
			deconstruct_array(DatumGetArrayTypeP(d), TEXTOID, -1, false, TYPALIGN_INT,
							  &elems, &nulls, &n);
			zone->nbssids = n;
			zone->bssids = arena_alloc(cache, sizeof(char *) * Max(n, 1));
			for (k = 0; k < n; k++)
				zone->bssids[k] = arena_strdup(cache, TextDatumGetCString(elems[k]));
			qsort(zone->bssids, n, sizeof(char *), hrguard_compare_strings);
			MemoryContextSwitchTo(old);
			MemoryContextReset(scratch);
		}
	}
	MemoryContextDelete(scratch);
}

int
hrguard_zone_index(const HrguardZoneCache *cache, int64 zone_id)
{
	/* sorted by zone_id, the first field */
	return hrguard_find_sorted(cache->zones, cache->nzones, sizeof(HrguardZone),
							   &zone_id, hrguard_compare_int64_key);
}

typedef struct EmployeeAssignment
{
	char	   *employee_id;
	int			zone;
} EmployeeAssignment;

static int
compare_employee_assignments(const void *a, const void *b)
{
	const EmployeeAssignment *x = a;
	const EmployeeAssignment *y = b;
	int			c = strcmp(x->employee_id, y->employee_id);

	if (c != 0)
		return c;
	return x->zone - y->zone;
}

static void
load_assignments(HrguardZoneCache *cache)
{
	TupleDesc	desc;
	int			i,
				nemp = 0,
				nteam = 0;
	EmployeeAssignment *emp;

	run_query(cache, "SELECT zone_id, employee_id, team FROM hrguard.zone_assignment");
	desc = SPI_tuptable->tupdesc;
	emp = palloc(sizeof(EmployeeAssignment) * Max(SPI_processed, 1));
	cache->team_keys = palloc(sizeof(char *) * Max(SPI_processed, 1));
	for (i = 0; i < (int) SPI_processed; i++)
	{
		HeapTuple	tuple = SPI_tuptable->vals[i];
		int			z = hrguard_zone_index(cache, hrguard_cache_column_int64(tuple, desc, 1, 0));
		char	   *employee_id = hrguard_cache_column_text(tuple, desc, 2);
		char	   *team = hrguard_cache_column_text(tuple, desc, 3);
		HrguardZone *zone;

		if (z < 0)
			continue;
		zone = &cache->zones[z];
		if (ZONE_KIND_IS_WATCHED(zone->kind))
			continue;			/* refused by the assignment trigger anyway */
		if (employee_id != NULL)
		{
			emp[nemp].employee_id = employee_id;
			emp[nemp].zone = z;
			nemp++;
		}
		else if (team != NULL)
		{
			zone->teams = zone->teams ?
				repalloc(zone->teams, sizeof(char *) * (zone->nteams + 1)) :
				palloc(sizeof(char *));
			zone->teams[zone->nteams++] = team;
			cache->team_keys[nteam++] = hrguard_team_key(cache->tenants[zone->tenant], team);
		}
		else
		{
			zone->tenant_wide = true;
			cache->tenant_has_wide_zone[zone->tenant] = true;
		}
	}
	qsort(emp, nemp, sizeof(EmployeeAssignment), compare_employee_assignments);
	cache->nassignments = nemp;
	cache->assignment_employee = palloc(sizeof(char *) * Max(nemp, 1));
	cache->assignment_zone = palloc(sizeof(int) * Max(nemp, 1));
	for (i = 0; i < nemp; i++)
	{
		cache->assignment_employee[i] = emp[i].employee_id;
		cache->assignment_zone[i] = emp[i].zone;
	}
	qsort(cache->team_keys, nteam, sizeof(char *), hrguard_compare_strings);
	cache->nteam_keys = nteam;
}

static void
resolve_watched_relids(void)
{
	Oid			nsp = get_namespace_oid("hrguard", false);
	int			i;

	for (i = 0; i < (int) NWATCHED; i++)
		watched_relids[i] = get_relname_relid(watched_table_names[i], nsp);
	if (!OidIsValid(watched_relids[0]))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("hrguard is not installed in this database")));
	tables_owner = hrguard_relation_owner(watched_relids[0]);
}

/* The role that owns hrguard's tables (valid once a cache was built). */
Oid
hrguard_tables_owner(void)
{
	return tables_owner;
}

static HrguardZoneCache *
build_cache(void)
{
	MemoryContext context;
	MemoryContext old;
	HrguardZoneCache *cache;
	HASHCTL		hctl;

	context = AllocSetContextCreate(CurrentMemoryContext, "hrguard zone cache",
									ALLOCSET_DEFAULT_SIZES);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	old = MemoryContextSwitchTo(context);

	cache = palloc0(sizeof(HrguardZoneCache));
	cache->context = context;
	load_tenants(cache);
	load_schedules(cache);
	load_calendar(cache);
	load_zones(cache);
	load_assignments(cache);
	hrguard_zone_grid_build(cache);

	hctl.keysize = sizeof(((HrguardEmployee *) NULL)->employee_id);
	hctl.entrysize = sizeof(HrguardEmployee);
	hctl.hcxt = context;
	cache->employees = hash_create("hrguard employees", 1024, &hctl,
								   HASH_ELEM | HASH_STRINGS | HASH_CONTEXT);

	MemoryContextSwitchTo(old);
	SPI_finish();

	MemoryContextSetParent(context, CacheMemoryContext);
	return cache;
}

/*
 * The current zone cache, rebuilt first if anything it holds has changed.
 */
HrguardZoneCache *
hrguard_zone_cache(void)
{
	if (zone_cache != NULL && !zone_cache_stale)
		return zone_cache;

	if (zone_cache != NULL)
	{
		MemoryContextDelete(zone_cache->context);
		zone_cache = NULL;
	}
	resolve_watched_relids();
	zone_cache_stale = false;
	PG_TRY();
	{
		HrguardSavedUser saved;

		hrguard_become_owner(tables_owner, &saved);
		zone_cache = build_cache();
		hrguard_restore_user(&saved);
	}
	PG_CATCH();
	{
		zone_cache_stale = true;
		PG_RE_THROW();
	}
	PG_END_TRY();
	return zone_cache;
}

/* ---- lookups -------------------------------------------------------- */

/* Does the zone exist at that moment (its validity range)? */
bool
hrguard_zone_in_force(const HrguardZone *zone, TimestampTz at)
{
	if (zone->has_valid_from &&
		(zone->valid_from_inc ? at < zone->valid_from : at <= zone->valid_from))
		return false;
	if (zone->has_valid_to &&
		(zone->valid_to_inc ? at > zone->valid_to : at >= zone->valid_to))
		return false;
	return true;
}

/*
 * hrguard.zone_cache_stats() -- what this backend's zone cache holds and
 * the memory it takes, building it first if needed.
 */
PG_FUNCTION_INFO_V1(hrguard_zone_cache_stats);
Datum
hrguard_zone_cache_stats(PG_FUNCTION_ARGS)
{
	HrguardZoneCache *cache;
	TupleDesc	tupdesc;
	Datum		values[6];
	bool		nulls[6] = {false, false, false, false, false, false};
	int64		vertices = 0;
	int			i;

	hrguard_require_select("hrguard.zone_cache_stats()", "zone");
	cache = hrguard_zone_cache();
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	for (i = 0; i < cache->nzones; i++)
		vertices += cache->zones[i].shape.is_circle ? 0 : cache->zones[i].shape.nvertices;
	values[0] = Int32GetDatum(cache->nzones);
	values[1] = Int64GetDatum(vertices);
	values[2] = Int32GetDatum(cache->ncells);
	values[3] = Int64GetDatum(cache->ncells > 0 ? cache->cell_start[cache->ncells] : 0);
	values[4] = Int32GetDatum(cache->nlarge);
	values[5] = Int64GetDatum((int64) MemoryContextMemAllocated(cache->context, true));
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(tupdesc), values, nulls)));
}
