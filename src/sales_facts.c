/*-------------------------------------------------------------------------
 *
 * sales_facts.c
 *	  The facts scoring reads -- customers, visits, sales, daily reports
 *	  and approved leave -- recorded as punches are: each stored row gets
 *	  an entry in an evidence chain, numbered by its AFTER row trigger and
 *	  written with the statement's others at its end, and no row is
 *	  changed, deleted or truncated afterwards.
 *
 * A row's entry goes to the chain of its employee (a customer's to that of
 * the employee who created it, or to "tenant:<tenant_id>" when none did),
 * dated by the row's own time; its payload is the row, every column by
 * name in canonical JSON, with times in RFC 3339 UTC, dates as YYYY-MM-DD
 * and jsonb as its text in a string, so that the bytes do not depend on
 * the session's settings; at most 1 MiB of it.
 *
 * IDENTIFICATION
 *	  src/sales_facts.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/timestamp.h"

#include "canon.h"
#include "canon_writer.h"
#include "common.h"
#include "evidence.h"
#include "evidence_stage.h"
#include "hrguard.h"
#include "privilege.h"

static const char *const fact_tables[] = {
	"customer", "visit", "sale", "daily_report", "leave", NULL
};

/* for each table: the column naming its chain, and the time of its entry */
typedef struct FactTable
{
	const char *table;
	const char *chain_column;
	const char *time_column;
} FactTable;

static const FactTable fact_table_info[] = {
	{"customer", "created_by", "created_at"},
	{"visit", "employee_id", "started_at"},
	{"sale", "employee_id", "closed_at"},
	{"daily_report", "employee_id", "submitted_at"},
	{"leave", "employee_id", "starts_at"},
};

static const FactTable *
fact_table(Relation rel)
{
	const char *name = RelationGetRelationName(rel);
	size_t		i;

	for (i = 0; i < lengthof(fact_table_info); i++)
		if (strcmp(fact_table_info[i].table, name) == 0)
			return &fact_table_info[i];
	/* hrguard_trigger_guard admitted the table: it is one of these */
	elog(ERROR, "hrguard.%s is not a table of sales facts", name);
	pg_unreachable();
}

/* one column's value, as canonical JSON that no session setting changes */
static void
payload_value(CanonWriter *w, Oid type, Datum value)
{
	switch (type)
	{
		case TEXTOID:
		case VARCHAROID:
			{
				text	   *t = DatumGetTextPP(value);

				hrguard_canon_string(w, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
				break;
			}
		case INT2OID:
			hrguard_canon_int(w, DatumGetInt16(value));
			break;
		case INT4OID:
			hrguard_canon_int(w, DatumGetInt32(value));
			break;
		case INT8OID:
			hrguard_canon_int(w, DatumGetInt64(value));
			break;
		case BOOLOID:
			hrguard_canon_bool(w, DatumGetBool(value));
			break;
		case TIMESTAMPTZOID:
			hrguard_canon_cstring(w, hrguard_utc_iso(DatumGetTimestampTz(value)));
			break;
		case DATEOID:
			{
				DateADT		d = DatumGetDateADT(value);

				if (DATE_NOT_FINITE(d))
					hrguard_canon_cstring(w, DATE_IS_NOBEGIN(d) ? "-infinity" : "infinity");
				else
					hrguard_canon_cstring(w, hrguard_iso_date(d));
				break;
			}
		case JSONBOID:
			{
				/* as jsonb's own text, a string: any JSON, the same bytes */
				Jsonb	   *jb = DatumGetJsonbP(value);

				hrguard_canon_cstring(w, JsonbToCString(NULL, &jb->root, VARSIZE(jb)));
				break;
			}
		default:
			{
				/* numeric, and whatever type an application adds: its text */
				Oid			output;
				bool		varlena;
				char	   *text;

				getTypeOutputInfo(type, &output, &varlena);
				text = OidOutputFunctionCall(output, value);
				hrguard_canon_cstring(w, text);
				break;
			}
	}
}

/*
 * What a row's entry is made of, worked out once per trigger call site
 * (the table cannot change under a running statement): the table, the
 * columns naming its chain, its time and its tenant, and the live columns
 * in byte order of their names, the payload's key order.
 */
typedef struct FactShape
{
	const FactTable *info;
	int			chain_att;
	int			time_att;
	int			tenant_att;		/* 0: none */
	int			ncolumns;
	Form_pg_attribute columns[FLEXIBLE_ARRAY_MEMBER];
} FactShape;

static int
compare_names(const void *a, const void *b)
{
	return strcmp(NameStr((*(Form_pg_attribute const *) a)->attname),
				  NameStr((*(Form_pg_attribute const *) b)->attname));
}

static int
column_number(Relation rel, const char *name)
{
	int			attnum = SPI_fnumber(RelationGetDescr(rel), name);

	if (attnum <= 0)
		hrguard_missing_column(RelationGetRelationName(rel), name);
	return attnum;
}

static const FactShape *
fact_shape(FunctionCallInfo fcinfo, Relation rel)
{
	FactShape  *shape = fcinfo->flinfo->fn_extra;
	TupleDesc	desc = RelationGetDescr(rel);
	int			i;

	if (shape != NULL)
		return shape;
	shape = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt,
								   offsetof(FactShape, columns) +
								   sizeof(Form_pg_attribute) * desc->natts);
	shape->info = fact_table(rel);
	shape->chain_att = column_number(rel, shape->info->chain_column);
	shape->time_att = column_number(rel, shape->info->time_column);
	shape->tenant_att = SPI_fnumber(desc, "tenant_id") > 0 ? SPI_fnumber(desc, "tenant_id") : 0;
	for (i = 0; i < desc->natts; i++)
		if (!TupleDescAttr(desc, i)->attisdropped)
			shape->columns[shape->ncolumns++] = TupleDescAttr(desc, i);
	qsort(shape->columns, shape->ncolumns, sizeof(Form_pg_attribute), compare_names);
	fcinfo->flinfo->fn_extra = shape;
	return shape;
}

/* the row as a canonical JSON object, keys in byte order */
static void
row_payload(StringInfo out, HeapTuple tuple, TupleDesc desc, const FactShape *shape)
{
	CanonWriter w;
	int			i;

	hrguard_canon_writer_init(&w, out);
	hrguard_canon_object_begin(&w);
	for (i = 0; i < shape->ncolumns; i++)
	{
		Form_pg_attribute att = shape->columns[i];
		bool		isnull;
		Datum		value = heap_getattr(tuple, att->attnum, desc, &isnull);

		hrguard_canon_key(&w, NameStr(att->attname));
		if (isnull)
			hrguard_canon_null(&w);
		else
			payload_value(&w, att->atttypid, value);
	}
	hrguard_canon_object_end(&w);
}

/* ---- AFTER INSERT row: number the stored row's entry ------------------- */

static const HrguardTriggerSpec record_spec = {
	"hrguard.fact_record()", fact_tables, false, HRGUARD_TRIGGER_ROW, HRGUARD_ON_INSERT,
	"an AFTER INSERT row trigger on hrguard's sales facts"
};

PG_FUNCTION_INFO_V1(hrguard_fact_record);
Datum
hrguard_fact_record(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = hrguard_trigger_guard(fcinfo, &record_spec);
	Relation	rel = trigdata->tg_relation;
	TupleDesc	desc = RelationGetDescr(rel);
	HeapTuple	tuple = trigdata->tg_trigtuple;
	const FactShape *shape;
	bool		isnull;
	Datum		chain;
	Datum		at;
	char	   *chain_id;
	StringInfoData payload;

	/* a restored or replicated row has its entry already */
	if (hrguard_row_passes_through(trigdata))
		return PointerGetDatum(NULL);
	shape = fact_shape(fcinfo, rel);

	chain = heap_getattr(tuple, shape->chain_att, desc, &isnull);
	if (isnull)
	{
		Datum		tenant = shape->tenant_att > 0 ?
			heap_getattr(tuple, shape->tenant_att, desc, &isnull) : (Datum) 0;

		/* nobody named: the tenant's chain */
		if (shape->tenant_att <= 0)
			hrguard_missing_column(RelationGetRelationName(rel), "tenant_id");
		if (isnull)
			ereport(ERROR,
					(errcode(ERRCODE_NOT_NULL_VIOLATION),
					 errmsg("a row of hrguard.%s names neither its %s nor its tenant",
							shape->info->table, shape->info->chain_column)));
		chain_id = psprintf("tenant:%s", TextDatumGetCString(tenant));
	}
	else
		chain_id = TextDatumGetCString(chain);
	chain_id = hrguard_checked_employee_id(CStringGetTextDatum(chain_id), false);
	at = heap_getattr(tuple, shape->time_att, desc, &isnull);

	initStringInfo(&payload);
	row_payload(&payload, tuple, desc, shape);
	hrguard_check_input_size("evidence payload", payload.len, HRGUARD_MAX_CANON_BYTES, "bytes");
	(void) hrguard_evidence_stage(chain_id, shape->info->table, DatumGetTimestampTz(at), &payload);
	pfree(payload.data);
	return PointerGetDatum(NULL);
}

/* ---- AFTER INSERT statement: write the statement's entries ------------- */

static const HrguardTriggerSpec flush_spec = {
	"hrguard.fact_record_flush()", fact_tables, false, HRGUARD_TRIGGER_STATEMENT, HRGUARD_ON_INSERT,
	"an AFTER INSERT statement trigger on hrguard's sales facts"
};

PG_FUNCTION_INFO_V1(hrguard_fact_record_flush);
Datum
hrguard_fact_record_flush(PG_FUNCTION_ARGS)
{
	HrguardSavedUser saved;

	(void) hrguard_trigger_guard(fcinfo, &flush_spec);
	/* an enclosing statement's entries are written by that statement */
	if (!hrguard_evidence_staged() || !hrguard_evidence_stage_writable())
		return PointerGetDatum(NULL);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	hrguard_become_owner(hrguard_evidence_owner(), &saved);
	if (!hrguard_evidence_write_staged())
		elog(ERROR, "the staged evidence could not be written");
	hrguard_restore_user(&saved);
	SPI_finish();
	return PointerGetDatum(NULL);
}

/* ---- BEFORE UPDATE, DELETE, TRUNCATE: recorded facts stay -------------- */

static const HrguardTriggerSpec keep_spec = {
	"hrguard.fact_keep()", fact_tables, true, HRGUARD_TRIGGER_ROW | HRGUARD_TRIGGER_STATEMENT,
	HRGUARD_ON_UPDATE | HRGUARD_ON_DELETE | HRGUARD_ON_TRUNCATE,
	"a BEFORE UPDATE, DELETE or TRUNCATE trigger on hrguard's sales facts"
};

PG_FUNCTION_INFO_V1(hrguard_fact_keep);
Datum
hrguard_fact_keep(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = hrguard_trigger_guard(fcinfo, &keep_spec);
	const char *table = RelationGetRelationName(trigdata->tg_relation);
	TriggerEvent event = trigdata->tg_event;

	if (hrguard_row_passes_through(trigdata))
		return PointerGetDatum(trigdata->tg_newtuple);
	ereport(ERROR,
			(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
			 errmsg("rows of hrguard.%s cannot be %s", table,
					TRIGGER_FIRED_BY_UPDATE(event) ? "updated" :
					TRIGGER_FIRED_BY_DELETE(event) ? "deleted" : "truncated"),
			 errdetail("Each is a recorded fact, with its entry in an evidence chain."),
			 errhint("Record a correcting row instead.")));
	return PointerGetDatum(NULL);
}
