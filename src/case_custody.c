/*-------------------------------------------------------------------------
 *
 * case_custody.c
 *	  The custody chain of a case: every step of a case (its opening, each
 *	  piece of evidence attached, interviews, notices, approvals, decisions)
 *	  is an entry of kind "case" in the chain "case:<case_id>", so that how
 *	  the case was handled can be verified like any other evidence.
 *
 * The workflow itself (states, gates, readiness) is SQL (case_*.sql);
 * this file gives it the append and the name of the role that called.
 *
 * IDENTIFICATION
 *	  src/case_custody.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/timestamp.h"

#include "common.h"
#include "evidence.h"
#include "evidence_append.h"
#include "hrguard.h"
#include "privilege.h"

/*
 * hrguard.case_append(case_id, payload jsonb, occurred_at) -- internal:
 * append one step of a case to its custody chain; returns the entry's seq,
 * which is the step's number.  Called by the case functions, which check
 * the case, the actor and the step before.
 */
PG_FUNCTION_INFO_V1(hrguard_case_append);
Datum
hrguard_case_append(PG_FUNCTION_ARGS)
{
	int64		case_id;
	Jsonb	   *payload;
	TimestampTz occurred_at;
	char	   *chain;
	HrguardSavedUser saved;
	int64		seq;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("case_id, payload and occurred_at are required")));
	case_id = PG_GETARG_INT64(0);
	payload = PG_GETARG_JSONB_P(1);
	occurred_at = PG_GETARG_TIMESTAMPTZ(2);
	if (case_id <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("case_id must be positive")));
	if (!JB_ROOT_IS_OBJECT(payload))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a case step must be a JSON object")));
	hrguard_check_input_size("case step", VARSIZE(payload) - VARHDRSZ,
							 HRGUARD_MAX_CANON_BYTES, "bytes");
	hrguard_check_recordable_time(occurred_at, "occurred_at");

	chain = psprintf("case:" INT64_FORMAT, case_id);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	hrguard_become_owner(hrguard_evidence_owner(), &saved);
	seq = hrguard_evidence_append(chain, "case", occurred_at,
								  JsonbToCString(NULL, &payload->root, VARSIZE(payload)));
	hrguard_restore_user(&saved);
	SPI_finish();
	PG_RETURN_INT64(seq);
}

/*
 * hrguard.case_caller() -- internal: the role the session acts as (after
 * SET ROLE), which a SECURITY DEFINER function cannot see as current_user.
 * The case steps record it beside the actor named, and check an actor's
 * bound login against it.
 */
PG_FUNCTION_INFO_V1(hrguard_case_caller);
Datum
hrguard_case_caller(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATUM(DirectFunctionCall1(namein,
										CStringGetDatum(GetUserNameFromId(GetOuterUserId(), false))));
}
