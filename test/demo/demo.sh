#!/usr/bin/env bash
# demo.sh -- start or stop hrguard's throwaway demo cluster.
#
#   demo.sh start   create (or reuse) the demo cluster, recreate the demo
#                   database, install hrguard, load the scenario and print
#                   what hrguard found; the cluster keeps running
#   demo.sh stop    stop the demo cluster and remove its files
#
# The cluster listens on 127.0.0.1 only, on the first free port from 54330,
# never 5432.  Its location is recorded in .demo/ in the checkout, so that
# "stop" only ever touches the cluster that "start" created.  The data
# directory lives under .demo/ when the server's user can reach the
# checkout, and in a private directory under /tmp otherwise.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
state="$top/.demo"
pg_config=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
[ -x "$pg_config" ] || pg_config=$(command -v pg_config)
bindir=$("$pg_config" --bindir)
dbname=hrguard_demo

if [ "$(id -u)" -eq 0 ]; then
	runner=postgres
	as_runner() { runuser -u postgres -- "$@"; }
else
	runner=$(id -un)
	as_runner() { "$@"; }
fi

port_in_use() {
	(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

free_port() {
	local p
	for p in $(seq 54330 54399); do
		if ! port_in_use "$p"; then
			echo "$p"
			return 0
		fi
	done
	echo "demo: no free port in 54330-54399" >&2
	return 1
}

is_running() {
	[ -f "$state/datadir" ] || return 1
	as_runner "$bindir/pg_ctl" -D "$(cat "$state/datadir")" status >/dev/null 2>&1
}

psql_demo() {
	"$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$(cat "$state/port")" \
		-U "$runner" "$@"
}

start() {
	mkdir -p "$state"
	if is_running; then
		echo "demo: reusing the running demo cluster on port $(cat "$state/port")"
	else
		local base data port
		if [ -f "$state/datadir" ]; then
			base=$(dirname "$(cat "$state/datadir")")
		elif as_runner test -w "$state" 2>/dev/null ||
			{ [ "$runner" = postgres ] && chown postgres "$state" &&
			  as_runner test -w "$state" 2>/dev/null; }; then
			base="$state/cluster"
		else
			base=$(mktemp -d /tmp/hrguard-demo.XXXXXX)
		fi
		data="$base/data"
		mkdir -p "$base"
		chown "$runner" "$base"
		echo "$data" >"$state/datadir"
		if [ ! -f "$data/PG_VERSION" ]; then
			echo "demo: creating a cluster in $data"
			as_runner "$bindir/initdb" -D "$data" -A trust -U "$runner" \
				--encoding=UTF8 --locale=C.UTF-8 >"$base/initdb.log" 2>&1 ||
				{ cat "$base/initdb.log" >&2; exit 1; }
		fi
		port=$(free_port)
		echo "$port" >"$state/port"
		echo "demo: starting the demo cluster on 127.0.0.1:$port"
		as_runner "$bindir/pg_ctl" -D "$data" -l "$base/server.log" -w \
			-o "-c port=$port -c listen_addresses=127.0.0.1 -c unix_socket_directories=''" \
			start >/dev/null ||
			{ tail -n 30 "$base/server.log" >&2; exit 1; }
	fi

	psql_demo -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $dbname WITH (FORCE)" \
		-c "CREATE DATABASE $dbname"
	psql_demo -d "$dbname" -c "SET client_min_messages = warning" \
		-c "CREATE EXTENSION hrguard CASCADE"

	# the listener an HR application would run: it prints each alert once,
	# as notified (test/listener/hrguard_listen)
	local listen_log="$state/listener.log" listener
	: >"$listen_log"
	"$top/test/listener/hrguard_listen" \
		"host=127.0.0.1 port=$(cat "$state/port") user=$runner dbname=$dbname application_name=demo_listener" \
		>"$listen_log" 2>"$state/listener.err" &
	listener=$!
	for _ in $(seq 1 50); do
		grep -q listening "$state/listener.err" 2>/dev/null && break
		sleep 0.1
	done

	psql_demo -d "$dbname" -P pager=off \
		-v dingtalk="$(cat "$top/test/demo/dingtalk_listrecord.json")" \
		-v wecom="$(cat "$top/test/demo/wecom_checkindata.json")" \
		-f "$top/test/demo/scenario.sql"
	psql_demo -d "$dbname" -P pager=off -f "$top/test/demo/scoring.sql"

	sleep 1
	kill "$listener" 2>/dev/null || true
	wait "$listener" 2>/dev/null || true
	echo
	echo "== the listener received $(wc -l <"$listen_log") alerts, each once; the first ten:"
	head -n 10 "$listen_log"
	echo

	psql_demo -d "$dbname" -P pager=off -f "$top/test/demo/report.sql"
	psql_demo -d "$dbname" -P pager=off -f "$top/test/demo/case.sql"

	# the case package, verified offline against the checkpoint it carries
	local package="$state/case-package.json" checkpoint="$state/case-checkpoint.txt"
	psql_demo -d "$dbname" -A -t -c "SELECT hrguard.export_case(max(case_id), 'zhou.legal') FROM hrguard.\"case\" WHERE employee_id = 'S001'" >"$package"
	perl -MJSON::PP -e 'local $/; open my $f, "<", $ARGV[0] or die; print decode_json(<$f>)->{checkpoint}' "$package" >"$checkpoint"
	echo "== the case package ($package), checked offline: hrguard-verify --checkpoint $checkpoint"
	"$bindir/hrguard-verify" --checkpoint "$checkpoint" --html "$state/case-report.html" "$package" | tail -n 6
	echo "== the case report, drawn offline from the package: $state/case-report.html"

	cat <<EOF

The demo cluster is running.  Connect with:

  psql -h 127.0.0.1 -p $(cat "$state/port") -U $runner $dbname

Stop it with:

  make demo-stop
EOF
}

stop() {
	if [ ! -f "$state/datadir" ]; then
		echo "demo: no demo cluster recorded in $state"
		return 0
	fi
	local data base
	data=$(cat "$state/datadir")
	base=$(dirname "$data")
	if is_running; then
		as_runner "$bindir/pg_ctl" -D "$data" -m fast -w stop >/dev/null
		echo "demo: stopped the demo cluster"
	fi
	rm -rf "$base" "$state"
	echo "demo: removed $base"
}

case "${1:-}" in
	start) start ;;
	stop) stop ;;
	*) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
