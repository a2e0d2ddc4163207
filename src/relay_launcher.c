/*-------------------------------------------------------------------------
 *
 * relay_launcher.c
 *	  The launcher of the alert relay: one relay worker per database that
 *	  uses hrguard, and DDL that needs a database to itself kept working.
 *
 * With hrguard in shared_preload_libraries the postmaster starts the
 * launcher ("hrguard relay launcher").  It is connected to no database and
 * reads pg_database every RELAY_LAUNCHER_NAPTIME_MS; for each database
 * that allows connections, is not a template and is named by
 * hrguard.relay_databases ('*': all), it starts a relay worker
 * (relay_worker.c).  A worker whose database does not have hrguard exits
 * at once, quietly; a worker that stops for any reason is started again
 * RELAY_RETRY_S later, if its database is still there.  So a database
 * gets its worker within that time of CREATE EXTENSION hrguard, and a
 * database without hrguard costs one short-lived process a minute.  A
 * database for which no background worker slot is free is named in one
 * WARNING and tried again at every pass; a database that becomes a
 * template or closed to connections has its worker stopped.  A value of
 * hrguard.relay_databases that is not a list stops the server from
 * starting; a listed name that is no database is named once.
 *
 * A relay worker connected to a database would make DROP DATABASE, ALTER
 * DATABASE ... RENAME TO or SET TABLESPACE, and CREATE DATABASE ...
 * TEMPLATE of it fail ("being accessed by other users"), so a utility hook
 * stops that database's worker first when the database's owner or a
 * superuser runs one of them (for the copy of a template, any role that
 * may create databases); the launcher starts it again RELAY_RETRY_S later
 * if the database is still there.
 *
 * IDENTIFICATION
 *	  src/relay_launcher.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <signal.h>

#include "access/heapam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/pg_database.h"
#include "commands/dbcommands.h"
#include "commands/defrem.h"
#include "miscadmin.h"
#include "nodes/parsenodes.h"
#include "pgstat.h"
#include "postmaster/bgworker.h"
#include "postmaster/interrupt.h"
#include "storage/ipc.h"
#include "storage/latch.h"
#include "tcop/utility.h"
#include "utils/acl.h"
#include "utils/backend_status.h"
#include "utils/hsearch.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"
#include "utils/timestamp.h"
#include "utils/varlena.h"

#include "relay_launcher.h"
#include "relay_worker.h"

/* how often the launcher reads pg_database */
#define RELAY_LAUNCHER_NAPTIME_MS 10000
/* how long after a worker stopped its database is tried again */
#define RELAY_RETRY_S 60
/* relay workers looked at, at most, when stopping some */
#define RELAY_MAX_SEEN 1024

/* the launcher's view of one database */
typedef struct RelayDatabase
{
	Oid			dboid;			/* hash key */
	char		name[NAMEDATALEN];
	BackgroundWorkerHandle *worker; /* NULL: none started, or stopped */
	TimestampTz retry_at;		/* not started again before this */
	bool		warned_no_slot;
	bool		listed;			/* found in the last read of pg_database */
} RelayDatabase;

PGDLLEXPORT void hrguard_relay_launcher_main(Datum arg);

static ProcessUtility_hook_type prev_process_utility = NULL;
static void relay_process_utility(PlannedStmt *pstmt, const char *queryString,
								  bool readOnlyTree, ProcessUtilityContext context,
								  ParamListInfo params, QueryEnvironment *queryEnv,
								  DestReceiver *dest, QueryCompletion *qc);

/* hrguard.relay_databases (registered by hrguard.c) */
char	   *hrguard_relay_databases = NULL;

/* a value of hrguard.relay_databases was refused while the server started */
static bool relay_databases_refused = false;

/*
 * The check hook of hrguard.relay_databases: '*' alone, or a list of
 * database names written as SQL identifiers.
 */
bool
hrguard_relay_databases_check(char **newval, void **extra, GucSource source)
{
	char	   *copy;
	List	   *names;
	ListCell   *lc;
	bool		ok;

	if (*newval == NULL || strcmp(*newval, "*") == 0)
		return true;
	copy = pstrdup(*newval);
	ok = SplitIdentifierString(copy, ',', &names);
	if (!ok)
		GUC_check_errdetail("List syntax is invalid: give '*' or database names separated by commas.");
	else
	{
		foreach(lc, names)
		{
			const char *name = (const char *) lfirst(lc);

			if (strcmp(name, "*") == 0 || name[0] == '\0')
			{
				GUC_check_errdetail("Give '*' alone, or database names separated by commas.");
				ok = false;
				break;
			}
		}
	}
	list_free(names);
	pfree(copy);
	if (!ok && process_shared_preload_libraries_in_progress)
		relay_databases_refused = true;
	return ok;
}

/* The names hrguard.relay_databases lists (none for '*'). */
static List *
relay_listed_names(void)
{
	char	   *copy;
	List	   *names = NIL;

	if (hrguard_relay_databases == NULL || strcmp(hrguard_relay_databases, "*") == 0)
		return NIL;
	copy = pstrdup(hrguard_relay_databases);
	if (!SplitIdentifierString(copy, ',', &names))
		names = NIL;			/* the check hook lets none such in */
	return names;
}

/* Whether hrguard.relay_databases names the database. */
static bool
relay_database_wanted(const char *name)
{
	List	   *names;
	ListCell   *lc;
	bool		found = false;

	if (strcmp(hrguard_relay_databases, "*") == 0)
		return true;
	names = relay_listed_names();
	foreach(lc, names)
		found = found || strcmp((const char *) lfirst(lc), name) == 0;
	list_free(names);
	return found;
}

/* Called from _PG_init while shared_preload_libraries is being loaded. */
void
hrguard_relay_launcher_register(void)
{
	BackgroundWorker worker;

	prev_process_utility = ProcessUtility_hook;
	ProcessUtility_hook = relay_process_utility;

	/*
	 * PostgreSQL falls back to the default, '*', for a value it refused in
	 * the configuration file; the server does not start on a value that
	 * would run workers where none were asked for, as it does not for its
	 * own settings.
	 */
	if (relay_databases_refused)
		ereport(FATAL,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("hrguard.relay_databases is not a valid list of databases"),
				 errhint("Give '*', database names separated by commas, or '' for no relay worker.")));

	/* '', or only blanks: no launcher */
	if (hrguard_relay_databases == NULL ||
		(strcmp(hrguard_relay_databases, "*") != 0 && relay_listed_names() == NIL))
		return;

	memset(&worker, 0, sizeof(worker));
	worker.bgw_flags = BGWORKER_SHMEM_ACCESS | BGWORKER_BACKEND_DATABASE_CONNECTION;
	/* workers write: on a standby none runs until it is promoted */
	worker.bgw_start_time = BgWorkerStart_RecoveryFinished;
	worker.bgw_restart_time = 10;
	snprintf(worker.bgw_library_name, BGW_MAXLEN, "hrguard");
	snprintf(worker.bgw_function_name, BGW_MAXLEN, "hrguard_relay_launcher_main");
	snprintf(worker.bgw_name, BGW_MAXLEN, HRGUARD_RELAY_LAUNCHER_TYPE);
	snprintf(worker.bgw_type, BGW_MAXLEN, HRGUARD_RELAY_LAUNCHER_TYPE);
	RegisterBackgroundWorker(&worker);
}

/*
 * Name, once, each database hrguard.relay_databases lists that the read of
 * pg_database did not find (a typo would otherwise leave a database
 * without its relay).
 */
static void
relay_warn_missing_databases(List *found)
{
	List	   *names = relay_listed_names();
	ListCell   *lc;

	foreach(lc, names)
	{
		const char *name = (const char *) lfirst(lc);
		ListCell   *f;
		bool		exists = false;

		foreach(f, found)
			exists = exists || strcmp((const char *) lfirst(f), name) == 0;
		if (!exists)
			ereport(WARNING,
					(errcode(ERRCODE_UNDEFINED_DATABASE),
					 errmsg("hrguard.relay_databases names database \"%s\", which does not exist",
							name),
					 errdetail("A database of that name gets its relay worker once it is created.")));
	}
}

/*
 * The running relay workers: their process ids and databases, at most max
 * of them; how many there are.
 */
static int
relay_running_workers(int *pids, Oid *dboids, int max)
{
	int			n;
	int			i;
	int			found = 0;

	pgstat_clear_backend_activity_snapshot();
	n = pgstat_fetch_stat_numbackends();
	for (i = 1; i <= n; i++)
	{
		PgBackendStatus *status = &pgstat_fetch_stat_local_beentry(i)->backendStatus;
		const char *type;

		if (status->st_backendType != B_BG_WORKER)
			continue;
		type = GetBackgroundWorkerTypeByPid(status->st_procpid);
		if (type == NULL || strcmp(type, HRGUARD_RELAY_WORKER_TYPE) != 0)
			continue;
		if (found < max)
		{
			pids[found] = status->st_procpid;
			dboids[found] = status->st_databaseid;
		}
		found++;
	}
	pgstat_clear_backend_activity_snapshot();
	return found;
}

/*
 * Stop the relay workers of databases no longer listed (made templates,
 * closed to connections), also those a launcher before this one started.
 */
static void
relay_stop_unlisted_workers(HTAB *databases)
{
	int			pids[RELAY_MAX_SEEN];
	Oid			dboids[RELAY_MAX_SEEN];
	int			n = Min(relay_running_workers(pids, dboids, RELAY_MAX_SEEN), RELAY_MAX_SEEN);
	int			i;

	for (i = 0; i < n; i++)
	{
		RelayDatabase *db = hash_search(databases, &dboids[i], HASH_FIND, NULL);

		if (db == NULL || !db->listed)
			(void) kill(pids[i], SIGTERM);
	}
}

/*
 * Read pg_database: mark the databases a worker is for as listed, adding
 * the new ones to the table.
 */
static void
relay_list_databases(HTAB *databases)
{
	static bool names_checked = false;
	List	   *found = NIL;
	Relation	rel;
	TableScanDesc scan;
	HeapTuple	tuple;
	HASH_SEQ_STATUS status;
	RelayDatabase *db;

	hash_seq_init(&status, databases);
	while ((db = hash_seq_search(&status)) != NULL)
		db->listed = false;

	StartTransactionCommand();
	PushActiveSnapshot(GetTransactionSnapshot());
	rel = table_open(DatabaseRelationId, AccessShareLock);
	scan = table_beginscan_catalog(rel, 0, NULL);
	while ((tuple = heap_getnext(scan, ForwardScanDirection)) != NULL)
	{
		Form_pg_database form = (Form_pg_database) GETSTRUCT(tuple);
		bool		known;

		found = lappend(found, pstrdup(NameStr(form->datname)));
		if (!form->datallowconn || form->datistemplate ||
			form->datconnlimit == DATCONNLIMIT_INVALID_DB ||
			!relay_database_wanted(NameStr(form->datname)))
			continue;
		db = hash_search(databases, &form->oid, HASH_ENTER, &known);
		if (!known)
		{
			db->worker = NULL;
			db->retry_at = 0;
			db->warned_no_slot = false;
		}
		strlcpy(db->name, NameStr(form->datname), NAMEDATALEN);
		db->listed = true;
	}
	table_endscan(scan);
	table_close(rel, AccessShareLock);
	if (!names_checked)
	{
		relay_warn_missing_databases(found);
		names_checked = true;
	}
	relay_stop_unlisted_workers(databases);
	PopActiveSnapshot();
	CommitTransactionCommand();
	pgstat_report_activity(STATE_IDLE, NULL);
}

/* Start the relay worker of a database; false when no slot is free. */
static bool
relay_start_worker(RelayDatabase *db)
{
	BackgroundWorker worker;

	memset(&worker, 0, sizeof(worker));
	worker.bgw_flags = BGWORKER_SHMEM_ACCESS | BGWORKER_BACKEND_DATABASE_CONNECTION;
	worker.bgw_start_time = BgWorkerStart_RecoveryFinished;
	worker.bgw_restart_time = BGW_NEVER_RESTART;
	worker.bgw_main_arg = ObjectIdGetDatum(db->dboid);
	worker.bgw_notify_pid = MyProcPid;
	snprintf(worker.bgw_library_name, BGW_MAXLEN, "hrguard");
	snprintf(worker.bgw_function_name, BGW_MAXLEN, "hrguard_relay_main");
	snprintf(worker.bgw_name, BGW_MAXLEN, "%s for database %s",
			 HRGUARD_RELAY_WORKER_TYPE, db->name);
	snprintf(worker.bgw_type, BGW_MAXLEN, HRGUARD_RELAY_WORKER_TYPE);
	return RegisterDynamicBackgroundWorker(&worker, &db->worker);
}

/* Whether a database is among those of the running workers. */
static bool
relay_database_has_worker(Oid dboid, const Oid *dboids, int n)
{
	int			i;

	for (i = 0; i < n; i++)
		if (dboids[i] == dboid)
			return true;
	return false;
}

/* One pass: a worker for each listed database that has none running. */
static void
relay_launch_pass(HTAB *databases)
{
	HASH_SEQ_STATUS status;
	RelayDatabase *db;
	TimestampTz now = GetCurrentTimestamp();
	int			pids[RELAY_MAX_SEEN];
	Oid			dboids[RELAY_MAX_SEEN];
	int			nrunning;

	relay_list_databases(databases);
	/* workers running already: this launcher's, or one's before it */
	nrunning = Min(relay_running_workers(pids, dboids, RELAY_MAX_SEEN), RELAY_MAX_SEEN);
	hash_seq_init(&status, databases);
	while ((db = hash_seq_search(&status)) != NULL)
	{
		if (db->worker != NULL)
		{
			pid_t		pid;

			if (GetBackgroundWorkerPid(db->worker, &pid) != BGWH_STOPPED)
				continue;
			pfree(db->worker);
			db->worker = NULL;
			db->retry_at = TimestampTzPlusMilliseconds(now, RELAY_RETRY_S * 1000);
		}
		if (!db->listed)
		{
			(void) hash_search(databases, &db->dboid, HASH_REMOVE, NULL);
			continue;
		}
		if (now < db->retry_at || relay_database_has_worker(db->dboid, dboids, nrunning))
			continue;
		if (relay_start_worker(db))
			continue;
		db->worker = NULL;
		if (!db->warned_no_slot)
			ereport(WARNING,
					(errmsg("no background worker slot is free for the hrguard alert relay of database \"%s\"",
							db->name),
					 errhint("Raise max_worker_processes: the relay needs one slot for its launcher, one for each database using hrguard, and, briefly once a minute, one for each other database hrguard.relay_databases names.")));
		db->warned_no_slot = true;
	}
}

void
hrguard_relay_launcher_main(Datum arg)
{
	HASHCTL		ctl;
	HTAB	   *databases;

	pqsignal(SIGHUP, SignalHandlerForConfigReload);
	/* a shutdown request ends the launcher between passes, quietly */
	pqsignal(SIGTERM, SignalHandlerForShutdownRequest);
	/* it runs no statement a cancel could be meant for */
	pqsignal(SIGINT, SIG_IGN);
	BackgroundWorkerUnblockSignals();
	/* no database: pg_database is a shared catalog */
	BackgroundWorkerInitializeConnection(NULL, NULL, 0);

	memset(&ctl, 0, sizeof(ctl));
	ctl.keysize = sizeof(Oid);
	ctl.entrysize = sizeof(RelayDatabase);
	ctl.hcxt = TopMemoryContext;
	databases = hash_create("hrguard relay databases", 16, &ctl,
							HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);

	for (;;)
	{
		/*
		 * exit code 1: the postmaster starts the launcher again 10 s after
		 * a pg_terminate_backend(); at shutdown it starts nothing
		 */
		hrguard_relay_process_interrupts(1);
		relay_launch_pass(databases);
		/* the postmaster sets the latch when one of its workers stops */
		(void) WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH,
						 RELAY_LAUNCHER_NAPTIME_MS, PG_WAIT_EXTENSION);
		ResetLatch(MyLatch);
	}
}

/* Whether a database is a template, which any role with CREATEDB may copy. */
static bool
relay_database_is_template(Oid dboid)
{
	HeapTuple	tuple = SearchSysCache1(DATABASEOID, ObjectIdGetDatum(dboid));
	bool		template = false;

	if (HeapTupleIsValid(tuple))
	{
		template = ((Form_pg_database) GETSTRUCT(tuple))->datistemplate;
		ReleaseSysCache(tuple);
	}
	return template;
}

/*
 * Ask the relay worker connected to a database, if any, to stop, and wait
 * (a few seconds at most) until it has.
 */
static void
relay_stop_worker_of(const char *dbname, bool copy)
{
	Oid			dboid = get_database_oid(dbname, true);
	int			attempts;

	/*
	 * only for those who may run the statement: its owner, a superuser,
	 * and for a copy of a template, any role that may create databases
	 */
	if (!OidIsValid(dboid))
		return;
	if (!pg_database_ownercheck(dboid, GetUserId()) &&
		!(copy && relay_database_is_template(dboid) && have_createdb_privilege()))
		return;
	for (attempts = 0; attempts < 50; attempts++)
	{
		int			pids[RELAY_MAX_SEEN];
		Oid			dboids[RELAY_MAX_SEEN];
		int			n = Min(relay_running_workers(pids, dboids, RELAY_MAX_SEEN), RELAY_MAX_SEEN);
		int			i;
		bool		running = false;

		for (i = 0; i < n; i++)
		{
			if (dboids[i] != dboid)
				continue;
			if (attempts == 0)
				(void) kill(pids[i], SIGTERM);
			running = true;
		}
		if (!running)
			return;
		/* as dropdb waits for other backends: 100 ms at a time */
		CHECK_FOR_INTERRUPTS();
		pg_usleep(100 * 1000L);
	}
}

/* The name of the database a DDL statement needs to itself, or NULL. */
static const char *
relay_database_needed_alone(Node *stmt)
{
	ListCell   *lc;

	switch (nodeTag(stmt))
	{
		case T_DropdbStmt:
			return ((DropdbStmt *) stmt)->dbname;
		case T_RenameStmt:
			if (((RenameStmt *) stmt)->renameType == OBJECT_DATABASE)
				return ((RenameStmt *) stmt)->subname;
			return NULL;
		case T_AlterDatabaseStmt:
			foreach(lc, ((AlterDatabaseStmt *) stmt)->options)
			{
				if (strcmp(((DefElem *) lfirst(lc))->defname, "tablespace") == 0)
					return ((AlterDatabaseStmt *) stmt)->dbname;
			}
			return NULL;
		case T_CreatedbStmt:
			foreach(lc, ((CreatedbStmt *) stmt)->options)
			{
				DefElem    *option = (DefElem *) lfirst(lc);

				if (strcmp(option->defname, "template") == 0 && option->arg != NULL)
					return defGetString(option);
			}
			return NULL;
		default:
			return NULL;
	}
}

static void
relay_process_utility(PlannedStmt *pstmt, const char *queryString,
					  bool readOnlyTree, ProcessUtilityContext context,
					  ParamListInfo params, QueryEnvironment *queryEnv,
					  DestReceiver *dest, QueryCompletion *qc)
{
	const char *dbname = relay_database_needed_alone(pstmt->utilityStmt);

	if (dbname != NULL)
		relay_stop_worker_of(dbname, IsA(pstmt->utilityStmt, CreatedbStmt));

	if (prev_process_utility)
		prev_process_utility(pstmt, queryString, readOnlyTree, context,
							 params, queryEnv, dest, qc);
	else
		standard_ProcessUtility(pstmt, queryString, readOnlyTree, context,
								params, queryEnv, dest, qc);
}
