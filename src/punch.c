/*-------------------------------------------------------------------------
 *
 * punch.c
 *	  The punch trigger: validate, normalise, classify and score each
 *	  attendance punch before it is stored.
 *
 * For every inserted row this BEFORE trigger
 *	- rejects what cannot be a punch (unknown employee, impossible
 *	  coordinates, unknown datum, negative accuracy, a time in the future);
 *	- fills lat/lon (WGS-84) from raw_lat/raw_lon/raw_crs, or the raw
 *	  columns from lat/lon, and treats (0, 0) as "no location";
 *	- classifies the position against the zone cache and the employee's
 *	  working windows;
 *	- compares the punch with the employee's earlier ones: implied speed,
 *	  the same coordinates on another day, a device never seen, and checks
 *	  the Wi-Fi BSSID and the source app's own verdicts;
 *	- writes the verdict, the zones, the risk features and the kinds of
 *	  alert the punch deserves into the row.
 * The alerts themselves are inserted by the AFTER trigger (alert.c), so a
 * row that is not stored (ON CONFLICT DO NOTHING) raises nothing.  The
 * punch's evidence entry is numbered here (its seq goes into the row), with
 * the payload punch_evidence.c makes of the row.
 *
 * Earlier punches of the same statement are invisible to queries, so the
 * trigger also remembers, per statement, each employee's latest punch and
 * the positions and devices seen so far.
 *
 * IDENTIFICATION
 *	  src/punch.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/detoast.h"
#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "common/hashfn.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "classify.h"
#include "common.h"
#include "datum.h"
#include "evidence.h"
#include "evidence_stage.h"
#include "hrguard.h"
#include "privilege.h"
#include "punch.h"
#include "punch_evidence.h"
#include "punch_history.h"
#include "punch_statement.h"
#include "zone.h"

static const char *const punch_column_names[PC_COUNT] = {
	"punch_id", "employee_id", "punched_at", "lat", "lon", "accuracy_m",
	"raw_lat", "raw_lon", "raw_crs", "device_id", "wifi_bssid", "vendor_flags",
	"verdict", "zone_id", "watched_zone_id", "off_hours", "risk", "alert_kinds",
	"check_type", "source", "source_record_id", "evidence_seq", "recorded_at", "address"
};

static void
check_punch_sizes(HeapTuple tuple, TupleDesc desc, const int *attnum)
{
	static const struct
	{
		int			column;
		const char *what;
		int64		limit;
	}			limits[] = {
		{PC_SOURCE, "punch source", PUNCH_TEXT_MAX_BYTES},
		{PC_SOURCE_RECORD_ID, "punch source_record_id", PUNCH_TEXT_MAX_BYTES},
		{PC_DEVICE_ID, "punch device_id", PUNCH_TEXT_MAX_BYTES},
		{PC_ADDRESS, "punch address", PUNCH_TEXT_MAX_BYTES},
		{PC_VENDOR_FLAGS, "punch vendor_flags", PUNCH_FLAGS_MAX_BYTES},
	};
	int			i;

	for (i = 0; i < (int) lengthof(limits); i++)
	{
		bool		isnull;
		Datum		d = heap_getattr(tuple, attnum[limits[i].column], desc, &isnull);

		if (!isnull)
			hrguard_check_input_size(limits[i].what,
									 (int64) toast_raw_datum_size(d) - VARHDRSZ,
									 limits[i].limit, "bytes");
	}
}

/* what the statement remembers of one employee */
typedef struct StatementEmployee
{
	char		employee_id[NAMEDATALEN * 2];	/* hash key */
	bool		has_previous;
	TimestampTz previous_at;
	bool		previous_located;
	double		previous_lat;
	double		previous_lon;
	bool		latest_known;	/* "latest" has been read */
	PunchLatest latest;			/* the latest punch in the table */
	bool		has_located;	/* the latest of the statement's with a position */
	TimestampTz located_at;
	double		located_lat;
	double		located_lon;
} StatementEmployee;

/* what a statement remembers having seen */
typedef enum SightingKind
{
	SIGHT_POSITION,				/* an employee's raw position, with its day */
	SIGHT_DEVICE,				/* an employee's device */
	SIGHT_SOURCE_RECORD			/* a (source, source_record_id) */
} SightingKind;

/* a raw position, a device or a source record seen earlier in the statement */
typedef struct StatementSighting
{
	uint64		employee_hash;
	uint64		what_hash;		/* hash of (raw_lat, raw_lon) or of device_id */
	int			kind;			/* SightingKind */
	DateADT		day;			/* positions: the local day it was seen */
	bool		several_days;
} StatementSighting;

typedef struct PunchStatementState
{
	int			attnum[PC_COUNT];
	TimestampTz latest_allowed;
	HTAB	   *employees;
	HTAB	   *sightings;
	PunchHistoryReader *history;
} PunchStatementState;


/* ---- helpers shared with the AFTER trigger -------------------------- */

/*
 * The attribute numbers of the punch table's columns.  Where each was found
 * last time is checked first (every statement asks, and the columns do not
 * move), and searched for by name only if it is not there.
 */
void
hrguard_punch_attnums(TupleDesc desc, int *attnum)
{
	static int	known[PC_COUNT];
	int			c;

	for (c = 0; c < PC_COUNT; c++)
	{
		int			a = known[c];
		Form_pg_attribute att = (a > 0 && a <= desc->natts) ? TupleDescAttr(desc, a - 1) : NULL;

		if (att == NULL || att->attisdropped ||
			strcmp(NameStr(att->attname), punch_column_names[c]) != 0)
		{
			a = SPI_fnumber(desc, punch_column_names[c]);
			if (a <= 0)
				hrguard_missing_column("punch", punch_column_names[c]);
			known[c] = a;
		}
		attnum[c] = a;
	}
}

/* '{}', made once per backend */
static Datum
empty_jsonb_object(void)
{
	static Datum empty = (Datum) 0;

	if (empty == (Datum) 0)
	{
		MemoryContext old = MemoryContextSwitchTo(TopMemoryContext);

		empty = DirectFunctionCall1(jsonb_in, CStringGetDatum("{}"));
		MemoryContextSwitchTo(old);
	}
	return empty;
}

static PunchStatementState *
statement_state(FunctionCallInfo fcinfo, Relation relation)
{
	TupleDesc	desc = RelationGetDescr(relation);
	PunchStatementState *state = fcinfo->flinfo->fn_extra;
	MemoryContext old;
	HASHCTL		hctl;

	if (state != NULL)
		return state;

	old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
	state = palloc0(sizeof(PunchStatementState));
	hrguard_punch_attnums(desc, state->attnum);
	state->latest_allowed = GetCurrentStatementStartTimestamp() + PUNCH_FUTURE_TOLERANCE_US;

	hctl.keysize = sizeof(((StatementEmployee *) NULL)->employee_id);
	hctl.entrysize = sizeof(StatementEmployee);
	hctl.hcxt = fcinfo->flinfo->fn_mcxt;
	/* small at first: most statements insert one punch; the tables grow */
	state->employees = hash_create("hrguard statement employees", 8, &hctl,
								   HASH_ELEM | HASH_STRINGS | HASH_CONTEXT);
	hctl.keysize = offsetof(StatementSighting, day);
	hctl.entrysize = sizeof(StatementSighting);
	state->sightings = hash_create("hrguard statement sightings", 32, &hctl,
								   HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	state->history = hrguard_history_open(RelationGetRelid(relation), fcinfo->flinfo->fn_mcxt);
	hrguard_punch_statement_attach(state->history);
	MemoryContextSwitchTo(old);
	fcinfo->flinfo->fn_extra = state;
	return state;
}

static uint64
hash_string(const char *s)
{
	return hash_bytes_extended((const unsigned char *) s, strlen(s), 0);
}

static uint64
hash_position(double lat, double lon)
{
	double		pair[2] = {lat, lon};

	return hash_bytes_extended((const unsigned char *) pair, sizeof(pair), 1);
}

static StatementSighting *
find_sighting(PunchStatementState *state, uint64 employee_hash, uint64 what_hash,
			  SightingKind kind, bool enter, bool *found)
{
	StatementSighting key;

	memset(&key, 0, sizeof(key));
	key.employee_hash = employee_hash;
	key.what_hash = what_hash;
	key.kind = kind;
	return hash_search(state->sightings, &key, enter ? HASH_ENTER : HASH_FIND, found);
}

/* ---- validation ----------------------------------------------------- */

static double
float8_column(HeapTuple tuple, TupleDesc desc, int attnum, bool *isnull)
{
	Datum		d = heap_getattr(tuple, attnum, desc, isnull);

	return *isnull ? 0.0 : DatumGetFloat8(d);
}

typedef enum PunchPosition
{
	POSITION_NONE,				/* no coordinates given */
	POSITION_ZERO,				/* (0, 0): the app had no fix */
	POSITION_KNOWN
} PunchPosition;

/*
 * Work out the punch's position.  Fills the WGS-84 position and the raw
 * position with its datum.
 */
static PunchPosition
normalise_position(HeapTuple tuple, TupleDesc desc, const int *attnum,
				   double *lat, double *lon, double *raw_lat, double *raw_lon,
				   HrguardDatum *datum)
{
	bool		lat_null,
				lon_null,
				rlat_null,
				rlon_null,
				crs_null;
	Datum		crs;

	*lat = float8_column(tuple, desc, attnum[PC_LAT], &lat_null);
	*lon = float8_column(tuple, desc, attnum[PC_LON], &lon_null);
	*raw_lat = float8_column(tuple, desc, attnum[PC_RAW_LAT], &rlat_null);
	*raw_lon = float8_column(tuple, desc, attnum[PC_RAW_LON], &rlon_null);
	crs = heap_getattr(tuple, attnum[PC_RAW_CRS], desc, &crs_null);
	*datum = crs_null ? HRGUARD_DATUM_WGS84 : hrguard_datum_or_error(TextDatumGetCString(crs));

	if (lat_null != lon_null || rlat_null != rlon_null)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a punch needs both coordinates of a position or neither"),
				 errdetail("Latitude and longitude come in pairs: lat with lon, raw_lat with raw_lon.")));
	if (!lat_null && !rlat_null)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a punch gives its position either as lat/lon or as raw_lat/raw_lon"),
				 errhint("Use lat/lon for WGS-84, or raw_lat/raw_lon with raw_crs for other datums; a dump of hrguard.punch holds both and is restored with hrguard.restore_mode on (README, Backup and restore).")));
	if (!lat_null)
	{
		if (!crs_null && *datum != HRGUARD_DATUM_WGS84)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("lat/lon are WGS-84, but raw_crs says %s",
							hrguard_datum_name(*datum)),
					 errhint("Put %s coordinates in raw_lat/raw_lon.",
							 hrguard_datum_name(*datum))));
		*raw_lat = *lat;
		*raw_lon = *lon;
		*datum = HRGUARD_DATUM_WGS84;
	}
	else if (rlat_null)
	{
		if (!crs_null)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("raw_crs is given without raw_lat/raw_lon")));
		return POSITION_NONE;
	}
	else if (crs_null)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("raw_lat/raw_lon need raw_crs"),
				 errdetail("Coordinates must name their datum: wgs84, gcj02 or bd09."),
				 errhint("DingTalk and WeCom report gcj02.")));

	hrguard_check_lat_lon(*raw_lat, *raw_lon, "punch");
	if (*raw_lat == 0.0 && *raw_lon == 0.0)
		return POSITION_ZERO;	/* apps send (0, 0) when they have no fix */
	hrguard_to_wgs84(*datum, *raw_lat, *raw_lon, lat, lon);
	return POSITION_KNOWN;
}

/* ---- building the row ----------------------------------------------- */

static void
json_key(StringInfo buf, const char *key)
{
	if (buf->len > 1)
		appendStringInfoChar(buf, ',');
	escape_json(buf, key);
	appendStringInfoChar(buf, ':');
}

static bool
vendor_says_mock(Datum vendor_flags)
{
	Jsonb	   *jb = DatumGetJsonbP(vendor_flags);
	JsonbValue	key;
	JsonbValue *v;

	if (!JB_ROOT_IS_OBJECT(jb))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("vendor_flags must be a JSON object")));
	key.type = jbvString;
	key.val.string.val = "mock";
	key.val.string.len = 4;
	v = findJsonbValueFromContainer(&jb->root, JB_FOBJECT, &key);
	return v != NULL && v->type == jbvBool && v->val.boolean;
}

static bool
bssid_allowed(const HrguardZone *zone, const char *bssid)
{
	int			i;

	for (i = 0; i < zone->nbssids; i++)
		if (strcmp(zone->bssids[i], bssid) == 0)
			return true;
	return false;
}

/*
 * Will this row be stored?  A punch whose (source, source_record_id) is
 * already in the table, or earlier in the statement, fails or is skipped
 * by ON CONFLICT DO NOTHING: it gets no evidence entry, so that its chain
 * has no gap.
 */
static bool
punch_is_duplicate(PunchStatementState *state, HeapTuple tuple, TupleDesc desc,
				   const int *attnum)
{
	bool		source_null;
	bool		record_null;
	Datum		source = heap_getattr(tuple, attnum[PC_SOURCE], desc, &source_null);
	Datum		record = heap_getattr(tuple, attnum[PC_SOURCE_RECORD_ID], desc, &record_null);
	char	   *source_s;
	char	   *record_s;
	bool		found;

	/* a NULL source fails the NOT NULL constraint; never a duplicate */
	if (source_null || record_null)
		return false;
	source_s = TextDatumGetCString(source);
	record_s = TextDatumGetCString(record);
	(void) find_sighting(state, hash_string(source_s), hash_string(record_s),
						 SIGHT_SOURCE_RECORD, true, &found);
	return found || hrguard_history_source_taken(state->history, source_s, record_s);
}

static const char *const punch_tables[] = {"punch", NULL};

static const HrguardTriggerSpec punch_classify_spec = {
	"hrguard.punch_classify()", punch_tables, true, HRGUARD_TRIGGER_ROW, HRGUARD_ON_INSERT,
	"a BEFORE INSERT row trigger on hrguard.punch"
};

PG_FUNCTION_INFO_V1(hrguard_punch_classify);
Datum
hrguard_punch_classify(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	TupleDesc	desc;
	HeapTuple	tuple;
	PunchStatementState *state;
	const int  *attnum;
	bool		isnull;
	char	   *employee_id;
	TimestampTz at;
	double		lat = 0,
				lon = 0,
				raw_lat = 0,
				raw_lon = 0;
	HrguardDatum datum;
	PunchPosition position;
	bool		located;
	double		accuracy;
	char	   *device_id = NULL;
	char		bssid[18];
	bool		has_bssid = false;
	bool		mock = false;
	HrguardZoneCache *cache;
	HrguardEmployee *employee;
	HrguardVerdict v;
	PunchHistory h;
	StatementEmployee *se;
	StatementSighting *position_seen;
	bool		found;
	bool		first_row;
	uint64		employee_hash;
	StringInfoData risk;
	Datum		kinds[5];
	int			nkinds = 0;
	bool		impossible = false;
	bool		repeated = false;
	bool		new_device = false;
	bool		bssid_mismatch = false;
	int			cols[PC_COUNT];
	Datum		values[PC_COUNT];
	bool		nulls[PC_COUNT];
	int			n = 0;
	Datum		d;

	(void) hrguard_trigger_guard(fcinfo, &punch_classify_spec);
	/* a restored punch was classified when it was first stored */
	if (hrguard_row_passes_through(trigdata))
		return PointerGetDatum(trigdata->tg_trigtuple);

	desc = RelationGetDescr(trigdata->tg_relation);
	tuple = trigdata->tg_trigtuple;
	state = statement_state(fcinfo, trigdata->tg_relation);
	attnum = state->attnum;

	/* who and when */
	d = heap_getattr(tuple, attnum[PC_EMPLOYEE_ID], desc, &isnull);
	employee_id = hrguard_checked_employee_id(d, isnull);
	check_punch_sizes(tuple, desc, attnum);
	d = heap_getattr(tuple, attnum[PC_PUNCHED_AT], desc, &isnull);
	if (isnull)
		ereport(ERROR,
				(errcode(ERRCODE_NOT_NULL_VIOLATION),
				 errmsg("punched_at must not be null")));
	at = DatumGetTimestampTz(d);
	if (TIMESTAMP_NOT_FINITE(at))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("punched_at must be a finite time")));
	if (at > state->latest_allowed)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("punch of employee \"%s\" is more than 10 minutes in the future",
						employee_id),
				 errdetail("punched_at is %s; the statement started at %s.",
						   pstrdup(timestamptz_to_str(at)),
						   pstrdup(timestamptz_to_str(GetCurrentStatementStartTimestamp()))),
				 errhint("Check the device clock and the time zone of punched_at.")));
	hrguard_check_recordable_time(at, "punched_at");

	/* where, and how sure */
	position = normalise_position(tuple, desc, attnum, &lat, &lon, &raw_lat, &raw_lon, &datum);
	located = (position == POSITION_KNOWN);
	accuracy = float8_column(tuple, desc, attnum[PC_ACCURACY], &isnull);
	if (isnull)
		accuracy = hrguard_default_accuracy_m;
	else
		hrguard_check_accuracy(accuracy);

	d = heap_getattr(tuple, attnum[PC_DEVICE_ID], desc, &isnull);
	if (!isnull)
		device_id = TextDatumGetCString(d);
	d = heap_getattr(tuple, attnum[PC_WIFI_BSSID], desc, &isnull);
	if (!isnull)
	{
		char	   *given = TextDatumGetCString(d);

		if (!hrguard_normalize_bssid(given, bssid))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("\"%s\" is not a Wi-Fi BSSID", hrguard_echo(given)),
					 errhint("Write a BSSID as six hexadecimal pairs, like 3c:46:d8:0a:1b:2c.")));
		has_bssid = true;
	}
	d = heap_getattr(tuple, attnum[PC_VENDOR_FLAGS], desc, &isnull);
	if (!isnull)
		mock = vendor_says_mock(d);

	/* classification */
	cache = hrguard_zone_cache();
	employee = hrguard_employee_or_error(cache, employee_id);
	if (located)
		hrguard_classify(cache, employee, at, lat, lon, accuracy, &v);
	else
	{
		hrguard_classify(cache, employee, at, 0.0, 0.0, 0.0, &v);
		v.zone = v.watched = -1;
	}

	/*
	 * History: earlier rows of this statement first (the table cannot show
	 * them), then what the table knows beyond them.
	 */
	employee_hash = hash_string(employee_id);
	se = hash_search(state->employees, employee_id, HASH_ENTER, &found);
	first_row = !found;
	if (first_row)
	{
		se->has_previous = false;
		se->latest_known = false;
		se->has_located = false;

		/*
		 * The employee's chain head is locked before the history is read.
		 * Every punch appends to the chain holding the head, so a punch
		 * that another session inserted and committed since this
		 * statement's snapshot (while this one waited for the head, say)
		 * has left a head the snapshot does not see: then the history is
		 * read under a newer snapshot, and that punch counts as the
		 * previous one, a sighting of its device and position.  (Under
		 * REPEATABLE READ such a head cannot be locked: 40001.)
		 */
		if (hrguard_evidence_lock(employee_id, hrguard_history_snapshot(state->history)) &&
			!IsolationUsesXactSnapshot())
			hrguard_history_refresh(state->history);
	}
	{
		TimestampTz day_start = at - v.work.local_time_us;
		bool		statement_previous = se->has_previous && se->previous_at <= at;
		bool		device_in_statement = false;

		/* this punch's device is remembered for the statement's later rows */
		if (device_id != NULL)
			(void) find_sighting(state, employee_hash, hash_string(device_id), SIGHT_DEVICE, true,
								 &device_in_statement);

		/*
		 * An employee's first row asks the table for the punch before it.
		 * From the second row on, the table is asked once for the
		 * employee's latest punch, which answers "the previous punch" for
		 * every later row not before it (a bulk load in time order).
		 */
		if (!first_row && !se->latest_known)
		{
			hrguard_history_latest(state->history, employee_id, &se->latest);
			se->latest_known = true;
		}
		hrguard_history_read(state->history, employee_id, at,
							 statement_previous ? se->previous_at : DT_NOBEGIN,
							 se->latest_known ? &se->latest : NULL, se->has_previous,
							 located, raw_lat, raw_lon,
							 day_start, day_start + USECS_PER_DAY,
							 device_id, device_in_statement, &h);
		if (!h.has_previous && statement_previous)
		{
			h.has_previous = true;
			h.previous_at = se->previous_at;
			h.previous_located = se->previous_located;
			h.previous_lat = se->previous_lat;
			h.previous_lon = se->previous_lon;
		}

		/*
		 * Travel is measured from the latest punch with a position: when the
		 * one just before has none, look further back, within the lookback
		 * (this statement's rows first, then the table's after them).
		 */
		if (located && h.has_previous && !h.previous_located)
		{
			bool		statement_located = se->has_located && se->located_at <= at &&
				se->located_at >= at - (int64) hrguard_risk_lookback_days * USECS_PER_DAY;
			TimestampTz found_at;
			double		found_lat,
						found_lon;

			if (hrguard_history_located_before(state->history, employee_id, at,
											   statement_located ? se->located_at : DT_NOBEGIN,
											   &found_at, &found_lat, &found_lon))
			{
				h.previous_at = found_at;
				h.previous_located = true;
				h.previous_lat = found_lat;
				h.previous_lon = found_lon;
			}
			else if (statement_located)
			{
				h.previous_at = se->located_at;
				h.previous_located = true;
				h.previous_lat = se->located_lat;
				h.previous_lon = se->located_lon;
			}
		}
	}
	/* so is its raw position, with the day it was seen on */
	if (located)
	{
		position_seen = find_sighting(state, employee_hash, hash_position(raw_lat, raw_lon),
									  SIGHT_POSITION, true, &found);
		if (!found)
		{
			position_seen->day = v.work.local_day;
			position_seen->several_days = false;
		}
		else
		{
			if (position_seen->several_days || position_seen->day != v.work.local_day)
				h.repeated = true;
			if (position_seen->day != v.work.local_day)
				position_seen->several_days = true;
		}
	}

	/* risk features */
	initStringInfo(&risk);
	appendStringInfoChar(&risk, '{');
	if (!located)
	{
		json_key(&risk, "no_location");
		appendStringInfoString(&risk, "true");
	}
	if (located && v.no_allowed_zone)
	{
		json_key(&risk, "no_allowed_zone");
		appendStringInfoString(&risk, "true");
	}
	if (located && h.has_previous && h.previous_located)
	{
		double		metres = hrguard_haversine_m(h.previous_lat, h.previous_lon, lat, lon);
		double		seconds = (double) (at - h.previous_at) / USECS_PER_SEC;

		if (metres > hrguard_min_travel_m &&
			(seconds <= 0.0 || metres / seconds * 3.6 > hrguard_max_speed_kmh))
		{
			impossible = true;
			json_key(&risk, "impossible_travel");
			appendStringInfo(&risk, "{\"distance_m\":%.0f,\"seconds\":%.0f,\"speed_kmh\":%s,"
							 "\"previous_punch_at\":",
							 metres, seconds,
							 seconds > 0.0 ? psprintf("%.1f", metres / seconds * 3.6) : "null");
			escape_json(&risk, hrguard_utc_iso(h.previous_at));
			appendStringInfo(&risk, ",\"max_speed_kmh\":%g}", hrguard_max_speed_kmh);
		}
	}
	if (located && h.repeated)
	{
		repeated = true;
		json_key(&risk, "repeated_coordinates");
		appendStringInfo(&risk, "{\"raw_lat\":%.15g,\"raw_lon\":%.15g}", raw_lat, raw_lon);
	}
	if (device_id != NULL && !h.device_known && h.has_history)
	{
		new_device = true;
		json_key(&risk, "new_device");
		escape_json(&risk, device_id);
	}
	if (has_bssid && v.verdict == HRGUARD_INSIDE && v.zone >= 0 &&
		cache->zones[v.zone].nbssids > 0 && !bssid_allowed(&cache->zones[v.zone], bssid))
	{
		bssid_mismatch = true;
		json_key(&risk, "bssid_mismatch");
		escape_json(&risk, bssid);
	}
	if (mock)
	{
		json_key(&risk, "vendor_mock_location");
		appendStringInfoString(&risk, "true");
	}
	appendStringInfoChar(&risk, '}');

	/* the alerts the punch deserves (inserted by the AFTER trigger) */
	if (located && v.verdict == HRGUARD_OUTSIDE && v.work.open && !v.no_allowed_zone)
		kinds[nkinds++] = CStringGetTextDatum("outside_zone");
	if (v.watched >= 0 && v.watched_where == HRGUARD_INSIDE)
		kinds[nkinds++] = CStringGetTextDatum("competitor_zone");
	if (!v.work.open)
		kinds[nkinds++] = CStringGetTextDatum("off_hours");
	if (impossible)
		kinds[nkinds++] = CStringGetTextDatum("impossible_travel");
	if (repeated || new_device || bssid_mismatch || mock)
		kinds[nkinds++] = CStringGetTextDatum("spoof_suspected");

	/* remember this punch for the rest of the statement */
	if (!se->has_previous || at >= se->previous_at)
	{
		se->has_previous = true;
		se->previous_at = at;
		se->previous_located = located;
		se->previous_lat = lat;
		se->previous_lon = lon;
	}
	if (located && (!se->has_located || at >= se->located_at))
	{
		se->has_located = true;
		se->located_at = at;
		se->located_lat = lat;
		se->located_lon = lon;
	}

	/* write the row */
#define SET_COLUMN(col, value, null) \
	do { cols[n] = attnum[col]; values[n] = (value); nulls[n] = (null); n++; } while (0)

	SET_COLUMN(PC_LAT, Float8GetDatum(lat), !located);
	SET_COLUMN(PC_LON, Float8GetDatum(lon), !located);
	SET_COLUMN(PC_RAW_LAT, Float8GetDatum(raw_lat), position == POSITION_NONE);
	SET_COLUMN(PC_RAW_LON, Float8GetDatum(raw_lon), position == POSITION_NONE);
	SET_COLUMN(PC_RAW_CRS, CStringGetTextDatum(hrguard_datum_name(datum)), position == POSITION_NONE);
	SET_COLUMN(PC_VERDICT, CStringGetTextDatum(hrguard_location_name(v.verdict)), !located);
	if (v.zone < 0 && located && v.verdict == HRGUARD_OUTSIDE)
	{
		double		dist;

		v.zone = hrguard_nearest_allowed_zone(cache, employee, at, lat, lon,
											  HRGUARD_NEAREST_ZONE_SEARCH_M, &dist);
	}
	SET_COLUMN(PC_ZONE_ID, Int64GetDatum(v.zone >= 0 ? cache->zones[v.zone].zone_id : 0), v.zone < 0);
	SET_COLUMN(PC_WATCHED_ZONE_ID,
			   Int64GetDatum(v.watched >= 0 ? cache->zones[v.watched].zone_id : 0), v.watched < 0);
	SET_COLUMN(PC_OFF_HOURS, BoolGetDatum(!v.work.open), false);
	SET_COLUMN(PC_RISK, risk.len == 2 ? empty_jsonb_object() :
			   DirectFunctionCall1(jsonb_in, CStringGetDatum(risk.data)), false);
	SET_COLUMN(PC_ALERT_KINDS,
			   nkinds > 0 ? PointerGetDatum(construct_array(kinds, nkinds, TEXTOID, -1, false, TYPALIGN_INT)) : (Datum) 0,
			   nkinds == 0);
#undef SET_COLUMN

	/* when the database received it: not the inserter's to say */
	cols[n] = attnum[PC_RECORDED_AT];
	values[n] = TimestampTzGetDatum(GetCurrentTransactionStartTimestamp());
	nulls[n] = false;
	n++;
	if (has_bssid)
	{
		cols[n] = attnum[PC_WIFI_BSSID];
		values[n] = CStringGetTextDatum(bssid);
		nulls[n] = false;
		n++;
	}
	tuple = heap_modify_tuple_by_cols(tuple, desc, n, cols, values, nulls);

	/* the punch's evidence entry, numbered now, written at statement end */
	if (!punch_is_duplicate(state, tuple, desc, attnum))
	{
		StringInfoData payload;
		int			col = attnum[PC_EVIDENCE_SEQ];
		Datum		value;
		bool		null = false;

		initStringInfo(&payload);
		hrguard_punch_payload(&payload, tuple, desc, attnum);
		value = Int64GetDatum(hrguard_evidence_stage(employee_id, "punch", at, &payload));
		tuple = heap_modify_tuple_by_cols(tuple, desc, 1, &col, &value, &null);
		/* its AFTER ROW trigger checks that it is stored as it is now */
		hrguard_punch_statement_expect(tuple, desc);
	}
	return PointerGetDatum(tuple);
}
