/*-------------------------------------------------------------------------
 *
 * punch_history.h
 *	  Direct index probes into an employee's earlier punches.
 *
 * IDENTIFICATION
 *	  src/punch_history.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef HRGUARD_PUNCH_HISTORY_H
#define HRGUARD_PUNCH_HISTORY_H

#include "datatype/timestamp.h"
#include "utils/snapshot.h"

typedef struct PunchHistory
{
	bool		has_previous;	/* a punch at or before this one */
	TimestampTz previous_at;
	bool		previous_located;
	double		previous_lat;
	double		previous_lon;
	bool		repeated;		/* same raw position on another day */
	bool		device_known;
	bool		has_history;	/* any punch before, or within the lookback */
} PunchHistory;

/* an employee's latest punch in the table, whatever its time */
typedef struct PunchLatest
{
	bool		found;
	TimestampTz at;
	bool		located;
	double		lat;
	double		lon;
	char	   *device_id;		/* NULL: none */
} PunchLatest;

typedef struct PunchHistoryReader PunchHistoryReader;

extern PunchHistoryReader *hrguard_history_open(Oid punch_relid, MemoryContext owner);
extern void hrguard_history_close(PunchHistoryReader *reader);
extern void hrguard_history_released(PunchHistoryReader *reader);
extern Snapshot hrguard_history_snapshot(PunchHistoryReader *reader);
extern void hrguard_history_refresh(PunchHistoryReader *reader);
extern void hrguard_history_latest(PunchHistoryReader *reader, const char *employee_id,
								   PunchLatest *latest);
extern void hrguard_history_read(PunchHistoryReader *reader, const char *employee_id,
								 TimestampTz at, TimestampTz known_previous,
								 const PunchLatest *latest, bool known_history,
								 bool located, double raw_lat, double raw_lon,
								 TimestampTz day_start, TimestampTz day_end,
								 const char *device_id, bool known_device,
								 PunchHistory *history);

extern bool hrguard_history_located_before(PunchHistoryReader *reader, const char *employee_id,
										   TimestampTz at, TimestampTz after,
										   TimestampTz *found_at, double *lat, double *lon);
extern bool hrguard_history_source_taken(PunchHistoryReader *reader, const char *source,
										 const char *source_record_id);

#endif							/* HRGUARD_PUNCH_HISTORY_H */
