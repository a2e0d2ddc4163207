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

#include "datatype/timestamp.h"

#include "geo.h"

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
extern char *hrguard_relay_database;
extern int	hrguard_relay_interval_ms;
extern int	hrguard_checkpoint_interval_s;

/* relay_worker.c */
extern void hrguard_relay_register(void);

#define HRGUARD_OFF_HOURS_GRACE_US \
	((int64) hrguard_off_hours_grace_minutes * USECS_PER_MINUTE)

/* hrguard.c: running internal work as the owner of hrguard's tables */
typedef struct HrguardSavedUser
{
	Oid			userid;
	int			sec_context;
} HrguardSavedUser;

extern void hrguard_become_owner(Oid owner, HrguardSavedUser *saved);
extern void hrguard_restore_user(const HrguardSavedUser *saved);
extern int	hrguard_jit_off(void);
extern void hrguard_restore_settings(int level);
extern Oid	hrguard_relation_owner(Oid relid);
extern struct _SPI_plan *hrguard_prepare_kept(const char *query, int nargs, Oid *types);
extern char *hrguard_utc_iso(TimestampTz t);
extern const char *hrguard_to_utf8(const char *s);

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
