/*-------------------------------------------------------------------------
 *
 * wkb.h
 *	  EWKB read into hrguard's shapes and points, and written from them (wkb.c).
 *
 * IDENTIFICATION
 *	  src/wkb.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef HRGUARD_WKB_H
#define HRGUARD_WKB_H

#include "postgres.h"

#include "geo.h"

extern HrguardShape *hrguard_shape_from_ewkb(const bytea *ewkb, int32 *srid);
extern bool hrguard_point_from_ewkb(const bytea *ewkb, int32 *srid, HrguardXY *point);
extern bytea *hrguard_ewkb_from_polygons(const HrguardShape *shape, int32 srid);
extern bytea *hrguard_ewkb_from_point(const HrguardXY *point, int32 srid);

#endif							/* HRGUARD_WKB_H */
