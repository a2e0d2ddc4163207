/*-------------------------------------------------------------------------
 *
 * alert.h
 *	  Raising alerts: the punch trigger's, and the others' (alert.c).
 *
 * IDENTIFICATION
 *	  src/alert.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef HRGUARD_ALERT_H
#define HRGUARD_ALERT_H

#include "postgres.h"

#include "datatype/timestamp.h"

/* whether the statement now running raises alerts of punches */
extern bool hrguard_raising_alerts(void);
/* raise an alert outside a punch statement, with its evidence entry */
extern int64 hrguard_alert_raise(const char *employee_id, const char *kind,
								 const char *severity, TimestampTz at, Datum reasons,
								 const char *source_key, int64 source_id);

#endif							/* HRGUARD_ALERT_H */
