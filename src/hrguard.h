/*-------------------------------------------------------------------------
 *
 * hrguard.h
 *	  What hrguard.c defines: the settings (hrguard.*), registered by
 *	  _PG_init, and the limits and channel names every module shares.  Each
 *	  other module declares what it defines in a header of its own name.
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

#include "datatype/timestamp.h"

typedef enum HrguardNotifyMode
{
	HRGUARD_NOTIFY_COMMIT,
	HRGUARD_NOTIFY_RELAY,
	HRGUARD_NOTIFY_OFF
} HrguardNotifyMode;

#define HRGUARD_ALERT_CHANNEL "hrguard_alert"
#define HRGUARD_CHECKPOINT_CHANNEL "hrguard_checkpoint"

/* settings (hrguard.*), defined in hrguard.c */
extern char *hrguard_default_timezone;
extern int	hrguard_notify_mode;
extern double hrguard_default_accuracy_m;
extern double hrguard_max_speed_kmh;
extern double hrguard_min_travel_m;
extern int	hrguard_risk_lookback_days;
extern int	hrguard_competitor_pattern_days;
extern int	hrguard_competitor_pattern_window_days;
extern int	hrguard_off_hours_grace_minutes;
extern bool hrguard_restore_mode;

#define HRGUARD_OFF_HOURS_GRACE_US \
	((int64) hrguard_off_hours_grace_minutes * USECS_PER_MINUTE)

/* as the CHECK constraint employee_id_length of hrguard.employee says */
#define HRGUARD_MAX_EMPLOYEE_ID_BYTES 127
/* JSON text to canonicalise, an evidence payload, data to hash as a leaf */
#define HRGUARD_MAX_CANON_BYTES (1024 * 1024)
/* leaf hashes handed to the merkle_* functions */
#define HRGUARD_MAX_SQL_LEAVES (1024 * 1024)
/* a checkpoint body handed to verify_checkpoint or export_evidence */
#define HRGUARD_MAX_CHECKPOINT_BODY_BYTES 4096

#endif							/* HRGUARD_H */
