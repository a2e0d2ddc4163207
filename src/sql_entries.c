/*-------------------------------------------------------------------------
 *
 * sql_entries.c
 *	  The doors through which hrguard's modules written in SQL (cases,
 *	  contracts and their reminders: case_*.sql, contract.sql) append to a
 *	  case's custody chain and raise alerts.  All of them are internal: revoked from
 *	  PUBLIC, called by those modules' SECURITY DEFINER functions, which
 *	  check what is appended before.
 *
 * A case's custody chain is the chain "case:<case_id>"; every step of the
 * case is an entry of kind "case" there.  (Contracts and non-compete
 * payments go to the employee's own chain through hrguard.record_fact(),
 * evidence_append.c.)
 *
 * IDENTIFICATION
 *	  src/sql_entries.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/timestamp.h"

#include "alert.h"
#include "common.h"
#include "evidence.h"
#include "evidence_append.h"
#include "evidence_stage.h"
#include "hrguard.h"
#include "privilege.h"

static char *
checked_payload(int argno, FunctionCallInfo fcinfo, const char *what)
{
	Jsonb	   *payload = PG_GETARG_JSONB_P(argno);

	if (!JB_ROOT_IS_OBJECT(payload))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a JSON object", what)));
	hrguard_check_input_size(what, VARSIZE(payload) - VARHDRSZ,
							 HRGUARD_MAX_CANON_BYTES, "bytes");
	return JsonbToCString(NULL, &payload->root, VARSIZE(payload));
}

/* one entry appended as the evidence owner; returns its seq */
static int64
append_as_owner(const char *chain, const char *kind, TimestampTz occurred_at, const char *payload)
{
	HrguardSavedUser saved;
	int64		seq;

	hrguard_check_recordable_time(occurred_at, "occurred_at");
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	hrguard_become_owner(hrguard_evidence_owner(), &saved);
	seq = hrguard_evidence_append(chain, kind, occurred_at, payload);
	hrguard_restore_user(&saved);
	SPI_finish();
	return seq;
}

/*
 * hrguard.case_append(case_id, payload jsonb, occurred_at) -- one step of
 * a case appended to its custody chain; returns the entry's seq, which is
 * the step's number.
 */
PG_FUNCTION_INFO_V1(hrguard_case_append);
Datum
hrguard_case_append(PG_FUNCTION_ARGS)
{
	int64		case_id;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("case_id, payload and occurred_at are required")));
	case_id = PG_GETARG_INT64(0);
	if (case_id <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("case_id must be positive")));
	PG_RETURN_INT64(append_as_owner(psprintf("case:" INT64_FORMAT, case_id), "case",
									PG_GETARG_TIMESTAMPTZ(2),
									checked_payload(1, fcinfo, "a case step")));
}

/*
 * hrguard.raise_alert(employee_id, kind, severity, occurred_at, reasons,
 * source_key, source_id) -- an alert of a SQL module (a contract reminder,
 * a late non-compete payment): its row, NOTIFY per notify_mode, and its
 * evidence entry, naming what raised it; returns the alert id.
 */
PG_FUNCTION_INFO_V1(hrguard_raise_alert);
Datum
hrguard_raise_alert(PG_FUNCTION_ARGS)
{
	HrguardSavedUser saved;
	int64		alert_id;
	int			i;

	for (i = 0; i < 7; i++)
		if (PG_ARGISNULL(i))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("every argument of an alert is required")));
	if (hrguard_evidence_staged() && !hrguard_evidence_stage_writable())
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("an alert cannot be raised here while an enclosing punch statement's entries are not written"),
				 errhint("Run it in a statement of its own.")));
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	hrguard_become_owner(hrguard_evidence_owner(), &saved);
	alert_id = hrguard_alert_raise(text_to_cstring(PG_GETARG_TEXT_PP(0)),
								   text_to_cstring(PG_GETARG_TEXT_PP(1)),
								   text_to_cstring(PG_GETARG_TEXT_PP(2)),
								   PG_GETARG_TIMESTAMPTZ(3), PG_GETARG_DATUM(4),
								   text_to_cstring(PG_GETARG_TEXT_PP(5)),
								   PG_GETARG_INT64(6));
	if (!hrguard_evidence_write_staged())
		elog(ERROR, "the staged evidence could not be written");
	hrguard_restore_user(&saved);
	SPI_finish();
	PG_RETURN_INT64(alert_id);
}

/*
 * hrguard.case_caller() -- the role the session acts as (after SET ROLE),
 * which a SECURITY DEFINER function cannot see as current_user.  The case
 * steps record it beside the actor named, and check an actor's bound
 * login against it.
 */
PG_FUNCTION_INFO_V1(hrguard_case_caller);
Datum
hrguard_case_caller(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATUM(DirectFunctionCall1(namein,
										CStringGetDatum(GetUserNameFromId(GetOuterUserId(), false))));
}
