/*-------------------------------------------------------------------------
 *
 * evidence_append.c
 *	  One evidence entry appended at the head of an employee's chain: the
 *	  append every entry outside a punch statement goes through,
 *	  hrguard.record_evidence(), the evidence an application brings, and
 *	  hrguard.record_fact(), the facts hrguard's SQL modules record.
 *
 * The append takes the employee's chain_head row FOR UPDATE in the
 * inserting transaction (creating it for a first entry), after writing
 * the entries a punch statement staged (evidence_stage.c), so that seq
 * is gap-free and concurrent appends to one chain wait for each other.
 *
 * IDENTIFICATION
 *	  src/evidence_append.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "common/sha2.h"
#include "executor/spi.h"
#include "storage/itemptr.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "common.h"
#include "evidence.h"
#include "evidence_append.h"
#include "evidence_stage.h"
#include "hrguard.h"
#include "privilege.h"

static SPIPlanPtr update_head_plan = NULL;
static SPIPlanPtr insert_entry_plan = NULL;

/*
 * Where the head of the chain this transaction appended to last is, so that
 * the next append to it in the same transaction goes to the row by its ctid.
 * Found through the primary key instead, the row would be reached through
 * every version this transaction made of it, and many appends to one chain
 * in one transaction would take quadratic time.  The ctid is only a hint:
 * when the row there is not the visible head of that employee (a subtrans-
 * action rolled back, a punch statement advanced the head), the key is used.
 */
static struct
{
	TransactionId xid;
	char	   *employee_id;
	ItemPointerData ctid;
}			last_head;

static void
remember_head(const char *employee_id, ItemPointer ctid)
{
	if (last_head.employee_id == NULL || strcmp(last_head.employee_id, employee_id) != 0)
	{
		if (last_head.employee_id != NULL)
			pfree(last_head.employee_id);
		last_head.employee_id = MemoryContextStrdup(TopMemoryContext, employee_id);
	}
	last_head.xid = GetTopTransactionIdIfAny();
	ItemPointerCopy(ctid, &last_head.ctid);
}

/*
 * Append one entry to an employee's chain; returns its seq.  Must run
 * inside SPI, as the owner of hrguard's tables.
 */
int64
hrguard_evidence_append(const char *employee_id, const char *kind,
						TimestampTz occurred_at, const char *payload_json)
{
	Datum		args[8];
	uint8		previous[PG_SHA256_DIGEST_LENGTH];
	uint8		leaf[PG_SHA256_DIGEST_LENGTH];
	uint8		link[PG_SHA256_DIGEST_LENGTH];
	StringInfoData canon;
	TimestampTz recorded_at = GetCurrentTransactionStartTimestamp();
	volatile int64 seq;
	bool		isnull;

	hrguard_refuse_on_subscriber();
	if (update_head_plan == NULL)
	{
		Oid			t4[4] = {TEXTOID, INT8OID, BYTEAOID, TIDOID};
		Oid			t8[8] = {TEXTOID, INT8OID, TEXTOID, TIMESTAMPTZOID, TIMESTAMPTZOID,
		BYTEAOID, BYTEAOID, BYTEAOID};

		update_head_plan = hrguard_prepare_kept(
			"UPDATE hrguard.chain_head SET seq = $2, head = $3, updated_at = pg_catalog.now() "
			" WHERE ctid OPERATOR(pg_catalog.=) $4 AND employee_id OPERATOR(pg_catalog.=) $1 "
			"RETURNING ctid", 4, t4);
		insert_entry_plan = hrguard_prepare_kept(
			"INSERT INTO hrguard.evidence (employee_id, seq, kind, occurred_at, recorded_at, "
			"                              canon, leaf, link) "
			"VALUES ($1, $2, $3, $4, $5, $6, $7, $8)", 8, t8);
	}

	/* entries a punch statement numbered go first */
	if (!hrguard_evidence_write_staged())
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("evidence cannot be recorded while an enclosing punch statement's entries are not written"),
				 errdetail("It was asked for inside a subtransaction (an exception block or a savepoint) of a statement that inserts punches."),
				 errhint("Record it in a statement of its own.")));

	/* the canonical bytes first: a bad payload must not take the lock */
	initStringInfo(&canon);
	hrguard_evidence_canon(&canon, employee_id, kind, occurred_at, recorded_at, payload_json);
	hrguard_evidence_leaf(NULL, canon.data, canon.len, leaf);

	/* only this code may create or advance a head or add an entry */
	hrguard_evidence_writing(true);
	PG_TRY();
	{
		HrguardChainHead locked;
		bool		known = last_head.employee_id != NULL &&
			last_head.xid == GetTopTransactionIdIfAny() &&
			strcmp(last_head.employee_id, employee_id) == 0;

		hrguard_chain_head_lock(employee_id, known ? &last_head.ctid : NULL, &locked);
		seq = locked.seq + 1;
		memcpy(previous, locked.head, PG_SHA256_DIGEST_LENGTH);
		hrguard_evidence_link(NULL, employee_id, seq, previous, leaf, link);

		args[0] = CStringGetTextDatum(employee_id);
		args[1] = Int64GetDatum(seq);
		args[2] = PointerGetDatum(hrguard_bytea_from(link, sizeof(link)));
		args[3] = PointerGetDatum(&locked.ctid);
		if (SPI_execute_plan(update_head_plan, args, NULL, false, 0) != SPI_OK_UPDATE_RETURNING ||
			SPI_processed != 1)
			elog(ERROR, "could not advance the chain head");
		remember_head(employee_id,
					  (ItemPointer) DatumGetPointer(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull)));

		args[2] = CStringGetTextDatum(kind);
		args[3] = TimestampTzGetDatum(occurred_at);
		args[4] = TimestampTzGetDatum(recorded_at);
		args[5] = PointerGetDatum(hrguard_bytea_from(canon.data, canon.len));
		args[6] = PointerGetDatum(hrguard_bytea_from(leaf, HRGUARD_LEAF_PREFIX));
		args[7] = PointerGetDatum(hrguard_bytea_from(link, sizeof(link)));
		if (SPI_execute_plan(insert_entry_plan, args, NULL, false, 0) != SPI_OK_INSERT)
			elog(ERROR, "could not insert the evidence entry");
	}
	PG_FINALLY();
	{
		hrguard_evidence_writing(false);
	}
	PG_END_TRY();
	return seq;
}

/* reserved for entries hrguard writes itself */
static const char *const system_kinds[] = {
	"punch", "alert", "alert_status", "day_close", "export", "checkpoint", "score", "case", "shred",
	"contract", "noncompete_payment"
};

static void
check_kind(const char *kind)
{
	const char *p;
	int			i;

	if (strlen(kind) > 40)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("evidence kind is not valid"),
				 errdetail("A kind is a lower-case word of letters, digits and underscores, at most 40 long, such as \"chat_log\".")));
	if (kind[0] < 'a' || kind[0] > 'z')
		goto bad;
	for (p = kind; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
			goto bad;
	for (i = 0; i < (int) lengthof(system_kinds); i++)
		if (strcmp(kind, system_kinds[i]) == 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("evidence kind \"%s\" is reserved for hrguard's own entries", kind)));
	return;
bad:
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("evidence kind \"%s\" is not valid", kind),
			 errdetail("A kind is a lower-case word of letters, digits and underscores, at most 40 long, such as \"chat_log\".")));
}

/* the kinds hrguard's SQL modules record in an employee's chain (contract.sql) */
static const char *const fact_kinds[] = {"contract", "noncompete_payment"};

/*
 * One entry brought through SQL: an application's (record_evidence, any
 * kind but hrguard's own) or one of hrguard's SQL modules' (record_fact,
 * only the kinds of fact_kinds).
 */
static int64
record_entry(FunctionCallInfo fcinfo, bool own_fact)
{
	char	   *employee_id;
	char	   *kind;
	Jsonb	   *payload;
	TimestampTz occurred_at;
	HrguardSavedUser saved;
	int64		seq;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("employee_id, kind, payload and occurred_at are required")));
	employee_id = hrguard_checked_employee_id(PG_GETARG_DATUM(0), false);
	kind = text_to_cstring(PG_GETARG_TEXT_PP(1));
	payload = PG_GETARG_JSONB_P(2);
	occurred_at = PG_GETARG_TIMESTAMPTZ(3);

	if (!own_fact)
		check_kind(kind);
	else
	{
		int			i;

		for (i = 0; i < (int) lengthof(fact_kinds); i++)
			if (strcmp(kind, fact_kinds[i]) == 0)
				break;
		if (i == (int) lengthof(fact_kinds))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("\"%s\" is not a kind of fact hrguard records", kind)));
	}
	hrguard_check_input_size("evidence payload", VARSIZE(payload) - VARHDRSZ,
							 HRGUARD_MAX_CANON_BYTES, "bytes");
	if (!JB_ROOT_IS_OBJECT(payload))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("evidence payload must be a JSON object")));
	if (TIMESTAMP_NOT_FINITE(occurred_at) ||
		occurred_at > GetCurrentStatementStartTimestamp() + 10 * USECS_PER_MINUTE)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("occurred_at must be a finite time not in the future")));
	hrguard_check_recordable_time(occurred_at, "occurred_at");

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	hrguard_become_owner(hrguard_evidence_owner(), &saved);
	hrguard_employee_must_exist(employee_id);
	seq = hrguard_evidence_append(employee_id, kind, occurred_at,
								  JsonbToCString(NULL, &payload->root, VARSIZE(payload)));
	hrguard_restore_user(&saved);
	SPI_finish();
	return seq;
}

/*
 * hrguard.record_evidence(employee_id, kind, payload jsonb, occurred_at)
 * -- append evidence an application brings (a chat-log reference with the
 * file's SHA-256, a note, a document); returns the entry's seq.
 */
PG_FUNCTION_INFO_V1(hrguard_record_evidence);
Datum
hrguard_record_evidence(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(record_entry(fcinfo, false));
}

/*
 * hrguard.record_fact(employee_id, kind, payload jsonb, occurred_at) --
 * internal: a contract or a non-compete payment appended to the employee's
 * chain by its trigger (contract.sql); returns the entry's seq.
 */
PG_FUNCTION_INFO_V1(hrguard_record_fact);
Datum
hrguard_record_fact(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(record_entry(fcinfo, true));
}
