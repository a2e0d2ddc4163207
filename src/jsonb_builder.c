/*-------------------------------------------------------------------------
 *
 * jsonb_builder.c
 *	  Building jsonb values in C, without JSON text to parse.
 *
 * The reasons of every alert are a jsonb object.  Written as text and cast,
 * each would be parsed again; these calls push the same values straight
 * into a jsonb.  Numbers are given as the text a JSON number would have
 * (so that "31.2200000" keeps its scale, as a cast would), and an
 * existing jsonb value can be nested whole.
 *
 *	  init(b); begin_object(b); key(b, "k"); string(b, "v"); ...
 *	  end_object(b); jsonb = finish(b);
 *
 * IDENTIFICATION
 *	  src/jsonb_builder.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "utils/builtins.h"
#include "utils/numeric.h"

#include "jsonb_builder.h"

void
hrguard_jb_init(JsonbBuilder *b)
{
	b->state = NULL;
	b->result = NULL;
}

void
hrguard_jb_begin_object(JsonbBuilder *b)
{
	(void) pushJsonbValue(&b->state, WJB_BEGIN_OBJECT, NULL);
}

void
hrguard_jb_end_object(JsonbBuilder *b)
{
	b->result = pushJsonbValue(&b->state, WJB_END_OBJECT, NULL);
}

static void
push_string(JsonbBuilder *b, JsonbIteratorToken token, const char *s)
{
	JsonbValue	v;

	v.type = jbvString;
	v.val.string.val = (char *) s;
	v.val.string.len = strlen(s);
	(void) pushJsonbValue(&b->state, token, &v);
}

void
hrguard_jb_key(JsonbBuilder *b, const char *key)
{
	push_string(b, WJB_KEY, key);
}

static void
push_value(JsonbBuilder *b, JsonbValue *v)
{
	(void) pushJsonbValue(&b->state, WJB_VALUE, v);
}

void
hrguard_jb_string(JsonbBuilder *b, const char *value)
{
	push_string(b, WJB_VALUE, value);
}

void
hrguard_jb_number(JsonbBuilder *b, const char *numeric_text)
{
	JsonbValue	v;

	v.type = jbvNumeric;
	v.val.numeric = DatumGetNumeric(DirectFunctionCall3(numeric_in,
														CStringGetDatum(numeric_text),
														ObjectIdGetDatum(InvalidOid),
														Int32GetDatum(-1)));
	push_value(b, &v);
}

/*
 * A number with a fixed count of decimals (at most 9), made straight from
 * the value scaled and rounded to an integer, as evidence entries round
 * coordinates, without formatting a float as text and parsing it again.
 */
void
hrguard_jb_decimal(JsonbBuilder *b, double value, int decimals)
{
	JsonbValue	v;
	double		scaled = value;
	int			i;

	Assert(decimals >= 0 && decimals <= 9);
	for (i = 0; i < decimals; i++)
		scaled *= 10.0;
	if (!isfinite(scaled) || fabs(scaled) >= 9.0e15)
	{
		hrguard_jb_number(b, psprintf("%.*f", decimals, value));
		return;
	}
	v.type = jbvNumeric;
	v.val.numeric = int64_div_fast_to_numeric((int64) llround(scaled), decimals);
	push_value(b, &v);
}

void
hrguard_jb_int8(JsonbBuilder *b, int64 value)
{
	JsonbValue	v;

	v.type = jbvNumeric;
	v.val.numeric = int64_to_numeric(value);
	push_value(b, &v);
}

void
hrguard_jb_bool(JsonbBuilder *b, bool value)
{
	JsonbValue	v;

	v.type = jbvBool;
	v.val.boolean = value;
	push_value(b, &v);
}

void
hrguard_jb_null(JsonbBuilder *b)
{
	JsonbValue	v;

	v.type = jbvNull;
	push_value(b, &v);
}

/* an existing jsonb, nested as the value of the last key */
void
hrguard_jb_jsonb(JsonbBuilder *b, Jsonb *value)
{
	JsonbValue	v;

	v.type = jbvBinary;
	v.val.binary.data = &value->root;
	v.val.binary.len = VARSIZE(value) - VARHDRSZ;
	push_value(b, &v);
}

Jsonb *
hrguard_jb_finish(JsonbBuilder *b)
{
	if (b->result == NULL || b->state != NULL)
		elog(ERROR, "jsonb builder finished with an object open");
	return JsonbValueToJsonb(b->result);
}
