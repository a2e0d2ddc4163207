/*-------------------------------------------------------------------------
 *
 * alert.c
 *	  Raising alerts: the AFTER trigger on punches, the NOTIFY payload,
 *	  and the relay that notifies committed alerts in transaction order.
 *
 * Alerts are rows first.  The punch trigger (punch.c) decides which kinds a
 * punch deserves; this AFTER row trigger, which runs only for rows really
 * stored, collects them with their reasons, and the statement trigger writes
 * them (straight into the table while an INSERT would do nothing more, see
 * insert_pending_alerts), feeds the competitor_pattern rule, and, in
 * notify_mode "commit", queues NOTIFY hrguard_alert (delivered when the
 * transaction commits, never on rollback).
 *
 * In notify_mode "relay" nothing is sent by the inserting transaction.
 * hrguard.relay_alerts() sends the same payloads later: every transaction
 * older than its snapshot's xmin has finished, so the alerts with
 * xid < xmin are final and can be sent in (xid, alert_id) order; the
 * position reached is stored in hrguard.relay_state in the same transaction
 * as the notifications, so none is lost or sent twice, across restarts too.
 *
 * IDENTIFICATION
 *	  src/alert.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/pg_type.h"
#include "commands/async.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "nodes/pg_list.h"
#include "parser/parse_relation.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "alert.h"
#include "alert_reasons.h"
#include "canon.h"
#include "canon_writer.h"
#include "classify.h"
#include "common.h"
#include "evidence.h"
#include "evidence_stage.h"
#include "hrguard.h"
#include "jsonb_builder.h"
#include "privilege.h"
#include "punch.h"
#include "punch_statement.h"
#include "row_writer.h"
#include "subxact_list.h"

static SPIPlanPtr insert_alerts_plan = NULL;
static SPIPlanPtr competitor_visit_plan = NULL;

/*
 * Alerts and competitor visits of the running statement, collected by the
 * row trigger and written together by the statement trigger.  They live in
 * TopTransactionContext, each with the subtransaction that collected it:
 * one that aborts takes back its own (the lists are in order, so those are
 * at their ends), one that commits hands them to its parent.  Like staged
 * evidence, they are written only while all of them belong to the running
 * subtransaction; otherwise an enclosing statement writes them.
 */
typedef struct PendingAlert
{
	SubTransactionId subid;		/* first, for subxact_list.c */
	char	   *employee_id;
	char	   *kind;
	const char *severity;
	TimestampTz at;
	Jsonb	   *reasons;
	int64		punch_id;
	int64		zone_id;		/* 0: none */
} PendingAlert;

typedef struct PendingVisit
{
	SubTransactionId subid;		/* first, for subxact_list.c */
	char	   *employee_id;
	int64		zone_id;
	char	   *zone_name;
	DateADT		day;
	TimestampTz at;
	int64		punch_id;
} PendingVisit;

static List *pending_alerts = NIL;
static List *pending_visits = NIL;
static bool pending_callbacks_registered = false;

static void
forget_pending(void)
{
	pending_alerts = NIL;
	pending_visits = NIL;
}

/*
 * True while a punch statement writes its alerts: the guard on
 * hrguard.alert admits these INSERTs and no others.
 */
static bool raising_alerts = false;
static int	raising_depth = 0;


/*
 * hrguard's own INSERT fires the alert table's row triggers one level below
 * the code that issued it; a statement that one of those triggers runs (an
 * application's AFTER trigger writing alerts of its own) is deeper still,
 * and is not admitted.
 */
static void
start_raising(void)
{
	raising_depth = hrguard_trigger_depth();
	raising_alerts = true;
}

bool
hrguard_raising_alerts(void)
{
	return raising_alerts && hrguard_trigger_depth() == raising_depth + 1;
}

static void
pending_xact_callback(XactEvent event, void *arg)
{
	if ((event == XACT_EVENT_PRE_COMMIT || event == XACT_EVENT_PARALLEL_PRE_COMMIT ||
		 event == XACT_EVENT_PRE_PREPARE) &&
		(pending_alerts != NIL || pending_visits != NIL))
		elog(ERROR, "%d alerts of this transaction were not written",
			 list_length(pending_alerts) + list_length(pending_visits));
	forget_pending();			/* TopTransactionContext goes away too */
}

static void
pending_subxact_callback(SubXactEvent event, SubTransactionId mySubid,
						 SubTransactionId parentSubid, void *arg)
{
	if (event == SUBXACT_EVENT_ABORT_SUB)
	{
		pending_alerts = hrguard_subxact_abort(pending_alerts, mySubid);
		pending_visits = hrguard_subxact_abort(pending_visits, mySubid);
	}
	else if (event == SUBXACT_EVENT_COMMIT_SUB)
	{
		hrguard_subxact_commit(pending_alerts, mySubid, parentSubid);
		hrguard_subxact_commit(pending_visits, mySubid, parentSubid);
	}
}

/* May the pending alerts and visits be written in this subtransaction? */
static bool
pending_flat(void)
{
	return hrguard_subxact_all_current(pending_alerts) &&
		hrguard_subxact_all_current(pending_visits);
}

/*
 * The NOTIFY payload of an alert: its id and nothing else.  Any role that
 * can connect can LISTEN (and NOTIFY: a payload may be forged), so the
 * payload names no person and no kind; a listener reads the alert through
 * the views it is granted, and a forged id leads to no row or to one that
 * says what it says.
 */
static void
alert_payload(StringInfo payload, int64 alert_id)
{
	appendStringInfo(payload, "{\"alert_id\":" INT64_FORMAT "}", alert_id);
}

static void
notify_alert(int64 alert_id)
{
	StringInfoData payload;

	initStringInfo(&payload);
	alert_payload(&payload, alert_id);
	Async_Notify(HRGUARD_ALERT_CHANNEL, payload.data);
	pfree(payload.data);
}

/* hrguard.alert_payload(alert_id) */
PG_FUNCTION_INFO_V1(hrguard_alert_payload);
Datum
hrguard_alert_payload(PG_FUNCTION_ARGS)
{
	StringInfoData payload;

	initStringInfo(&payload);
	alert_payload(&payload, PG_GETARG_INT64(0));
	PG_RETURN_TEXT_P(cstring_to_text_with_len(payload.data, payload.len));
}

static void
add_pending_alert(const char *employee_id, const char *kind, const char *severity,
				  TimestampTz at, const Jsonb *reasons, int64 punch_id, int64 zone_id)
{
	MemoryContext old = MemoryContextSwitchTo(TopTransactionContext);
	PendingAlert *a = palloc(sizeof(PendingAlert));

	if (!pending_callbacks_registered)
	{
		RegisterXactCallback(pending_xact_callback, NULL);
		RegisterSubXactCallback(pending_subxact_callback, NULL);
		pending_callbacks_registered = true;
	}
	a->employee_id = pstrdup(employee_id);
	a->kind = pstrdup(kind);
	a->severity = severity;
	a->at = at;
	a->reasons = palloc(VARSIZE(reasons));
	memcpy(a->reasons, reasons, VARSIZE(reasons));
	a->punch_id = punch_id;
	a->zone_id = zone_id;
	a->subid = GetCurrentSubTransactionId();
	pending_alerts = lappend(pending_alerts, a);
	MemoryContextSwitchTo(old);
}

static void
add_pending_visit(const char *employee_id, const HrguardZone *zone, DateADT day,
				  TimestampTz at, int64 punch_id)
{
	MemoryContext old = MemoryContextSwitchTo(TopTransactionContext);
	PendingVisit *v = palloc(sizeof(PendingVisit));

	v->employee_id = pstrdup(employee_id);
	v->zone_id = zone->zone_id;
	v->zone_name = pstrdup(zone->name);
	v->day = day;
	v->at = at;
	v->punch_id = punch_id;
	v->subid = GetCurrentSubTransactionId();
	pending_visits = lappend(pending_visits, v);
	MemoryContextSwitchTo(old);
}

/*
 * An alert raised: notify it (notify_mode commit) and number its evidence
 * entry in the employee's chain.  The entry names what raised it: a punch
 * ("punch_id") or a score ("score_id"); either key sorts before "severity".
 */
static void
alert_evidence(int64 alert_id, const char *employee_id, const char *kind,
			   const char *severity, TimestampTz occurred_at, const char *source_key,
			   int64 source_id, int64 zone_id)
{
	StringInfoData payload;
	CanonWriter w;

	if (hrguard_notify_mode == HRGUARD_NOTIFY_COMMIT)
		notify_alert(alert_id);

	initStringInfo(&payload);
	hrguard_canon_writer_init(&w, &payload);
	hrguard_canon_object_begin(&w);
	hrguard_canon_key(&w, "alert_id");
	hrguard_canon_int(&w, alert_id);
	hrguard_canon_key(&w, "alert_kind");
	hrguard_canon_cstring(&w, kind);
	hrguard_canon_key(&w, source_key);
	hrguard_canon_int(&w, source_id);
	hrguard_canon_key(&w, "severity");
	hrguard_canon_cstring(&w, severity);
	if (zone_id != 0)
	{
		hrguard_canon_key(&w, "zone_id");
		hrguard_canon_int(&w, zone_id);
	}
	hrguard_canon_object_end(&w);
	(void) hrguard_evidence_stage(employee_id, "alert", occurred_at, &payload);
	pfree(payload.data);
}

/*
 * Insert the pending alerts through SPI, in one statement, then notify
 * them and stage their evidence: for an alert table with INSERT triggers,
 * forced row security or generated columns, which only the executor
 * honours.
 */
static void
insert_pending_alerts_spi(List *alerts)
{
	int			n = list_length(alerts);
	Datum	   *employee = palloc(sizeof(Datum) * n);
	Datum	   *kind = palloc(sizeof(Datum) * n);
	Datum	   *severity = palloc(sizeof(Datum) * n);
	Datum	   *at = palloc(sizeof(Datum) * n);
	Datum	   *reasons = palloc(sizeof(Datum) * n);
	Datum	   *punch = palloc(sizeof(Datum) * n);
	Datum	   *zone = palloc(sizeof(Datum) * n);
	bool	   *zone_null = palloc(sizeof(bool) * n);
	int			dims[1] = {n};
	int			lbs[1] = {1};
	Datum		args[8];
	ListCell   *lc;
	int			i = 0;
	uint64		row;
	SPITupleTable *returned;
	uint64		nreturned;

	if (insert_alerts_plan == NULL)
	{
		Oid			types[8] = {TEXTARRAYOID, TEXTARRAYOID, TEXTARRAYOID, 1185 /* timestamptz[] */ ,
		JSONBARRAYOID, INT8ARRAYOID, INT8ARRAYOID, BOOLOID};

		insert_alerts_plan = hrguard_prepare_kept(
			"INSERT INTO hrguard.alert (employee_id, kind, severity, occurred_at, reasons, "
			"                           punch_id, zone_id, notified) "
			"SELECT u.e, u.k, u.s, u.o, u.r, u.p, u.z, $8 "
			"  FROM ROWS FROM (pg_catalog.unnest($1), pg_catalog.unnest($2), pg_catalog.unnest($3), "
			"                 pg_catalog.unnest($4), pg_catalog.unnest($5), pg_catalog.unnest($6), "
			"                 pg_catalog.unnest($7)) AS u(e, k, s, o, r, p, z) "
			"RETURNING alert_id, employee_id, kind, severity, occurred_at, punch_id, zone_id",
			8, types);
	}

	foreach(lc, alerts)
	{
		PendingAlert *a = lfirst(lc);

		employee[i] = CStringGetTextDatum(a->employee_id);
		kind[i] = CStringGetTextDatum(a->kind);
		severity[i] = CStringGetTextDatum(a->severity);
		at[i] = TimestampTzGetDatum(a->at);
		reasons[i] = JsonbPGetDatum(a->reasons);
		punch[i] = Int64GetDatum(a->punch_id);
		zone[i] = Int64GetDatum(a->zone_id);
		zone_null[i] = (a->zone_id == 0);
		i++;
	}
	args[0] = PointerGetDatum(construct_array(employee, n, TEXTOID, -1, false, TYPALIGN_INT));
	args[1] = PointerGetDatum(construct_array(kind, n, TEXTOID, -1, false, TYPALIGN_INT));
	args[2] = PointerGetDatum(construct_array(severity, n, TEXTOID, -1, false, TYPALIGN_INT));
	args[3] = PointerGetDatum(construct_array(at, n, TIMESTAMPTZOID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
	args[4] = PointerGetDatum(construct_array(reasons, n, JSONBOID, -1, false, TYPALIGN_INT));
	args[5] = PointerGetDatum(construct_array(punch, n, INT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
	args[6] = PointerGetDatum(construct_md_array(zone, zone_null, 1, dims, lbs, INT8OID, 8,
												 FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
	args[7] = BoolGetDatum(hrguard_notify_mode != HRGUARD_NOTIFY_RELAY);

	if (SPI_execute_plan(insert_alerts_plan, args, NULL, false, 0) != SPI_OK_INSERT_RETURNING)
		elog(ERROR, "could not insert %d alerts", n);
	if (SPI_processed != (uint64) n)
		ereport(ERROR,
				(errcode(ERRCODE_TRIGGERED_ACTION_EXCEPTION),
				 errmsg("%lld of %d alerts were not stored", (long long) (n - (int64) SPI_processed), n),
				 errdetail("A BEFORE INSERT trigger on hrguard.alert dropped them; every alert hrguard raises must be stored."),
				 errhint("Let such triggers return the row.")));
	returned = SPI_tuptable;
	nreturned = SPI_processed;
	for (row = 0; row < nreturned; row++)
	{
		HeapTuple	tuple = returned->vals[row];
		TupleDesc	desc = returned->tupdesc;
		bool		isnull;
		bool		no_zone;
		Datum		zone_id = SPI_getbinval(tuple, desc, 7, &no_zone);

		alert_evidence(DatumGetInt64(SPI_getbinval(tuple, desc, 1, &isnull)),
					   TextDatumGetCString(SPI_getbinval(tuple, desc, 2, &isnull)),
					   TextDatumGetCString(SPI_getbinval(tuple, desc, 3, &isnull)),
					   TextDatumGetCString(SPI_getbinval(tuple, desc, 4, &isnull)),
					   DatumGetTimestampTz(SPI_getbinval(tuple, desc, 5, &isnull)),
					   "punch_id", DatumGetInt64(SPI_getbinval(tuple, desc, 6, &isnull)),
					   no_zone ? 0 : DatumGetInt64(zone_id));
	}
}

/*
 * Insert every pending alert, then notify them and stage their evidence.
 * While hrguard.alert is as hrguard created it, give or take indexes and
 * constraints, the rows go straight into its heap and indexes, with their
 * defaults and constraint checks (row_writer.c); otherwise through SPI.
 */
static void
insert_pending_alerts(List *alerts)
{
	enum
	{
		AC_EMPLOYEE, AC_KIND, AC_SEVERITY, AC_OCCURRED, AC_REASONS, AC_PUNCH, AC_ZONE,
		AC_NOTIFIED, AC_COUNT
	};
	static const char *const columns[AC_COUNT] = {
		"employee_id", "kind", "severity", "occurred_at", "reasons", "punch_id", "zone_id",
		"notified"
	};
	int			index[AC_COUNT];
	int			id_index;
	HrguardRowWriter writer;
	ListCell   *lc;

	hrguard_row_writer_open(&writer, "alert");
	if (!hrguard_row_writer_insert_equivalent(&writer, "alert_keep_insert"))
	{
		hrguard_row_writer_close(&writer);
		insert_pending_alerts_spi(alerts);
		return;
	}
	hrguard_row_writer_columns(&writer, columns, AC_COUNT, index);
	id_index = attnameAttNum(writer.rel, "alert_id", false) - 1;

	foreach(lc, alerts)
	{
		PendingAlert *a = lfirst(lc);
		TupleTableSlot *slot = hrguard_row_writer_next(&writer);
		Datum	   *values = slot->tts_values;
		bool	   *nulls = slot->tts_isnull;

		memset(nulls, false, sizeof(bool) * slot->tts_tupleDescriptor->natts);
		values[index[AC_EMPLOYEE]] = CStringGetTextDatum(a->employee_id);
		values[index[AC_KIND]] = CStringGetTextDatum(a->kind);
		values[index[AC_SEVERITY]] = CStringGetTextDatum(a->severity);
		values[index[AC_OCCURRED]] = TimestampTzGetDatum(a->at);
		values[index[AC_REASONS]] = JsonbPGetDatum(a->reasons);
		values[index[AC_PUNCH]] = Int64GetDatum(a->punch_id);
		values[index[AC_ZONE]] = Int64GetDatum(a->zone_id);
		nulls[index[AC_ZONE]] = (a->zone_id == 0);
		values[index[AC_NOTIFIED]] = BoolGetDatum(hrguard_notify_mode != HRGUARD_NOTIFY_RELAY);
		hrguard_row_writer_add(&writer);

		/* the identity default was given when the row was added */
		alert_evidence(DatumGetInt64(slot->tts_values[id_index]), a->employee_id, a->kind,
					   a->severity, a->at, "punch_id", a->punch_id, a->zone_id);
	}
	hrguard_row_writer_close(&writer);
}

/* the competitor_pattern rule (competitor.sql), for a competitor visit */
static void
note_competitor_visit(const PendingVisit *v)
{
	Datum		args[9];
	bool		isnull;
	Datum		alert;

	if (competitor_visit_plan == NULL)
	{
		Oid			types[9] = {TEXTOID, INT8OID, TEXTOID, DATEOID, TIMESTAMPTZOID, INT8OID,
		INT4OID, INT4OID, BOOLOID};

		competitor_visit_plan = hrguard_prepare_kept(
			"SELECT hrguard.note_competitor_visit($1, $2, $3, $4, $5, $6, $7, $8, $9)", 9, types);
	}
	args[0] = CStringGetTextDatum(v->employee_id);
	args[1] = Int64GetDatum(v->zone_id);
	args[2] = CStringGetTextDatum(v->zone_name);
	args[3] = DateADTGetDatum(v->day);
	args[4] = TimestampTzGetDatum(v->at);
	args[5] = Int64GetDatum(v->punch_id);
	args[6] = Int32GetDatum(hrguard_competitor_pattern_days);
	args[7] = Int32GetDatum(hrguard_competitor_pattern_window_days);
	args[8] = BoolGetDatum(hrguard_notify_mode != HRGUARD_NOTIFY_RELAY);
	if (SPI_execute_plan(competitor_visit_plan, args, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not record a competitor visit");
	alert = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	if (!isnull)
		alert_evidence(DatumGetInt64(alert), v->employee_id, "competitor_pattern", "priority",
					   v->at, "punch_id", v->punch_id, v->zone_id);
}

static const char *const punch_tables[] = {"punch", NULL};

static const HrguardTriggerSpec raise_alerts_spec = {
	"hrguard.punch_raise_alerts()", punch_tables, false, HRGUARD_TRIGGER_ROW, HRGUARD_ON_INSERT,
	"an AFTER INSERT row trigger on hrguard.punch"
};

PG_FUNCTION_INFO_V1(hrguard_punch_raise_alerts);
Datum
hrguard_punch_raise_alerts(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	TupleDesc	desc;
	HeapTuple	tuple;
	int		   *attnum;
	bool		isnull;
	Datum	   *kinds;
	bool	   *kind_nulls;
	int			nkinds,
				i;
	StoredPunch p;
	Datum		d;

	(void) hrguard_trigger_guard(fcinfo, &raise_alerts_spec);
	/* a restored punch's alerts are restored with it */
	if (hrguard_row_passes_through(trigdata))
		return PointerGetDatum(NULL);

	desc = RelationGetDescr(trigdata->tg_relation);
	tuple = trigdata->tg_trigtuple;
	attnum = fcinfo->flinfo->fn_extra;
	if (attnum == NULL)
	{
		attnum = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, sizeof(int) * PC_COUNT);
		hrguard_punch_attnums(desc, attnum);
		fcinfo->flinfo->fn_extra = attnum;
	}

	/* the row stored is the row classified, and its entry was numbered */
	d = heap_getattr(tuple, attnum[PC_EVIDENCE_SEQ], desc, &isnull);
	if (!isnull)
		hrguard_punch_statement_confirm(tuple, desc);

	d = heap_getattr(tuple, attnum[PC_ALERT_KINDS], desc, &isnull);
	if (isnull)
		return PointerGetDatum(NULL);
	deconstruct_array(DatumGetArrayTypeP(d), TEXTOID, -1, false, TYPALIGN_INT,
					  &kinds, &kind_nulls, &nkinds);
	hrguard_read_stored_punch(tuple, desc, attnum, &p);

	for (i = 0; i < nkinds; i++)
	{
		char	   *kind = TextDatumGetCString(kinds[i]);
		const char *severity;
		int64		zone_id;
		Jsonb	   *reasons = hrguard_alert_reasons(&p, kind, &severity, &zone_id);

		add_pending_alert(p.employee_id, kind, severity, p.at, reasons, p.punch_id, zone_id);

		if (strcmp(kind, "competitor_zone") == 0 && p.watched >= 0 &&
			p.cache->zones[p.watched].kind == ZONE_COMPETITOR && p.work.open)
			add_pending_visit(p.employee_id, &p.cache->zones[p.watched], p.work.local_day,
							  p.at, p.punch_id);
	}
	return PointerGetDatum(NULL);
}

/*
 * Statement trigger after INSERT on punches: write the alerts the row
 * trigger collected, notify them (notify_mode commit), and feed the
 * competitor_pattern rule.
 */
static const HrguardTriggerSpec flush_alerts_spec = {
	"hrguard.punch_flush_alerts()", punch_tables, false, HRGUARD_TRIGGER_STATEMENT, HRGUARD_ON_INSERT,
	"an AFTER INSERT statement trigger on hrguard.punch"
};

PG_FUNCTION_INFO_V1(hrguard_punch_flush_alerts);
Datum
hrguard_punch_flush_alerts(PG_FUNCTION_ARGS)
{
	List	   *alerts = pending_alerts;
	List	   *visits = pending_visits;
	HrguardSavedUser saved;
	ListCell   *lc;
	MemoryContext caller = CurrentMemoryContext;
	volatile bool may_read_alerts;

	(void) hrguard_trigger_guard(fcinfo, &flush_alerts_spec);
	hrguard_punch_statement_end();
	if (alerts == NIL && visits == NIL && !hrguard_evidence_staged())
		return PointerGetDatum(NULL);
	/* work an enclosing statement collected is written by that statement */
	if (!pending_flat() || !hrguard_evidence_stage_writable())
		return PointerGetDatum(NULL);
	forget_pending();

	/*
	 * What the owner writes here may break a constraint an application
	 * added to hrguard.alert; the error then names the alert's values only
	 * to a caller who may read alerts.
	 */
	may_read_alerts = alerts == NIL || hrguard_can_select(GetUserId(), "alert");
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	PG_TRY();
	{
		hrguard_become_owner(hrguard_tables_owner(), &saved);
		start_raising();
		if (alerts != NIL)
			insert_pending_alerts(alerts);
		foreach(lc, visits)
			note_competitor_visit(lfirst(lc));
		raising_alerts = false;
		if (!hrguard_evidence_write_staged())
			elog(ERROR, "the staged evidence could not be written");
		hrguard_restore_user(&saved);
	}
	PG_CATCH();
	{
		raising_alerts = false;
		MemoryContextSwitchTo(caller);
		hrguard_rethrow_for(may_read_alerts);
	}
	PG_END_TRY();
	SPI_finish();
	return PointerGetDatum(NULL);
}

/*
 * An alert raised outside a punch statement -- by scoring (score_period.c)
 * or by the daily run of reminders: its row, written while the guard on
 * hrguard.alert admits hrguard's own alerts; NOTIFY per notify_mode; and
 * its evidence entry, staged in the employee's chain, naming what raised
 * it (source_key: source_id).  Runs in SPI, as the owner of the tables.
 */
int64
hrguard_alert_raise(const char *employee_id, const char *kind, const char *severity,
					TimestampTz at, Datum reasons, const char *source_key, int64 source_id)
{
	static SPIPlanPtr plan = NULL;
	Datum		args[6];
	bool		isnull;
	int64		alert_id;

	if (plan == NULL)
	{
		Oid			types[6] = {TEXTOID, TEXTOID, TEXTOID, TIMESTAMPTZOID, JSONBOID, BOOLOID};

		plan = hrguard_prepare_kept(
			"INSERT INTO hrguard.alert (employee_id, kind, severity, occurred_at, reasons, notified) "
			"VALUES ($1, $2, $3, $4, $5, $6) RETURNING alert_id", 6, types);
	}
	args[0] = CStringGetTextDatum(employee_id);
	args[1] = CStringGetTextDatum(kind);
	args[2] = CStringGetTextDatum(severity);
	args[3] = TimestampTzGetDatum(at);
	args[4] = reasons;
	args[5] = BoolGetDatum(hrguard_notify_mode != HRGUARD_NOTIFY_RELAY);
	start_raising();
	PG_TRY();
	{
		if (SPI_execute_plan(plan, args, NULL, false, 0) != SPI_OK_INSERT_RETURNING)
			elog(ERROR, "could not insert an alert");
	}
	PG_FINALLY();
	{
		raising_alerts = false;
	}
	PG_END_TRY();
	if (SPI_processed != 1)
		ereport(ERROR,
				(errcode(ERRCODE_TRIGGERED_ACTION_EXCEPTION),
				 errmsg("an alert was not stored"),
				 errdetail("A BEFORE INSERT trigger on hrguard.alert dropped it; every alert hrguard raises must be stored."),
				 errhint("Let such triggers return the row.")));
	alert_id = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	alert_evidence(alert_id, employee_id, kind, severity, at, source_key, source_id, 0);
	return alert_id;
}
