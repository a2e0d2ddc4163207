/*-------------------------------------------------------------------------
 *
 * evidence.c
 *	  Per-employee hash chains of evidence: appending entries, guarding
 *	  the tables, and verifying chains.
 *
 * Each entry stores the exact canonical bytes it hashed (canon.c) and
 *	  leaf = SHA-256(0x00 || canon)                       (RFC 9162 leaf)
 *	  link = SHA-256(0x02 || "hrguard/v1/link" || u32be(len) || employee_id
 *	                 || u64be(seq) || previous link || leaf)
 * with 32 zero bytes before the first entry.  The row keeps the link and
 * the first 16 bytes of the leaf (so a verifier can say whether the canon
 * or the link was changed): 48 bytes of hashes per entry.
 *
 * Appending takes the employee's chain_head row FOR UPDATE in the inserting
 * transaction, so seq is gap-free, concurrent appends to one chain wait for
 * each other instead of forking, and a rollback takes the entry back.
 *
 * IDENTIFICATION
 *	  src/evidence.c
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
#include "evidence.h"
#include "hrguard.h"

#define LINK_DOMAIN "hrguard/v1/link"

static SPIPlanPtr lock_head_plan = NULL;
static SPIPlanPtr create_head_plan = NULL;
static SPIPlanPtr update_head_plan = NULL;
static SPIPlanPtr lock_head_at_plan = NULL;
static SPIPlanPtr insert_entry_plan = NULL;

/* true while this backend's own append writes evidence or chain heads */
static bool appending = false;

void
hrguard_evidence_writing(bool on)
{
	appending = on;
}

/*
 * Run one INSERT into hrguard's guarded tables through SPI (connected by
 * the caller), as hrguard's own append; returns the number of rows written.
 */
uint64
hrguard_evidence_insert(const char *query, int nargs, Oid *types, Datum *args)
{
	hrguard_evidence_writing(true);
	PG_TRY();
	{
		if (SPI_execute_with_args(query, nargs, types, args, NULL, false, 0) != SPI_OK_INSERT)
			elog(ERROR, "could not write evidence: %s", query);
	}
	PG_FINALLY();
	{
		hrguard_evidence_writing(false);
	}
	PG_END_TRY();
	return SPI_processed;
}

/*
 * SHA-256 over a sequence of byte strings.  "ctx" may be a context the
 * caller reuses for many hashes, or NULL for a one-off.
 */
void
hrguard_sha256_parts(pg_cryptohash_ctx *ctx, const void *const *parts, const size_t *lens,
					 int nparts, uint8 out[PG_SHA256_DIGEST_LENGTH])
{
	pg_cryptohash_ctx *own = ctx ? NULL : pg_cryptohash_create(PG_SHA256);
	pg_cryptohash_ctx *use = ctx ? ctx : own;
	int			i;

	if (pg_cryptohash_init(use) < 0)
		elog(ERROR, "could not initialize SHA-256: %s", pg_cryptohash_error(use));
	for (i = 0; i < nparts; i++)
		if (pg_cryptohash_update(use, parts[i], lens[i]) < 0)
			elog(ERROR, "could not compute SHA-256: %s", pg_cryptohash_error(use));
	if (pg_cryptohash_final(use, out, PG_SHA256_DIGEST_LENGTH) < 0)
		elog(ERROR, "could not finalize SHA-256: %s", pg_cryptohash_error(use));
	if (own)
		pg_cryptohash_free(own);
}

void
hrguard_evidence_leaf(pg_cryptohash_ctx *ctx, const char *canon, size_t len,
					  uint8 leaf[PG_SHA256_DIGEST_LENGTH])
{
	static const uint8 prefix = 0x00;
	const void *parts[2] = {&prefix, canon};
	size_t		lens[2] = {1, len};

	hrguard_sha256_parts(ctx, parts, lens, 2, leaf);
}

void
hrguard_evidence_link(pg_cryptohash_ctx *ctx, const char *employee_id, int64 seq,
					  const uint8 previous[PG_SHA256_DIGEST_LENGTH],
					  const uint8 leaf[PG_SHA256_DIGEST_LENGTH],
					  uint8 link[PG_SHA256_DIGEST_LENGTH])
{
	static const uint8 prefix = 0x02;
	const char *employee = hrguard_to_utf8(employee_id);
	uint32		len_be = pg_hton32((uint32) strlen(employee));
	uint64		seq_be = pg_hton64((uint64) seq);
	const void *parts[7] = {&prefix, LINK_DOMAIN, &len_be, employee, &seq_be, previous, leaf};
	size_t		lens[7] = {1, strlen(LINK_DOMAIN), 4, strlen(employee), 8,
		PG_SHA256_DIGEST_LENGTH, PG_SHA256_DIGEST_LENGTH};

	hrguard_sha256_parts(ctx, parts, lens, 7, link);
}

static bytea *
bytes_to_bytea(const void *data, size_t len)
{
	bytea	   *b = palloc(VARHDRSZ + len);

	SET_VARSIZE(b, VARHDRSZ + len);
	memcpy(VARDATA(b), data, len);
	return b;
}

/*
 * Nonces come from a pool that pg_strong_random() fills 4 kB at a time:
 * each call into OpenSSL's generator makes a system call (its fork check)
 * and takes locks, which cost more than the 16 bytes of one nonce.  A
 * nonce taken is wiped from the pool.
 */
#define NONCE_POOL_BYTES 4096

static uint8 nonce_pool[NONCE_POOL_BYTES];
static size_t nonce_pool_used = NONCE_POOL_BYTES;

static void
take_nonce(uint8 *nonce, size_t len)
{
	Assert(len <= NONCE_POOL_BYTES);
	if (nonce_pool_used + len > NONCE_POOL_BYTES)
	{
		if (!pg_strong_random(nonce_pool, NONCE_POOL_BYTES))
			ereport(ERROR,
					(errcode(ERRCODE_INTERNAL_ERROR),
					 errmsg("could not generate a random nonce")));
		nonce_pool_used = 0;
	}
	memcpy(nonce, nonce_pool + nonce_pool_used, len);
	explicit_bzero(nonce_pool + nonce_pool_used, len);
	nonce_pool_used += len;
}

/*
 * The canonical bytes of an entry: a versioned object with the employee,
 * the kind, the event and receipt times in microseconds since the Unix
 * epoch, a 128-bit random nonce (so that a hash reveals nothing about a
 * guessable payload), and the payload, given as canonical bytes.
 */
void
hrguard_evidence_canon_of(StringInfo out, const char *employee_id, const char *kind,
						  TimestampTz occurred_at, TimestampTz recorded_at,
						  const char *canonical_payload, size_t payload_len)
{
	uint8		nonce[16];
	char		nonce_hex[sizeof(nonce) * 2];
	CanonWriter w;

	take_nonce(nonce, sizeof(nonce));
	hex_encode((const char *) nonce, sizeof(nonce), nonce_hex);

	hrguard_canon_writer_init(&w, out);
	hrguard_canon_object_begin(&w);
	hrguard_canon_key(&w, "e");
	hrguard_canon_cstring(&w, employee_id);
	hrguard_canon_key(&w, "k");
	hrguard_canon_cstring(&w, kind);
	hrguard_canon_key(&w, "n");
	hrguard_canon_string(&w, nonce_hex, sizeof(nonce_hex));
	hrguard_canon_key(&w, "p");
	hrguard_canon_raw(&w, canonical_payload, payload_len);
	hrguard_canon_key(&w, "rt");
	hrguard_canon_int(&w, hrguard_unix_micros(recorded_at));
	hrguard_canon_key(&w, "t");
	hrguard_canon_int(&w, hrguard_unix_micros(occurred_at));
	hrguard_canon_key(&w, "v");
	hrguard_canon_int(&w, 1);
	hrguard_canon_object_end(&w);
}

/*
 * The same, for a payload given as JSON text in the canonical subset, in
 * the database's encoding.
 */
void
hrguard_evidence_canon(StringInfo out, const char *employee_id, const char *kind,
					   TimestampTz occurred_at, TimestampTz recorded_at, const char *payload_json)
{
	const char *utf8 = hrguard_to_utf8(payload_json);
	StringInfoData payload;

	initStringInfo(&payload);
	hrguard_canonicalize(utf8, strlen(utf8), &payload);
	hrguard_evidence_canon_of(out, employee_id, kind, occurred_at, recorded_at,
							  payload.data, payload.len);
	pfree(payload.data);
}

int64
hrguard_unix_micros(TimestampTz t)
{
	return t + (int64) (POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * USECS_PER_DAY;
}

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
	int64		seq;
	bool		isnull;
	bytea	   *head;

	hrguard_refuse_on_subscriber();
	if (lock_head_plan == NULL)
	{
		Oid			t1[1] = {TEXTOID};
		Oid			t_at[2] = {TEXTOID, TIDOID};
		Oid			t4[4] = {TEXTOID, INT8OID, BYTEAOID, TIDOID};
		Oid			t8[8] = {TEXTOID, INT8OID, TEXTOID, TIMESTAMPTZOID, TIMESTAMPTZOID,
		BYTEAOID, BYTEAOID, BYTEAOID};

		lock_head_plan = hrguard_prepare_kept(
			"SELECT seq, head, ctid FROM hrguard.chain_head "
			" WHERE employee_id OPERATOR(pg_catalog.=) $1 FOR UPDATE", 1, t1);
		lock_head_at_plan = hrguard_prepare_kept(
			"SELECT seq, head, ctid FROM hrguard.chain_head "
			" WHERE ctid OPERATOR(pg_catalog.=) $2 AND employee_id OPERATOR(pg_catalog.=) $1 FOR UPDATE",
			2, t_at);
		create_head_plan = hrguard_prepare_kept(
			"INSERT INTO hrguard.chain_head (employee_id, seq, head) "
			"VALUES ($1, 0, pg_catalog.decode(pg_catalog.repeat('00', 32), 'hex')) "
			"ON CONFLICT (employee_id) DO NOTHING", 1, t1);
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
	appending = true;
	PG_TRY();
	{
		args[0] = CStringGetTextDatum(employee_id);
		SPI_processed = 0;
		if (last_head.employee_id != NULL && last_head.xid == GetTopTransactionIdIfAny() &&
			strcmp(last_head.employee_id, employee_id) == 0)
		{
			args[1] = PointerGetDatum(&last_head.ctid);
			if (SPI_execute_plan(lock_head_at_plan, args, NULL, false, 1) != SPI_OK_SELECT)
				elog(ERROR, "could not lock the chain head");
		}
		if (SPI_processed == 0 &&
			SPI_execute_plan(lock_head_plan, args, NULL, false, 1) != SPI_OK_SELECT)
			elog(ERROR, "could not lock the chain head");
		if (SPI_processed == 0)
		{
			if (SPI_execute_plan(create_head_plan, args, NULL, false, 0) != SPI_OK_INSERT)
				elog(ERROR, "could not create the chain head");
			if (SPI_execute_plan(lock_head_plan, args, NULL, false, 1) != SPI_OK_SELECT ||
				SPI_processed != 1)
				elog(ERROR, "could not lock the new chain head");
		}
		seq = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull)) + 1;
		head = DatumGetByteaPP(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull));
		if (VARSIZE_ANY_EXHDR(head) != PG_SHA256_DIGEST_LENGTH)
			ereport(ERROR,
					(errcode(ERRCODE_DATA_CORRUPTED),
					 errmsg("chain head of employee \"%s\" is damaged", employee_id)));
		memcpy(previous, VARDATA_ANY(head), PG_SHA256_DIGEST_LENGTH);
		hrguard_evidence_link(NULL, employee_id, seq, previous, leaf, link);

		args[1] = Int64GetDatum(seq);
		args[2] = PointerGetDatum(bytes_to_bytea(link, sizeof(link)));
		args[3] = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 3, &isnull);
		if (SPI_execute_plan(update_head_plan, args, NULL, false, 0) != SPI_OK_UPDATE_RETURNING ||
			SPI_processed != 1)
			elog(ERROR, "could not advance the chain head");
		remember_head(employee_id,
					  (ItemPointer) DatumGetPointer(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull)));

		args[2] = CStringGetTextDatum(kind);
		args[3] = TimestampTzGetDatum(occurred_at);
		args[4] = TimestampTzGetDatum(recorded_at);
		args[5] = PointerGetDatum(bytes_to_bytea(canon.data, canon.len));
		args[6] = PointerGetDatum(bytes_to_bytea(leaf, HRGUARD_LEAF_PREFIX));
		args[7] = PointerGetDatum(bytes_to_bytea(link, sizeof(link)));
		if (SPI_execute_plan(insert_entry_plan, args, NULL, false, 0) != SPI_OK_INSERT)
			elog(ERROR, "could not insert the evidence entry");
	}
	PG_FINALLY();
	{
		appending = false;
	}
	PG_END_TRY();
	return seq;
}

/*
 * Guard trigger on evidence and chain_head (created ENABLE ALWAYS): rows
 * are added and heads advanced only by hrguard_evidence_append; nothing is
 * ever updated otherwise, deleted or truncated.
 */
static const char *const append_only_tables[] = {
	"evidence", "chain_head", "day_close", "log_entry", "log_checkpoint", "log_node", NULL
};
static const HrguardTriggerSpec evidence_guard_spec = {
	"hrguard.evidence_guard()", append_only_tables, true,
	HRGUARD_TRIGGER_ROW | HRGUARD_TRIGGER_STATEMENT,
	HRGUARD_ON_INSERT | HRGUARD_ON_UPDATE | HRGUARD_ON_DELETE | HRGUARD_ON_TRUNCATE,
	"a BEFORE trigger on hrguard's append-only tables"
};

PG_FUNCTION_INFO_V1(hrguard_evidence_guard);
Datum
hrguard_evidence_guard(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	const char *table;
	const char *op;

	(void) hrguard_trigger_guard(fcinfo, &evidence_guard_spec);

	if (appending && !TRIGGER_FIRED_BY_DELETE(trigdata->tg_event) &&
		!TRIGGER_FIRED_BY_TRUNCATE(trigdata->tg_event))
		return PointerGetDatum(TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event) ?
							   trigdata->tg_newtuple : trigdata->tg_trigtuple);
	/* pg_restore and logical replication write rows as they were */
	if (hrguard_row_passes_through(trigdata))
		return PointerGetDatum(TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event) ?
							   trigdata->tg_newtuple : trigdata->tg_trigtuple);

	table = RelationGetRelationName(trigdata->tg_relation);
	op = TRIGGER_FIRED_BY_INSERT(trigdata->tg_event) ? "INSERT" :
		TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event) ? "UPDATE" :
		TRIGGER_FIRED_BY_DELETE(trigdata->tg_event) ? "DELETE" : "TRUNCATE";
	ereport(ERROR,
			(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
			 errmsg("hrguard.%s is append-only: %s is not allowed", table, op),
			 errdetail("Evidence is added only through hrguard.record_evidence() and hrguard's own triggers."),
			 errhint("Record a correcting entry instead of changing one; to restore a dump, set hrguard.restore_mode.")));
	return PointerGetDatum(NULL);
}

/*
 * Refuse to append evidence in a database into which a subscription
 * replicates hrguard.evidence: entries numbered here would take the seqs
 * of the publisher's next ones, fork the chains, and stop the
 * subscription.  Checked once per transaction; logical replication's own
 * workers pass.
 */
void
hrguard_refuse_on_subscriber(void)
{
	static LocalTransactionId checked_in = InvalidLocalTransactionId;
	Oid			evidence;
	Relation	catalog;
	ScanKeyData key;
	SysScanDesc scan;
	bool		subscribed;

	if (IsLogicalWorker() || checked_in == MyProc->lxid)
		return;
	evidence = get_relname_relid("evidence", get_namespace_oid("hrguard", false));
	catalog = table_open(SubscriptionRelRelationId, AccessShareLock);
	ScanKeyInit(&key, Anum_pg_subscription_rel_srrelid, BTEqualStrategyNumber, F_OIDEQ,
				ObjectIdGetDatum(evidence));
	scan = systable_beginscan(catalog, SubscriptionRelSrrelidSrsubidIndexId, true, NULL, 1, &key);
	subscribed = HeapTupleIsValid(systable_getnext(scan));
	systable_endscan(scan);
	table_close(catalog, AccessShareLock);
	if (subscribed)
		ereport(ERROR,
				(errcode(ERRCODE_READ_ONLY_SQL_TRANSACTION),
				 errmsg("hrguard's evidence in this database is written by logical replication"),
				 errdetail("A subscription replicates hrguard.evidence into this database; an entry appended here would fork the publisher's chains and stop the subscription."),
				 errhint("Punch, record evidence, change alerts, close days, export and take checkpoints on the publisher.")));
	checked_in = MyProc->lxid;
}

/* The role that owns hrguard's evidence tables. */
Oid
hrguard_evidence_owner(void)
{
	Oid			relid = get_relname_relid("evidence", get_namespace_oid("hrguard", false));

	if (!OidIsValid(relid))
		elog(ERROR, "table hrguard.evidence is missing");
	return hrguard_relation_owner(relid);
}

/* reserved for entries hrguard writes itself */
static const char *const system_kinds[] = {
	"punch", "alert", "alert_status", "day_close", "export", "checkpoint", "score", "case", "shred"
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

/*
 * hrguard.record_evidence(employee_id, kind, payload jsonb, occurred_at)
 * -- append evidence an application brings (a chat-log reference with the
 * file's SHA-256, a note, a document); returns the entry's seq.
 */
PG_FUNCTION_INFO_V1(hrguard_record_evidence);
Datum
hrguard_record_evidence(PG_FUNCTION_ARGS)
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

	check_kind(kind);
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
	PG_RETURN_INT64(seq);
}

/* Raise 23503 unless the employee is registered (SPI connected). */
void
hrguard_employee_must_exist(const char *employee_id)
{
	Oid			types[1] = {TEXTOID};
	Datum		args[1] = {CStringGetTextDatum(employee_id)};

	if (SPI_execute_with_args("SELECT FROM hrguard.employee WHERE employee_id OPERATOR(pg_catalog.=) $1",
							  1, types, args, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "employee lookup failed");
	if (SPI_processed != 1)
		ereport(ERROR,
				(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
				 errmsg("unknown employee \"%s\"", employee_id)));
}

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
