/*-------------------------------------------------------------------------
 *
 * hrguard.h
 *	  Declarations shared by the modules of the hrguard extension.
 *
 * Every symbol exported from the shared library starts with "hrguard_":
 * PostgreSQL 15 loads extension libraries into one global symbol space.
 *
 * IDENTIFICATION
 *	  src/hrguard.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef HRGUARD_H
#define HRGUARD_H

#ifndef HRGUARD_VERSION
#error "HRGUARD_VERSION must be defined by the build"
#endif

#include "geo.h"

/* settings (hrguard.*), defined in hrguard.c */
extern char *hrguard_default_timezone;

/* datum.c */
extern void hrguard_check_lat_lon(double lat, double lon, const char *what);
extern HrguardDatum hrguard_datum_or_error(const char *name);

#endif							/* HRGUARD_H */
