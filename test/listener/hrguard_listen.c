/*
 * hrguard_listen.c -- a LISTEN client for hrguard's alerts, as an HR
 * application would write one.
 *
 * NOTIFY is a hint, not a store: a notification sent while the client is
 * disconnected is gone.  So the client LISTENs first and then catches up
 * with hrguard.alerts_since(cursor), which returns the alerts committed
 * since its cursor and the cursor to pass next time; it does so at start
 * (no cursor: every alert), after every reconnection, and on every
 * notification (whose payload, {"alert_id": n}, it does not trust).  Every
 * alert is printed once:
 *
 *   alert <alert_id> <employee_id> <kind> <severity>
 *
 * Usage: hrguard_listen [--max N] [--timeout SECONDS] CONNINFO
 *   --max N        exit 0 after printing N alerts
 *   --timeout S    exit 1 after S seconds (default: run until interrupted)
 * Connection losses are reported on stderr and retried every half second.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <time.h>

#include <libpq-fe.h>

#define CATCH_UP_QUERY \
	"SELECT alert_id, employee_id, kind, severity, next_cursor::text " \
	"  FROM hrguard.alerts_since($1::pg_snapshot)"

/* the cursor of the last catch-up, NULL before the first */
static char *cursor;

/* the alert ids printed so far, sorted */
static int64_t *seen;
static size_t nseen;
static size_t seen_cap;
static long printed;

static bool
already_seen(int64_t id)
{
	size_t		lo = 0,
				hi = nseen;

	while (lo < hi)
	{
		size_t		mid = lo + (hi - lo) / 2;

		if (seen[mid] == id)
			return true;
		if (seen[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (nseen == seen_cap)
	{
		seen_cap = seen_cap ? seen_cap * 2 : 256;
		seen = realloc(seen, seen_cap * sizeof(*seen));
		if (seen == NULL)
		{
			fprintf(stderr, "hrguard_listen: out of memory\n");
			exit(2);
		}
	}
	memmove(&seen[lo + 1], &seen[lo], (nseen - lo) * sizeof(*seen));
	seen[lo] = id;
	nseen++;
	return false;
}

static double
now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Print the alerts committed since the cursor; false on error. */
static bool
catch_up(PGconn *conn)
{
	const char *params[1] = {cursor};
	PGresult   *res = PQexecParams(conn, CATCH_UP_QUERY, 1, NULL, params, NULL, NULL, 0);
	int			i;

	if (PQresultStatus(res) != PGRES_TUPLES_OK)
	{
		fprintf(stderr, "hrguard_listen: %s", PQerrorMessage(conn));
		PQclear(res);
		return false;
	}
	for (i = 0; i < PQntuples(res); i++)
	{
		if (i == PQntuples(res) - 1)
		{
			free(cursor);
			cursor = strdup(PQgetvalue(res, i, 4));
		}
		if (already_seen(strtoll(PQgetvalue(res, i, 0), NULL, 10)))
			continue;
		printf("alert %s %s %s %s\n", PQgetvalue(res, i, 0), PQgetvalue(res, i, 1),
			   PQgetvalue(res, i, 2), PQgetvalue(res, i, 3));
		printed++;
	}
	fflush(stdout);
	PQclear(res);
	return true;
}

/* Connect, LISTEN, then catch up on what was raised meanwhile. */
static PGconn *
connect_and_catch_up(const char *conninfo, double deadline)
{
	for (;;)
	{
		PGconn	   *conn = PQconnectdb(conninfo);

		if (PQstatus(conn) == CONNECTION_OK)
		{
			PGresult   *res = PQexec(conn, "LISTEN hrguard_alert");
			bool		listening = PQresultStatus(res) == PGRES_COMMAND_OK;

			PQclear(res);
			if (listening && catch_up(conn))
			{
				fprintf(stderr, "hrguard_listen: listening\n");
				return conn;
			}
		}
		fprintf(stderr, "hrguard_listen: not connected: %s", PQerrorMessage(conn));
		PQfinish(conn);
		if (deadline > 0 && now_seconds() > deadline)
			return NULL;
		{
			struct timespec pause = {0, 500 * 1000 * 1000};

			nanosleep(&pause, NULL);
		}
	}
}

int
main(int argc, char **argv)
{
	long		max = 0;
	double		timeout = 0;
	double		deadline = 0;
	const char *conninfo = NULL;
	PGconn	   *conn;
	int			i;

	for (i = 1; i < argc; i++)
	{
		if (strcmp(argv[i], "--max") == 0 && i + 1 < argc)
			max = strtol(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--timeout") == 0 && i + 1 < argc)
			timeout = strtod(argv[++i], NULL);
		else if (conninfo == NULL)
			conninfo = argv[i];
		else
		{
			fprintf(stderr, "usage: hrguard_listen [--max N] [--timeout SECONDS] CONNINFO\n");
			return 2;
		}
	}
	if (conninfo == NULL)
	{
		fprintf(stderr, "usage: hrguard_listen [--max N] [--timeout SECONDS] CONNINFO\n");
		return 2;
	}
	if (timeout > 0)
		deadline = now_seconds() + timeout;

	conn = connect_and_catch_up(conninfo, deadline);
	while (conn != NULL && (max == 0 || printed < max))
	{
		PGnotify   *notify;
		fd_set		readable;
		struct timeval wait = {0, 250 * 1000};
		int			sock = PQsocket(conn);

		if (deadline > 0 && now_seconds() > deadline)
			break;
		FD_ZERO(&readable);
		if (sock >= 0)
			FD_SET(sock, &readable);
		if (sock < 0 || (select(sock + 1, &readable, NULL, NULL, &wait) < 0 && errno != EINTR) ||
			!PQconsumeInput(conn) || PQstatus(conn) != CONNECTION_OK)
		{
			fprintf(stderr, "hrguard_listen: connection lost: %s", PQerrorMessage(conn));
			PQfinish(conn);
			conn = connect_and_catch_up(conninfo, deadline);
			continue;
		}
		/* a notification only says: catch up */
		if ((notify = PQnotifies(conn)) != NULL)
		{
			while (notify != NULL)
			{
				PQfreemem(notify);
				notify = PQnotifies(conn);
			}
			catch_up(conn);
		}
	}
	if (conn != NULL)
		PQfinish(conn);
	return (max > 0 && printed >= max) ? 0 : 1;
}
