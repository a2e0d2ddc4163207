/*-------------------------------------------------------------------------
 *
 * datum.h
 *	  Checked coordinates, datums and accuracies of punches (datum.c).
 *
 * IDENTIFICATION
 *	  src/datum.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef HRGUARD_DATUM_H
#define HRGUARD_DATUM_H

#include "postgres.h"

#include "geo.h"

extern void hrguard_check_lat_lon(double lat, double lon, const char *what);
extern HrguardDatum hrguard_datum_or_error(const char *name);
extern void hrguard_check_accuracy(double accuracy_m);

#endif							/* HRGUARD_DATUM_H */
