/*-------------------------------------------------------------------------
 *
 * punch.c
 *	  The punch trigger: validate, normalise, classify and score each
 *	  attendance punch before it is stored.
 *
 * For every inserted row this BEFORE trigger
 *	- rejects what cannot be a punch (unknown employee, impossible
 *	  coordinates, unknown datum, negative accuracy, a time in the future)
 *	  and fills lat/lon (WGS-84) from raw_lat/raw_lon/raw_crs, or the raw
 *	  columns from lat/lon, treating (0, 0) as "no location"
 *	  (punch_input.c);
 *	- classifies the position against the zone cache and the employee's
 *	  working windows (classify.c);
 *	- reads what the statement and the table know of the employee's
 *	  earlier punches (here, and punch_history.c);
 *	- compares the punch with them: implied speed, the same coordinates on
 *	  another day, a device never seen, and checks the Wi-Fi BSSID and the
 *	  source app's own verdicts (punch_risk.c);
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
#include "punch_input.h"
#include "punch_risk.h"
#include "punch_statement.h"
#include "punch_timeline.h"
#include "zone.h"

static const char *const punch_column_names[PC_COUNT] = {
	"punch_id", "employee_id", "punched_at", "lat", "lon", "accuracy_m",
	"raw_lat", "raw_lon", "raw_crs", "device_id", "wifi_bssid", "vendor_flags",
	"verdict", "zone_id", "watched_zone_id", "off_hours", "risk", "alert_kinds",
	"check_type", "source", "source_record_id", "evidence_seq", "recorded_at", "address"
};

/* what the statement remembers of one employee */
typedef struct StatementEmployee
{
	char		employee_id[NAMEDATALEN * 2];	/* hash key */
	PunchTimeline punches;		/* the statement's punches of the employee */
	bool		latest_known;	/* "latest" has been read */
	PunchLatest latest;			/* the latest punch in the table */
} StatementEmployee;

/* what a statement remembers having seen */
typedef enum SightingKind
{
	SIGHT_POSITION,				/* an employee's raw position, with its times */
	SIGHT_DEVICE,				/* an employee's device, with its times */
	SIGHT_SOURCE_RECORD			/* a (source, source_record_id) */
} SightingKind;

/* a raw position, a device or a source record seen earlier in the statement */
typedef struct StatementSighting
{
	uint64		employee_hash;
	uint64		what_hash;		/* hash of (raw_lat, raw_lon) or of device_id */
	int			kind;			/* SightingKind */
	PunchTimeline times;		/* positions and devices: when it was seen */
} StatementSighting;

typedef struct PunchStatementState
{
	int			attnum[PC_COUNT];
	TimestampTz latest_allowed;
	HTAB	   *employees;
	HTAB	   *sightings;
	PunchHistoryReader *history;
	MemoryContext context;		/* the statement's memory */
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
	state->context = fcinfo->flinfo->fn_mcxt;

	hctl.keysize = sizeof(((StatementEmployee *) NULL)->employee_id);
	hctl.entrysize = sizeof(StatementEmployee);
	hctl.hcxt = fcinfo->flinfo->fn_mcxt;
	/* small at first: most statements insert one punch; the tables grow */
	state->employees = hash_create("hrguard statement employees", 8, &hctl,
								   HASH_ELEM | HASH_STRINGS | HASH_CONTEXT);
	hctl.keysize = offsetof(StatementSighting, times);
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

/* ---- the statement's memory, and the row ----------------------------- */

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

/*
 * The employee's entry in the statement; on the employee's first row, the
 * chain head is locked before the history is read.  Every punch appends to
 * the chain holding the head, so a punch that another session inserted and
 * committed since this statement's snapshot (while this one waited for the
 * head, say) has left a head the snapshot does not see: then the history
 * is read under a newer snapshot, and that punch counts as the previous
 * one, a sighting of its device and position.  (Under REPEATABLE READ such
 * a head cannot be locked: 40001.)
 */
static StatementEmployee *
statement_employee(PunchStatementState *state, const char *employee_id, bool *first_row)
{
	bool		found;
	StatementEmployee *se = hash_search(state->employees, employee_id, HASH_ENTER, &found);

	*first_row = !found;
	if (!found)
	{
		memset(&se->punches, 0, sizeof(PunchTimeline));
		se->latest_known = false;
		if (hrguard_evidence_lock(employee_id, hrguard_history_snapshot(state->history)) &&
			!IsolationUsesXactSnapshot())
			hrguard_history_refresh(state->history);
	}
	return se;
}

/*
 * Travel is measured from the latest punch with a position: when the one
 * just before has none, look further back, within the lookback (this
 * statement's rows first, then the table's after them).
 */
static void
previous_located_punch(PunchStatementState *state, const StatementEmployee *se,
					   const PunchInput *in, PunchHistory *h)
{
	const TimelinePunch *mine =
		hrguard_timeline_latest(&se->punches, in->at,
								in->at - (int64) hrguard_risk_lookback_days * USECS_PER_DAY, true);
	TimestampTz found_at;
	double		found_lat,
				found_lon;

	if (hrguard_history_located_before(state->history, in->employee_id, in->at,
									   mine ? mine->at : DT_NOBEGIN,
									   &found_at, &found_lat, &found_lon))
	{
		h->previous_at = found_at;
		h->previous_located = true;
		h->previous_lat = found_lat;
		h->previous_lon = found_lon;
	}
	else if (mine != NULL)
	{
		h->previous_at = mine->at;
		h->previous_located = true;
		h->previous_lat = mine->lat;
		h->previous_lon = mine->lon;
	}
}

/*
 * History features: earlier rows of this statement first (the table cannot
 * show them), then what the table knows beyond them.
 */
static StatementEmployee *
read_history(PunchStatementState *state, const PunchInput *in, const HrguardVerdict *v,
			 PunchHistory *h)
{
	uint64		employee_hash = hash_string(in->employee_id);
	bool		first_row;
	StatementEmployee *se = statement_employee(state, in->employee_id, &first_row);
	TimestampTz day_start = in->at - v->work.local_time_us;
	int64		lookback = (int64) hrguard_risk_lookback_days * USECS_PER_DAY;
	const TimelinePunch *mine = hrguard_timeline_latest(&se->punches, in->at, DT_NOBEGIN, false);
	TimelinePunch when = {.at = in->at};
	StatementSighting *device = NULL;
	StatementSighting *position = NULL;
	bool		device_in_window = false;
	bool		position_repeated = false;
	bool		found;

	/*
	 * The statement's own sightings of this device and this position, and
	 * this punch among them for the statement's later rows.  The table is
	 * asked only about what the statement has not seen itself.
	 */
	if (in->device_id != NULL)
	{
		device = find_sighting(state, employee_hash, hash_string(in->device_id), SIGHT_DEVICE,
							   true, &found);
		if (!found)
			memset(&device->times, 0, sizeof(PunchTimeline));
		device_in_window =
			hrguard_timeline_latest(&device->times, in->at, in->at - lookback, false) != NULL;
	}
	if (in->located)
	{
		position = find_sighting(state, employee_hash, hash_position(in->raw_lat, in->raw_lon),
								 SIGHT_POSITION, true, &found);
		if (!found)
			memset(&position->times, 0, sizeof(PunchTimeline));
		position_repeated = hrguard_timeline_other_day(&position->times, in->at - lookback,
													   in->at + lookback, day_start,
													   day_start + USECS_PER_DAY);
	}

	/*
	 * An employee's first row asks the table for the punch before it.  From
	 * the second row on, the table is asked once for the employee's latest
	 * punch, which answers "the previous punch" for every later row not
	 * before it (a bulk load in time order).
	 */
	if (!first_row && !se->latest_known)
	{
		hrguard_history_latest(state->history, in->employee_id, &se->latest);
		se->latest_known = true;
	}
	hrguard_history_read(state->history, in->employee_id, in->at,
						 mine ? mine->at : DT_NOBEGIN,
						 se->latest_known ? &se->latest : NULL, mine != NULL,
						 in->located && !position_repeated, in->raw_lat, in->raw_lon,
						 day_start, day_start + USECS_PER_DAY,
						 in->device_id, device_in_window, h);
	if (!h->has_previous && mine != NULL)
	{
		h->has_previous = true;
		h->previous_at = mine->at;
		h->previous_located = mine->located;
		h->previous_lat = mine->lat;
		h->previous_lon = mine->lon;
	}
	if (in->located && h->has_previous && !h->previous_located)
		previous_located_punch(state, se, in, h);

	if (position_repeated)
		h->repeated = true;
	if (position != NULL)
		hrguard_timeline_add(&position->times, state->context, &when);
	if (device != NULL)
		hrguard_timeline_add(&device->times, state->context, &when);
	return se;
}

/* Remember this punch for the rest of the statement. */
static void
remember_punch(PunchStatementState *state, StatementEmployee *se, const PunchInput *in)
{
	TimelinePunch p = {in->at, in->located, in->lat, in->lon};

	hrguard_timeline_add(&se->punches, state->context, &p);
}

/* The row as hrguard stores it: the columns the trigger computes. */
static HeapTuple
classified_row(HeapTuple tuple, TupleDesc desc, const int *attnum, const PunchInput *in,
			   const HrguardVerdict *v, const HrguardZoneCache *cache, const PunchRisk *risk,
			   Datum *kinds, int nkinds)
{
	int			cols[PC_COUNT];
	Datum		values[PC_COUNT];
	bool		nulls[PC_COUNT];
	int			n = 0;

#define SET_COLUMN(col, value, null) \
	do { cols[n] = attnum[col]; values[n] = (value); nulls[n] = (null); n++; } while (0)

	SET_COLUMN(PC_LAT, Float8GetDatum(in->lat), !in->located);
	SET_COLUMN(PC_LON, Float8GetDatum(in->lon), !in->located);
	SET_COLUMN(PC_RAW_LAT, Float8GetDatum(in->raw_lat), in->position == POSITION_NONE);
	SET_COLUMN(PC_RAW_LON, Float8GetDatum(in->raw_lon), in->position == POSITION_NONE);
	SET_COLUMN(PC_RAW_CRS, CStringGetTextDatum(hrguard_datum_name(in->datum)),
			   in->position == POSITION_NONE);
	SET_COLUMN(PC_VERDICT, CStringGetTextDatum(hrguard_location_name(v->verdict)), !in->located);
	SET_COLUMN(PC_ZONE_ID, Int64GetDatum(v->zone >= 0 ? cache->zones[v->zone].zone_id : 0),
			   v->zone < 0);
	SET_COLUMN(PC_WATCHED_ZONE_ID,
			   Int64GetDatum(v->watched >= 0 ? cache->zones[v->watched].zone_id : 0), v->watched < 0);
	SET_COLUMN(PC_OFF_HOURS, BoolGetDatum(!v->work.open), false);
	SET_COLUMN(PC_RISK, risk->json == NULL ? empty_jsonb_object() : JsonbPGetDatum(risk->json),
			   false);
	SET_COLUMN(PC_ALERT_KINDS,
			   nkinds > 0 ? PointerGetDatum(construct_array(kinds, nkinds, TEXTOID, -1, false, TYPALIGN_INT)) : (Datum) 0,
			   nkinds == 0);
	/* when the database received it: not the inserter's to say */
	SET_COLUMN(PC_RECORDED_AT, TimestampTzGetDatum(GetCurrentTransactionStartTimestamp()), false);
	if (in->has_bssid)
		SET_COLUMN(PC_WIFI_BSSID, CStringGetTextDatum(in->bssid), false);
#undef SET_COLUMN

	return heap_modify_tuple_by_cols(tuple, desc, n, cols, values, nulls);
}

/* The punch's evidence entry, numbered now, written at statement end. */
static HeapTuple
stage_punch_evidence(PunchStatementState *state, HeapTuple tuple, TupleDesc desc,
					 const PunchInput *in)
{
	const int  *attnum = state->attnum;
	StringInfoData payload;
	int			col = attnum[PC_EVIDENCE_SEQ];
	Datum		value;
	bool		null = false;

	if (punch_is_duplicate(state, tuple, desc, attnum))
		return tuple;
	initStringInfo(&payload);
	hrguard_punch_payload(&payload, tuple, desc, attnum);
	value = Int64GetDatum(hrguard_evidence_stage(in->employee_id, "punch", in->at, &payload));
	tuple = heap_modify_tuple_by_cols(tuple, desc, 1, &col, &value, &null);
	/* its AFTER ROW trigger checks that it is stored as it is now */
	hrguard_punch_statement_expect(tuple, desc);
	return tuple;
}

static const char *const punch_tables[] = {"punch", NULL};

static const HrguardTriggerSpec punch_classify_spec = {
	"hrguard.punch_classify()", punch_tables, true, HRGUARD_TRIGGER_ROW, HRGUARD_ON_INSERT,
	"a BEFORE INSERT row trigger on hrguard.punch"
};

/*
 * The BEFORE INSERT row trigger of hrguard.punch: validate and normalise
 * the row, classify it against zones and working windows, compare it with
 * the employee's history, and store what was found in its columns, with
 * its evidence entry staged.
 */
PG_FUNCTION_INFO_V1(hrguard_punch_classify);
Datum
hrguard_punch_classify(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	TupleDesc	desc;
	HeapTuple	tuple;
	PunchStatementState *state;
	PunchInput	in;
	HrguardZoneCache *cache;
	HrguardEmployee *employee;
	HrguardVerdict v;
	PunchHistory h;
	StatementEmployee *se;
	PunchRisk	risk;
	Datum		kinds[5];
	int			nkinds;

	(void) hrguard_trigger_guard(fcinfo, &punch_classify_spec);
	/* a restored punch was classified when it was first stored */
	if (hrguard_row_passes_through(trigdata))
		return PointerGetDatum(trigdata->tg_trigtuple);

	desc = RelationGetDescr(trigdata->tg_relation);
	tuple = trigdata->tg_trigtuple;
	state = statement_state(fcinfo, trigdata->tg_relation);

	hrguard_punch_read_who_and_when(tuple, desc, state->attnum, state->latest_allowed, &in);
	hrguard_punch_read_where(tuple, desc, state->attnum, &in);

	cache = hrguard_zone_cache();
	employee = hrguard_employee_or_error(cache, in.employee_id);
	if (in.located)
		hrguard_classify(cache, employee, in.at, in.lat, in.lon, in.accuracy, &v);
	else
	{
		hrguard_classify(cache, employee, in.at, 0.0, 0.0, 0.0, &v);
		v.zone = v.watched = -1;
	}

	se = read_history(state, &in, &v, &h);
	hrguard_punch_assess_risk(&in, &v, &h, cache, &risk);
	nkinds = hrguard_punch_alert_kinds(&in, &v, &risk, kinds);
	remember_punch(state, se, &in);

	/* an outside punch names the nearest zone it may use */
	if (v.zone < 0 && in.located && v.verdict == HRGUARD_OUTSIDE)
	{
		double		dist;

		v.zone = hrguard_nearest_allowed_zone(cache, employee, in.at, in.lat, in.lon,
											  HRGUARD_NEAREST_ZONE_SEARCH_M, &dist);
	}

	tuple = classified_row(tuple, desc, state->attnum, &in, &v, cache, &risk, kinds, nkinds);
	return PointerGetDatum(stage_punch_evidence(state, tuple, desc, &in));
}
