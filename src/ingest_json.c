/*-------------------------------------------------------------------------
 *
 * ingest_json.c
 *	  Reading the fields of one vendor record into the columns of a punch,
 *	  with the types the vendors are seen to send: integers that may come
 *	  as strings, coordinates as numbers or strings, times in milliseconds
 *	  or seconds.  A field that cannot be read makes the record rejected
 *	  (kept in hrguard.ingest_reject with the reason), never the payload.
 *
 * Integers are read from jansson's json_int_t (64 bits) or from their
 * digits, never through a double, so ids beyond 2^53 stay exact.
 *
 * IDENTIFICATION
 *	  src/ingest_json.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "access/xact.h"
#include "miscadmin.h"
/* builtins.h (fmgrprotos.h) declares SQL functions named like jansson's json_object() */
#define json_object pg_sql_json_object
#define json_typeof pg_sql_json_typeof
#include "utils/builtins.h"
#undef json_object
#undef json_typeof
#include "utils/jsonb.h"
#include "utils/memutils.h"
#include "utils/numeric.h"
#include "utils/timestamp.h"

#include <jansson.h>

#include "canon.h"
#include "common.h"
#include "ingest_json.h"
#include "privilege.h"
#include "punch.h"
#include "zone.h"


/* Mark the record rejected, with a detail; the first reason stays. */
void
hrguard_ingest_reject(IngestPunch *punch, IngestReason reason, const char *fmt,...)
{
	StringInfoData buf;

	if (punch->reason != INGEST_OK)
		return;
	initStringInfo(&buf);
	for (;;)
	{
		va_list		args;
		int			needed;

		va_start(args, fmt);
		needed = appendStringInfoVA(&buf, fmt, args);
		va_end(args);
		if (needed == 0)
			break;
		enlargeStringInfo(&buf, needed);
	}
	punch->reason = reason;
	/* kept until the record's batch is written: in as much memory as it needs */
	punch->detail = pnstrdup(buf.data, buf.len);
	pfree(buf.data);
}

/*
 * The record as a JSON object, or NULL with the record rejected when it is
 * JSON hrguard cannot take (a key twice, an integer beyond 64 bits, not an
 * object).  Text that is not JSON is an error for the whole payload.  tree
 * is the record already parsed, or NULL to parse it here.
 */
json_t *
hrguard_ingest_parse_record(const IngestArray *it, IngestSpan record, json_t *tree,
							IngestPunch *punch)
{
	json_error_t error;
	json_t	   *root = tree;

	memset(punch, 0, sizeof(*punch));
	punch->reason = INGEST_OK;
	if (root == NULL)
		root = json_loadb(record.start, record.len, INGEST_RECORD_JSON_FLAGS, &error);
	if (root == NULL)
	{
		/* JSON that hrguard does not take: the record is rejected, not the payload */
		switch (json_error_code(&error))
		{
			case json_error_duplicate_key:
				hrguard_ingest_reject(punch, INGEST_INVALID_RECORD,
									  "a key appears twice (%s)", hrguard_echo(error.text));
				return NULL;
			case json_error_numeric_overflow:
				hrguard_ingest_reject(punch, INGEST_INVALID_RECORD,
									  "a number is too large to read (%s)",
									  hrguard_echo(error.text));
				return NULL;
			case json_error_null_character:
			case json_error_null_byte_in_key:
				hrguard_ingest_reject(punch, INGEST_INVALID_RECORD,
									  "the record holds a NUL character (\\u0000)");
				return NULL;
			case json_error_wrong_type:
				hrguard_ingest_reject(punch, INGEST_INVALID_RECORD, "the record is not a JSON object");
				return NULL;
			default:
				/* a lone UTF-16 surrogate, written as an escape, is JSON too */
				if (strncmp(error.text, "invalid Unicode", 15) == 0)
				{
					hrguard_ingest_reject(punch, INGEST_INVALID_RECORD,
										  "the record holds an invalid Unicode escape (%s)",
										  hrguard_echo(error.text));
					return NULL;
				}
				/* jansson counts the bytes it read, the offending one included */
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
						 errmsg("%s: a record of the payload is not JSON: %s at byte %lld", it->function,
								hrguard_echo(error.text),
								(long long) (record.start - it->base + Max(error.position, 1) - 1)),
						 errdetail("Nothing from this payload was stored.")));
		}
	}
	if (!json_is_object(root))
	{
		if (root != tree)
			json_decref(root);
		hrguard_ingest_reject(punch, INGEST_INVALID_RECORD, "the record is not a JSON object");
		return NULL;
	}
	return root;
}

/* An integer's digits, in as much memory as they need (psprintf takes 128 bytes). */
char *
hrguard_ingest_int64_text(int64 value)
{
	char		digits[MAXINT8LEN + 1];
	int			len = pg_lltoa(value, digits);

	return pnstrdup(digits, len);
}

/*
 * An integer written as digits, exactly, or false; *too_large tells digits
 * that are an integer beyond 64 bits from text that is no integer.
 */
static bool
parse_int64_digits(const char *s, int64 *out, bool *too_large)
{
	const char *p = s;
	bool		negative = false;
	bool		overflow = false;
	uint64		v = 0;

	*too_large = false;
	if (*p == '-')
	{
		negative = true;
		p++;
	}
	if (*p == '\0')
		return false;
	for (; *p; p++)
	{
		if (*p < '0' || *p > '9')
			return false;
		if (v > (PG_UINT64_MAX - (*p - '0')) / 10)
			overflow = true;
		else
			v = v * 10 + (*p - '0');
	}
	if (overflow || (negative ? v > (uint64) PG_INT64_MAX + 1 : v > (uint64) PG_INT64_MAX))
	{
		*too_large = true;
		return false;
	}
	*out = negative ? (int64) (0 - v) : (int64) v;
	return true;
}

/*
 * An integer field: a JSON integer, a string of digits, or a real number
 * with no fraction below 2^53 (exact in a double).  *present is false when
 * the key is absent or null, which is an error only when required.
 */
bool
hrguard_ingest_int64(json_t *record, const char *key, bool required, int64 *out,
					 bool *present, IngestPunch *punch)
{
	json_t	   *v = json_object_get(record, key);

	*present = v != NULL && !json_is_null(v);
	if (!*present)
	{
		if (required)
			hrguard_ingest_reject(punch, INGEST_INVALID_RECORD, "%s is missing", key);
		return !required;
	}
	if (json_is_integer(v))
	{
		*out = (int64) json_integer_value(v);
		return true;
	}
	if (json_is_string(v))
	{
		bool		too_large;

		if (parse_int64_digits(json_string_value(v), out, &too_large))
			return true;
		if (too_large)
		{
			hrguard_ingest_reject(punch, INGEST_INVALID_RECORD, "%s is beyond a 64-bit integer", key);
			return false;
		}
	}
	if (json_is_real(v))
	{
		double		d = json_real_value(v);

		if (d == floor(d) && fabs(d) < 9007199254740992.0)
		{
			*out = (int64) d;
			return true;
		}
	}
	hrguard_ingest_reject(punch, INGEST_INVALID_RECORD, "%s is not an integer", key);
	return false;
}

/* a number written as JSON writes numbers: -?digits[.digits][e[+-]digits] */
static bool
decimal_number(const char *s)
{
	const char *p = s;

	if (*p == '-')
		p++;
	if (*p < '0' || *p > '9')
		return false;
	while (*p >= '0' && *p <= '9')
		p++;
	if (*p == '.')
	{
		p++;
		if (*p < '0' || *p > '9')
			return false;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p == 'e' || *p == 'E')
	{
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (*p < '0' || *p > '9')
			return false;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	return *p == '\0';
}

/* A number field: a JSON number or a string holding one; finite. */
bool
hrguard_ingest_double(json_t *record, const char *key, double *out, bool *present,
					  IngestPunch *punch)
{
	json_t	   *v = json_object_get(record, key);

	*present = v != NULL && !json_is_null(v);
	if (!*present)
		return true;
	if (json_is_number(v))
		*out = json_number_value(v);
	else if (json_is_string(v))
	{
		const char *s = json_string_value(v);
		char	   *end;

		if (!decimal_number(s))
		{
			hrguard_ingest_reject(punch, INGEST_INVALID_RECORD, "%s is not a number", key);
			return false;
		}
		errno = 0;
		*out = strtod(s, &end);
		if (errno != 0)
		{
			hrguard_ingest_reject(punch, INGEST_INVALID_RECORD, "%s is out of range", key);
			return false;
		}
	}
	else
	{
		hrguard_ingest_reject(punch, INGEST_INVALID_RECORD, "%s is not a number", key);
		return false;
	}
	if (isnan(*out) || isinf(*out))
	{
		hrguard_ingest_reject(punch, INGEST_INVALID_RECORD, "%s is not a finite number", key);
		return false;
	}
	return true;
}

/*
 * A text field, or NULL when absent, null or empty.  An integer is taken
 * as its digits; anything else rejects the record.  Text longer than a
 * punch's text columns hold rejects the record too.
 */
char *
hrguard_ingest_string(json_t *record, const char *key, IngestPunch *punch)
{
	json_t	   *v = json_object_get(record, key);
	char	   *s;

	if (v == NULL || json_is_null(v))
		return NULL;
	if (json_is_integer(v))
		return hrguard_ingest_int64_text((int64) json_integer_value(v));
	if (!json_is_string(v))
	{
		hrguard_ingest_reject(punch, INGEST_INVALID_RECORD, "%s is not text", key);
		return NULL;
	}
	if (json_string_length(v) > PUNCH_TEXT_MAX_BYTES)
	{
		hrguard_ingest_reject(punch, INGEST_INVALID_RECORD, "%s is longer than %d bytes",
							  key, PUNCH_TEXT_MAX_BYTES);
		return NULL;
	}
	if (json_string_length(v) == 0)
		return NULL;
	s = pnstrdup(json_string_value(v), json_string_length(v));
	if (strlen(s) != json_string_length(v))
	{
		hrguard_ingest_reject(punch, INGEST_INVALID_RECORD, "%s holds a NUL character", key);
		return NULL;
	}
	return s;
}

/*
 * A time field, in units of unit_us microseconds since 1970 (1000 for
 * DingTalk's milliseconds, 1000000 for WeCom's seconds).  The record is
 * rejected for a time hrguard does not record (before 1700, from 2200) or
 * one more than the punch trigger's tolerance in the future.
 */
bool
hrguard_ingest_time_ms(json_t *record, const char *key, int64 unit_us, TimestampTz *out,
					   IngestPunch *punch)
{
	const int64 unix_to_pg = (int64) (POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) *
		SECS_PER_DAY * USECS_PER_SEC;
	int64		v;
	bool		present;

	if (!hrguard_ingest_int64(record, key, true, &v, &present, punch))
		return false;
	if (v > PG_INT64_MAX / unit_us / 2 || v < PG_INT64_MIN / unit_us / 2 ||
		!hrguard_recordable_time(v * unit_us - unix_to_pg))
	{
		hrguard_ingest_reject(punch, INGEST_INVALID_RECORD,
							  "%s is outside the times hrguard records (1700 to 2200)", key);
		return false;
	}
	*out = v * unit_us - unix_to_pg;
	if (*out > GetCurrentStatementStartTimestamp() + PUNCH_FUTURE_TOLERANCE_US)
	{
		hrguard_ingest_reject(punch, INGEST_INVALID_RECORD,
							  "%s is more than 10 minutes in the future", key);
		return false;
	}
	return true;
}

/* A GCJ-02 position for the punch, or the record rejected. */
bool
hrguard_ingest_position(double lat, double lon, IngestPunch *punch)
{
	if (lat < -90.0 || lat > 90.0 || lon < -180.0 || lon > 180.0)
	{
		hrguard_ingest_reject(punch, INGEST_INVALID_RECORD,
							  "the position %.10g, %.10g is not on Earth", lat, lon);
		return false;
	}
	punch->located = true;
	punch->raw_lat = lat;
	punch->raw_lon = lon;
	return true;
}

/*
 * The Wi-Fi BSSID, normalised.  Text that is no BSSID (vendors send "" or
 * a note when the phone saw none) stays only in vendor_flags; a value that
 * is not text rejects the record.
 */
void
hrguard_ingest_bssid(json_t *record, const char *key, IngestPunch *punch)
{
	json_t	   *v = json_object_get(record, key);
	char		bssid[18];

	if (v == NULL || json_is_null(v))
		return;
	if (!json_is_string(v))
		hrguard_ingest_reject(punch, INGEST_INVALID_RECORD, "%s is not text", key);
	else if (json_string_length(v) < 64 && hrguard_normalize_bssid(json_string_value(v), bssid))
		punch->wifi_bssid = pstrdup(bssid);
}

/* A vendor verdict or enumeration: text as sent, or NULL; anything else rejects the record. */
const char *
hrguard_ingest_enum(json_t *record, const char *key, IngestPunch *punch)
{
	json_t	   *v = json_object_get(record, key);

	if (v == NULL || json_is_null(v))
		return NULL;
	if (!json_is_string(v))
	{
		hrguard_ingest_reject(punch, INGEST_INVALID_RECORD, "%s is not text", key);
		return NULL;
	}
	return json_string_value(v);
}

/* A jansson scalar as a jsonb scalar. */
static void
json_scalar_value(json_t *v, JsonbValue *jv)
{
	switch (json_typeof(v))
	{
		case JSON_STRING:
			jv->type = jbvString;
			jv->val.string.val = (char *) json_string_value(v);
			jv->val.string.len = json_string_length(v);
			break;
		case JSON_INTEGER:
			jv->type = jbvNumeric;
			jv->val.numeric = int64_to_numeric(json_integer_value(v));
			break;
		case JSON_REAL:
			jv->type = jbvNumeric;
			jv->val.numeric = DatumGetNumeric(DirectFunctionCall1(float8_numeric,
																  Float8GetDatum(json_real_value(v))));
			break;
		case JSON_TRUE:
		case JSON_FALSE:
			jv->type = jbvBool;
			jv->val.boolean = json_is_true(v);
			break;
		default:
			jv->type = jbvNull;
			break;
	}
}

/*
 * Push a jansson value into a jsonb being built, as a value (or an array
 * element); what pushJsonbValue returns last (the container, when v is
 * the outermost).
 */
static JsonbValue *
push_json(JsonbParseState **state, json_t *v, JsonbIteratorToken token)
{
	JsonbValue	jv;

	switch (json_typeof(v))
	{
		case JSON_OBJECT:
			{
				const char *key;
				json_t	   *member;

				pushJsonbValue(state, WJB_BEGIN_OBJECT, NULL);
				json_object_foreach(v, key, member)
				{
					jv.type = jbvString;
					jv.val.string.val = (char *) key;
					jv.val.string.len = strlen(key);
					pushJsonbValue(state, WJB_KEY, &jv);
					push_json(state, member, WJB_VALUE);
				}
				return pushJsonbValue(state, WJB_END_OBJECT, NULL);
			}
		case JSON_ARRAY:
			{
				size_t		i;
				json_t	   *element;

				pushJsonbValue(state, WJB_BEGIN_ARRAY, NULL);
				json_array_foreach(v, i, element)
					push_json(state, element, WJB_ELEM);
				return pushJsonbValue(state, WJB_END_ARRAY, NULL);
			}
		default:
			json_scalar_value(v, &jv);
			return pushJsonbValue(state, token, &jv);
	}
}

/*
 * A number that is not an integer, or a container, as jsonb reads the
 * vendor's own text of it: exactly as sent (jansson holds such numbers as
 * doubles only).
 */
static void
flag_from_text(IngestSpan raw, const char *key, JsonbValue *out)
{
	IngestSpan	text;
	Jsonb	   *jb;
	JsonbParseState *state = NULL;
	JsonbValue	element;
	JsonbValue *array;

	if (!hrguard_ingest_record_member(raw, key, &text))
		elog(ERROR, "the record's member \"%s\" was not found in its text", key);
	jb = DatumGetJsonbP(DirectFunctionCall1(jsonb_in,
											CStringGetDatum(pnstrdup(text.start, text.len))));
	if (JB_ROOT_IS_SCALAR(jb))
	{
		if (!JsonbExtractScalar(&jb->root, out))
			elog(ERROR, "could not read the scalar of member \"%s\"", key);
		return;
	}
	/* a container: unpacked into values, as one element of an array */
	element.type = jbvBinary;
	element.val.binary.data = &jb->root;
	element.val.binary.len = VARSIZE(jb) - VARHDRSZ;
	pushJsonbValue(&state, WJB_BEGIN_ARRAY, NULL);
	pushJsonbValue(&state, WJB_ELEM, &element);
	array = pushJsonbValue(&state, WJB_END_ARRAY, NULL);
	*out = array->val.array.elems[0];
}

/* A vendor_flags member: key and value (values that need memory, in the current context). */
static void
set_flag(JsonbPair *pair, const char *key, json_t *v, IngestSpan raw)
{
	pair->key.type = jbvString;
	pair->key.val.string.val = (char *) key;
	pair->key.val.string.len = strlen(key);
	pair->order = 0;
	if (raw.start != NULL && (json_is_real(v) || json_is_object(v) || json_is_array(v)))
		flag_from_text(raw, key, &pair->value);
	else if (json_is_object(v) || json_is_array(v))
	{
		JsonbParseState *state = NULL;

		/* containers hrguard made (rare) through pushJsonbValue, which sorts their keys */
		pair->value = *push_json(&state, v, WJB_ELEM);
	}
	else
		json_scalar_value(v, &pair->value);
}

/* jsonb's order of object keys: shorter first, then bytewise */
static int
compare_keys(const void *a, const void *b)
{
	const char *x = *(const char *const *) a;
	const char *y = *(const char *const *) b;
	size_t		xl = strlen(x);
	size_t		yl = strlen(y);

	if (xl != yl)
		return xl < yl ? -1 : 1;
	return memcmp(x, y, xl);
}

/*
 * The members a vendor_flags object can have, for one list of vendor keys
 * and one extra key: "vendor", the keys, and the extra key, in jsonb's
 * order.  Worked out once per list (the lists are the readers' constant
 * arrays), so that no record needs its members sorted.
 */
typedef struct FlagOrder
{
	const char *const *keys;
	const char *extra_key;
	int			nnames;
	const char **names;
} FlagOrder;

#define MAX_FLAG_ORDERS 8

static const char vendor_key[] = "vendor";

static const FlagOrder *
flag_order(const char *const *keys, int nkeys, const char *extra_key)
{
	static FlagOrder orders[MAX_FLAG_ORDERS];
	static int	norders = 0;
	FlagOrder  *o;
	int			i;

	for (i = 0; i < norders; i++)
		if (orders[i].keys == keys && orders[i].extra_key == extra_key)
			return &orders[i];
	if (norders == MAX_FLAG_ORDERS)
		elog(ERROR, "too many lists of vendor_flags keys");
	o = &orders[norders];
	o->names = MemoryContextAlloc(TopMemoryContext, sizeof(char *) * (nkeys + 2));
	o->nnames = 0;
	o->names[o->nnames++] = vendor_key;
	for (i = 0; i < nkeys; i++)
		o->names[o->nnames++] = keys[i];
	if (extra_key != NULL)
		o->names[o->nnames++] = extra_key;
	qsort(o->names, o->nnames, sizeof(char *), compare_keys);
	for (i = 1; i < o->nnames; i++)
		if (compare_keys(&o->names[i - 1], &o->names[i]) == 0)
			elog(ERROR, "vendor_flags key \"%s\" is listed twice", o->names[i]);
	o->keys = keys;
	o->extra_key = extra_key;
	norders++;
	return o;
}

/*
 * vendor_flags: {"vendor": ..., and each of keys[] the record has, as the
 * vendor sent it (null included; numbers as written)}, plus extra_key:
 * extra (hrguard's reading of them) when extra is not NULL, built as
 * jsonb directly, its members already in jsonb's order (flag_order).
 * keys[] must be a constant array.  The jsonb is made in the current
 * memory context, what building it needs in scratch.
 */
void
hrguard_ingest_flags(json_t *record, IngestSpan raw, MemoryContext scratch, const char *vendor,
					 const char *const *keys, int nkeys,
					 const char *extra_key, json_t *extra, IngestPunch *punch)
{
	const FlagOrder *order = flag_order(keys, nkeys, extra_key);
	MemoryContext keep = MemoryContextSwitchTo(scratch);
	JsonbPair  *pairs = palloc(sizeof(JsonbPair) * order->nnames);
	JsonbValue	object;
	Jsonb	   *jsonb;
	int			npairs = 0;
	int			i;
	IngestSpan	made_here = {NULL, 0};

	for (i = 0; i < order->nnames; i++)
	{
		const char *name = order->names[i];

		if (name == extra_key)
		{
			if (extra != NULL)
				set_flag(&pairs[npairs++], name, extra, made_here);
		}
		else if (name == vendor_key)
		{
			JsonbPair  *pair = &pairs[npairs++];

			pair->key.type = jbvString;
			pair->key.val.string.val = (char *) name;
			pair->key.val.string.len = strlen(name);
			pair->order = 0;
			pair->value.type = jbvString;
			pair->value.val.string.val = (char *) vendor;
			pair->value.val.string.len = strlen(vendor);
		}
		else
		{
			json_t	   *v = json_object_get(record, name);

			if (v != NULL)
				set_flag(&pairs[npairs++], name, v, raw);
		}
	}
	object.type = jbvObject;
	object.val.object.nPairs = npairs;
	object.val.object.pairs = pairs;
	/* made in a buffer of at least 1 kB; kept in as much memory as it needs */
	jsonb = JsonbValueToJsonb(&object);
	MemoryContextSwitchTo(keep);
	if (VARSIZE(jsonb) - VARHDRSZ > PUNCH_FLAGS_MAX_BYTES)
	{
		hrguard_ingest_reject(punch, INGEST_INVALID_RECORD,
							  "the vendor's fields take more than %d bytes", PUNCH_FLAGS_MAX_BYTES);
		return;
	}
	punch->vendor_flags = palloc(VARSIZE(jsonb));
	memcpy(punch->vendor_flags, jsonb, VARSIZE(jsonb));
}

/*
 * The next record of the array read into *punch and its text, in keep, as
 * ingestion keeps it; false after the last.  The record's jansson tree and
 * what reading needs only briefly go in scratch, reset before returning.
 */
bool
hrguard_ingest_read_next(IngestArray *it, IngestReader reader, MemoryContext scratch,
						 MemoryContext keep, IngestSpan *raw, IngestPunch *punch)
{
	json_t	   *tree;
	json_t	   *record;
	bool		more;

	MemoryContextSwitchTo(scratch);
	more = hrguard_ingest_array_next(it, raw, &tree);
	MemoryContextSwitchTo(keep);
	if (!more)
		return false;
	record = hrguard_ingest_parse_record(it, *raw, tree, punch);
	if (record != NULL)
		reader(record, *raw, scratch, punch);
	/* a rejected record is kept as sent: what was read of it is not needed */
	if (punch->reason != INGEST_OK && punch->vendor_flags != NULL)
	{
		pfree(punch->vendor_flags);
		punch->vendor_flags = NULL;
	}
	MemoryContextReset(scratch);
	return true;
}
