/*-------------------------------------------------------------------------
 *
 * day_close.c
 *	  hrguard.close_day(): an entry on the chain of every employee employed
 *	  on a day, counting that day's entries, so that a missing report can
 *	  later be shown and nothing slipped into a closed day unnoticed.
 *
 * IDENTIFICATION
 *	  src/day_close.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "access/xact.h"
#include "catalog/pg_subscription_rel.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "common/cryptohash.h"
#include "common/sha2.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "mb/pg_wchar.h"
#include "port/pg_bswap.h"
#include "catalog/namespace.h"
#include "replication/logicalworker.h"
#include "storage/proc.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/fmgroids.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/timestamp.h"

#include "canon.h"
#include "canon_writer.h"
#include "common.h"
#include "evidence.h"
#include "evidence_append.h"
#include "evidence_append.h"
#include "evidence_stage.h"
#include "hrguard.h"
#include "privilege.h"
#include "sha256.h"

/* the first key of close_day()'s advisory locks ("hrcd") */
#define CLOSE_DAY_LOCK_SPACE 0x68726364

/*
 * hrguard.close_day(day) -- append to the chain of every employee employed
 * on that day an entry counting the day's entries (by the employee's local
 * date), so that a missing report can later be shown and nothing can be
 * slipped into a closed day unnoticed.  Returns the number of chains
 * closed; a day already closed for an employee is left alone.
 */
PG_FUNCTION_INFO_V1(hrguard_close_day);
Datum
hrguard_close_day(PG_FUNCTION_ARGS)
{
	DateADT		day = PG_GETARG_DATEADT(0);
	HrguardSavedUser saved;
	Oid			types[1] = {DATEOID};
	Datum		args[1] = {DateADTGetDatum(day)};
	int64		closed = 0;
	uint64		i,
				n;
	SPITupleTable *employees;

	if (DATE_NOT_FINITE(day))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("the day to close must be a finite date")));
	if (day < -109571 || day >= 73048)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_FIELD_OVERFLOW),
				 errmsg("the day to close is outside the times hrguard records"),
				 errdetail("Days from 1700-01-02 to 2199-12-30 can be closed.")));

	/*
	 * One close_day() per day at a time: a second one waits for the first
	 * to end, and then (READ COMMITTED) finds its chains closed.
	 */
	DirectFunctionCall2(pg_advisory_xact_lock_int4,
						Int32GetDatum(CLOSE_DAY_LOCK_SPACE), Int32GetDatum(day));

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	hrguard_become_owner(hrguard_evidence_owner(), &saved);

	/*
	 * employed that day, not closed yet, whose local day has ended (a day
	 * still running, or in the future, is closed by a later call), with
	 * the end of their local day
	 */
	if (SPI_execute_with_args(
			"SELECT e.employee_id, e.timezone, "
			"       pg_catalog.timezone(e.timezone, ($1 OPERATOR(pg_catalog.+) 1)::pg_catalog.timestamp) AS day_end, "
			"       (SELECT pg_catalog.count(*) FROM hrguard.evidence v "
			"         WHERE v.employee_id OPERATOR(pg_catalog.=) e.employee_id "
			"           AND v.kind OPERATOR(pg_catalog.<>) 'day_close' "
			"           AND v.occurred_at OPERATOR(pg_catalog.>=) pg_catalog.timezone(e.timezone, $1::pg_catalog.timestamp) "
			"           AND v.occurred_at OPERATOR(pg_catalog.<) "
			"               pg_catalog.timezone(e.timezone, ($1 OPERATOR(pg_catalog.+) 1)::pg_catalog.timestamp)) AS entries "
			"  FROM hrguard.employee e "
			" WHERE (e.hired_on IS NULL OR e.hired_on OPERATOR(pg_catalog.<=) $1) "
			"   AND (e.left_on IS NULL OR e.left_on OPERATOR(pg_catalog.>=) $1) "
			"   AND pg_catalog.timezone(e.timezone, ($1 OPERATOR(pg_catalog.+) 1)::pg_catalog.timestamp) "
			"       OPERATOR(pg_catalog.<=) pg_catalog.now() "
			"   AND NOT EXISTS (SELECT FROM hrguard.day_close c "
			"                    WHERE c.employee_id OPERATOR(pg_catalog.=) e.employee_id "
			"                      AND c.day OPERATOR(pg_catalog.=) $1) "
			" ORDER BY e.employee_id",
			1, types, args, NULL, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not list the employees to close");
	employees = SPI_tuptable;
	n = SPI_processed;

	for (i = 0; i < n; i++)
	{
		HeapTuple	tuple = employees->vals[i];
		TupleDesc	desc = employees->tupdesc;
		bool		isnull;
		char	   *employee_id = TextDatumGetCString(SPI_getbinval(tuple, desc, 1, &isnull));
		char	   *tz = TextDatumGetCString(SPI_getbinval(tuple, desc, 2, &isnull));
		TimestampTz day_end = DatumGetTimestampTz(SPI_getbinval(tuple, desc, 3, &isnull));
		int64		entries = DatumGetInt64(SPI_getbinval(tuple, desc, 4, &isnull));
		StringInfoData payload;
		int64		seq;
		Oid			ctypes[3] = {TEXTOID, DATEOID, INT8OID};
		Datum		cargs[3];

		initStringInfo(&payload);
		appendStringInfoString(&payload, "{\"day\":");
		escape_json(&payload, DatumGetCString(DirectFunctionCall1(date_out, DateADTGetDatum(day))));
		appendStringInfoString(&payload, ",\"tz\":");
		escape_json(&payload, tz);
		appendStringInfo(&payload, ",\"entries\":" INT64_FORMAT "}", entries);
		seq = hrguard_evidence_append(employee_id, "day_close", day_end, payload.data);

		cargs[0] = CStringGetTextDatum(employee_id);
		cargs[1] = DateADTGetDatum(day);
		cargs[2] = Int64GetDatum(seq);
		hrguard_evidence_insert("INSERT INTO hrguard.day_close (employee_id, day, seq) "
								"VALUES ($1, $2, $3)", 3, ctypes, cargs);
		closed++;
	}

	hrguard_restore_user(&saved);
	SPI_finish();
	PG_RETURN_INT64(closed);
}
