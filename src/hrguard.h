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

#include "commands/trigger.h"
#include "datatype/timestamp.h"
#include "fmgr.h"
#include "nodes/pg_list.h"

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
extern struct pg_tz *hrguard_default_tz(void);
extern int	hrguard_notify_mode;
extern double hrguard_default_accuracy_m;
extern double hrguard_max_speed_kmh;
extern double hrguard_min_travel_m;
extern int	hrguard_risk_lookback_days;
extern int	hrguard_competitor_pattern_days;
extern int	hrguard_competitor_pattern_window_days;
extern int	hrguard_off_hours_grace_minutes;
extern bool hrguard_restore_mode;
extern bool hrguard_allow_drop_evidence;	/* defined in drop_guard.c */
extern bool hrguard_raising_alerts(void);
extern int	hrguard_trigger_depth(void);
extern int64 hrguard_alert_raise_scored(const char *employee_id, const char *kind,
										const char *severity, TimestampTz at,
										Datum reasons, int64 score_id);

extern bool hrguard_row_passes_through(TriggerData *trigdata);

#define HRGUARD_OFF_HOURS_GRACE_US \
	((int64) hrguard_off_hours_grace_minutes * USECS_PER_MINUTE)

/* running internal work as the owner of hrguard's tables (privilege.c) */
typedef struct HrguardSavedUser
{
	Oid			userid;
	int			sec_context;
	int			guc_level;		/* of the sealed search_path */
} HrguardSavedUser;

/* the search_path of every span that runs as the owner */
#define HRGUARD_SEALED_SEARCH_PATH "pg_catalog, pg_temp"

/* privilege.c: owner spans, trigger guards, callers' rights, input bounds */
extern void hrguard_become_owner(Oid owner, HrguardSavedUser *saved);
extern void hrguard_restore_user(const HrguardSavedUser *saved);

#define HRGUARD_TRIGGER_ROW			0x01
#define HRGUARD_TRIGGER_STATEMENT	0x02
#define HRGUARD_TRIGGER_EVENT(event) (1 << ((event) & TRIGGER_EVENT_OPMASK))
#define HRGUARD_ON_INSERT			(1 << TRIGGER_EVENT_INSERT)
#define HRGUARD_ON_DELETE			(1 << TRIGGER_EVENT_DELETE)
#define HRGUARD_ON_UPDATE			(1 << TRIGGER_EVENT_UPDATE)
#define HRGUARD_ON_TRUNCATE			(1 << TRIGGER_EVENT_TRUNCATE)

/* where a trigger function of hrguard may fire */
typedef struct HrguardTriggerSpec
{
	const char *function;		/* its SQL name, for messages */
	const char *const *tables;	/* NULL-terminated, of hrguard's schema */
	bool		before;			/* BEFORE, else AFTER */
	int			levels;			/* HRGUARD_TRIGGER_ROW and/or _STATEMENT */
	int			events;			/* HRGUARD_ON_* */
	const char *expected;		/* "a BEFORE INSERT row trigger on ..." */
} HrguardTriggerSpec;

extern TriggerData *hrguard_trigger_guard(FunctionCallInfo fcinfo,
										  const HrguardTriggerSpec *spec);
extern bool hrguard_can_select(Oid roleid, const char *table);
extern void hrguard_require_select(const char *function, const char *table);
extern void hrguard_rethrow_for(bool caller_may_read) pg_attribute_noreturn();
extern void hrguard_check_input_size(const char *what, int64 size, int64 limit,
									 const char *unit);
extern char *hrguard_checked_employee_id(Datum id, bool isnull);
extern const char *hrguard_echo(const char *input);

/* as the CHECK constraint employee_id_length of hrguard.employee says */
#define HRGUARD_MAX_EMPLOYEE_ID_BYTES 127
/* JSON text to canonicalise, an evidence payload, data to hash as a leaf */
#define HRGUARD_MAX_CANON_BYTES (1024 * 1024)
/* leaf hashes handed to the merkle_* functions */
#define HRGUARD_MAX_SQL_LEAVES (1024 * 1024)
/* at most this many bytes of a caller's input are echoed in an error */
#define HRGUARD_ECHO_MAX 64
/* a checkpoint body handed to verify_checkpoint or export_evidence */
#define HRGUARD_MAX_CHECKPOINT_BODY_BYTES 4096
extern int	hrguard_jit_off(void);
extern void hrguard_restore_settings(int level);
extern Oid	hrguard_relation_owner(Oid relid);
extern void hrguard_missing_column(const char *table, const char *column) pg_attribute_noreturn();
extern struct _SPI_plan *hrguard_prepare_kept(const char *query, int nargs, Oid *types);
extern char *hrguard_utc_iso(TimestampTz t);
extern char *hrguard_iso_date(int32 day);
extern char *hrguard_local_iso(Timestamp t);
extern bool hrguard_recordable_time(TimestampTz t);
extern void hrguard_check_recordable_time(TimestampTz t, const char *what);
extern const char *hrguard_to_utf8(const char *s);

/*
 * subxact_list.c: lists whose items begin with the SubTransactionId that
 * made them, in order
 */
extern int	hrguard_subxact_tail(List *items, SubTransactionId from);
extern List *hrguard_subxact_abort(List *items, SubTransactionId subid);
extern void hrguard_subxact_commit(List *items, SubTransactionId subid,
								   SubTransactionId parent);
extern bool hrguard_subxact_all_current(List *items);

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
