/*-------------------------------------------------------------------------
 *
 * relay_worker.c
 *	  A background worker that delivers alerts in notify_mode "relay".
 *
 * When hrguard is in shared_preload_libraries and hrguard.relay_database
 * names a database, the postmaster starts this worker.  It calls
 * hrguard.relay_alerts() in its own transaction every
 * hrguard.relay_interval_ms (at once again while batches come back full),
 * so each committed alert is notified once, in transaction order, and
 * nothing is lost across restarts: the position reached is committed with
 * the notifications.  Without preloading, any scheduler can call
 * hrguard.relay_alerts() instead.
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
#include "utils/snapmgr.h"

#include "hrguard.h"

#define RELAY_BATCH 10000

char	   *hrguard_relay_database = NULL;
int			hrguard_relay_interval_ms = 1000;

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

/*
 * One relay round in its own transaction: the number of alerts notified,
 * or -1 when hrguard is not installed in the database.
 */
static int
relay_round(void)
{
	int			sent = -1;
	bool		isnull;

	SetCurrentStatementStartTimestamp();
	StartTransactionCommand();
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	PushActiveSnapshot(GetTransactionSnapshot());
	pgstat_report_activity(STATE_RUNNING, "hrguard.relay_alerts()");

	if (SPI_execute("SELECT 1 FROM pg_catalog.pg_extension "
					"WHERE extname OPERATOR(pg_catalog.=) 'hrguard'", true, 1) == SPI_OK_SELECT &&
		SPI_processed == 1)
	{
		char		query[64];

		snprintf(query, sizeof(query), "SELECT hrguard.relay_alerts(%d)", RELAY_BATCH);
		if (SPI_execute(query, false, 1) != SPI_OK_SELECT || SPI_processed != 1)
			elog(ERROR, "hrguard.relay_alerts() failed");
		sent = DatumGetInt32(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc,
										   1, &isnull));
	}

	SPI_finish();
	PopActiveSnapshot();
	CommitTransactionCommand();
	pgstat_report_activity(STATE_IDLE, NULL);
	return sent;
}

void
hrguard_relay_main(Datum arg)
{
	bool		warned_missing = false;

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
		if (sent >= RELAY_BATCH)
			continue;			/* more may be waiting */

		(void) WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH,
						 hrguard_relay_interval_ms, PG_WAIT_EXTENSION);
		ResetLatch(MyLatch);
	}
}
