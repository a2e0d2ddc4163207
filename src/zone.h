/*-------------------------------------------------------------------------
 *
 * zone.h
 *	  Zones: normalisation of what a zone is given (zone.c).
 *
 * IDENTIFICATION
 *	  src/zone.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef HRGUARD_ZONE_H
#define HRGUARD_ZONE_H

#include "postgres.h"

extern bool hrguard_normalize_bssid(const char *in, char *out);

#endif							/* HRGUARD_ZONE_H */
