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
 * and the relay goes on.  A relay round that fails (a database made
 * read-only, say) is logged once, as a WARNING, and tried again after a
 * pause that doubles up to a minute; the worker does not exit and is not
 * restarted in a loop.  On a hot standby it waits.  A shutdown request
 * ends it quietly, between rounds.  Without preloading, any scheduler can
 * call hrguard.relay_alerts() and hrguard.checkpoint() instead.
 *
 * IDENTIFICATION
 *	  src/relay_worker.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "access/xlog.h"
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
/* the longest pause after failed relay rounds */
#define RELAY_MAX_BACKOFF_MS 60000

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

/*
 * A relay round that may fail: the number of alerts notified, -1 when
 * hrguard is not installed, -2 when it failed.  A failure is reported
 * once (again only when its message changes), as a WARNING.
 */
static int
guarded_relay_round(char **last_failure)
{
	MemoryContext context = CurrentMemoryContext;
	volatile int sent = -2;

	PG_TRY();
	{
		sent = relay_round();
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		MemoryContextSwitchTo(context);
		edata = CopyErrorData();
		FlushErrorState();
		AbortCurrentTransaction();
		pgstat_report_activity(STATE_IDLE, NULL);
		if (*last_failure == NULL || strcmp(*last_failure, edata->message) != 0)
		{
			ereport(WARNING,
					(errmsg("hrguard alert relay in database \"%s\" cannot relay: %s",
							hrguard_relay_database, edata->message),
					 errdetail("It tries again after a pause that doubles up to %d s, and says so here only when the reason changes.",
							   RELAY_MAX_BACKOFF_MS / 1000)));
			if (*last_failure)
				pfree(*last_failure);
			*last_failure = MemoryContextStrdup(TopMemoryContext, edata->message);
		}
		FreeErrorData(edata);
	}
	PG_END_TRY();
	return sent;
}

void
hrguard_relay_main(Datum arg)
{
	bool		warned_missing = false;
	bool		warned_standby = false;
	char	   *last_failure = NULL;
	long		backoff_ms = 0;
	TimestampTz next_checkpoint = 0;

	pqsignal(SIGHUP, SignalHandlerForConfigReload);
	/* a shutdown request ends the worker between rounds, without an error */
	pqsignal(SIGTERM, SignalHandlerForShutdownRequest);
	BackgroundWorkerUnblockSignals();
	BackgroundWorkerInitializeConnection(hrguard_relay_database, NULL, 0);
	/* it writes its position: a server-wide read-only default is not for it */
	SetConfigOption("default_transaction_read_only", "off", PGC_SUSET, PGC_S_OVERRIDE);
	ereport(LOG,
			(errmsg("hrguard alert relay started in database \"%s\"",
					hrguard_relay_database)));

	for (;;)
	{
		int			sent;
		long		wait_ms;

		CHECK_FOR_INTERRUPTS();
		if (ShutdownRequestPending)
			proc_exit(0);
		if (ConfigReloadPending)
		{
			ConfigReloadPending = false;
			ProcessConfigFile(PGC_SIGHUP);
		}

		/* a hot standby writes nothing: wait until it is promoted */
		if (RecoveryInProgress())
		{
			if (!warned_standby)
				ereport(LOG,
						(errmsg("hrguard alert relay waits: the server is a standby")));
			warned_standby = true;
			(void) WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH,
							 hrguard_relay_interval_ms, PG_WAIT_EXTENSION);
			ResetLatch(MyLatch);
			continue;
		}
		warned_standby = false;

		sent = guarded_relay_round(&last_failure);
		if (sent == -2)
		{
			backoff_ms = backoff_ms == 0 ? hrguard_relay_interval_ms :
				Min(backoff_ms * 2, RELAY_MAX_BACKOFF_MS);
			(void) WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH,
							 backoff_ms, PG_WAIT_EXTENSION);
			ResetLatch(MyLatch);
			continue;
		}
		if (last_failure != NULL)
		{
			ereport(LOG,
					(errmsg("hrguard alert relay in database \"%s\" relays again",
							hrguard_relay_database)));
			pfree(last_failure);
			last_failure = NULL;
		}
		backoff_ms = 0;
		if (sent == -1 && !warned_missing)
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
