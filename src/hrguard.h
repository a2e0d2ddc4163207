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
extern void hrguard_check_accuracy(double accuracy_m);

/* postgis_bridge.c */
extern void hrguard_postgis_prepare(Oid geometry_type);
extern bytea *hrguard_geometry_to_ewkb(Datum geometry);
extern Datum hrguard_geometry_from_ewkb(bytea *ewkb);
extern char *hrguard_geometry_invalid_reason(Datum geometry);

/* wkb.c */
extern HrguardShape *hrguard_shape_from_ewkb(const bytea *ewkb, int32 *srid);
extern bool hrguard_point_from_ewkb(const bytea *ewkb, int32 *srid, HrguardXY *point);
extern bytea *hrguard_ewkb_from_polygons(const HrguardShape *shape, int32 srid);
extern bytea *hrguard_ewkb_from_point(const HrguardXY *point, int32 srid);

/* zone.c */
extern bool hrguard_normalize_bssid(const char *in, char *out);

#endif							/* HRGUARD_H */
