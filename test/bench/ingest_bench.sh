#!/usr/bin/env bash
# ingest_bench.sh -- hrguard.ingest_dingtalk() on one attendance/listRecord
# response of INGEST_RECORDS records against inserting the same punches
# (the same columns and values, the employee ids already mapped) with
# INSERT ... SELECT from a table and with COPY from a file, in one run, on a
# throwaway cluster.  ingest_alone is the same ingestion read by the backend
# alone (max_parallel_maintenance_workers = 0): what the parallel worker
# that reads a large payload's records saves.
#
# Every run of every variant starts from a fresh copy of one template
# database (employees with DingTalk user ids, 200 office zones assigned to
# everyone, a schedule around the clock), right after a CHECKPOINT, and is
# timed with its commit; INGEST_RUNS runs, interleaved (each run starting
# with the next variant), medians reported.
# The backend's peak memory (VmHWM) is read after each statement, and the
# CPU time it spent on it (utime + stime): a run whose CPU time is as long
# as its wall time was slowed by the machine, not by waiting.  Not a test:
# nothing here asserts.
#
#   INGEST_RECORDS=100000 INGEST_EMPLOYEES=2000 INGEST_RUNS=5 bash test/bench/ingest_bench.sh
set -euo pipefail

INGEST_RECORDS=${INGEST_RECORDS:-100000}
INGEST_EMPLOYEES=${INGEST_EMPLOYEES:-2000}
INGEST_RUNS=${INGEST_RUNS:-5}

. "$(dirname "$0")/cluster.sh"

psql_db() {
	local db=$1
	shift
	(cd "$stage" && as_runner "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h "$stage" -p "$port" -d "$db" "$@")
}

echo "== setup: $INGEST_RECORDS DingTalk records of $INGEST_EMPLOYEES employees"
psql_db postgres -c "CREATE DATABASE ingest_tpl"
psql_db ingest_tpl -v records="$INGEST_RECORDS" -v employees="$INGEST_EMPLOYEES" <<'EOF'
SET client_min_messages = warning;
CREATE EXTENSION hrguard CASCADE;
INSERT INTO hrguard.schedule (name, timezone) VALUES ('always', 'Asia/Shanghai');
INSERT INTO hrguard.schedule_window (schedule_id, isodow, starts_at, ends_at)
SELECT schedule_id, d, '00:00', '24:00' FROM hrguard.schedule, generate_series(1, 7) d;
INSERT INTO hrguard.employee (employee_id, dingtalk_userid, schedule_id)
SELECT 'E' || g, 'dt-user-' || g, (SELECT schedule_id FROM hrguard.schedule) FROM generate_series(1, :employees) g;
INSERT INTO hrguard.zone (name, kind, center, radius_m, source_crs)
SELECT 'office ' || g, 'office',
	   ST_SetSRID(ST_MakePoint(121.40 + (g % 20) * 0.01, 31.15 + (g / 20) * 0.01), 4326), 300, 'gcj02'
  FROM generate_series(0, 199) g;
INSERT INTO hrguard.zone_assignment (zone_id) SELECT zone_id FROM hrguard.zone;

-- the records: each employee's punches every 20 minutes, near an office
-- or anywhere in the box, sorted by employee and time (as ingestion
-- inserts them), with the fields a listRecord record carries
CREATE SCHEMA bench;
CREATE TABLE bench.record AS
SELECT g AS id, 'dt-user-' || e AS user_id, 'E' || e AS employee_id,
	   1793491200000 + (g / :employees) * 1200000::bigint AS check_ms,
	   round((31.15 + (g % 200 / 20) * 0.01 + (hashint4(g) % 1000) * 0.000005)::numeric, 6) AS lat,
	   round((121.40 + (g % 20) * 0.01 + (hashint4(g + 1) % 1000) * 0.000005)::numeric, 6) AS lon,
	   CASE WHEN g % 2 = 0 THEN 'OnDuty' ELSE 'OffDuty' END AS check_type,
	   'dev-' || e AS device_id
  FROM generate_series(1, :records) g, LATERAL (SELECT 1 + g % :employees AS e) x
 ORDER BY ('E' || e) COLLATE "C", 1793491200000 + (g / :employees) * 1200000::bigint;
-- what ingestion inserts, as a table (INSERT ... SELECT) and as a file (COPY)
CREATE TABLE bench.punch_rows AS
SELECT employee_id, to_timestamp(check_ms / 1000.0) AS punched_at, lat::float8 AS raw_lat,
	   lon::float8 AS raw_lon, 'gcj02' AS raw_crs, 20::float8 AS accuracy_m,
	   CASE check_type WHEN 'OnDuty' THEN 'on_duty' ELSE 'off_duty' END AS check_type,
	   'dingtalk' AS source, id::text AS source_record_id, device_id,
	   jsonb_build_object('vendor', 'dingtalk', 'checkType', check_type, 'sourceType', 'USER',
						  'timeResult', 'Normal', 'locationResult', 'Normal', 'corpId', 'dingbench',
						  'groupId', 121325603, 'made_by', 'employee') AS vendor_flags
  FROM bench.record ORDER BY employee_id COLLATE "C", check_ms;
EOF
psql_db ingest_tpl -At -o "$stage/payload.json" -c "
	SELECT json_build_object('errcode', 0, 'errmsg', 'ok', 'recordresult', json_agg(json_build_object(
		'id', id, 'userId', user_id, 'checkType', check_type, 'userCheckTime', check_ms,
		'userLatitude', lat, 'userLongitude', lon, 'userAccuracy', 20, 'deviceId', device_id,
		'sourceType', 'USER', 'timeResult', 'Normal', 'locationResult', 'Normal',
		'corpId', 'dingbench', 'groupId', 121325603, 'locationMethod', 'MAP') ORDER BY employee_id COLLATE \"C\", check_ms))
	  FROM bench.record"
psql_db ingest_tpl -c "\\copy bench.punch_rows TO '$stage/punches.copy'"
echo "payload: $(du -h "$stage/payload.json" | cut -f1) of JSON"

cols="employee_id, punched_at, raw_lat, raw_lon, raw_crs, accuracy_m, check_type, source, source_record_id, device_id, vendor_flags"

# seconds and peak backend memory (kB) of one variant on a fresh copy
timed() {
	local variant=$1 db="ingest_run"
	psql_db postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db TEMPLATE ingest_tpl"
	local statement
	case "$variant" in
		ingest) statement="SELECT inserted FROM hrguard.ingest_dingtalk(pg_read_file('$stage/payload.json'));" ;;
		ingest_alone) statement="SET max_parallel_maintenance_workers = 0;
SELECT inserted FROM hrguard.ingest_dingtalk(pg_read_file('$stage/payload.json'));" ;;
		insert) statement="INSERT INTO hrguard.punch ($cols) SELECT $cols FROM bench.punch_rows;" ;;
		copy) statement="COPY hrguard.punch ($cols) FROM '$stage/punches.copy';" ;;
	esac
	psql_db "$db" -At <<EOF | tail -n 1
SET client_min_messages = warning;
CHECKPOINT;
SELECT pg_backend_pid() AS pid \\gset
CREATE TEMP VIEW cpu_ticks AS
SELECT split_part(stat, ' ', 14)::bigint + split_part(stat, ' ', 15)::bigint AS ticks
  FROM pg_read_file('/proc/' || :pid || '/stat') stat;
SELECT ticks AS c0, clock_timestamp() AS t0 FROM cpu_ticks \\gset
$statement
SELECT round(extract(epoch FROM clock_timestamp() - :'t0'), 3) || ' ' ||
	   (SELECT count(*) FROM hrguard.punch) || ' ' ||
	   (regexp_match(pg_read_file('/proc/' || :pid || '/status'), 'VmHWM:\\s+(\\d+)'))[1] || ' ' ||
	   round((SELECT ticks - :c0 FROM cpu_ticks) / 100.0, 2);
EOF
}

declare -A times mem
variants=(ingest ingest_alone insert copy)
for run in $(seq 1 "$INGEST_RUNS"); do
	# each run starts with the next variant: none always runs first
	for k in 0 1 2 3; do
		v=${variants[$(((run - 1 + k) % 4))]}
		read -r t n kb cpu < <(timed "$v")
		[ "$n" = "$INGEST_RECORDS" ] || { echo "$v stored $n punches, not $INGEST_RECORDS" >&2; exit 1; }
		times[$v]+="$t "
		mem[$v]+="$kb "
		echo "ingest run $run: $v $t s, peak backend memory $((kb / 1024)) MB, backend cpu $cpu s"
	done
done

echo
echo "== $INGEST_RECORDS DingTalk records ($INGEST_EMPLOYEES employees): median of $INGEST_RUNS runs"
printf '%-24s %10s %12s %14s\n' variant seconds punches/s 'peak MB'
for v in ingest ingest_alone insert copy; do
	t=$(median "${times[$v]}")
	kb=$(median "${mem[$v]}")
	awk -v v="$v" -v t="$t" -v n="$INGEST_RECORDS" -v kb="$kb" \
		'BEGIN {printf "%-24s %10.3f %12.0f %14.0f\n", v, t, n / t, kb / 1024}'
done
ti=$(median "${times[ingest]}")
ta=$(median "${times[ingest_alone]}")
tf=$(median "${times[insert]}")
tc=$(median "${times[copy]}")
awk -v i="$ti" -v a="$ta" -v f="$tf" -v c="$tc" 'BEGIN {
	best = (f < c) ? f : c
	printf "ingest_dingtalk / faster of INSERT ... SELECT and COPY: %.3f (target: at most 1.10)\n", i / best
	printf "read by the backend alone: %.3f\n", a / best }'
