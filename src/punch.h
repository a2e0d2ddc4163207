/*-------------------------------------------------------------------------
 *
 * punch.h
 *	  The columns of hrguard.punch that the punch triggers read and write,
 *	  and the evidence payload of a punch.
 *
 * IDENTIFICATION
 *	  src/punch.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef HRGUARD_PUNCH_H
#define HRGUARD_PUNCH_H

#include "access/htup.h"
#include "access/tupdesc.h"

/* how far in the future a punch may claim to be */
#define PUNCH_FUTURE_TOLERANCE_US (INT64CONST(10) * USECS_PER_MINUTE)

/* what a punch's free-form columns may hold, in bytes (54000 beyond) */
#define PUNCH_TEXT_MAX_BYTES 1024
#define PUNCH_FLAGS_MAX_BYTES 65536

typedef enum PunchColumn
{
	PC_PUNCH_ID,
	PC_EMPLOYEE_ID,
	PC_PUNCHED_AT,
	PC_LAT,
	PC_LON,
	PC_ACCURACY,
	PC_RAW_LAT,
	PC_RAW_LON,
	PC_RAW_CRS,
	PC_DEVICE_ID,
	PC_WIFI_BSSID,
	PC_VENDOR_FLAGS,
	PC_VERDICT,
	PC_ZONE_ID,
	PC_WATCHED_ZONE_ID,
	PC_OFF_HOURS,
	PC_RISK,
	PC_ALERT_KINDS,
	PC_CHECK_TYPE,
	PC_SOURCE,
	PC_SOURCE_RECORD_ID,
	PC_EVIDENCE_SEQ,
	PC_RECORDED_AT,
	PC_ADDRESS,
	PC_COUNT
} PunchColumn;

extern void hrguard_punch_attnums(TupleDesc desc, int *attnum);

#endif							/* HRGUARD_PUNCH_H */
