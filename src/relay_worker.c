/*-------------------------------------------------------------------------
 *
 * relay_worker.c
 *	  A background worker that delivers alerts in notify_mode "relay" and
 *	  takes checkpoints of the evidence log on a schedule.
 *
 * When hrguard is in shared_preload_libraries and hrguard.relay_database
 * names a database, the postmaster starts this worker.  It calls
 * hrguard.relay_alerts() in its own transaction every
 * hrguard.relay_interval_ms (at once again while batches come back full),
 * so each committed alert is notified once, in transaction order, and
 * nothing is lost across restarts: the position reached is committed with
 * the notifications.  With hrguard.checkpoint_interval set, it also calls
 * hrguard.checkpoint() that often, in a transaction of its own; a
 * checkpoint that fails is logged and tried again at the next interval,
 * and the relay goes on.  Without preloading, any scheduler can call
 * hrguard.relay_alerts() and hrguard.checkpoint() instead.
 *
 * IDENTIFICATION
 *	  src/relay_worker.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "pgstat.h"
#include "postmaster/bgworker.h"
#include "postmaster/interrupt.h"
#include "storage/ipc.h"
#include "storage/latch.h"
#include "tcop/tcopprot.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"

#include "hrguard.h"

#define RELAY_BATCH 10000

char	   *hrguard_relay_database = NULL;
int			hrguard_relay_interval_ms = 1000;
int			hrguard_checkpoint_interval_s = 0;

PGDLLEXPORT void hrguard_relay_main(Datum arg);

/* Called from _PG_init while shared_preload_libraries is being loaded. */
void
hrguard_relay_register(void)
{
	BackgroundWorker worker;

	if (hrguard_relay_database == NULL || hrguard_relay_database[0] == '\0')
		return;

	memset(&worker, 0, sizeof(worker));
	worker.bgw_flags = BGWORKER_SHMEM_ACCESS | BGWORKER_BACKEND_DATABASE_CONNECTION;
	worker.bgw_start_time = BgWorkerStart_RecoveryFinished;
	worker.bgw_restart_time = 10;
	snprintf(worker.bgw_library_name, BGW_MAXLEN, "hrguard");
	snprintf(worker.bgw_function_name, BGW_MAXLEN, "hrguard_relay_main");
	snprintf(worker.bgw_name, BGW_MAXLEN, "hrguard alert relay");
	snprintf(worker.bgw_type, BGW_MAXLEN, "hrguard alert relay");
	RegisterBackgroundWorker(&worker);
}

/* Begin a round's transaction; false when hrguard is not installed. */
static bool
round_begin(const char *activity)
{
	SetCurrentStatementStartTimestamp();
	StartTransactionCommand();
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	PushActiveSnapshot(GetTransactionSnapshot());
	pgstat_report_activity(STATE_RUNNING, activity);
	return SPI_execute("SELECT 1 FROM pg_catalog.pg_extension "
					   "WHERE extname OPERATOR(pg_catalog.=) 'hrguard'", true, 1) == SPI_OK_SELECT &&
		SPI_processed == 1;
}

static void
round_end(void)
{
	SPI_finish();
	PopActiveSnapshot();
	CommitTransactionCommand();
	pgstat_report_activity(STATE_IDLE, NULL);
}

/*
 * One relay round in its own transaction: the number of alerts notified,
 * or -1 when hrguard is not installed in the database.
 */
static int
relay_round(void)
{
	int			sent = -1;
	bool		isnull;

	if (round_begin("hrguard.relay_alerts()"))
	{
		char		query[64];

		snprintf(query, sizeof(query), "SELECT hrguard.relay_alerts(%d)", RELAY_BATCH);
		if (SPI_execute(query, false, 1) != SPI_OK_SELECT || SPI_processed != 1)
			elog(ERROR, "hrguard.relay_alerts() failed");
		sent = DatumGetInt32(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc,
										   1, &isnull));
	}
	round_end();
	return sent;
}

/*
 * A scheduled checkpoint in its own transaction.  An error (a damaged log,
 * say) is reported and the transaction rolled back; the worker goes on.
 */
static void
checkpoint_round(void)
{
	MemoryContext context = CurrentMemoryContext;

	PG_TRY();
	{
		if (round_begin("hrguard.checkpoint()") &&
			SPI_execute("SELECT hrguard.checkpoint()", false, 1) != SPI_OK_SELECT)
			elog(ERROR, "hrguard.checkpoint() failed");
		round_end();
	}
	PG_CATCH();
	{
		MemoryContextSwitchTo(context);
		EmitErrorReport();
		FlushErrorState();
		AbortCurrentTransaction();
		pgstat_report_activity(STATE_IDLE, NULL);
	}
	PG_END_TRY();
}

void
hrguard_relay_main(Datum arg)
{
	bool		warned_missing = false;
	TimestampTz next_checkpoint = 0;

	pqsignal(SIGHUP, SignalHandlerForConfigReload);
	pqsignal(SIGTERM, die);
	BackgroundWorkerUnblockSignals();
	BackgroundWorkerInitializeConnection(hrguard_relay_database, NULL, 0);
	ereport(LOG,
			(errmsg("hrguard alert relay started in database \"%s\"",
					hrguard_relay_database)));

	for (;;)
	{
		int			sent;
		long		wait_ms;

		CHECK_FOR_INTERRUPTS();
		if (ConfigReloadPending)
		{
			ConfigReloadPending = false;
			ProcessConfigFile(PGC_SIGHUP);
		}

		sent = relay_round();
		if (sent < 0 && !warned_missing)
		{
			ereport(LOG,
					(errmsg("hrguard is not installed in database \"%s\"; the relay waits",
							hrguard_relay_database)));
			warned_missing = true;
		}
		if (sent >= 0)
			warned_missing = false;
		wait_ms = hrguard_relay_interval_ms;
		if (hrguard_checkpoint_interval_s > 0)
		{
			TimestampTz now = GetCurrentTimestamp();

			if (next_checkpoint == 0 ||
				next_checkpoint > now + (int64) hrguard_checkpoint_interval_s * USECS_PER_SEC)
				next_checkpoint = now + (int64) hrguard_checkpoint_interval_s * USECS_PER_SEC;
			else if (now >= next_checkpoint)
			{
				if (sent >= 0)
					checkpoint_round();
				next_checkpoint = now + (int64) hrguard_checkpoint_interval_s * USECS_PER_SEC;
			}
			wait_ms = Min(wait_ms, (next_checkpoint - now) / 1000 + 1);
		}
		else
			next_checkpoint = 0;
		if (sent >= RELAY_BATCH)
			continue;			/* more may be waiting */

		(void) WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH,
						 wait_ms, PG_WAIT_EXTENSION);
		ResetLatch(MyLatch);
	}
}
