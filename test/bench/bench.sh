#!/usr/bin/env bash
# bench.sh -- hrguard's punch path against a plain INSERT and against the
# PL/pgSQL + PostGIS reference trigger (reference.sql), in one run, on a
# throwaway cluster it creates and removes.
#
# Bulk: INSERT ... SELECT of all generated punches into each table, RUNS
# times, interleaved; the median time of each is reported, and ratios of
# medians.  pgbench: single-row inserts from 8 clients for PGBENCH_SECONDS
# seconds each, PGBENCH_RUNS times, interleaved; medians reported.  Timing
# includes the commit; each timed statement and pgbench run starts right
# after a CHECKPOINT.  Not a test: nothing here asserts.
#
#   ZONES=10000 PUNCHES=200000 EMPLOYEES=2000 RUNS=3 PGBENCH_SECONDS=10 PGBENCH_RUNS=5 \
#   bash test/bench/bench.sh
set -euo pipefail

ZONES=${ZONES:-10000}
PUNCHES=${PUNCHES:-200000}
EMPLOYEES=${EMPLOYEES:-2000}
RUNS=${RUNS:-3}
# (not SECONDS: bash counts the seconds since the shell started in it)
SECONDS_PER_PGBENCH=${PGBENCH_SECONDS:-10}
PGBENCH_RUNS=${PGBENCH_RUNS:-5}

# the throwaway cluster, run_psql and median (cluster.sh)
. "$(dirname "$0")/cluster.sh"
as_runner "$bindir/psql" -X -q -h "$stage" -p "$port" -d postgres -c "CREATE DATABASE bench" >/dev/null

echo "== setup: $ZONES zones, $PUNCHES punches, $EMPLOYEES employees"
run_psql -v zones="$ZONES" -v punches="$PUNCHES" -v employees="$EMPLOYEES" -f setup.sql

columns="employee_id, punched_at, lat, lon, device_id"

# the plain baseline of the full path: each punch row plus one evidence
# row, hashed with SQL's sha256, in one statement
plain_ev_insert() {
	cat <<EOF2
WITH p AS (INSERT INTO bench.plain_ev ($columns) SELECT $columns FROM $1 RETURNING punch_id, $columns)
INSERT INTO bench.evidence (employee_id, seq, kind, occurred_at, recorded_at, canon, leaf, link)
SELECT employee_id, nextval('bench.evidence_seq'), 'punch', punched_at, now(), c,
	   substring(sha256('\x00'::bytea || c) FROM 1 FOR 16), sha256('\x02'::bytea || c)
  FROM p, LATERAL (SELECT convert_to(json_build_object('punch_id', punch_id, 'employee_id', employee_id,
				  'at', punched_at, 'lat', lat, 'lon', lon, 'device_id', device_id)::text, 'UTF8') AS c) x
EOF2
}

# timed_insert VARIANT: seconds for one INSERT ... SELECT of every punch
# (hrguard-copy: one COPY of the same rows from a CSV file), after a
# warm-up insert of 2000 rows that is then removed
timed_insert() {
	local statement warm truncate settings=""
	case "$1" in
		plain)
			truncate="TRUNCATE bench.plain"
			statement="INSERT INTO bench.plain ($columns) SELECT $columns FROM SOURCE" ;;
		plain+evidence)
			truncate="TRUNCATE bench.plain_ev, bench.evidence"
			statement=$(plain_ev_insert SOURCE) ;;
		reference-geo)
			truncate="TRUNCATE ref.punch, ref.alert"
			statement="INSERT INTO ref.punch ($columns) SELECT $columns FROM SOURCE" ;;
		reference-full)
			truncate="TRUNCATE ref.punch_full, ref.alert, ref.evidence, ref.chain_head"
			statement="INSERT INTO ref.punch_full ($columns) SELECT $columns FROM SOURCE" ;;
		hrguard-commit|hrguard-relay|hrguard-copy)
			truncate="ALTER TABLE hrguard.evidence DISABLE TRIGGER evidence_guard_truncate;
				ALTER TABLE hrguard.chain_head DISABLE TRIGGER chain_head_guard_truncate;
				ALTER TABLE hrguard.punch DISABLE TRIGGER punch_keep_truncate;
				ALTER TABLE hrguard.alert DISABLE TRIGGER alert_keep_truncate;
				TRUNCATE hrguard.punch, hrguard.alert, hrguard.competitor_visit_day,
						 hrguard.competitor_episode, hrguard.evidence, hrguard.chain_head;
				ALTER TABLE hrguard.evidence ENABLE ALWAYS TRIGGER evidence_guard_truncate;
				ALTER TABLE hrguard.chain_head ENABLE ALWAYS TRIGGER chain_head_guard_truncate;
				ALTER TABLE hrguard.punch ENABLE ALWAYS TRIGGER punch_keep_truncate;
				ALTER TABLE hrguard.alert ENABLE ALWAYS TRIGGER alert_keep_truncate"
			statement="INSERT INTO hrguard.punch ($columns) SELECT $columns FROM SOURCE"
			settings="SET hrguard.notify_mode = '${1#hrguard-}';" ;;
	esac
	warm=${statement//SOURCE/(SELECT * FROM bench.punch WHERE g <= 2000) s}
	if [ "$1" = hrguard-copy ]; then
		settings="SET hrguard.notify_mode = 'commit';"
		statement="COPY hrguard.punch ($columns) FROM '$stage/punches.csv' (FORMAT csv)"
	fi
	run_psql -t -A <<EOF
$settings
$truncate;
$warm;
$truncate;
CHECKPOINT;
SELECT clock_timestamp() AS t0 \gset
${statement//SOURCE/bench.punch};
SELECT extract(epoch FROM clock_timestamp() - :'t0');
EOF
}


# run_interleaved RESULTS RUNS FUNCTION LABEL UNIT: FUNCTION VARIANT for
# every variant, RUNS times, interleaved; each result is appended to the
# associative array named RESULTS
run_interleaved() {
	local -n results=$1
	local run v t
	for run in $(seq 1 "$2"); do
		for v in $variants; do
			t=$("$3" "$v")
			results[$v]+="$t "
			echo "$4 run $run: $v $t $5"
		done
	done
}

# the punches as the CSV file COPY reads
run_psql -c "COPY (SELECT $columns FROM bench.punch ORDER BY g) TO '$stage/punches.csv' (FORMAT csv)"

variants="plain plain+evidence reference-geo reference-full hrguard-commit hrguard-relay hrguard-copy"
declare -A times
run_interleaved times "$RUNS" timed_insert bulk s

alerts=$(run_psql -t -A -c "SELECT (SELECT count(*) FROM hrguard.alert) || ' hrguard alerts, ' || (SELECT count(*) FROM ref.alert) || ' reference alerts, ' || (SELECT count(*) FROM hrguard.evidence) || ' hrguard evidence entries'")
echo "after the last run: $alerts"

declare -A rate
echo
echo "== bulk INSERT ... SELECT of $PUNCHES punches, $ZONES zones: median of $RUNS runs"
printf '%-16s %10s %12s\n' variant seconds rows/s
for v in $variants; do
	m=$(median "${times[$v]}")
	rate[$v]=$(awk -v n="$PUNCHES" -v t="$m" 'BEGIN {printf "%.0f", n / t}')
	printf '%-16s %10.3f %12s\n' "$v" "$m" "${rate[$v]}"
done
for v in hrguard-commit hrguard-relay hrguard-copy; do
	awk -v h="${rate[$v]}" -v g="${rate[reference-geo]}" -v f="${rate[reference-full]}" \
		-v p="${rate[plain]}" -v pe="${rate[plain+evidence]}" -v name="$v" \
		'BEGIN {printf "%s: %.2fx reference-geo, %.2fx reference-full; %.0f%% of plain, %.0f%% of plain+evidence\n",
				name, h / g, h / f, 100 * h / p, 100 * h / pe}'
done

echo
echo "== in-database verification: verify_all() over hrguard's chains, 3 runs"
for i in 1 2 3; do
	run_psql -t -A <<'EOF2'
SELECT clock_timestamp() AS t0 \gset
SELECT sum(entries) AS n, bool_and(ok) AS ok FROM hrguard.verify_all() \gset
SELECT :n || ' entries, all ok: ' || :'ok' || ', ' ||
	   round(:n / extract(epoch FROM clock_timestamp() - :'t0')) || ' entries/s';
EOF2
done

echo
echo "== completeness: verify_facts() over every punch and alert, 3 runs"
for i in 1 2 3; do
	run_psql -t -A <<'EOF2'
SELECT (SELECT count(*) FROM hrguard.punch) + (SELECT count(*) FROM hrguard.alert) AS n \gset
SELECT clock_timestamp() AS t0 \gset
SELECT count(*) AS problems FROM hrguard.verify_facts() \gset
SELECT :n || ' punches and alerts, ' || :problems || ' problems, ' ||
	   round(extract(epoch FROM clock_timestamp() - :'t0')::numeric, 3) || ' s, ' ||
	   round(:n / extract(epoch FROM clock_timestamp() - :'t0')) || ' facts/s';
EOF2
done

# ---- the evidence log: checkpoints, proofs, an export --------------------
echo
echo "== the evidence log over hrguard's chains: checkpoints, proofs, an export"
run_psql -t -A <<'EOF2'
CREATE FUNCTION pg_temp.ms(t0 timestamptz) RETURNS text LANGUAGE sql AS
	$$ SELECT round(extract(epoch FROM clock_timestamp() - t0) * 1000, 1) || ' ms' $$;
SELECT clock_timestamp() AS t0 \gset
SELECT hrguard.checkpoint() IS NOT NULL AS taken \gset
SELECT 'first checkpoint (' || (SELECT max(tree_size) FROM hrguard.log_checkpoint) || ' entries, '
	   || (SELECT count(*) FROM hrguard.log_node) || ' subtree heads stored): ' || pg_temp.ms(:'t0');
SELECT count(hrguard.record_evidence(employee_id, 'note', '{}')) FROM hrguard.employee
 WHERE employee_id IN (SELECT employee_id FROM hrguard.employee ORDER BY employee_id LIMIT 10) \gset
SELECT clock_timestamp() AS t0 \gset
SELECT hrguard.checkpoint() IS NOT NULL AS taken \gset
SELECT 'checkpoint of 10 new entries: ' || pg_temp.ms(:'t0');
SELECT clock_timestamp() AS t0 \gset
SELECT hrguard.checkpoint() IS NOT NULL AS taken \gset
SELECT 'checkpoint with nothing new: ' || pg_temp.ms(:'t0');
SELECT max(tree_size) AS size FROM hrguard.log_checkpoint \gset
SELECT employee_id AS e FROM hrguard.log_entry WHERE log_index = :size / 3 \gset
SELECT clock_timestamp() AS t0 \gset
SELECT cardinality(proof) AS n FROM hrguard.inclusion_proof(:'e', 1, :size) \gset
SELECT 'inclusion proof (' || :n || ' hashes): ' || pg_temp.ms(:'t0');
SELECT clock_timestamp() AS t0 \gset
SELECT cardinality(hrguard.consistency_proof(:size / 2, :size)) AS n \gset
SELECT 'consistency proof (' || :n || ' hashes): ' || pg_temp.ms(:'t0');
SELECT clock_timestamp() AS t0 \gset
SELECT length(hrguard.export_evidence(:'e')::text) AS bytes \gset
SELECT 'export_evidence of one employee (' || :bytes || ' bytes): ' || pg_temp.ms(:'t0');
SELECT clock_timestamp() AS t0 \gset
SELECT ok FROM hrguard.verify_checkpoint((SELECT body FROM hrguard.log_checkpoint
										   ORDER BY tree_size DESC LIMIT 1)) \gset
SELECT 'verify_checkpoint: ' || :'ok' || ', ' || pg_temp.ms(:'t0');
EOF2

# ---- offline verification: hrguard-verify on exported packages ----------
echo
echo "== offline verification: hrguard-verify, median of 5 runs"
for entries in 10000 100000; do
	run_psql -c "INSERT INTO hrguard.employee (employee_id) VALUES ('verify-$entries')"
	# in statements of 5,000
	for first in $(seq 1 5000 "$entries"); do
		run_psql -t -A >/dev/null -c "SELECT count(hrguard.record_evidence('verify-$entries', 'note',
				jsonb_build_object('i', i, 'text', 'a note of moderate length'),
				'2026-01-01'::timestamptz + i * interval '1 minute'))
			FROM generate_series($first, $first + 4999) AS i"
	done
	run_psql -t -A -c "SELECT hrguard.export_evidence('verify-$entries')" >"$stage/package-$entries.json"
	# the verifier runs where no database does: let this one's writes settle
	run_psql -c "CHECKPOINT" >/dev/null
	sync
	vt=""
	for i in 1 2 3 4 5; do
		t0=$(date +%s.%N)
		# no checkpoint file given: the entries are anchored by the package's
		# own checkpoint only, which the verifier reports with exit status 3
		rc=0
		"$bindir/hrguard-verify" --quiet "$stage/package-$entries.json" || rc=$?
		[ "$rc" -eq 0 ] || [ "$rc" -eq 3 ] || { echo "hrguard-verify failed ($rc)" >&2; exit 1; }
		t1=$(date +%s.%N)
		vt+="$(awk -v a="$t0" -v b="$t1" 'BEGIN {print b - a}') "
	done
	m=$(median "$vt")
	awk -v n="$entries" -v t="$m" -v bytes="$(stat -c %s "$stage/package-$entries.json")" \
		'BEGIN {printf "%d entries (%.1f MB): %.0f ms, %.0f entries/s\n", n, bytes / 1e6, t * 1000, n / t}'
done

# ---- pgbench: single-row inserts from 8 clients --------------------------
pgbench_tps() {
	local statement=$1 options=$2
	# every variant starts right after a checkpoint: the same full-page writes
	run_psql -c "CHECKPOINT" >/dev/null
	local source="(SELECT employee_id, punched_at, lat + (random() - 0.5) * 1e-6 AS lat, lon + (random() - 0.5) * 1e-6 AS lon, device_id FROM bench.punch WHERE g = :g) s"
	printf '%s\n%s;\n' "\set g random(1, $PUNCHES)" "${statement//SOURCE/$source}" >"$stage/one.sql"
	chown "$runner" "$stage/one.sql"
	(cd "$stage" && as_runner env PGOPTIONS="$options" "$bindir/pgbench" -n -h "$stage" -p "$port" \
		-c 8 -j 2 -M prepared -T "$SECONDS_PER_PGBENCH" -f one.sql bench 2>&1) |
		sed -n 's/^tps = \([0-9.]*\) .*/\1/p'
}

echo
echo "== pgbench: 8 clients, single-row INSERT, ${SECONDS_PER_PGBENCH} s each, median of $PGBENCH_RUNS interleaved runs"
declare -A tps_runs
pgbench_variant() {
	case "$1" in
		plain) pgbench_tps "INSERT INTO bench.plain ($columns) SELECT $columns FROM SOURCE" "" ;;
		plain+evidence) pgbench_tps "$(plain_ev_insert SOURCE)" "" ;;
		reference-geo) pgbench_tps "INSERT INTO ref.punch ($columns) SELECT $columns FROM SOURCE" "" ;;
		reference-full) pgbench_tps "INSERT INTO ref.punch_full ($columns) SELECT $columns FROM SOURCE" "" ;;
		hrguard-*) pgbench_tps "INSERT INTO hrguard.punch ($columns) SELECT $columns FROM SOURCE" \
				"-c hrguard.notify_mode=${1#hrguard-}" ;;
	esac
}
# (COPY is a bulk path: it has no single-row variant)
variants=${variants% hrguard-copy}
run_interleaved tps_runs "$PGBENCH_RUNS" pgbench_variant pgbench tps
declare -A tps
for v in $variants; do
	tps[$v]=$(median "${tps_runs[$v]}")
done
printf '%-16s %10s\n' variant tps
for v in $variants; do
	printf '%-16s %10.0f\n' "$v" "${tps[$v]}"
done
awk -v h="${tps[hrguard-relay]}" -v p="${tps[plain]}" -v pe="${tps[plain+evidence]}" \
	'BEGIN {printf "hrguard-relay: %.0f%% of plain, %.0f%% of plain+evidence\n", 100 * h / p, 100 * h / pe}'
awk -v h="${tps[hrguard-commit]}" -v g="${tps[reference-geo]}" -v f="${tps[reference-full]}" -v p="${tps[plain]}" \
	'BEGIN {printf "hrguard-commit: %.2fx reference-geo (which reaches %.0f%% of plain), %.2fx reference-full (%.0f%% of plain)\n", h / g, 100 * g / p, h / f, 100 * f / p}'

echo
echo "== machine"
echo "$(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
run_psql -t -A -c "SELECT version()"
echo "PostGIS $(run_psql -t -A -c "SELECT extversion FROM pg_extension WHERE extname = 'postgis'"), hrguard $(run_psql -t -A -c 'SELECT hrguard.version()')"

# ---- zone cache size ----------------------------------------------------
echo
echo "== zone cache (one backend): the benchmark's zones, then 100,000 zones"
run_psql <<'EOF2'
\timing on
SELECT * FROM hrguard.zone_cache_stats();
\timing off
INSERT INTO hrguard.zone (name, kind, geom)
SELECT 'extra ' || g, 'office',
	   ST_Multi(ST_MakeEnvelope(cx - 0.001, cy - 0.001, cx + 0.001, cy + 0.001, 4326))
  FROM (SELECT g, 121.2 + (hashint4(g::int) & 65535) / 65535.0 * 0.6 AS cx,
			   31.0 + (hashint4(g::int + 7919) & 65535) / 65535.0 * 0.4 AS cy
		  FROM generate_series(1, 100000 - (SELECT count(*) FROM hrguard.zone)) g) s;
\timing on
SELECT * FROM hrguard.zone_cache_stats();
\timing off
SELECT verdict, zone_name IS NOT NULL AS near_zone
  FROM hrguard.classify_point('E1', '2026-03-02 10:00+08', 31.2, 121.5);
EOF2
