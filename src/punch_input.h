/*-------------------------------------------------------------------------
 *
 * punch_input.h
 *	  What an inserted punch row says, validated and normalised
 *	  (punch_input.c).
 *
 * IDENTIFICATION
 *	  src/punch_input.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef HRGUARD_PUNCH_INPUT_H
#define HRGUARD_PUNCH_INPUT_H

#include "postgres.h"

#include "access/htup.h"
#include "access/tupdesc.h"
#include "datatype/timestamp.h"

#include "geo.h"
#include "punch.h"

typedef enum PunchPosition
{
	POSITION_NONE,				/* no coordinates given */
	POSITION_ZERO,				/* (0, 0): the app had no fix */
	POSITION_KNOWN
} PunchPosition;

/* what the row says, checked and normalised */
typedef struct PunchInput
{
	char	   *employee_id;
	TimestampTz at;
	PunchPosition position;
	bool		located;		/* position == POSITION_KNOWN */
	double		lat;			/* WGS-84 */
	double		lon;
	double		raw_lat;		/* as given, in datum */
	double		raw_lon;
	HrguardDatum datum;
	double		accuracy;
	char	   *device_id;		/* NULL: none */
	bool		has_bssid;
	char		bssid[18];		/* normalised */
	bool		mock;			/* the vendor says the position is mocked */
} PunchInput;

extern void hrguard_punch_read_who_and_when(HeapTuple tuple, TupleDesc desc, const int *attnum,
											TimestampTz latest_allowed, PunchInput *in);
extern void hrguard_punch_read_where(HeapTuple tuple, TupleDesc desc, const int *attnum,
									 PunchInput *in);

#endif							/* HRGUARD_PUNCH_INPUT_H */
