# cluster.sh -- sourced by the benchmarks: a throwaway cluster in a private
# directory under /tmp, started on a Unix socket only and removed on exit;
# run_psql (database bench), as_runner, and median.
top=$(cd "$(dirname "$0")/../.." && pwd)
pg_config=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
bindir=$("$pg_config" --bindir)

if [ "$(id -u)" -eq 0 ]; then
	runner=postgres
	as_runner() { runuser -u postgres -- "$@"; }
else
	runner=$(id -un)
	as_runner() { "$@"; }
fi

stage=$(mktemp -d /tmp/hrguard-bench.XXXXXX)
cp "$top"/test/bench/*.sql "$stage/"
chown -R "$runner" "$stage"
port=${BENCH_PORT:-5439}
cleanup() {
	as_runner "$bindir/pg_ctl" -D "$stage/data" -m immediate stop >/dev/null 2>&1 || true
	rm -rf "$stage"
}
trap cleanup EXIT

as_runner "$bindir/initdb" -D "$stage/data" -A trust --no-sync -E UTF8 --locale=C.UTF-8 >/dev/null
as_runner "$bindir/pg_ctl" -D "$stage/data" -l "$stage/server.log" -w \
	-o "-c listen_addresses='' -k $stage -p $port -c shared_buffers=512MB -c max_wal_size=4GB -c work_mem=64MB" \
	start >/dev/null

run_psql() {
	(cd "$stage" && as_runner "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h "$stage" -p "$port" -d bench "$@")
}

# median of the numbers separated by blanks in $1
median() {
	echo "$1" | tr ' ' '\n' | grep . | sort -g |
		awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}
