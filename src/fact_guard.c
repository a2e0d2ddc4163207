/*-------------------------------------------------------------------------
 *
 * fact_guard.c
 *	  Punches and alerts are facts: they are never deleted, truncated or
 *	  rewritten.  Of an alert, only its status and its case may change,
 *	  and each such change leaves an entry in the employee's evidence chain.
 *
 * The guards are row and statement triggers created ENABLE ALWAYS, so they
 * also fire under session_replication_role = replica.  A superuser who
 * disables them can still change anything, as with the evidence tables'
 * guards: that is what checkpoints held outside the database are for.
 *
 * IDENTIFICATION
 *	  src/fact_guard.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/xact.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/json.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/timestamp.h"

#include "alert.h"
#include "common.h"
#include "evidence.h"
#include "evidence_append.h"
#include "privilege.h"

static const char *const fact_tables[] = {"punch", "alert", NULL};
static const HrguardTriggerSpec fact_guard_spec = {
	"hrguard.fact_guard()", fact_tables, true,
	HRGUARD_TRIGGER_ROW | HRGUARD_TRIGGER_STATEMENT,
	HRGUARD_ON_INSERT | HRGUARD_ON_UPDATE | HRGUARD_ON_DELETE | HRGUARD_ON_TRUNCATE,
	"a BEFORE INSERT (alerts), UPDATE, DELETE or TRUNCATE trigger on hrguard.punch or hrguard.alert"
};

/* a column of a tuple as text for JSON, or NULL */
static char *
column_text(HeapTuple tuple, TupleDesc desc, int attnum)
{
	bool		isnull;
	Datum		d = heap_getattr(tuple, attnum, desc, &isnull);
	Oid			typoutput;
	bool		varlena;

	if (isnull)
		return NULL;
	getTypeOutputInfo(TupleDescAttr(desc, attnum - 1)->atttypid, &typoutput, &varlena);
	return OidOutputFunctionCall(typoutput, d);
}

static void
append_json_member(StringInfo out, const char *key, const char *value, bool quote)
{
	if (out->len > 1)
		appendStringInfoChar(out, ',');
	escape_json(out, key);
	appendStringInfoChar(out, ':');
	if (value == NULL)
		appendStringInfoString(out, "null");
	else if (quote)
		escape_json(out, value);
	else
		appendStringInfoString(out, value);
}

/*
 * An alert's status or case changed: record it in the employee's chain,
 * as the owner of hrguard's tables, with the role that changed it.
 */
static void
record_alert_change(HeapTuple old, HeapTuple new, TupleDesc desc)
{
	int			att_id = SPI_fnumber(desc, "alert_id");
	int			att_employee = SPI_fnumber(desc, "employee_id");
	int			att_status = SPI_fnumber(desc, "status");
	int			att_case = SPI_fnumber(desc, "case_id");
	char	   *employee_id = column_text(new, desc, att_employee);
	StringInfoData payload;
	HrguardSavedUser saved;

	initStringInfo(&payload);
	appendStringInfoChar(&payload, '{');
	append_json_member(&payload, "alert_id", column_text(new, desc, att_id), false);
	append_json_member(&payload, "status", column_text(new, desc, att_status), true);
	append_json_member(&payload, "previous_status", column_text(old, desc, att_status), true);
	append_json_member(&payload, "case_id", column_text(new, desc, att_case), false);
	append_json_member(&payload, "previous_case_id", column_text(old, desc, att_case), false);
	append_json_member(&payload, "changed_by",
					   GetUserNameFromId(GetUserId(), false), true);
	appendStringInfoChar(&payload, '}');

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	hrguard_become_owner(hrguard_evidence_owner(), &saved);
	(void) hrguard_evidence_append(employee_id, "alert_status",
								   GetCurrentStatementStartTimestamp(), payload.data);
	hrguard_restore_user(&saved);
	SPI_finish();
}

/*
 * hrguard.fact_guard() -- BEFORE UPDATE OR DELETE row and BEFORE TRUNCATE
 * statement trigger on hrguard.punch and hrguard.alert, and BEFORE INSERT
 * row trigger on hrguard.alert.
 */
PG_FUNCTION_INFO_V1(hrguard_fact_guard);
Datum
hrguard_fact_guard(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = hrguard_trigger_guard(fcinfo, &fact_guard_spec);
	Relation	rel = trigdata->tg_relation;
	const char *table = RelationGetRelationName(rel);
	bool		is_alert = strcmp(table, "alert") == 0;
	TupleDesc	desc = RelationGetDescr(rel);
	HeapTuple	old = trigdata->tg_trigtuple;
	HeapTuple	new = trigdata->tg_newtuple;
	int			i;

	/* a replicated alert's change was recorded where it was made */
	if (TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event) && hrguard_row_passes_through(trigdata))
		return PointerGetDatum(new);

	/* alerts are raised by punches, each with its evidence entry */
	if (TRIGGER_FIRED_BY_INSERT(trigdata->tg_event))
	{
		if (!is_alert)
			ereport(ERROR,
					(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
					 errmsg("hrguard.fact_guard() guards inserts of alerts only")));
		if (hrguard_raising_alerts() || hrguard_row_passes_through(trigdata))
			return PointerGetDatum(old);
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("alerts are raised by hrguard only"),
				 errdetail("An alert is written with its entry in the employee's evidence chain by the punch that raises it."),
				 errhint("To restore a dump, set hrguard.restore_mode.")));
	}

	if (TRIGGER_FIRED_BY_TRUNCATE(trigdata->tg_event) || TRIGGER_FIRED_BY_DELETE(trigdata->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("%s cannot be %s", is_alert ? "alerts" : "punches",
						TRIGGER_FIRED_BY_TRUNCATE(trigdata->tg_event) ? "truncated" : "deleted"),
				 errdetail("%s recorded fact, with its entry in the employee's evidence chain.",
						   is_alert ? "An alert is a" : "A punch is a"),
				 is_alert ? errhint("Dismiss an alert by setting its status.") : 0));

	if (!is_alert)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("punches cannot be updated"),
				 errdetail("A punch is a recorded fact; its classification was made when it was recorded."),
				 errhint("Record a corrected punch instead.")));

	/* an update of an alert: only status and case_id may change */
	for (i = 1; i <= desc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, i - 1);
		bool		old_null;
		bool		new_null;
		Datum		o;
		Datum		n;

		if (att->attisdropped)
			continue;
		if (strcmp(NameStr(att->attname), "status") == 0 ||
			strcmp(NameStr(att->attname), "case_id") == 0)
			continue;
		o = heap_getattr(old, i, desc, &old_null);
		n = heap_getattr(new, i, desc, &new_null);
		if (old_null != new_null ||
			(!old_null && !datumIsEqual(o, n, att->attbyval, att->attlen)))
			ereport(ERROR,
					(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
					 errmsg("column \"%s\" of an alert cannot be updated", NameStr(att->attname)),
					 errdetail("An alert is a recorded fact."),
					 errhint("Only status and case_id of an alert change; each change is recorded as evidence.")));
	}
	{
		int			att_status = SPI_fnumber(desc, "status");
		int			att_case = SPI_fnumber(desc, "case_id");
		bool		n1,
					n2;
		Datum		s_old = heap_getattr(old, att_status, desc, &n1);
		Datum		s_new = heap_getattr(new, att_status, desc, &n2);
		bool		same = (n1 == n2) && (n1 || datumIsEqual(s_old, s_new, false, -1));
		Datum		c_old = heap_getattr(old, att_case, desc, &n1);
		Datum		c_new = heap_getattr(new, att_case, desc, &n2);

		same = same && (n1 == n2) && (n1 || DatumGetInt64(c_old) == DatumGetInt64(c_new));
		if (!same)
			record_alert_change(old, new, desc);
	}
	return PointerGetDatum(new);
}
