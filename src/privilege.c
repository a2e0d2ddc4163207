/*-------------------------------------------------------------------------
 *
 * privilege.c
 *	  Where hrguard's security boundaries are drawn: the spans of internal
 *	  work that run as the owner of hrguard's tables, the guard every
 *	  trigger function of hrguard passes first, the read rights a function
 *	  that reveals employee, zone or log data asks of its caller, and the
 *	  size bounds of what callers hand in.
 *
 * The one idea: nothing a caller controls -- their search_path, objects in
 * pg_temp or in their own schemas, a table shaped like one of hrguard's --
 * may decide what hrguard's own code does while it holds the owner's rights
 * or writes evidence.
 *
 * IDENTIFICATION
 *	  src/privilege.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/namespace.h"
#include "commands/trigger.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"

#include "hrguard.h"
#include "privilege.h"

/*
 * Run the following SPI work as the owner of hrguard's tables, so that an
 * application that may only insert punches needs no rights on alerts or
 * zones.  Nothing the caller set up may reach into that work: it runs in a
 * restricted security context, with search_path = pg_catalog, pg_temp set
 * for exactly this span (as for a SECURITY DEFINER function with SET), so a
 * type, function or operator the caller created in pg_temp or in a schema
 * of their search_path is never what a query of hrguard's resolves to; the
 * queries also qualify every name.  hrguard_restore_user() unwinds the
 * setting, or the (sub)transaction does when an error ends the span.  Spans
 * nest, and end in reverse order.
 */
void
hrguard_become_owner(Oid owner, HrguardSavedUser *saved)
{
	GetUserIdAndSecContext(&saved->userid, &saved->sec_context);
	SetUserIdAndSecContext(owner, saved->sec_context |
						   SECURITY_LOCAL_USERID_CHANGE |
						   SECURITY_RESTRICTED_OPERATION);
	saved->guc_level = NewGUCNestLevel();
	(void) set_config_option("search_path", HRGUARD_SEALED_SEARCH_PATH,
							 PGC_USERSET, PGC_S_SESSION,
							 GUC_ACTION_SAVE, true, 0, false);
}

void
hrguard_restore_user(const HrguardSavedUser *saved)
{
	AtEOXact_GUC(true, saved->guc_level);
	SetUserIdAndSecContext(saved->userid, saved->sec_context);
}

/* hrguard's schema: that of the (trigger) function being called */
static Oid
hrguard_schema_of(FunctionCallInfo fcinfo)
{
	static Oid	cached_function = InvalidOid;
	static Oid	cached_schema = InvalidOid;
	Oid			function = fcinfo->flinfo->fn_oid;

	if (function != cached_function)
	{
		cached_schema = get_func_namespace(function);
		cached_function = function;
	}
	return cached_schema;
}

/*
 * A trigger function of hrguard runs only where the install script attached
 * it: on one of the named tables of hrguard's own schema, with the timing,
 * level and events it was made for.  Attached anywhere else -- to a table a
 * caller shaped like one of hrguard's, say -- it refuses with 39P01 before
 * it reads or writes anything.  Returns the trigger data.
 */
TriggerData *
hrguard_trigger_guard(FunctionCallInfo fcinfo, const HrguardTriggerSpec *spec)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	TriggerEvent event;
	bool		fits;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("%s can only be called as a trigger", spec->function),
				 errdetail("It is %s.", spec->expected)));

	event = trigdata->tg_event;
	fits = (TRIGGER_FIRED_BEFORE(event) ? spec->before : TRIGGER_FIRED_AFTER(event) && !spec->before) &&
		(spec->levels & (TRIGGER_FIRED_FOR_ROW(event) ? HRGUARD_TRIGGER_ROW : HRGUARD_TRIGGER_STATEMENT)) != 0 &&
		(spec->events & HRGUARD_TRIGGER_EVENT(event)) != 0 &&
		RelationGetNamespace(trigdata->tg_relation) == hrguard_schema_of(fcinfo);
	if (fits)
	{
		const char *relname = RelationGetRelationName(trigdata->tg_relation);
		const char *const *table;

		fits = false;
		for (table = spec->tables; *table != NULL && !fits; table++)
			fits = strcmp(relname, *table) == 0;
	}
	if (!fits)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("%s fired where hrguard did not attach it", spec->function),
				 errdetail("It is %s; it fired on table \"%s\".", spec->expected,
						   RelationGetRelationName(trigdata->tg_relation))));
	return trigdata;
}

/* May the role read hrguard's table? */
bool
hrguard_can_select(Oid roleid, const char *table)
{
	Oid			schema = get_namespace_oid("hrguard", false);
	Oid			relid = get_relname_relid(table, schema);

	if (!OidIsValid(relid))
		elog(ERROR, "table hrguard.%s is missing", table);
	return pg_class_aclcheck(relid, roleid, ACL_SELECT) == ACLCHECK_OK;
}

/*
 * Functions that reveal what hrguard's tables hold run as the owner, so
 * their caller's own rights are asked for explicitly: SELECT on the table
 * the answer comes from (42501 otherwise).  EXECUTE on these functions is
 * revoked from PUBLIC as well; this keeps a grant of EXECUTE from reaching
 * past the tables a role may read.
 */
void
hrguard_require_select(const char *function, const char *table)
{
	if (!hrguard_can_select(GetUserId(), table))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("permission denied for function %s", function),
				 errdetail("Its answer comes from table hrguard.%s, which the current role may not read.",
						   table),
				 errhint("Grant SELECT on hrguard.%s to the role.", table)));
}

/*
 * A size a caller handed in, against hrguard's bound for it: 54000 beyond.
 * The error echoes neither the input nor any part of it.
 */
void
hrguard_check_input_size(const char *what, int64 size, int64 limit, const char *unit)
{
	if (size > limit)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("%s is too large", what),
				 errdetail("It has " INT64_FORMAT " %s; at most " INT64_FORMAT " are accepted.",
						   size, unit, limit)));
}

/*
 * An employee id handed to a function, as a C string: NULL is refused
 * (23502), and so is one longer than any registered id can be (54000), so
 * that no error message echoes an arbitrarily long input.
 */
char *
hrguard_checked_employee_id(Datum id, bool isnull)
{
	text	   *t;

	if (isnull)
		ereport(ERROR,
				(errcode(ERRCODE_NOT_NULL_VIOLATION),
				 errmsg("employee_id must not be null")));
	t = DatumGetTextPP(id);
	hrguard_check_input_size("employee id", VARSIZE_ANY_EXHDR(t),
							 HRGUARD_MAX_EMPLOYEE_ID_BYTES, "bytes");
	return text_to_cstring(t);
}

/*
 * A caller's input as an error message may echo it: at most
 * HRGUARD_ECHO_MAX bytes, cut at a character boundary, "..." when cut.
 */
const char *
hrguard_echo(const char *input)
{
	int			len = strlen(input);
	int			clipped;

	if (len <= HRGUARD_ECHO_MAX)
		return input;
	clipped = pg_mbcliplen(input, len, HRGUARD_ECHO_MAX);
	return psprintf("%.*s...", clipped, input);
}

/*
 * Re-raise the error being handled (PG_CATCH, in the memory context the
 * handler returned to).  An integrity constraint violation raised while
 * hrguard wrote a table as the owner carries the row or key in its DETAIL
 * ("Failing row contains ...", "Key (...)=(...)"), built with the owner's
 * right to read it; a caller who may not read that table gets the error
 * without that detail.
 */
void
hrguard_rethrow_for(bool caller_may_read)
{
	ErrorData  *edata = CopyErrorData();

	FlushErrorState();
	if (!caller_may_read &&
		ERRCODE_TO_CATEGORY(edata->sqlerrcode) == ERRCODE_INTEGRITY_CONSTRAINT_VIOLATION)
	{
		edata->detail = NULL;
		edata->context = NULL;
	}
	ReThrowError(edata);
}

/* the trigger nesting depth, as pg_trigger_depth() gives it */
int
hrguard_trigger_depth(void)
{
	return DatumGetInt32(OidFunctionCall0(F_PG_TRIGGER_DEPTH));
}
