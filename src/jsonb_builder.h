/*-------------------------------------------------------------------------
 *
 * jsonb_builder.h
 *	  Building jsonb values in C, without JSON text to parse.
 *
 * IDENTIFICATION
 *	  src/jsonb_builder.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef HRGUARD_JSONB_BUILDER_H
#define HRGUARD_JSONB_BUILDER_H

#include "utils/jsonb.h"

typedef struct JsonbBuilder
{
	JsonbParseState *state;
	JsonbValue *result;			/* set when the outermost object closes */
} JsonbBuilder;

extern void hrguard_jb_init(JsonbBuilder *b);
extern void hrguard_jb_begin_object(JsonbBuilder *b);
extern void hrguard_jb_end_object(JsonbBuilder *b);
extern void hrguard_jb_key(JsonbBuilder *b, const char *key);
extern void hrguard_jb_string(JsonbBuilder *b, const char *value);
extern void hrguard_jb_number(JsonbBuilder *b, const char *numeric_text);
extern void hrguard_jb_decimal(JsonbBuilder *b, double value, int decimals);
extern void hrguard_jb_int8(JsonbBuilder *b, int64 value);
extern void hrguard_jb_bool(JsonbBuilder *b, bool value);
extern void hrguard_jb_null(JsonbBuilder *b);
extern void hrguard_jb_jsonb(JsonbBuilder *b, Jsonb *value);
extern Jsonb *hrguard_jb_finish(JsonbBuilder *b);

#endif							/* HRGUARD_JSONB_BUILDER_H */
