/*-------------------------------------------------------------------------
 *
 * zone_grid.h
 *	  The grid that finds the zones near a point (zone_grid.c).
 *
 * IDENTIFICATION
 *	  src/zone_grid.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef HRGUARD_ZONE_GRID_H
#define HRGUARD_ZONE_GRID_H

#include "postgres.h"

#include "zone_cache.h"

/* candidate zones near a point; valid until the next lookup */
typedef struct HrguardCandidates
{
	int			n;
	int		   *zones;
	int			capacity;
} HrguardCandidates;

extern void hrguard_zone_grid_build(HrguardZoneCache *cache);
extern void hrguard_zone_candidates(HrguardZoneCache *cache, double lon, double lat,
									double margin_m, HrguardCandidates *out);

#endif							/* HRGUARD_ZONE_GRID_H */
