/*-------------------------------------------------------------------------
 *
 * punch_history.c
 *	  What the punch table already knows of an employee, read by direct
 *	  btree probes: the latest earlier punch, whether a raw position was
 *	  reported on another day, whether a device was seen, within the
 *	  lookback.
 *
 * The punch trigger asks this for every row, so it avoids the executor:
 * the heap and its three per-employee indexes are opened once per
 * statement, their scans begun once and restarted with new scan keys for
 * each probe, under the statement's snapshot (the statement's own rows are
 * not visible; punch.c remembers those), or a later one after
 * hrguard_history_refresh().
 *
 * IDENTIFICATION
 *	  src/punch_history.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/relscan.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "executor/tuptable.h"
#include "miscadmin.h"
#include "parser/parse_relation.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/resowner.h"
#include "utils/snapmgr.h"

#include "hrguard.h"
#include "punch_history.h"

/* the scans a reader keeps: an index and a number of scan keys each */
typedef enum HistoryScan
{
	SCAN_TIME_1,				/* by_time, 1 key */
	SCAN_TIME_2,				/* by_time, 2 keys */
	SCAN_TIME_3,				/* by_time, 3 keys */
	SCAN_POSITION,
	SCAN_DEVICE,
	SCAN_SOURCE,
	SCAN_COUNT
} HistoryScan;

struct PunchHistoryReader
{
	Relation	heap;
	Relation	by_time;		/* (employee_id, punched_at) */
	Relation	by_position;	/* (employee_id, raw_lat, raw_lon, punched_at) */
	Relation	by_device;		/* (employee_id, device_id, punched_at) */
	Relation	by_source;		/* (source, source_record_id), unique */
	Snapshot	snapshot;		/* NULL: the statement's */
	ResourceOwner resowner;		/* the statement's, which holds the snapshot */
	TupleTableSlot *slot;
	IndexScanDesc scans[SCAN_COUNT];	/* begun on first use */
	MemoryContext owner;
	AttrNumber	att_punched_at;
	AttrNumber	att_lat;
	AttrNumber	att_lon;
	AttrNumber	att_device;
	bool		done;			/* closed, or released by an abort */
	MemoryContextCallback cleanup;
};

static Relation
open_index(const char *name, Oid nsp)
{
	Oid			relid = get_relname_relid(name, nsp);

	if (!OidIsValid(relid))
		elog(ERROR, "index hrguard.%s is missing", name);
	return index_open(relid, AccessShareLock);
}

/*
 * Close what the statement opened.  When the statement failed, the
 * (sub)transaction's abort has already released all of it through the
 * resource owner, and nothing may be touched.
 */
static void
close_reader(void *arg)
{
	PunchHistoryReader *r = arg;
	int			i;

	if (r->done || !IsTransactionState())
		return;
	r->done = true;

	for (i = 0; i < SCAN_COUNT; i++)
		if (r->scans[i] != NULL)
			index_endscan(r->scans[i]);
	if (r->snapshot != NULL)
		UnregisterSnapshotFromOwner(r->snapshot, r->resowner);
	ExecDropSingleTupleTableSlot(r->slot);
	index_close(r->by_time, AccessShareLock);
	index_close(r->by_position, AccessShareLock);
	index_close(r->by_device, AccessShareLock);
	index_close(r->by_source, AccessShareLock);
	table_close(r->heap, AccessShareLock);
}

/*
 * Open the punch table and its indexes for the rest of the statement; they
 * are closed by hrguard_history_close() at the end of the statement, under
 * the resource owner that opened them, or failing that when the memory
 * context "owner" goes away (for COPY, only after the portal's resource
 * owner was released: too late).
 */
PunchHistoryReader *
hrguard_history_open(Oid punch_relid, MemoryContext owner)
{
	MemoryContext old = MemoryContextSwitchTo(owner);
	PunchHistoryReader *r = palloc0(sizeof(PunchHistoryReader));
	Oid			nsp = get_rel_namespace(punch_relid);

	r->owner = owner;
	r->resowner = CurrentResourceOwner;
	r->heap = table_open(punch_relid, AccessShareLock);
	r->by_time = open_index("punch_employee_time_idx", nsp);
	r->by_position = open_index("punch_employee_position_idx", nsp);
	r->by_device = open_index("punch_employee_device_idx", nsp);
	r->by_source = open_index("punch_source_record_idx", nsp);
	r->slot = table_slot_create(r->heap, NULL);
	r->att_punched_at = attnameAttNum(r->heap, "punched_at", false);
	r->att_lat = attnameAttNum(r->heap, "lat", false);
	r->att_lon = attnameAttNum(r->heap, "lon", false);
	r->att_device = attnameAttNum(r->heap, "device_id", false);
	r->cleanup.func = close_reader;
	r->cleanup.arg = r;
	MemoryContextRegisterResetCallback(owner, &r->cleanup);
	MemoryContextSwitchTo(old);
	return r;
}

/* the snapshot the reader reads under */
Snapshot
hrguard_history_snapshot(PunchHistoryReader *r)
{
	return r->snapshot != NULL ? r->snapshot : GetActiveSnapshot();
}

/*
 * Read under a new snapshot from now on: one that sees every transaction
 * committed so far (only under READ COMMITTED, where each statement has a
 * snapshot of its own).  Rows of the running statement stay invisible, as
 * they were: the snapshot's command is the same.
 */
void
hrguard_history_refresh(PunchHistoryReader *r)
{
	MemoryContext old = MemoryContextSwitchTo(r->owner);
	int			i;

	Assert(!IsolationUsesXactSnapshot());
	for (i = 0; i < SCAN_COUNT; i++)
	{
		if (r->scans[i] != NULL)
			index_endscan(r->scans[i]);
		r->scans[i] = NULL;
	}
	if (r->snapshot != NULL)
		UnregisterSnapshotFromOwner(r->snapshot, r->resowner);
	r->snapshot = RegisterSnapshotOnOwner(GetLatestSnapshot(), r->resowner);
	MemoryContextSwitchTo(old);
}

/*
 * Restart one of the reader's scans with new keys, beginning it on first
 * use: beginning a btree scan allocates more than a probe costs.  A scan
 * lives as long as the reader, and the index AM allocates some of its
 * state lazily (the btree's list of dead items, say) in whatever context
 * is current, so scans are begun, restarted and advanced only in the
 * reader's own context (see next()).
 */
static IndexScanDesc
rescan(PunchHistoryReader *r, HistoryScan which, ScanKey keys, int nkeys)
{
	MemoryContext old = MemoryContextSwitchTo(r->owner);

	if (r->scans[which] == NULL)
	{
		Relation	index = NULL;

		switch (which)
		{
			case SCAN_TIME_1:
			case SCAN_TIME_2:
			case SCAN_TIME_3:
				index = r->by_time;
				break;
			case SCAN_POSITION:
				index = r->by_position;
				break;
			case SCAN_DEVICE:
				index = r->by_device;
				break;
			case SCAN_SOURCE:
			case SCAN_COUNT:
				index = r->by_source;
				break;
		}
		r->scans[which] = index_beginscan(r->heap, index, hrguard_history_snapshot(r), nkeys, 0);
	}
	index_rescan(r->scans[which], keys, nkeys, NULL, 0);
	MemoryContextSwitchTo(old);
	return r->scans[which];
}

/* the next row of a scan of the reader's, into r->slot */
static bool
next(PunchHistoryReader *r, IndexScanDesc scan, ScanDirection direction)
{
	MemoryContext old = MemoryContextSwitchTo(r->owner);
	bool		found = index_getnext_slot(scan, direction, r->slot);

	MemoryContextSwitchTo(old);
	return found;
}

/* text equal to "value" in column att of the index, in the index's collation */
static void
key_text(ScanKey key, Relation index, AttrNumber att, Datum value)
{
	ScanKeyEntryInitialize(key, 0, att, BTEqualStrategyNumber, InvalidOid,
						   index->rd_indcollation[att - 1], F_TEXTEQ, value);
}

static TimestampTz
slot_time(PunchHistoryReader *r)
{
	bool		isnull;

	return DatumGetTimestampTz(slot_getattr(r->slot, r->att_punched_at, &isnull));
}

/* time and position of the punch in r->slot */
static void
slot_punch(PunchHistoryReader *r, TimestampTz *at, bool *located, double *lat, double *lon)
{
	bool		lat_null,
				lon_null;
	Datum		lat_d = slot_getattr(r->slot, r->att_lat, &lat_null);
	Datum		lon_d = slot_getattr(r->slot, r->att_lon, &lon_null);

	*at = slot_time(r);
	*located = !lat_null && !lon_null;
	*lat = lat_null ? 0.0 : DatumGetFloat8(lat_d);
	*lon = lon_null ? 0.0 : DatumGetFloat8(lon_d);
}

/* the device of the punch in r->slot, or NULL */
static char *
slot_device(PunchHistoryReader *r)
{
	bool		isnull;
	Datum		device = slot_getattr(r->slot, r->att_device, &isnull);

	return isnull ? NULL : TextDatumGetCString(device);
}

/*
 * Latest punch at or before "at" and after "after" (DT_NOBEGIN: any), read
 * backwards through (employee_id, punched_at); false if there is none.
 * The btree reads every entry of a leaf page that satisfies the keys, so
 * the week before "at" is searched first: an employee who punches every
 * day has a handful of entries there, and no more are read.  Also
 * tells whether that punch used the given device, which saves a probe.
 */
#define RECENT_WINDOW_US ((int64) 7 * USECS_PER_DAY)

static bool
latest_before(PunchHistoryReader *r, Datum employee, TimestampTz after, TimestampTz at,
			  const char *device_id, PunchHistory *h)
{
	ScanKeyData keys[3];
	IndexScanDesc scan;
	bool		found;
	TimestampTz recent = at - RECENT_WINDOW_US;

	key_text(&keys[0], r->by_time, 1, employee);
	ScanKeyInit(&keys[1], 2, BTLessEqualStrategyNumber, F_TIMESTAMPTZ_LE,
				TimestampTzGetDatum(at));
	ScanKeyInit(&keys[2], 2, BTGreaterStrategyNumber, F_TIMESTAMPTZ_GT,
				TimestampTzGetDatum(Max(after, recent)));
	scan = rescan(r, SCAN_TIME_3, keys, 3);
	found = next(r, scan, BackwardScanDirection);
	if (!found && after < recent)
	{
		/* nothing in the last week: anything before it */
		int			nkeys = 2;

		if (after != DT_NOBEGIN)
			ScanKeyInit(&keys[nkeys++], 2, BTGreaterStrategyNumber, F_TIMESTAMPTZ_GT,
						TimestampTzGetDatum(after));
		scan = rescan(r, nkeys == 2 ? SCAN_TIME_2 : SCAN_TIME_3, keys, nkeys);
		found = next(r, scan, BackwardScanDirection);
	}
	if (found)
	{
		slot_punch(r, &h->previous_at, &h->previous_located, &h->previous_lat, &h->previous_lon);
		if (device_id != NULL)
		{
			char	   *device = slot_device(r);

			h->device_known = device != NULL && strcmp(device, device_id) == 0 &&
				h->previous_at >= at - (int64) hrguard_risk_lookback_days * USECS_PER_DAY;
		}
	}
	return found;
}

/* Any punch from "since" to "at"? */
static bool
any_between(PunchHistoryReader *r, Datum employee, TimestampTz since, TimestampTz at)
{
	ScanKeyData keys[3];
	IndexScanDesc scan;

	key_text(&keys[0], r->by_time, 1, employee);
	ScanKeyInit(&keys[1], 2, BTGreaterEqualStrategyNumber, F_TIMESTAMPTZ_GE,
				TimestampTzGetDatum(since));
	ScanKeyInit(&keys[2], 2, BTLessEqualStrategyNumber, F_TIMESTAMPTZ_LE, TimestampTzGetDatum(at));
	scan = rescan(r, SCAN_TIME_3, keys, 3);
	return next(r, scan, BackwardScanDirection);
}

/* Was this raw position reported in [from, to)? */
static bool
position_between(PunchHistoryReader *r, Datum employee, double raw_lat, double raw_lon,
				 TimestampTz from, TimestampTz to)
{
	ScanKeyData keys[5];
	IndexScanDesc scan;

	if (from >= to)
		return false;
	key_text(&keys[0], r->by_position, 1, employee);
	ScanKeyInit(&keys[1], 2, BTEqualStrategyNumber, F_FLOAT8EQ, Float8GetDatum(raw_lat));
	ScanKeyInit(&keys[2], 3, BTEqualStrategyNumber, F_FLOAT8EQ, Float8GetDatum(raw_lon));
	ScanKeyInit(&keys[3], 4, BTGreaterEqualStrategyNumber, F_TIMESTAMPTZ_GE,
				TimestampTzGetDatum(from));
	ScanKeyInit(&keys[4], 4, BTLessStrategyNumber, F_TIMESTAMPTZ_LT, TimestampTzGetDatum(to));
	scan = rescan(r, SCAN_POSITION, keys, 5);
	return next(r, scan, ForwardScanDirection);
}

/*
 * Was this raw position reported from "since" to "until", outside
 * [day_start, day_end)?  Two time ranges of the index: the statement's own
 * rows there (invisible here) are known to the caller, which asks only
 * when it has none.
 */
static bool
position_on_other_day(PunchHistoryReader *r, Datum employee, double raw_lat, double raw_lon,
					  TimestampTz since, TimestampTz until,
					  TimestampTz day_start, TimestampTz day_end)
{
	return position_between(r, employee, raw_lat, raw_lon, since, Min(day_start, until + 1)) ||
		position_between(r, employee, raw_lat, raw_lon, Max(day_end, since), until + 1);
}

/* Was the device used from "since" to "at"? */
static bool
device_seen(PunchHistoryReader *r, Datum employee, Datum device, TimestampTz since,
			TimestampTz at)
{
	ScanKeyData keys[4];
	IndexScanDesc scan;

	key_text(&keys[0], r->by_device, 1, employee);
	key_text(&keys[1], r->by_device, 2, device);
	ScanKeyInit(&keys[2], 3, BTGreaterEqualStrategyNumber, F_TIMESTAMPTZ_GE,
				TimestampTzGetDatum(since));
	ScanKeyInit(&keys[3], 3, BTLessEqualStrategyNumber, F_TIMESTAMPTZ_LE, TimestampTzGetDatum(at));
	scan = rescan(r, SCAN_DEVICE, keys, 4);
	return next(r, scan, BackwardScanDirection);
}

/*
 * The employee's latest punch in the table, whatever its time; the device
 * is copied into the reader's memory.
 */
void
hrguard_history_latest(PunchHistoryReader *r, const char *employee_id, PunchLatest *latest)
{
	ScanKeyData key;
	IndexScanDesc scan;

	memset(latest, 0, sizeof(PunchLatest));
	key_text(&key, r->by_time, 1, CStringGetTextDatum(employee_id));
	scan = rescan(r, SCAN_TIME_1, &key, 1);
	latest->found = next(r, scan, BackwardScanDirection);
	if (latest->found)
	{
		MemoryContext old;

		slot_punch(r, &latest->at, &latest->located, &latest->lat, &latest->lon);
		old = MemoryContextSwitchTo(r->owner);
		latest->device_id = slot_device(r);
		MemoryContextSwitchTo(old);
	}
}

/*
 * Read what the table knows of the employee before a punch at "at".  The
 * caller may already know a punch of this statement at "known_previous"
 * (DT_NOBEGIN if none): then only later punches are looked for, since
 * walking over the statement's own, invisible index entries would cost a
 * heap visit each.  "latest", the employee's latest punch in the table
 * (NULL: not read), answers without a probe when it is not after "at" (a
 * bulk load in any order, punches arriving as they happen).  With
 * "known_history" the employee is known to have punches at or before
 * "at" (has_history: at or before it, the latest or within the
 * lookback), and with
 * "known_device" the device is known (used within the lookback).  The
 * position is looked for only when "located": a caller that already knows
 * it repeated does not ask, and one that asks has no row of its own at
 * that position in the ranges looked at.
 */
void
hrguard_history_read(PunchHistoryReader *r, const char *employee_id, TimestampTz at,
					 TimestampTz known_previous, const PunchLatest *latest, bool known_history,
					 bool located, double raw_lat, double raw_lon,
					 TimestampTz day_start, TimestampTz day_end,
					 const char *device_id, bool known_device, PunchHistory *h)
{
	Datum		employee = CStringGetTextDatum(employee_id);
	TimestampTz since = at - (int64) hrguard_risk_lookback_days * USECS_PER_DAY;

	memset(h, 0, sizeof(PunchHistory));
	if (latest != NULL && (!latest->found || latest->at <= at))
	{
		/* the latest punch in the table is the latest at or before "at" */
		if (latest->found && latest->at > known_previous)
		{
			h->has_previous = true;
			h->previous_at = latest->at;
			h->previous_located = latest->located;
			h->previous_lat = latest->lat;
			h->previous_lon = latest->lon;
			h->device_known = !known_device && device_id != NULL &&
				latest->device_id != NULL && strcmp(latest->device_id, device_id) == 0 &&
				latest->at >= since;
		}
		h->has_history = known_history || h->has_previous ||
			(latest->found && latest->at >= since);
	}
	else
	{
		h->has_previous = latest_before(r, employee, known_previous, at,
										known_device ? NULL : device_id, h);
		h->has_history = known_history || h->has_previous || any_between(r, employee, since, at);
	}
	/* a position counts on either side of the punch */
	if (located)
		h->repeated = position_on_other_day(r, employee, raw_lat, raw_lon, since,
											at + (int64) hrguard_risk_lookback_days * USECS_PER_DAY,
											day_start, day_end);
	/* a device is new only to an employee who punched before */
	if (!h->has_history)
		return;
	if (device_id != NULL && !known_device && !h->device_known)
		h->device_known = device_seen(r, employee, CStringGetTextDatum(device_id), since, at);
	if (known_device)
		h->device_known = true;
}

/*
 * The employee's latest punch with a position at or before "at", later
 * than "after" and within the risk lookback: what impossible travel is
 * measured from when the punch just before has no position (a punch
 * without one must not hide a jump).
 */
bool
hrguard_history_located_before(PunchHistoryReader *r, const char *employee_id,
							   TimestampTz at, TimestampTz after,
							   TimestampTz *found_at, double *lat, double *lon)
{
	ScanKeyData keys[3];
	IndexScanDesc scan;
	TimestampTz since = at - (int64) hrguard_risk_lookback_days * USECS_PER_DAY;

	key_text(&keys[0], r->by_time, 1, CStringGetTextDatum(employee_id));
	ScanKeyInit(&keys[1], 2, BTLessEqualStrategyNumber, F_TIMESTAMPTZ_LE,
				TimestampTzGetDatum(at));
	/* later than "after", and not before "since" */
	ScanKeyInit(&keys[2], 2, BTGreaterStrategyNumber, F_TIMESTAMPTZ_GT,
				TimestampTzGetDatum(Max(after, since - 1)));
	scan = rescan(r, SCAN_TIME_3, keys, 3);
	while (next(r, scan, BackwardScanDirection))
	{
		bool		located;

		CHECK_FOR_INTERRUPTS();
		slot_punch(r, found_at, &located, lat, lon);
		if (located)
			return true;
	}
	return false;
}

/* Is there already a punch with this source record? */
bool
hrguard_history_source_taken(PunchHistoryReader *r, const char *source,
							 const char *source_record_id)
{
	ScanKeyData keys[2];
	IndexScanDesc scan;
	bool		found;

	key_text(&keys[0], r->by_source, 1, CStringGetTextDatum(source));
	key_text(&keys[1], r->by_source, 2, CStringGetTextDatum(source_record_id));
	scan = rescan(r, SCAN_SOURCE, keys, 2);
	found = next(r, scan, ForwardScanDirection);
	return found;
}

/* Close the reader at the end of its statement. */
void
hrguard_history_close(PunchHistoryReader *r)
{
	close_reader(r);
}

/* The reader's statement failed: its abort released everything. */
void
hrguard_history_released(PunchHistoryReader *r)
{
	r->done = true;
}
