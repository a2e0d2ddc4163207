/*-------------------------------------------------------------------------
 *
 * alert.h
 *	  Raising alerts: the punch trigger's and scoring's (alert.c).
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
/* raise an alert of a score, with its evidence entry */
extern int64 hrguard_alert_raise_scored(const char *employee_id, const char *kind,
										const char *severity, TimestampTz at,
										Datum reasons, int64 score_id);

#endif							/* HRGUARD_ALERT_H */
