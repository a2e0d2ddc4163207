/*-------------------------------------------------------------------------
 *
 * evidence.c
 *	  Per-employee hash chains of evidence: the canonical bytes and hashes
 *	  of an entry, the guard that keeps the tables append-only, and what
 *	  every writer of entries needs (their owner, the subscriber check, the
 *	  employee check).  Entries are appended by evidence_append.c and, for
 *	  punch statements, evidence_stage.c.
 *
 * Each entry stores the exact canonical bytes it hashed (canon.c) and
 *	  leaf = SHA-256(0x00 || canon)                       (RFC 9162 leaf)
 *	  link = SHA-256(0x02 || "hrguard/v1/link" || u32be(len) || employee_id
 *	                 || u64be(seq) || previous link || leaf)
 * with 32 zero bytes before the first entry.  The row keeps the link and
 * the first 16 bytes of the leaf (so a verifier can say whether the canon
 * or the link was changed): 48 bytes of hashes per entry.
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
#include "canon_writer.h"
#include "common.h"
#include "evidence.h"
#include "hrguard.h"
#include "privilege.h"
#include "sha256.h"

#define LINK_DOMAIN "hrguard/v1/link"


/* true while this backend's own append writes evidence or chain heads */
static bool appending = false;

bool
hrguard_evidence_writing(bool on)
{
	bool		was = appending;

	appending = on;
	return was;
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

void
hrguard_evidence_leaf(pg_cryptohash_ctx *ctx, const char *canon, size_t len,
					  uint8 leaf[PG_SHA256_DIGEST_LENGTH])
{
	static const uint8 prefix = 0x00;
	const void *parts[2] = {&prefix, canon};
	size_t		lens[2] = {1, len};

	hrguard_sha256_parts(ctx, parts, lens, 2, leaf);
}

/*
 * SHA-256(0x00 || domain || u32be(len) || employee_id || u64be(seq) || link):
 * the leaf of a chain entry in the log, and of a chain's head in the heads
 * tree, each with its own domain.
 */
void
hrguard_chain_leaf(pg_cryptohash_ctx *ctx, const char *domain, const char *employee_id, int64 seq,
				   const uint8 *link, uint8 *leaf)
{
	static const uint8 leaf_tag = 0x00;
	const char *employee = hrguard_to_utf8(employee_id);
	uint32		len_be = pg_hton32((uint32) strlen(employee));
	uint64		seq_be = pg_hton64((uint64) seq);
	const void *parts[6] = {&leaf_tag, domain, &len_be, employee, &seq_be, link};
	size_t		lens[6] = {1, strlen(domain), 4, strlen(employee), 8, PG_SHA256_DIGEST_LENGTH};

	hrguard_sha256_parts(ctx, parts, lens, 6, leaf);
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
 * Guard trigger on evidence and chain_head (created ENABLE ALWAYS): rows
 * are added and heads advanced only by hrguard_evidence_append; nothing is
 * ever updated otherwise, deleted or truncated.
 */
static const char *const append_only_tables[] = {
	"evidence", "chain_head", "day_close", "log_entry", "log_checkpoint", "log_node",
	"log_chain", "log_head", "head_node", NULL
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
