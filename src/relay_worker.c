/*-------------------------------------------------------------------------
 *
 * relay_worker.c
 *	  The relay worker of one database: delivers alerts raised in
 *	  notify_mode "relay" and takes checkpoints of the evidence log on a
 *	  schedule.
 *
 * The launcher (relay_launcher.c) starts one per database.  A worker whose
 * database does not have hrguard, or already has a relay worker, exits at
 * once and quietly; otherwise it logs one line and calls
 * hrguard.relay_alerts() in its own transaction every
 * hrguard.relay_interval_ms (at once again while batches come back full),
 * so each committed alert is notified once and nothing is lost across
 * restarts: the position reached is committed with the notifications.
 * With hrguard.checkpoint_interval set, it also calls hrguard.checkpoint()
 * that often, in a transaction of its own; a checkpoint that fails is
 * logged and tried again at the next interval, and the relay goes on.  A
 * relay round that fails (a trigger of the DBA's refusing the position's
 * update, say) is logged once, as a WARNING, and tried again after a pause
 * that doubles up to a minute; the worker does not exit.  When hrguard is
 * dropped from its database, the worker says so and exits.  A shutdown
 * request ends it quietly, between rounds.  Without preloading, any
 * scheduler can call hrguard.relay_alerts() and hrguard.checkpoint().
 *
 * IDENTIFICATION
 *	  src/relay_worker.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/pg_extension.h"
#include "commands/dbcommands.h"
#include "commands/extension.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "pgstat.h"
#include "postmaster/bgworker.h"
#include "postmaster/interrupt.h"
#include "storage/ipc.h"
#include "storage/latch.h"
#include "storage/lmgr.h"
#include "storage/lock.h"
#include "tcop/tcopprot.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"

#include "relay_worker.h"

#define RELAY_BATCH 10000
/* the longest pause after failed relay rounds */
#define RELAY_MAX_BACKOFF_MS 60000

/* the session advisory lock that keeps a database to one relay worker */
#define RELAY_LOCK_KEY1 0x68726775	/* "hrgu" */
#define RELAY_LOCK_KEY2 0x72656c79	/* "rely" */

int			hrguard_relay_interval_ms = 1000;
int			hrguard_checkpoint_interval_s = 0;

/* the worker's database, for its messages */
static char *relay_dbname = NULL;

/*
 * Between passes of the launcher and rounds of a worker: a shutdown request
 * ends the process with exit_code, a reload request reloads the configuration,
 * and a cancel request is dropped (one during a worker's round fails that
 * round, which is tried again).
 */
void
hrguard_relay_process_interrupts(int exit_code)
{
	/* a cancel that came between rounds has nothing to cancel */
	QueryCancelPending = false;
	CHECK_FOR_INTERRUPTS();
	if (ShutdownRequestPending)
		proc_exit(exit_code);
	if (ConfigReloadPending)
	{
		ConfigReloadPending = false;
		ProcessConfigFile(PGC_SIGHUP);
	}
}

/*
 * Whether this worker is the database's relay: hrguard is installed and no
 * other relay worker holds the database's relay lock (this one takes it
 * for as long as it runs).  Also learns the database's name.
 */
static bool
relay_claim_database(void)
{
	bool		claimed = false;

	StartTransactionCommand();
	relay_dbname = MemoryContextStrdup(TopMemoryContext,
									   get_database_name(MyDatabaseId));
	if (OidIsValid(get_extension_oid("hrguard", true)))
	{
		LOCKTAG		tag;

		SET_LOCKTAG_ADVISORY(tag, MyDatabaseId, RELAY_LOCK_KEY1, RELAY_LOCK_KEY2, 2);
		claimed = LockAcquire(&tag, ExclusiveLock, true, true) != LOCKACQUIRE_NOT_AVAIL;
	}
	CommitTransactionCommand();
	return claimed;
}

/*
 * Whether hrguard is still installed, asked in a transaction of its own
 * after a round failed: DROP EXTENSION committing while a round ran makes
 * the round fail on a missing function or table, which is no failure of
 * the relay.
 */
static bool
relay_extension_present(void)
{
	bool		present;

	StartTransactionCommand();
	present = OidIsValid(get_extension_oid("hrguard", true));
	CommitTransactionCommand();
	return present;
}

/*
 * Begin a round's transaction; false when hrguard is not installed.
 *
 * The round holds the extension itself (a share lock on it) before it
 * touches any of hrguard's tables: DROP EXTENSION locks the extension
 * first, then its tables, so the two wait for each other in that order
 * instead of deadlocking over the tables.  The snapshot is taken once
 * the lock is held, and sees a DROP that committed meanwhile.
 */
static bool
round_begin(const char *activity)
{
	Oid			extension;

	SetCurrentStatementStartTimestamp();
	StartTransactionCommand();
	extension = get_extension_oid("hrguard", true);
	if (OidIsValid(extension))
		LockDatabaseObject(ExtensionRelationId, extension, 0, AccessShareLock);
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
		AbortCurrentTransaction();
		/* the next relay round notices a dropped hrguard and says so */
		if (relay_extension_present())
			EmitErrorReport();
		FlushErrorState();
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
		if (!relay_extension_present())
			sent = -1;
		else if (*last_failure == NULL || strcmp(*last_failure, edata->message) != 0)
		{
			ereport(WARNING,
					(errmsg("hrguard alert relay in database \"%s\" cannot relay: %s",
							relay_dbname, edata->message),
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
	char	   *last_failure = NULL;
	long		backoff_ms = 0;
	TimestampTz next_checkpoint = 0;

	pqsignal(SIGHUP, SignalHandlerForConfigReload);
	/* a shutdown request ends the worker between rounds, without an error */
	pqsignal(SIGTERM, SignalHandlerForShutdownRequest);
	BackgroundWorkerUnblockSignals();
	BackgroundWorkerInitializeConnectionByOid(DatumGetObjectId(arg), InvalidOid, 0);
	/* it writes its position: a server-wide read-only default is not for it */
	SetConfigOption("default_transaction_read_only", "off", PGC_SUSET, PGC_S_OVERRIDE);
	/* relay_alerts() takes a snapshot per statement */
	SetConfigOption("default_transaction_isolation", "read committed", PGC_SUSET, PGC_S_OVERRIDE);
	if (!relay_claim_database())
		proc_exit(0);
	ereport(LOG,
			(errmsg("hrguard alert relay started in database \"%s\"", relay_dbname)));

	for (;;)
	{
		int			sent;
		long		wait_ms;

		/* exit code 0: the launcher decides whether it starts again */
		hrguard_relay_process_interrupts(0);

		sent = guarded_relay_round(&last_failure);
		if (sent == -1)
		{
			ereport(LOG,
					(errmsg("hrguard is no longer installed in database \"%s\"; its alert relay stops",
							relay_dbname)));
			proc_exit(0);
		}
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
							relay_dbname)));
			pfree(last_failure);
			last_failure = NULL;
		}
		backoff_ms = 0;
		wait_ms = hrguard_relay_interval_ms;
		if (hrguard_checkpoint_interval_s > 0)
		{
			TimestampTz now = GetCurrentTimestamp();

			if (next_checkpoint == 0 ||
				next_checkpoint > now + (int64) hrguard_checkpoint_interval_s * USECS_PER_SEC)
				next_checkpoint = now + (int64) hrguard_checkpoint_interval_s * USECS_PER_SEC;
			else if (now >= next_checkpoint)
			{
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
