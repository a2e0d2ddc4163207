/*-------------------------------------------------------------------------
 *
 * employee_cache.h
 *	  Employees in the zone cache: looked up by id, and the zones each may
 *	  use (employee_cache.c).
 *
 * IDENTIFICATION
 *	  src/employee_cache.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef HRGUARD_EMPLOYEE_CACHE_H
#define HRGUARD_EMPLOYEE_CACHE_H

#include "postgres.h"

#include "zone_cache.h"

extern HrguardEmployee *hrguard_cached_employee(HrguardZoneCache *cache,
												const char *employee_id);
extern bool hrguard_zone_allowed_for(const HrguardZoneCache *cache, int zone,
									 const HrguardEmployee *employee);

#endif							/* HRGUARD_EMPLOYEE_CACHE_H */
