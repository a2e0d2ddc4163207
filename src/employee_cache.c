/*-------------------------------------------------------------------------
 *
 * employee_cache.c
 *	  The employees of the zone cache: each loaded on first use, with its
 *	  tenant, team, time zone, schedule and the zones assigned to it; and
 *	  which zones an employee may punch in.
 *
 * Employees are many and a backend meets few of them, so they are not
 * loaded with the zones; an employee's entry lives as long as the cache
 * (zone_cache.c), which any change to the employee table makes stale.
 *
 * IDENTIFICATION
 *	  src/employee_cache.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/hsearch.h"
#include "utils/memutils.h"

#include "common.h"
#include "employee_cache.h"
#include "privilege.h"
#include "zone_cache.h"

static SPIPlanPtr employee_plan = NULL;

/*
 * Read the employee's row, and the zones assigned to the employee by id,
 * into the cache; exists is false for an id the table does not have.
 */
static void
load_employee(HrguardZoneCache *cache, HrguardEmployee *emp)
{
	Datum		arg = CStringGetTextDatum(emp->employee_id);
	TupleDesc	desc;
	HeapTuple	tuple;
	MemoryContext old;
	int			i,
				first;
	int64		schedule_id;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (employee_plan == NULL)
	{
		Oid			argtypes[1] = {TEXTOID};

		employee_plan = hrguard_prepare_kept("SELECT tenant_id, team, timezone, schedule_id "
											 "  FROM hrguard.employee "
											 " WHERE employee_id OPERATOR(pg_catalog.=) $1",
											 1, argtypes);
	}
	if (SPI_execute_plan(employee_plan, &arg, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "employee lookup failed");

	emp->exists = (SPI_processed == 1);
	if (!emp->exists)
	{
		SPI_finish();
		return;
	}
	desc = SPI_tuptable->tupdesc;
	tuple = SPI_tuptable->vals[0];
	old = MemoryContextSwitchTo(cache->context);
	emp->tenant_id = hrguard_cache_column_text(tuple, desc, 1);
	emp->team = hrguard_cache_column_text(tuple, desc, 2);
	emp->tz = hrguard_timezone_or_error(hrguard_cache_column_text(tuple, desc, 3), "an employee");
	schedule_id = hrguard_cache_column_int64(tuple, desc, 4, 0);
	emp->schedule = schedule_id ? hrguard_cached_schedule(cache, schedule_id) : hrguard_default_schedule();
	emp->tenant = hrguard_tenant_index(cache, emp->tenant_id);

	/* zones assigned to this employee by id */
	first = hrguard_lower_bound(cache->assignment_employee, cache->nassignments, sizeof(char *),
								emp->employee_id, hrguard_compare_string_key);
	emp->nzones = 0;
	emp->zones = palloc(sizeof(int) * 4);
	for (i = first; i < cache->nassignments &&
		 strcmp(cache->assignment_employee[i], emp->employee_id) == 0; i++)
	{
		if (cache->zones[cache->assignment_zone[i]].tenant != emp->tenant)
			continue;
		if (emp->nzones > 0 && emp->nzones % 4 == 0)
			emp->zones = repalloc(emp->zones, sizeof(int) * (emp->nzones + 4));
		emp->zones[emp->nzones++] = cache->assignment_zone[i];
	}
	emp->has_allowed_zone = emp->nzones > 0 ||
		(emp->tenant >= 0 && cache->tenant_has_wide_zone[emp->tenant]) ||
		(emp->team != NULL &&
		 hrguard_find_string(cache->team_keys, cache->nteam_keys,
					 hrguard_team_key(emp->tenant_id, emp->team)) >= 0);
	MemoryContextSwitchTo(old);
	SPI_finish();
}

/*
 * The cached employee, loaded on first use; exists is false for an unknown
 * id.  Ids longer than the hash key cannot be employees' (the employee
 * table limits them).
 */
HrguardEmployee *
hrguard_cached_employee(HrguardZoneCache *cache, const char *employee_id)
{
	HrguardEmployee *emp;
	bool		found;

	if (strlen(employee_id) >= sizeof(emp->employee_id))
		return NULL;
	emp = hash_search(cache->employees, employee_id, HASH_ENTER, &found);
	if (!found)
	{
		PG_TRY();
		{
			HrguardSavedUser saved;

			hrguard_become_owner(hrguard_tables_owner(), &saved);
			load_employee(cache, emp);
			hrguard_restore_user(&saved);
		}
		PG_CATCH();
		{
			hash_search(cache->employees, employee_id, HASH_REMOVE, NULL);
			PG_RE_THROW();
		}
		PG_END_TRY();
	}
	return emp;
}

static int
compare_ints(const void *a, const void *b)
{
	int			x = *(const int *) a;
	int			y = *(const int *) b;

	return x < y ? -1 : (x > y ? 1 : 0);
}

/*
 * Is an office, client or project zone assigned to the employee: to the
 * whole tenant, to the employee's team, or to the employee by id?
 */
bool
hrguard_zone_allowed_for(const HrguardZoneCache *cache, int z,
						 const HrguardEmployee *employee)
{
	const HrguardZone *zone = &cache->zones[z];
	int			i;

	if (ZONE_KIND_IS_WATCHED(zone->kind) || zone->tenant != employee->tenant)
		return false;
	if (zone->tenant_wide)
		return true;
	if (employee->team != NULL)
		for (i = 0; i < zone->nteams; i++)
			if (strcmp(zone->teams[i], employee->team) == 0)
				return true;
	return bsearch(&z, employee->zones, employee->nzones, sizeof(int), compare_ints) != NULL;
}
