/*-------------------------------------------------------------------------
 *
 * postgis_bridge.h
 *	  Calls into PostGIS: geometries to and from EWKB, validity (postgis_bridge.c).
 *
 * IDENTIFICATION
 *	  src/postgis_bridge.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef HRGUARD_POSTGIS_BRIDGE_H
#define HRGUARD_POSTGIS_BRIDGE_H

#include "postgres.h"

extern void hrguard_postgis_prepare(Oid geometry_type);
extern bytea *hrguard_geometry_to_ewkb(Datum geometry);
extern Datum hrguard_geometry_from_ewkb(bytea *ewkb);
extern char *hrguard_geometry_invalid_reason(Datum geometry);

#endif							/* HRGUARD_POSTGIS_BRIDGE_H */
