/*-------------------------------------------------------------------------
 *
 * classify.h
 *	  Classifying a position at a moment for an employee: the verdict
 *	  against the employee's allowed zones, watched (competitor and
 *	  restricted) zones, and the employee's working windows.
 *
 * IDENTIFICATION
 *	  src/classify.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef HRGUARD_CLASSIFY_H
#define HRGUARD_CLASSIFY_H

#include "zone_cache.h"

/* how far around a point outside every zone to look for the nearest one */
#define HRGUARD_NEAREST_ZONE_SEARCH_M 5000.0

typedef struct HrguardVerdict
{
	HrguardLocation verdict;	/* against the allowed zones in force */
	bool		no_allowed_zone;	/* the employee has none assigned */
	int			zone;			/* allowed zone the point is in (or near), -1 */
	int			watched;		/* competitor/restricted zone hit, -1 */
	HrguardLocation watched_where;
	HrguardWindowMatch work;	/* the employee's working windows */
} HrguardVerdict;

extern const char *hrguard_location_name(HrguardLocation where);
extern const char *hrguard_zone_kind_name(HrguardZoneKind kind);
extern void hrguard_classify(HrguardZoneCache *cache, const HrguardEmployee *employee,
							 TimestampTz at, double lat, double lon, double accuracy_m,
							 HrguardVerdict *verdict);
extern double hrguard_zone_signed_distance(HrguardZoneCache *cache, int zone,
										   double lat, double lon);
extern int	hrguard_nearest_allowed_zone(HrguardZoneCache *cache,
										 const HrguardEmployee *employee, TimestampTz at,
										 double lat, double lon, double search_m,
										 double *signed_distance_m);

extern Timestamp hrguard_match_local_timestamp(const HrguardWindowMatch *match);
extern HrguardEmployee *hrguard_employee_or_error(HrguardZoneCache *cache,
												  const char *employee_id);

#endif							/* HRGUARD_CLASSIFY_H */
