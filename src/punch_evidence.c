/*-------------------------------------------------------------------------
 *
 * punch_evidence.c
 *	  The evidence payload of a punch: the row as it will be stored,
 *	  written as canonical bytes for the employee's chain.
 *
 * The payload is written key by key in byte order, straight from the
 * deformed row, without building JSON text to canonicalise again; what a
 * canonicaliser makes of it is the same bytes (sql/punch.sql checks).
 *
 * IDENTIFICATION
 *	  src/punch_evidence.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/jsonb.h"

#include "canon.h"
#include "canon_writer.h"
#include "punch.h"
#include "punch_evidence.h"

/* the columns of the row as it will be stored, deformed once */
typedef struct PunchRow
{
	Datum	   *values;
	bool	   *nulls;
} PunchRow;

/* the key, then null or false; true, with the value, when the column has one */
static bool
payload_column(CanonWriter *w, const char *key, const PunchRow *row, int attnum,
			   Datum *value)
{
	bool		isnull = row->nulls[attnum - 1];

	*value = row->values[attnum - 1];
	hrguard_canon_key(w, key);
	if (isnull)
		hrguard_canon_null(w);
	return !isnull;
}

static void
payload_text(CanonWriter *w, const char *key, const PunchRow *row, int attnum)
{
	Datum		d;

	if (payload_column(w, key, row, attnum, &d))
	{
		text	   *t = DatumGetTextPP(d);

		hrguard_canon_string(w, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
	}
}

/* a float scaled to an integer (degrees x 10^7, metres x 100), or null */
static void
payload_scaled(CanonWriter *w, const char *key, const PunchRow *row, int attnum,
			   double scale)
{
	Datum		d;

	if (payload_column(w, key, row, attnum, &d))
		hrguard_canon_int(w, (int64) lround(DatumGetFloat8(d) * scale));
}

static void
payload_int8(CanonWriter *w, const char *key, const PunchRow *row, int attnum)
{
	Datum		d;

	if (payload_column(w, key, row, attnum, &d))
		hrguard_canon_int(w, DatumGetInt64(d));
}

/* the names of the risk features: the top-level keys of risk */
static void
payload_risk(CanonWriter *w, const PunchRow *row, int attnum)
{
	Jsonb	   *risk = DatumGetJsonbP(row->values[attnum - 1]);
	JsonbIterator *it = JsonbIteratorInit(&risk->root);
	JsonbValue	v;
	JsonbIteratorToken token;
	int			level = 0;

	hrguard_canon_key(w, "risk");
	hrguard_canon_array_begin(w);
	while ((token = JsonbIteratorNext(&it, &v, false)) != WJB_DONE)
	{
		if (token == WJB_BEGIN_OBJECT || token == WJB_BEGIN_ARRAY)
			level++;
		else if (token == WJB_END_OBJECT || token == WJB_END_ARRAY)
			level--;
		else if (token == WJB_KEY && level == 1)
			hrguard_canon_string(w, v.val.string.val, v.val.string.len);
	}
	hrguard_canon_array_end(w);
}

static void
payload_alerts(CanonWriter *w, const PunchRow *row, int attnum)
{
	bool		isnull = row->nulls[attnum - 1];
	Datum		d = row->values[attnum - 1];

	hrguard_canon_key(w, "alerts");
	hrguard_canon_array_begin(w);
	if (!isnull)
	{
		Datum	   *kinds;
		bool	   *nulls;
		int			nkinds,
					i;

		deconstruct_array(DatumGetArrayTypeP(d), TEXTOID, -1, false, TYPALIGN_INT,
						  &kinds, &nulls, &nkinds);
		for (i = 0; i < nkinds; i++)
		{
			text	   *t = DatumGetTextPP(kinds[i]);

			hrguard_canon_string(w, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
		}
	}
	hrguard_canon_array_end(w);
}

/*
 * The evidence payload of a punch, from the row as it will be stored: what
 * was received and what hrguard made of it, in the canonical subset
 * (coordinates in 10^-7 degrees, accuracy in centimetres, the names of the
 * risk features and of the alerts), written as canonical bytes: the keys
 * in byte order.
 */
void
hrguard_punch_payload(StringInfo out, HeapTuple tuple, TupleDesc desc, const int *attnum)
{
	CanonWriter w;
	PunchRow	r;
	const PunchRow *row = &r;

	r.values = palloc(sizeof(Datum) * desc->natts);
	r.nulls = palloc(sizeof(bool) * desc->natts);
	heap_deform_tuple(tuple, desc, r.values, r.nulls);
	hrguard_canon_writer_init(&w, out);
	hrguard_canon_object_begin(&w);
	payload_scaled(&w, "accuracy_cm", row, attnum[PC_ACCURACY], 100.0);
	payload_alerts(&w, row, attnum[PC_ALERT_KINDS]);
	payload_text(&w, "check_type", row, attnum[PC_CHECK_TYPE]);
	payload_text(&w, "device_id", row, attnum[PC_DEVICE_ID]);
	payload_scaled(&w, "lat_e7", row, attnum[PC_LAT], 1e7);
	payload_scaled(&w, "lon_e7", row, attnum[PC_LON], 1e7);
	hrguard_canon_key(&w, "off_hours");
	hrguard_canon_bool(&w, DatumGetBool(row->values[attnum[PC_OFF_HOURS] - 1]));
	payload_int8(&w, "punch_id", row, attnum[PC_PUNCH_ID]);
	payload_text(&w, "raw_crs", row, attnum[PC_RAW_CRS]);
	payload_scaled(&w, "raw_lat_e7", row, attnum[PC_RAW_LAT], 1e7);
	payload_scaled(&w, "raw_lon_e7", row, attnum[PC_RAW_LON], 1e7);
	payload_risk(&w, row, attnum[PC_RISK]);
	payload_text(&w, "source", row, attnum[PC_SOURCE]);
	payload_text(&w, "source_record_id", row, attnum[PC_SOURCE_RECORD_ID]);
	payload_text(&w, "verdict", row, attnum[PC_VERDICT]);
	payload_int8(&w, "watched_zone_id", row, attnum[PC_WATCHED_ZONE_ID]);
	payload_text(&w, "wifi_bssid", row, attnum[PC_WIFI_BSSID]);
	payload_int8(&w, "zone_id", row, attnum[PC_ZONE_ID]);
	hrguard_canon_object_end(&w);
	pfree(r.values);
	pfree(r.nulls);
}
