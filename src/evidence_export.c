/*-------------------------------------------------------------------------
 *
 * evidence_export.c
 *	  hrguard.export_evidence(): a self-contained package of one employee's
 *	  evidence that a third party can verify offline (hrguard-verify, or
 *	  standard tools following README.md, "The evidence package").
 *
 * A package holds a contiguous run of one chain, seq first..last: the exact
 * canonical bytes of every entry (base64) with its link, the link before
 * the run, a checkpoint of the Merkle log with the inclusion proof of the
 * last entry, and a manifest.  The links tie every entry to the last one,
 * and the proof ties the last one to the checkpoint's root, so checking the
 * package against a checkpoint body kept outside the database shows that
 * none of its entries was changed since.  The export itself is recorded as
 * an "export" entry in the same chain.
 *
 * IDENTIFICATION
 *	  src/evidence_export.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "common/base64.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/json.h"
#include "utils/timestamp.h"

/* builtins.h declares SQL functions named like jansson's json_object() */
#define json_object pg_sql_json_object
#define json_typeof pg_sql_json_typeof
#include "utils/builtins.h"
#undef json_object
#undef json_typeof

#include <jansson.h>

#include "canon.h"
#include "chain_heads.h"
#include "common.h"
#include "evidence.h"
#include "evidence_append.h"
#include "evidence_log.h"
#include "hrguard.h"
#include "log_proofs.h"
#include "merkle.h"
#include "privilege.h"

#define HASH_LEN PG_SHA256_DIGEST_LENGTH
#define PACKAGE_FORMAT "hrguard-evidence-package/2"

/* a 32-byte hash as a JSON string of hex digits */
static json_t *
hash_json(const uint8 *hash)
{
	return json_string(hrguard_hash_hex(hash));
}

static json_t *
base64_json(const char *bytes, int len)
{
	int			cap = pg_b64_enc_len(len) + 1;
	char	   *b64 = palloc(cap);
	int			n = pg_b64_encode(bytes, len, b64, cap);
	json_t	   *out;

	if (n < 0)
		elog(ERROR, "could not encode an entry in base64");
	out = json_stringn(b64, n);
	pfree(b64);
	return out;
}

/* an end of the exported range: a time, or null when unbounded */
static json_t *
range_end_json(TimestampTz t)
{
	return TIMESTAMP_NOT_FINITE(t) ? json_null() : json_string(hrguard_utc_iso(t));
}

static void
range_end_payload(StringInfo buf, const char *key, TimestampTz t)
{
	appendStringInfo(buf, "\"%s\":", key);
	if (TIMESTAMP_NOT_FINITE(t))
		appendStringInfoString(buf, "null");
	else
		appendStringInfo(buf, INT64_FORMAT, hrguard_unix_micros(t));
}

static void
must_add(json_t *object, const char *key, json_t *value)
{
	if (value == NULL || json_object_set_new(object, key, value) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_OUT_OF_MEMORY),
				 errmsg("could not build the evidence package"),
				 errdetail("Member \"%s\" could not be added.", key)));
}

/*
 * The first and last seq of the employee's entries that occurred in
 * [from, to), among those up to the chain's head under the checkpoint
 * (all committed and logged, so what this finds does not depend on when
 * it looks).
 */
static bool
seq_range(const char *employee_id, TimestampTz from, TimestampTz to, int64 head,
		  int64 *first, int64 *last)
{
	Oid			types[4] = {TEXTOID, TIMESTAMPTZOID, TIMESTAMPTZOID, INT8OID};
	Datum		args[4] = {CStringGetTextDatum(employee_id), TimestampTzGetDatum(from), TimestampTzGetDatum(to),
	Int64GetDatum(head)};
	bool		isnull;

	if (SPI_execute_with_args("SELECT pg_catalog.min(seq), pg_catalog.max(seq) FROM hrguard.evidence "
							  " WHERE employee_id OPERATOR(pg_catalog.=) $1 "
							  "   AND occurred_at OPERATOR(pg_catalog.>=) $2 "
							  "   AND occurred_at OPERATOR(pg_catalog.<) $3 "
							  "   AND seq OPERATOR(pg_catalog.<=) $4",
							  4, types, args, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not find the entries to export");
	*first = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	if (isnull)
		return false;
	*last = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull));
	return true;
}

/*
 * Where a package of the range [from, to), whose entries under the
 * checkpoint run from seq "seq" (before) or to seq "seq" (after), starts
 * or ends: at the nearest entry before it in seq order that occurred
 * before "from" (seq 1 if none did), or after it that occurred at or after
 * "to" (the head if none did).  Late entries (their seq after entries that
 * occurred later) between are taken in.
 */
static int64
range_edge(const char *employee_id, int64 seq, TimestampTz from, TimestampTz to, int64 head, bool before)
{
	Oid			types[4] = {TEXTOID, INT8OID, TIMESTAMPTZOID, INT8OID};
	Datum		args[4] = {CStringGetTextDatum(employee_id), Int64GetDatum(seq),
	TimestampTzGetDatum(before ? from : to), Int64GetDatum(head)};
	bool		isnull;
	Datum		edge;

	if (before ? seq <= 1 : seq >= head)
		return seq;
	if (SPI_execute_with_args(before ?
							  "SELECT pg_catalog.max(seq) FROM hrguard.evidence "
							  " WHERE employee_id OPERATOR(pg_catalog.=) $1 AND seq OPERATOR(pg_catalog.<) $2 "
							  "   AND occurred_at OPERATOR(pg_catalog.<) $3 AND $4 IS NOT NULL" :
							  "SELECT pg_catalog.min(seq) FROM hrguard.evidence "
							  " WHERE employee_id OPERATOR(pg_catalog.=) $1 AND seq OPERATOR(pg_catalog.>) $2 "
							  "   AND seq OPERATOR(pg_catalog.<=) $4 AND occurred_at OPERATOR(pg_catalog.>=) $3",
							  4, types, args, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not find the edge of the range");
	edge = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	if (isnull)
		return before ? 1 : head;
	return DatumGetInt64(edge);
}

/*
 * A checkpoint body given by the caller, which must be one of this log's
 * (whatever follows its last line aside); returns it as it is stored.
 */
static char *
known_checkpoint(text *given, const char *what, HrguardCheckpointBody *cb)
{
	Oid			types[2] = {INT8OID, TEXTOID};
	Datum		args[2];
	char	   *body;

	hrguard_check_input_size("checkpoint body", VARSIZE_ANY_EXHDR(given),
							 HRGUARD_MAX_CHECKPOINT_BODY_BYTES, "bytes");
	body = hrguard_checkpoint_normal(text_to_cstring(given));
	hrguard_checkpoint_parse(body, cb);
	args[0] = Int64GetDatum(cb->size);
	args[1] = CStringGetTextDatum(body);
	if (SPI_execute_with_args("SELECT FROM hrguard.log_checkpoint "
							  " WHERE tree_size OPERATOR(pg_catalog.=) $1 AND body OPERATOR(pg_catalog.=) $2",
							  2, types, args, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not look up the checkpoint");
	if (SPI_processed != 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the %s checkpoint given is not one of this log's", what),
				 errhint("Pass a body returned by hrguard.checkpoint(), byte for byte.")));
	return body;
}

/*
 * The checkpoint to prove against: the one given, or a new one.  It must
 * commit to the chains' heads (version 2 and later).
 */
static char *
checkpoint_to_use(text *given, HrguardCheckpointBody *cb)
{
	char	   *body;

	if (given != NULL)
		body = known_checkpoint(given, "\"checkpoint\"", cb);
	else
	{
		body = text_to_cstring(hrguard_checkpoint_take());
		hrguard_checkpoint_parse(body, cb);
	}
	if (cb->version < 2)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the checkpoint is of version %d, which commits to no chain heads", cb->version),
				 errdetail("A package proven against it (a log of %lld entries) could not show that it is complete.",
						   (long long) cb->size),
				 errhint("Prove the package against a later checkpoint, and pass this one as \"since\".")));
	return body;
}

static json_t *
proof_json(const HrguardMerkleProof *proof)
{
	json_t	   *path = json_array();
	int			i;

	for (i = 0; i < proof->length; i++)
		if (json_array_append_new(path, hash_json(proof->hashes + i * HASH_LEN)) != 0)
			elog(ERROR, "could not build the evidence package");
	return path;
}

/* a 64-hex-digit root of a checkpoint body, as bytes */
static void
body_hash_bytes(const char *hex, uint8 *out)
{
	if (hex_decode(hex, HASH_LEN * 2, (char *) out) != HASH_LEN)
		elog(ERROR, "a checkpoint root is not 64 hex digits");
}

/*
 * The employee's chain head under a checkpoint (version 2 or later) with
 * the proof of its leaf in the checkpoint's heads tree.
 */
static json_t *
head_json(const char *employee_id, const HrguardCheckpointBody *cb, HrguardChainHead *head)
{
	json_t	   *object = hrguard_json_new_object();
	uint8		heads_root[HASH_LEN];
	pg_cryptohash_ctx *ctx = pg_cryptohash_create(PG_SHA256);
	HrguardMerkleProof *proof;

	body_hash_bytes(cb->heads_root_hex, heads_root);
	proof = hrguard_heads_inclusion(ctx, employee_id, cb->size, cb->heads, heads_root, head);
	pg_cryptohash_free(ctx);
	must_add(object, "seq", json_integer(head->seq));
	must_add(object, "link", hash_json(head->link));
	must_add(object, "position", json_integer(head->position));
	must_add(object, "heads", json_integer(cb->heads));
	must_add(object, "proof", proof_json(proof));
	return object;
}

/* has the employee's chain an entry in the log of "size" entries? */
static bool
chain_in_log(const char *employee_id, int64 size)
{
	Oid			types[2] = {TEXTOID, INT8OID};
	Datum		args[2] = {CStringGetTextDatum(employee_id), Int64GetDatum(size)};

	if (SPI_execute_with_args("SELECT FROM hrguard.log_entry "
							  " WHERE employee_id OPERATOR(pg_catalog.=) $1 AND seq OPERATOR(pg_catalog.=) 1 "
							  "   AND log_index OPERATOR(pg_catalog.<) $2",
							  2, types, args, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not look up the chain in the log");
	return SPI_processed == 1;
}

/*
 * The consistency proof from an earlier checkpoint ("since", one kept
 * outside the database) to the package's, so that the package can be
 * checked against that earlier body, and (version 2 and later) the chain's
 * head under it, which tells the seqs it anchors.
 */
static json_t *
consistency_json(const char *employee_id, text *since, int64 size)
{
	HrguardCheckpointBody old;
	json_t	   *consistency = hrguard_json_new_object();
	pg_cryptohash_ctx *ctx;
	bool		held;

	/* hrguard_merkle_consistency refuses one that is empty or not earlier */
	known_checkpoint(since, "\"since\"", &old);
	if (old.size > size)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the \"since\" checkpoint is later than the one the package is proven against"),
				 errdetail("They are of logs of %lld and %lld entries.", (long long) old.size, (long long) size),
				 errhint("Pass the earlier body as \"since\" and the later one as \"checkpoint\".")));
	must_add(consistency, "old_size", json_integer(old.size));
	must_add(consistency, "old_root", json_string(old.root_hex));
	ctx = pg_cryptohash_create(PG_SHA256);
	must_add(consistency, "proof", proof_json(hrguard_log_consistency(ctx, old.size, size, &held)));
	pg_cryptohash_free(ctx);
	if (!held)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("the evidence log no longer gives the root of the earlier checkpoint (%lld entries)",
						(long long) old.size),
				 errdetail("A package proven consistent with it would not verify."),
				 errhint("Run hrguard.verify_checkpoint() on it.")));
	if (old.version >= 2)
	{
		HrguardChainHead head;

		must_add(consistency, "old_heads_root", json_string(old.heads_root_hex));
		must_add(consistency, "head", chain_in_log(employee_id, old.size) ?
				 head_json(employee_id, &old, &head) : json_null());
	}
	return consistency;
}

/*
 * The entries first..last with their links, and the link before first;
 * *last_log_leaf is the log leaf the last one must have.  Every entry is
 * checked against its link, as hrguard-verify will check it: a package
 * that cannot verify is not made.
 */
static json_t *
entries_json(const char *employee_id, int64 first, int64 last, json_t *package, json_t *manifest,
			 uint8 *last_log_leaf)
{
	Oid			types[3] = {TEXTOID, INT8OID, INT8OID};
	Datum		args[3] = {CStringGetTextDatum(employee_id), Int64GetDatum(first - 1), Int64GetDatum(last)};
	json_t	   *entries = json_array();
	pg_cryptohash_ctx *all = pg_cryptohash_create(PG_SHA256);
	pg_cryptohash_ctx *check = pg_cryptohash_create(PG_SHA256);
	uint8		previous[HASH_LEN] = {0};
	uint8		digest[HASH_LEN];
	uint8		leaf[HASH_LEN];
	uint8		link_made[HASH_LEN];
	const uint8 *last_link = previous;
	uint64		i;

	if (SPI_execute_with_args("SELECT seq, canon, link FROM hrguard.evidence "
							  " WHERE employee_id OPERATOR(pg_catalog.=) $1 "
							  "   AND seq OPERATOR(pg_catalog.>=) $2 AND seq OPERATOR(pg_catalog.<=) $3 "
							  " ORDER BY seq",
							  3, types, args, NULL, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read the entries to export");
	if (pg_cryptohash_init(all) < 0)
		elog(ERROR, "could not start SHA-256");
	for (i = 0; i < SPI_processed; i++)
	{
		HeapTuple	tuple = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		bool		isnull;
		int64		seq = DatumGetInt64(SPI_getbinval(tuple, desc, 1, &isnull));
		bytea	   *canon = DatumGetByteaPP(SPI_getbinval(tuple, desc, 2, &isnull));
		bytea	   *link = DatumGetByteaPP(SPI_getbinval(tuple, desc, 3, &isnull));
		json_t	   *entry;

		if (VARSIZE_ANY_EXHDR(link) != HASH_LEN)
			ereport(ERROR,
					(errcode(ERRCODE_DATA_CORRUPTED),
					 errmsg("evidence entry %s/%lld has a damaged link", employee_id, (long long) seq)));
		if (seq == first - 1)
		{
			memcpy(previous, VARDATA_ANY(link), HASH_LEN);
			continue;
		}
		if (seq != first + (int64) json_array_size(entries))
			ereport(ERROR,
					(errcode(ERRCODE_DATA_CORRUPTED),
					 errmsg("the chain of employee \"%s\" has a gap before seq %lld",
							employee_id, (long long) seq),
					 errhint("Run hrguard.verify_chain() on it.")));
		hrguard_evidence_leaf(check, VARDATA_ANY(canon), VARSIZE_ANY_EXHDR(canon), leaf);
		hrguard_evidence_link(check, employee_id, seq, last_link, leaf, link_made);
		if (memcmp(link_made, VARDATA_ANY(link), HASH_LEN) != 0)
			ereport(ERROR,
					(errcode(ERRCODE_DATA_CORRUPTED),
					 errmsg("evidence entry %s/%lld does not match its link", employee_id, (long long) seq),
					 errdetail("A package of it would not verify."),
					 errhint("Run hrguard.verify_chain() on it.")));
		entry = hrguard_json_new_object();
		must_add(entry, "seq", json_integer(seq));
		must_add(entry, "canon", base64_json(VARDATA_ANY(canon), VARSIZE_ANY_EXHDR(canon)));
		must_add(entry, "link", hash_json((uint8 *) VARDATA_ANY(link)));
		if (json_array_append_new(entries, entry) != 0)
			elog(ERROR, "could not build the evidence package");
		if (pg_cryptohash_update(all, (uint8 *) VARDATA_ANY(canon), VARSIZE_ANY_EXHDR(canon)) < 0)
			elog(ERROR, "could not compute SHA-256");
		last_link = (uint8 *) VARDATA_ANY(link);
	}
	if (first + (int64) json_array_size(entries) - 1 != last)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("the chain of employee \"%s\" is missing entries up to seq %lld",
						employee_id, (long long) last)));
	if (pg_cryptohash_final(all, digest, sizeof(digest)) < 0)
		elog(ERROR, "could not compute SHA-256");
	pg_cryptohash_free(all);
	hrguard_log_leaf(check, employee_id, last, last_link, last_log_leaf);
	pg_cryptohash_free(check);

	must_add(package, "previous_link", hash_json(previous));
	must_add(manifest, "entries", json_integer(json_array_size(entries)));
	must_add(manifest, "first_seq", json_integer(first));
	must_add(manifest, "last_seq", json_integer(last));
	must_add(manifest, "last_link", hash_json(last_link));
	must_add(manifest, "canon_sha256", hash_json(digest));
	return entries;
}

/* The export's own evidence entry: who exported which range; its seq. */
static int64
record_export(const char *employee_id, const char *exporter, const char *session,
			  TimestampTz now, TimestampTz from, TimestampTz to,
			  int64 first, int64 last, int64 size)
{
	StringInfoData payload;

	initStringInfo(&payload);
	appendStringInfoString(&payload, "{\"by\":");
	escape_json(&payload, exporter);
	appendStringInfoString(&payload, ",\"session_user\":");
	escape_json(&payload, session);
	appendStringInfoChar(&payload, ',');
	range_end_payload(&payload, "from", from);
	appendStringInfoChar(&payload, ',');
	range_end_payload(&payload, "to", to);
	appendStringInfo(&payload, ",\"first_seq\":" INT64_FORMAT ",\"last_seq\":" INT64_FORMAT
					 ",\"tree_size\":" INT64_FORMAT "}", first, last, size);
	return hrguard_evidence_append(employee_id, "export", now, payload.data);
}

/* The package's opening fields: format, employee, range, who exported it. */
static json_t *
package_header(const char *employee_id, const char *exporter, const char *session,
			   TimestampTz now, TimestampTz from, TimestampTz to, int64 export_seq)
{
	json_t	   *package = hrguard_json_new_object();
	json_t	   *object = hrguard_json_new_object();

	must_add(package, "format", json_string(PACKAGE_FORMAT));
	must_add(package, "employee_id", json_string(hrguard_to_utf8(employee_id)));
	must_add(object, "from", range_end_json(from));
	must_add(object, "to", range_end_json(to));
	must_add(package, "range", object);
	object = hrguard_json_new_object();
	must_add(object, "by", json_string(hrguard_to_utf8(exporter)));
	must_add(object, "session_user", json_string(hrguard_to_utf8(session)));
	must_add(object, "at", json_string(hrguard_utc_iso(now)));
	must_add(object, "export_seq", json_integer(export_seq));
	must_add(package, "exported", object);
	return package;
}

/* The checkpoint the package is proven against, and the last entry's inclusion. */
static void
add_proofs(json_t *package, const char *body, int64 size, const char *root_hex,
		   int64 last, int64 index, const uint8 *leaf, HrguardMerkleProof *proof)
{
	json_t	   *checkpoint = hrguard_json_new_object();
	json_t	   *inclusion = hrguard_json_new_object();

	must_add(checkpoint, "body", json_string(body));
	must_add(checkpoint, "tree_size", json_integer(size));
	must_add(checkpoint, "root", json_string(root_hex));
	must_add(package, "checkpoint", checkpoint);
	must_add(inclusion, "seq", json_integer(last));
	must_add(inclusion, "log_index", json_integer(index));
	must_add(inclusion, "leaf_hash", hash_json(leaf));
	must_add(inclusion, "proof", proof_json(proof));
	must_add(package, "inclusion", inclusion);
}

/*
 * The package of a chain's entries that occurred in [from, to), with every
 * entry in between, proven against the given checkpoint or a new one.  An
 * employee's export is recorded in the employee's chain (export_seq < 0);
 * a case's custody chain is exported by hrguard.export_case(), which has
 * recorded the export as a step of the case, numbered export_seq.  Runs in
 * SPI, as the evidence owner.
 */
static char *
export_package(const char *chain_id, TimestampTz from, TimestampTz to, text *given,
			   text *since, int64 export_seq)
{
	char	   *exporter = GetUserNameFromId(GetOuterUserId(), false);
	char	   *session = GetUserNameFromId(GetSessionUserId(), false);
	TimestampTz now = GetCurrentTransactionStartTimestamp();
	int64		first,
				last,
				index;
	HrguardCheckpointBody cb;
	HrguardChainHead head;
	json_t	   *head_object;
	char	   *body;
	uint8		leaf[HASH_LEN];
	uint8		root[HASH_LEN];
	uint8		logged[HASH_LEN];
	HrguardMerkleProof *proof;
	pg_cryptohash_ctx *ctx;
	json_t	   *package,
			   *object,
			   *array;
	char	   *dumped;

	/*
	 * The checkpoint first, then what it holds of the range: a checkpoint
	 * taken here may have waited for another and logged entries recorded
	 * meanwhile.
	 */
	body = checkpoint_to_use(given, &cb);
	head_object = head_json(chain_id, &cb, &head);
	if (!seq_range(chain_id, from, to, head.seq, &first, &last))
		ereport(ERROR,
				(errcode(ERRCODE_NO_DATA_FOUND),
				 errmsg("%s \"%s\" has no evidence in that range under the checkpoint",
						export_seq < 0 ? "employee" : "chain", chain_id),
				 errdetail("The checkpoint is of a log of %lld entries.", (long long) cb.size),
				 errhint("Entries join the log at the next hrguard.checkpoint().")));

	/*
	 * Out to the entries nearest the range that occurred before it and after
	 * it, where the chain has them under the checkpoint: a package shows
	 * that nothing of the range was left out.
	 */
	first = range_edge(chain_id, first, from, to, head.seq, true);
	last = range_edge(chain_id, last, from, to, head.seq, false);
	ctx = pg_cryptohash_create(PG_SHA256);
	proof = hrguard_log_inclusion(ctx, chain_id, last, cb.size, &index, leaf, root);
	pg_cryptohash_free(ctx);

	/* an employee's export is itself evidence */
	if (export_seq < 0)
		export_seq = record_export(chain_id, exporter, session, now, from, to, first, last, cb.size);
	package = package_header(chain_id, exporter, session, now, from, to, export_seq);

	object = hrguard_json_new_object();
	array = entries_json(chain_id, first, last, package, object, logged);
	must_add(package, "entries", array);

	/*
	 * The last entry must be the one the log holds: after a chain is
	 * rewritten consistently, every link checks, and only the log tells.
	 */
	if (memcmp(logged, leaf, HASH_LEN) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("evidence entry %s/%lld is not the one the evidence log holds", chain_id,
						(long long) last),
				 errdetail("The chain or the log was changed after the entry was logged (log entry %lld); a package of it would not verify.",
						   (long long) index),
				 errhint("Run hrguard.verify_checkpoint() with the checkpoint bodies kept outside the database.")));

	add_proofs(package, body, cb.size, cb.root_hex, last, index, leaf, proof);
	must_add(package, "head", head_object);
	if (since != NULL)
		must_add(package, "consistency", consistency_json(chain_id, since, cb.size));
	must_add(package, "manifest", object);

	/* a checkpoint body given must also be the root the proof leads to */
	if (strcmp(hrguard_hash_hex(root), cb.root_hex) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("the log no longer gives the checkpoint's root"),
				 errhint("Run hrguard.verify_checkpoint() on it.")));

	dumped = json_dumps(package, JSON_INDENT(1) | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
	json_decref(package);
	if (dumped == NULL)
		elog(ERROR, "could not write the evidence package");
	return dumped;				/* jansson allocates with palloc here */
}

/* export_package, in SPI as the evidence owner; the package in the caller's context */
static text *
export_as_owner(const char *chain_id, bool employee, TimestampTz from, TimestampTz to,
				text *given, text *since, int64 export_seq)
{
	HrguardSavedUser saved;
	MemoryContext caller = CurrentMemoryContext;
	char	   *package;
	text	   *result;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	hrguard_become_owner(hrguard_evidence_owner(), &saved);
	if (employee)
		hrguard_employee_must_exist(chain_id);
	package = export_package(chain_id, from, to, given, since, export_seq);
	MemoryContextSwitchTo(caller);
	result = cstring_to_text(package);
	hrguard_restore_user(&saved);
	SPI_finish();
	return result;
}

/*
 * hrguard.export_evidence(employee_id, from_time, to_time, checkpoint)
 * -> json: the package of the employee's entries that occurred in
 * [from_time, to_time), with every entry in between, proven against the
 * given checkpoint or a new one.
 */
PG_FUNCTION_INFO_V1(hrguard_export_evidence);
Datum
hrguard_export_evidence(PG_FUNCTION_ARGS)
{
	char	   *employee_id;
	TimestampTz from,
				to;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("employee_id, from_time and to_time are required"),
				 errhint("Use '-infinity' and 'infinity' for an unbounded range.")));
	employee_id = hrguard_checked_employee_id(PG_GETARG_DATUM(0), false);
	from = PG_GETARG_TIMESTAMPTZ(1);
	to = PG_GETARG_TIMESTAMPTZ(2);
	if (!TIMESTAMP_NOT_FINITE(from))
		hrguard_check_recordable_time(from, "from_time");
	if (!TIMESTAMP_NOT_FINITE(to))
		hrguard_check_recordable_time(to, "to_time");
	if (from >= to)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("from_time must be before to_time")));
	PG_RETURN_TEXT_P(export_as_owner(employee_id, true, from, to,
									 PG_ARGISNULL(3) ? NULL : PG_GETARG_TEXT_PP(3),
									 PG_ARGISNULL(4) ? NULL : PG_GETARG_TEXT_PP(4), -1));
}

/*
 * hrguard.export_custody(case_id, checkpoint, export_step) -> json --
 * internal: the package of every entry of the case's custody chain under
 * the checkpoint given, for hrguard.export_case(), which recorded the
 * export as the case's step export_step.
 */
PG_FUNCTION_INFO_V1(hrguard_export_custody);
Datum
hrguard_export_custody(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("case_id, checkpoint and export_step are required")));
	PG_RETURN_TEXT_P(export_as_owner(psprintf("case:" INT64_FORMAT, PG_GETARG_INT64(0)), false,
									 DT_NOBEGIN, DT_NOEND, PG_GETARG_TEXT_PP(1), NULL,
									 PG_GETARG_INT64(2)));
}
