/*-------------------------------------------------------------------------
 *
 * drop_guard.c
 *	  The event trigger that refuses to drop hrguard while it holds
 *	  evidence: DROP EXTENSION hrguard, DROP SCHEMA hrguard ... CASCADE,
 *	  and DROP EXTENSION of an extension hrguard needs (postgis) with
 *	  CASCADE would delete every evidence chain, the Merkle log and its
 *	  checkpoints without a word.  A superuser who means it sets
 *	  hrguard.allow_drop_evidence for the command's session or
 *	  transaction.
 *
 * It runs at ddl_command_start, before anything is dropped, and looks at
 * the statement itself (an extension's own sql_drop trigger is gone by
 * the time sql_drop fires for its own drop).
 *
 * IDENTIFICATION
 *	  src/drop_guard.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "commands/event_trigger.h"
#include "commands/extension.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "nodes/parsenodes.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"

#include "drop_guard.h"

bool		hrguard_allow_drop_evidence = false;

/*
 * Would dropping this extension (cascading) or this schema (cascading)
 * drop hrguard: is it hrguard, an extension hrguard needs, or the schema
 * of either?
 */
static bool
takes_hrguard_along(const char *name, bool schema)
{
	Datum		arg = CStringGetTextDatum(name);
	Oid			type = TEXTOID;
	int			ret;

	ret = SPI_execute_with_args(schema ?
								"SELECT FROM pg_catalog.pg_extension e "
								"  JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) e.extnamespace "
								" WHERE n.nspname OPERATOR(pg_catalog.=) $1::pg_catalog.name "
								"   AND (e.extname OPERATOR(pg_catalog.=) 'hrguard' OR e.oid IN ("
								"        SELECT d.refobjid FROM pg_catalog.pg_depend d "
								"          JOIN pg_catalog.pg_extension h ON h.oid OPERATOR(pg_catalog.=) d.objid "
								"         WHERE h.extname OPERATOR(pg_catalog.=) 'hrguard' "
								"           AND d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_extension'::pg_catalog.regclass "
								"           AND d.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_extension'::pg_catalog.regclass))" :
								"SELECT FROM pg_catalog.pg_depend d "
								"  JOIN pg_catalog.pg_extension h ON h.oid OPERATOR(pg_catalog.=) d.objid "
								"  JOIN pg_catalog.pg_extension e ON e.oid OPERATOR(pg_catalog.=) d.refobjid "
								" WHERE h.extname OPERATOR(pg_catalog.=) 'hrguard' "
								"   AND e.extname OPERATOR(pg_catalog.=) $1::pg_catalog.name "
								"   AND d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_extension'::pg_catalog.regclass "
								"   AND d.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_extension'::pg_catalog.regclass",
								1, &type, &arg, NULL, true, 1);
	return ret == SPI_OK_SELECT && SPI_processed > 0;
}

/* does the statement drop hrguard (itself, its schema, or what it needs, cascading)? */
static bool
drops_hrguard(DropStmt *stmt)
{
	ListCell   *lc;

	if (stmt->removeType != OBJECT_EXTENSION && stmt->removeType != OBJECT_SCHEMA)
		return false;
	foreach(lc, stmt->objects)
	{
		const char *name = strVal(lfirst(lc));

		if (strcmp(name, "hrguard") == 0)
			return true;
		if (stmt->behavior == DROP_CASCADE &&
			takes_hrguard_along(name, stmt->removeType == OBJECT_SCHEMA))
			return true;
	}
	return false;
}

PG_FUNCTION_INFO_V1(hrguard_drop_guard);
Datum
hrguard_drop_guard(PG_FUNCTION_ARGS)
{
	EventTriggerData *trigdata;
	int64		entries = 0;
	int64		employees = 0;

	if (!CALLED_AS_EVENT_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("hrguard.drop_guard() runs only as an event trigger")));
	trigdata = (EventTriggerData *) fcinfo->context;
	if (hrguard_allow_drop_evidence || trigdata->parsetree == NULL ||
		!IsA(trigdata->parsetree, DropStmt) ||
		!OidIsValid(get_extension_oid("hrguard", true)))
		PG_RETURN_NULL();

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (drops_hrguard((DropStmt *) trigdata->parsetree) &&
		SPI_execute("SELECT pg_catalog.count(*), "
					"       COALESCE(pg_catalog.sum(h.seq), 0)::pg_catalog.int8 "
					"  FROM hrguard.chain_head h", true, 0) == SPI_OK_SELECT &&
		SPI_processed == 1)
	{
		bool		isnull;

		employees = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1,
												&isnull));
		entries = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2,
											  &isnull));
	}
	SPI_finish();
	if (entries > 0)
		ereport(ERROR,
				(errcode(ERRCODE_DEPENDENT_OBJECTS_STILL_EXIST),
				 errmsg("dropping hrguard would delete %lld evidence entries of %lld chains",
						(long long) entries, (long long) employees),
				 errdetail("The evidence chains, the Merkle log and its checkpoints, the punches, alerts, scores and facts are dropped with the extension; checkpoint bodies kept outside the database could no longer be checked against anything, and a new installation would number alerts from 1 again."),
				 errhint("Export what must be kept (hrguard.export_evidence), then, as a superuser, SET hrguard.allow_drop_evidence = on for the session that drops it.")));
	PG_RETURN_NULL();
}
