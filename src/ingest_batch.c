/*-------------------------------------------------------------------------
 *
 * ingest_batch.c
 *	  The records of one vendor payload, in batches: vendor user ids mapped
 *	  to employees, the punches inserted into hrguard.punch by one
 *	  INSERT ... SELECT per batch (so every punch goes through the punch
 *	  trigger, its checks, alerts and evidence, as the caller's own INSERT
 *	  would), and the records that cannot be punches kept in
 *	  hrguard.ingest_reject with their reason and their text.
 *
 * Ingestion runs as its caller: the caller's privileges on hrguard.punch,
 * hrguard.employee and hrguard.ingest_reject decide, as they would for
 * the caller's own statements.
 *
 * A record already stored (same source and source_record_id) is a
 * duplicate: it is not inserted again, neither by this payload nor by a
 * concurrent one.  A batch is first inserted as it is, in a subtransaction:
 * most batches hold no duplicate, and then nothing else is done.  When the
 * unique index refuses one (a record stored before or by a concurrent
 * ingestion, or twice in the payload), the subtransaction is rolled back
 * and the batch inserted again without the records already stored and
 * with ON CONFLICT DO NOTHING on the unique index.  A rejected record is
 * kept once per text and reason.
 *
 * IDENTIFICATION
 *	  src/ingest_batch.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/hsearch.h"
#include "utils/memutils.h"
#include "utils/resowner.h"
#include "utils/timestamp.h"

#include "common.h"
#include "ingest_batch.h"
#include "ingest_json.h"
#include "privilege.h"

/*
 * Records inserted by one statement: at most this many, and no more once
 * their text passes INGEST_BATCH_BYTES (a batch's columns and arrays hold
 * copies of what was read from it).
 */
#define INGEST_BATCH 10000
#define INGEST_BATCH_BYTES (4 * 1024 * 1024)

struct IngestBatch
{
	const char *function;
	IngestVendor vendor;
	MemoryContext call_context;
	MemoryContext record_context;	/* the batch's records; reset after each batch */
	HTAB	   *users;
	SPIPlanPtr	user_plan;
	SPIPlanPtr	punch_plan;		/* the batch as it is */
	SPIPlanPtr	punch_skip_plan;	/* the batch without the records stored */
	SPIPlanPtr	punch_check_plan;
	SPIPlanPtr	reject_plan;
	SPIPlanPtr	reject_check_plan;
	int			n;
	int64		bytes;			/* of the batch's records' text */
	IngestPunch punches[INGEST_BATCH];
	IngestSpan	raws[INGEST_BATCH];
	IngestUser *punch_users[INGEST_BATCH];	/* each punch's, or NULL */
	int			nkinds;			/* check types met, as text */
	const char *kind_names[4];
	Datum		kind_texts[4];
	int64		received;
	int64		inserted;
	int64		duplicates;
	int64		rejected;
};

static const char *const vendor_source[] = {"dingtalk", "wecom"};
static const char *const vendor_name[] = {"DingTalk", "WeCom"};
static const char *const reason_name[] = {
	NULL, "unknown_user", "missed_punch", "invalid_record"
};

/* Vendor payloads are UTF-8 with Chinese text: a UTF8 database stores them as sent. */
void
hrguard_ingest_require_utf8(const char *function)
{
	if (GetDatabaseEncoding() != PG_UTF8)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("%s needs a database in UTF8 encoding", function),
				 errdetail("This database's encoding is %s.", GetDatabaseEncodingName())));
}

/*
 * A statement over the batch's arrays.  Those that run once per batch are
 * planned generically: a custom plan would copy every array of the batch
 * into the plan as a constant, and plan again, for the same plan.
 */
static SPIPlanPtr
prepare_plan(const char *query, int nargs, Oid *types, bool generic)
{
	SPIPlanPtr	plan = SPI_prepare_cursor(query, nargs, types,
										  generic ? CURSOR_OPT_GENERIC_PLAN : 0);

	if (plan == NULL)
		elog(ERROR, "could not prepare an ingestion statement: %s",
			 SPI_result_code_string(SPI_result));
	return plan;
}

static SPIPlanPtr
prepare(const char *query, int nargs, Oid *types)
{
	return prepare_plan(query, nargs, types, false);
}

static SPIPlanPtr
prepare_generic(const char *query, int nargs, Oid *types)
{
	return prepare_plan(query, nargs, types, true);
}

/*
 * The users met are keyed by a pointer to their id's text (a record's,
 * kept through the call), not a copy: a payload of many users takes
 * memory for each once.
 */
static uint32
userid_hash(const void *key, Size keysize)
{
	const char *s = *(const char *const *) key;

	return hash_bytes((const unsigned char *) s, strlen(s));
}

static int
userid_match(const void *a, const void *b, Size keysize)
{
	return strcmp(*(const char *const *) a, *(const char *const *) b);
}

IngestBatch *
hrguard_ingest_begin(const char *function, IngestVendor vendor)
{
	IngestBatch *b = palloc0(sizeof(IngestBatch));
	HASHCTL		hctl;
	char		query[512];
	Oid			user_types[1] = {TEXTARRAYOID};
	Oid			punch_types[12] = {TEXTOID, TEXTARRAYOID, TIMESTAMPTZARRAYOID, FLOAT8ARRAYOID,
		FLOAT8ARRAYOID, FLOAT8ARRAYOID, TEXTARRAYOID, TEXTARRAYOID, TEXTARRAYOID,
	TEXTARRAYOID, TEXTARRAYOID, JSONBARRAYOID};
	Oid			reject_types[6] = {TEXTOID, TEXTARRAYOID, TEXTARRAYOID, TEXTARRAYOID,
	TEXTARRAYOID, TEXTARRAYOID};
	Oid			check_types[3] = {TEXTOID, TEXTARRAYOID, TEXTARRAYOID};

	b->function = function;
	b->vendor = vendor;
	b->call_context = CurrentMemoryContext;
	b->record_context = AllocSetContextCreate(CurrentMemoryContext, "hrguard ingestion batch",
											  ALLOCSET_DEFAULT_SIZES);
	hctl.keysize = sizeof(char *);
	hctl.entrysize = sizeof(IngestUser);
	hctl.hash = userid_hash;
	hctl.match = userid_match;
	hctl.hcxt = CurrentMemoryContext;
	b->users = hash_create("hrguard ingestion users", 256, &hctl,
						   HASH_ELEM | HASH_FUNCTION | HASH_COMPARE | HASH_CONTEXT);

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	snprintf(query, sizeof(query),
			 "SELECT e.%s, e.employee_id FROM hrguard.employee e "
			 " WHERE e.%s OPERATOR(pg_catalog.=) ANY ($1)",
			 vendor == INGEST_DINGTALK ? "dingtalk_userid" : "wecom_userid",
			 vendor == INGEST_DINGTALK ? "dingtalk_userid" : "wecom_userid");
	b->user_plan = prepare(query, 1, user_types);
	/* the punch's columns from the batch's arrays, named r.e .. r.flags */
#define PUNCH_INSERT \
	"INSERT INTO hrguard.punch (employee_id, punched_at, raw_lat, raw_lon, raw_crs, " \
	"       accuracy_m, check_type, source, source_record_id, device_id, wifi_bssid, " \
	"       address, vendor_flags) " \
	"SELECT r.e, r.t, r.la, r.lo, CASE WHEN r.la IS NULL THEN NULL ELSE 'gcj02' END, " \
	"       r.acc, r.ct, $1, r.id, r.dev, r.bssid, r.addr, r.flags "
	/*
	 * the record's key as stored: NULL when a trigger of the DBA's changed the
	 * source, so that the record counts as not stored as it was sent
	 */
#define PUNCH_RETURNING \
	"RETURNING CASE WHEN source OPERATOR(pg_catalog.=) $1 THEN source_record_id END"

	/*
	 * The arrays unnested side by side in the target list (a ProjectSet,
	 * which streams its rows where a function scan would store them first):
	 * the rows go in the order of the arrays.
	 */
	b->punch_plan = prepare_generic(PUNCH_INSERT
							"  FROM (SELECT pg_catalog.unnest($2) AS e, pg_catalog.unnest($3) AS t, "
							"               pg_catalog.unnest($4) AS la, pg_catalog.unnest($5) AS lo, "
							"               pg_catalog.unnest($6) AS acc, pg_catalog.unnest($7) AS ct, "
							"               pg_catalog.unnest($8) AS id, pg_catalog.unnest($9) AS dev, "
							"               pg_catalog.unnest($10) AS bssid, pg_catalog.unnest($11) AS addr, "
							"               pg_catalog.unnest($12) AS flags) r "
							PUNCH_RETURNING, 12, punch_types);
	/* with a join, the order is kept by the arrays' ordinality */
	b->punch_skip_plan = prepare_generic(PUNCH_INSERT
								 "  FROM ROWS FROM (pg_catalog.unnest($2), pg_catalog.unnest($3), pg_catalog.unnest($4), "
								 "       pg_catalog.unnest($5), pg_catalog.unnest($6), pg_catalog.unnest($7), "
								 "       pg_catalog.unnest($8), pg_catalog.unnest($9), pg_catalog.unnest($10), "
								 "       pg_catalog.unnest($11), pg_catalog.unnest($12)) "
								 "       WITH ORDINALITY AS r(e, t, la, lo, acc, ct, id, dev, bssid, addr, flags, n) "
								 " WHERE NOT EXISTS (SELECT FROM hrguard.punch d "
								 "                    WHERE d.source OPERATOR(pg_catalog.=) $1 "
								 "                      AND d.source_record_id OPERATOR(pg_catalog.=) r.id) "
								 " ORDER BY r.n "
								 "ON CONFLICT (source, source_record_id) WHERE source_record_id IS NOT NULL "
								 "DO NOTHING " PUNCH_RETURNING,
								 12, punch_types);
#undef PUNCH_RETURNING
#undef PUNCH_INSERT
	b->reject_plan = prepare_generic(
							 "INSERT INTO hrguard.ingest_reject (source, vendor_userid, source_record_id, "
							 "       reason, detail, raw_record, raw_sha256) "
							 "SELECT $1, r.u, r.id, r.reason, r.detail, r.raw, "
							 "       pg_catalog.sha256(pg_catalog.convert_to(r.raw, 'UTF8')) "
							 "  FROM ROWS FROM (pg_catalog.unnest($2), pg_catalog.unnest($3), pg_catalog.unnest($4), "
							 "       pg_catalog.unnest($5), pg_catalog.unnest($6)) "
							 "       WITH ORDINALITY AS r(u, id, reason, detail, raw, n) "
							 " ORDER BY r.n "
							 "ON CONFLICT DO NOTHING",
							 6, reject_types);
	/*
	 * After each batch: every record is stored (inserted now or before).  A
	 * trigger of the DBA's that drops a row must not pass for a duplicate.
	 */
	b->punch_check_plan = prepare_generic(
								  "SELECT pg_catalog.count(*) FROM pg_catalog.unnest($2) AS x(id) "
								  " WHERE NOT EXISTS (SELECT FROM hrguard.punch p "
								  "                    WHERE p.source OPERATOR(pg_catalog.=) $1 "
								  "                      AND p.source_record_id OPERATOR(pg_catalog.=) x.id)",
								  2, check_types);
	b->reject_check_plan = prepare_generic(
								   "SELECT pg_catalog.count(*) "
								   "  FROM ROWS FROM (pg_catalog.unnest($2), pg_catalog.unnest($3)) AS x(raw, reason) "
								   " WHERE NOT EXISTS (SELECT FROM hrguard.ingest_reject j "
								   "                    WHERE j.source OPERATOR(pg_catalog.=) $1 "
								   "                      AND j.raw_sha256 OPERATOR(pg_catalog.=) "
								   "                          pg_catalog.sha256(pg_catalog.convert_to(x.raw, 'UTF8')) "
								   "                      AND j.reason OPERATOR(pg_catalog.=) x.reason "
								   "                      AND j.raw_record OPERATOR(pg_catalog.=) x.raw)",
								   3, check_types);
	MemoryContextSwitchTo(b->record_context);
	return b;
}

/* ---- arrays of the batch's columns ---------------------------------------------- */

typedef struct Column
{
	Oid			type;
	Datum	   *values;
	bool	   *nulls;
} Column;

static void
column_init(Column *c, Oid type, int n)
{
	c->type = type;
	c->values = palloc0(sizeof(Datum) * Max(n, 1));
	c->nulls = palloc0(sizeof(bool) * Max(n, 1));
}

static void
column_text(Column *c, int i, const char *s)
{
	c->nulls[i] = s == NULL;
	if (s != NULL)
		c->values[i] = CStringGetTextDatum(s);
}

static void
column_float8(Column *c, int i, bool present, double x)
{
	c->nulls[i] = !present;
	c->values[i] = Float8GetDatum(x);
}

static Datum
column_array(Column *c, int n)
{
	int			dims[1] = {n};
	int			lbs[1] = {1};
	/* text and jsonb are varlena, int-aligned; the others float8-like */
	bool		varlena = c->type == TEXTOID || c->type == JSONBOID;

	return PointerGetDatum(construct_md_array(c->values, c->nulls, 1, dims, lbs, c->type,
											  varlena ? -1 : 8, varlena ? false : FLOAT8PASSBYVAL,
											  varlena ? TYPALIGN_INT : TYPALIGN_DOUBLE));
}

/* ---- the batch --------------------------------------------------------------------- */

/* The entry of a vendor user id, made (not yet looked up) when new. */
IngestUser *
hrguard_ingest_note_user(IngestBatch *b, const char *userid)
{
	bool		found;
	IngestUser *u;

	u = hash_search(b->users, &userid, HASH_ENTER, &found);
	if (!found)
	{
		u->looked_up = false;
		u->employee_id = NULL;
	}
	return u;
}

static int
compare_user_employees(const void *a, const void *b)
{
	return strcmp((*(IngestUser *const *) a)->employee_id, (*(IngestUser *const *) b)->employee_id);
}

/*
 * Each mapped user's rank: its employee id's place among those mapped, as
 * PostgreSQL orders them (COLLATE "C"), so that records can be put in
 * employee order by comparing numbers.
 */
static void
rank_users(IngestBatch *b)
{
	HASH_SEQ_STATUS seq;
	IngestUser *u;
	IngestUser **mapped = palloc(sizeof(IngestUser *) * Max(hash_get_num_entries(b->users), 1));
	int			n = 0,
				i;

	hash_seq_init(&seq, b->users);
	while ((u = hash_seq_search(&seq)) != NULL)
	{
		u->rank = -1;
		if (u->employee_id != NULL)
			mapped[n++] = u;
	}
	qsort(mapped, n, sizeof(IngestUser *), compare_user_employees);
	for (i = 0; i < n; i++)
		mapped[i]->rank = (i > 0 && strcmp(mapped[i]->employee_id, mapped[i - 1]->employee_id) == 0)
			? mapped[i - 1]->rank : i;
	pfree(mapped);
}

/* Look up the employees of the user ids not looked up yet, 1,000 per query. */
void
hrguard_ingest_map_users(IngestBatch *b)
{
	HASH_SEQ_STATUS seq;
	IngestUser *u;
	Column		ids;
	int			nids = 0;
	MemoryContext old = MemoryContextSwitchTo(b->record_context);

	column_init(&ids, TEXTOID, INGEST_BATCH);
	hash_seq_init(&seq, b->users);
	for (;;)
	{
		u = hash_seq_search(&seq);
		if (u != NULL && !u->looked_up)
		{
			u->looked_up = true;
			column_text(&ids, nids++, u->userid);
		}
		if (nids > 0 && (u == NULL || nids == INGEST_BATCH))
		{
			Datum		arg = column_array(&ids, nids);
			uint64		r;

			if (SPI_execute_plan(b->user_plan, &arg, NULL, true, 0) != SPI_OK_SELECT)
				elog(ERROR, "could not look up the employees of vendor user ids");
			for (r = 0; r < SPI_processed; r++)
			{
				HeapTuple	tuple = SPI_tuptable->vals[r];
				const char *userid = SPI_getvalue(tuple, SPI_tuptable->tupdesc, 1);
				IngestUser *found = hash_search(b->users, &userid, HASH_FIND, NULL);

				if (found != NULL)
				{
					MemoryContext old_context = MemoryContextSwitchTo(b->call_context);

					found->employee_id = SPI_getvalue(tuple, SPI_tuptable->tupdesc, 2);
					found->employee_text = CStringGetTextDatum(found->employee_id);
					MemoryContextSwitchTo(old_context);
				}
			}
			SPI_freetuptable(SPI_tuptable);
			nids = 0;
		}
		if (u == NULL)
			break;
	}
	MemoryContextSwitchTo(old);
	rank_users(b);
}

/*
 * A statement's arguments: args[0] the vendor's source, then the n rows of
 * each column as an array.  Built once per batch and statement kind: a
 * batch's arrays copy its values.
 */
static void
column_args(IngestBatch *b, Column *cols, int ncols, int n, Datum *args)
{
	int			i;

	args[0] = CStringGetTextDatum(vendor_source[b->vendor]);
	for (i = 0; i < ncols; i++)
		args[i + 1] = column_array(&cols[i], n);
}

/* Fail: a trigger on table dropped or changed records of the payload. */
static void
not_stored_as_sent(IngestBatch *b, const char *table, int64 count)
{
	ereport(ERROR,
			(errcode(ERRCODE_TRIGGERED_ACTION_EXCEPTION),
			 errmsg_plural("%s: %lld record of the payload is not stored in %s as it was sent",
						   "%s: %lld records of the payload are not stored in %s as they were sent",
						   count, b->function, (long long) count, table),
			 errdetail("A trigger on %s dropped or changed them. Nothing from this payload was stored.",
					   table)));
}

/* Fail unless every record a check plan is given (args: source, arrays) is stored. */
static void
check_stored(IngestBatch *b, SPIPlanPtr plan, Datum *args, const char *table)
{
	bool		isnull;
	int64		missing;

	if (SPI_execute_plan(plan, args, NULL, false, 0) != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "could not check the records of a vendor payload");
	missing = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	if (missing > 0)
		not_stored_as_sent(b, table, missing);
}

/* Run an insert plan on its arguments (column_args); rows inserted. */
static uint64
insert_columns(SPIPlanPtr plan, Datum *args)
{
	int			rc = SPI_execute_plan(plan, args, NULL, false, 0);

	if (rc != SPI_OK_INSERT && rc != SPI_OK_INSERT_RETURNING)
		elog(ERROR, "could not write the records of a vendor payload");
	return SPI_processed;
}

/*
 * The punches of a batch: first as they are, in a subtransaction; if the
 * unique index on (source, source_record_id) refuses one, that is rolled
 * back (with what the punch trigger staged in it) and the batch inserted
 * without the records already stored, skipping any a concurrent ingestion
 * stores meanwhile.  Rows inserted; their ids in SPI_tuptable.
 */
static uint64
insert_punch_columns(IngestBatch *b, Column *cols, int ncols, int n)
{
	MemoryContext context = CurrentMemoryContext;
	ResourceOwner owner = CurrentResourceOwner;
	volatile uint64 inserted = 0;
	volatile bool refused = false;
	Datum		args[12];

	Assert(ncols < (int) lengthof(args));
	column_args(b, cols, ncols, n, args);
	BeginInternalSubTransaction(NULL);
	MemoryContextSwitchTo(context);
	PG_TRY();
	{
		inserted = insert_columns(b->punch_plan, args);
		ReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(context);
		CurrentResourceOwner = owner;
	}
	PG_CATCH();
	{
		ErrorData  *error;

		MemoryContextSwitchTo(context);
		error = CopyErrorData();
		FlushErrorState();
		RollbackAndReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(context);
		CurrentResourceOwner = owner;
		if (error->sqlerrcode != ERRCODE_UNIQUE_VIOLATION)
			ReThrowError(error);
		FreeErrorData(error);
		refused = true;
	}
	PG_END_TRY();
	if (refused)
		inserted = insert_columns(b->punch_skip_plan, args);
	return inserted;
}

/*
 * The records the insert did not return were not inserted: each must be
 * stored already (a duplicate), or a trigger dropped or changed it.
 */
static void
check_not_returned(IngestBatch *b, Column *ids, int n)
{
	uint64		nreturned = SPI_processed;
	char	  **returned;
	Column		missing;
	int			nmissing = 0;
	uint64		r;
	int			i;

	/* most often every record came back, in the order sent */
	if (nreturned == (uint64) n)
	{
		for (i = 0; i < n; i++)
		{
			bool		isnull;
			Datum		value = SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &isnull);
			text	   *got;
			text	   *sent = DatumGetTextPP(ids->values[i]);

			if (isnull)
				break;
			got = DatumGetTextPP(value);
			if (VARSIZE_ANY_EXHDR(got) != VARSIZE_ANY_EXHDR(sent) ||
				memcmp(VARDATA_ANY(got), VARDATA_ANY(sent), VARSIZE_ANY_EXHDR(sent)) != 0)
				break;
		}
		if (i == n)
		{
			SPI_freetuptable(SPI_tuptable);
			return;
		}
	}
	returned = palloc(sizeof(char *) * Max(nreturned, 1));
	for (r = 0; r < nreturned; r++)
		returned[r] = SPI_getvalue(SPI_tuptable->vals[r], SPI_tuptable->tupdesc, 1);
	SPI_freetuptable(SPI_tuptable);
	/* NULL: stored under another source than the vendor's */
	for (r = 0; r < nreturned; r++)
		if (returned[r] == NULL)
			nmissing++;
	if (nmissing > 0)
		not_stored_as_sent(b, "hrguard.punch", nmissing);
	qsort(returned, nreturned, sizeof(char *), hrguard_compare_strings);
	column_init(&missing, TEXTOID, n);
	for (i = 0; i < n; i++)
	{
		char	   *id = TextDatumGetCString(ids->values[i]);

		if (hrguard_find_string(returned, nreturned, id) < 0)
			column_text(&missing, nmissing++, id);
	}
	if (nmissing > 0)
	{
		Datum		args[2];

		column_args(b, &missing, 1, nmissing, args);
		check_stored(b, b->punch_check_plan, args, "hrguard.punch");
	}
}

/* A check type as text, made once per ingestion (readers use a handful of constants). */
static Datum
kind_text(IngestBatch *b, const char *kind)
{
	MemoryContext old;
	int			i;

	for (i = 0; i < b->nkinds; i++)
		if (b->kind_names[i] == kind || strcmp(b->kind_names[i], kind) == 0)
			return b->kind_texts[i];
	if (b->nkinds == lengthof(b->kind_names))
		return CStringGetTextDatum(kind);
	old = MemoryContextSwitchTo(b->call_context);
	b->kind_names[b->nkinds] = pstrdup(kind);
	b->kind_texts[b->nkinds] = CStringGetTextDatum(kind);
	MemoryContextSwitchTo(old);
	return b->kind_texts[b->nkinds++];
}

static void
insert_punches(IngestBatch *b)
{
	Column		cols[11];
	static const Oid types[11] = {TEXTOID, TIMESTAMPTZOID, FLOAT8OID, FLOAT8OID, FLOAT8OID,
	TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, JSONBOID};
	int			n = 0;
	int			i;
	uint64		inserted;

	for (i = 0; i < 11; i++)
		column_init(&cols[i], types[i], b->n);
	for (i = 0; i < b->n; i++)
	{
		IngestPunch *p = &b->punches[i];
		IngestUser *u;

		if (p->reason != INGEST_OK)
			continue;
		u = b->punch_users[i];
		if (u == NULL || u->employee_id == NULL)
		{
			hrguard_ingest_reject(p, INGEST_UNKNOWN_USER, "no employee has the %s user id \"%s\"",
								  vendor_name[b->vendor], hrguard_echo(p->vendor_userid));
			continue;
		}
		cols[0].values[n] = u->employee_text;
		cols[1].values[n] = TimestampTzGetDatum(p->punched_at);
		column_float8(&cols[2], n, p->located, p->raw_lat);
		column_float8(&cols[3], n, p->located, p->raw_lon);
		column_float8(&cols[4], n, p->has_accuracy, p->accuracy_m);
		cols[5].values[n] = kind_text(b, p->check_type);
		column_text(&cols[6], n, p->record_id);
		column_text(&cols[7], n, p->device_id);
		column_text(&cols[8], n, p->wifi_bssid);
		column_text(&cols[9], n, p->address);
		cols[10].nulls[n] = p->vendor_flags == NULL;
		cols[10].values[n] = PointerGetDatum(p->vendor_flags);
		n++;
	}
	if (n == 0)
		return;
	inserted = insert_punch_columns(b, cols, lengthof(cols), n);
	check_not_returned(b, &cols[6], n);
	b->inserted += inserted;
	b->duplicates += n - inserted;
}


static void
insert_rejects(IngestBatch *b)
{
	Column		cols[5];
	Datum		args[6];
	Datum		checked[3];
	int			n = 0;
	int			i;

	for (i = 0; i < 5; i++)
		column_init(&cols[i], TEXTOID, b->n);
	for (i = 0; i < b->n; i++)
	{
		IngestPunch *p = &b->punches[i];

		if (p->reason == INGEST_OK)
			continue;
		column_text(&cols[0], n, p->vendor_userid);
		column_text(&cols[1], n, p->record_id);
		column_text(&cols[2], n, reason_name[p->reason]);
		column_text(&cols[3], n, p->detail);
		cols[4].values[n] = PointerGetDatum(cstring_to_text_with_len(b->raws[i].start,
																	 b->raws[i].len));
		n++;
	}
	if (n == 0)
		return;
	column_args(b, cols, lengthof(cols), n, args);
	insert_columns(b->reject_plan, args);
	/* the check reads (source, raw, reason): the same arrays */
	checked[0] = args[0];
	checked[1] = args[5];
	checked[2] = args[3];
	check_stored(b, b->reject_check_plan, checked, "hrguard.ingest_reject");
	b->rejected += n;
}

static void
flush(IngestBatch *b)
{
	if (b->n == 0)
		return;
	insert_punches(b);
	insert_rejects(b);
	b->n = 0;
	b->bytes = 0;
	MemoryContextReset(b->record_context);
	MemoryContextSwitchTo(b->record_context);
}

/*
 * Add a record read into *punch (in the batch's record context, where the
 * caller reads records); raw is its text in the payload.
 */
void
hrguard_ingest_add(IngestBatch *b, IngestPunch *punch, IngestSpan raw, IngestUser *user)
{
	CHECK_FOR_INTERRUPTS();
	b->received++;
	if (punch->reason == INGEST_OK && punch->vendor_userid == NULL)
		hrguard_ingest_reject(punch, INGEST_INVALID_RECORD, "the user id is missing");
	b->punches[b->n] = *punch;
	b->raws[b->n] = raw;
	b->punch_users[b->n] = user;
	b->bytes += raw.len;
	if (++b->n == INGEST_BATCH || b->bytes >= INGEST_BATCH_BYTES)
		flush(b);
}

/* Write what is left; the summary row (received, inserted, duplicates, rejected). */
Datum
hrguard_ingest_finish(IngestBatch *b, FunctionCallInfo fcinfo)
{
	TupleDesc	desc;
	Datum		values[4];
	bool		nulls[4] = {false, false, false, false};

	flush(b);
	SPI_finish();
	MemoryContextSwitchTo(b->call_context);
	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "%s must return a row", b->function);
	desc = BlessTupleDesc(desc);
	values[0] = Int64GetDatum(b->received);
	values[1] = Int64GetDatum(b->inserted);
	values[2] = Int64GetDatum(b->duplicates);
	values[3] = Int64GetDatum(b->rejected);
	return HeapTupleGetDatum(heap_form_tuple(desc, values, nulls));
}
