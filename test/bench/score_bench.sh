#!/usr/bin/env bash
# score_bench.sh -- hrguard.score_period() against the plain-SQL hours
# mismatch score (score_reference.sql: window functions, range_agg,
# percentile_cont) on the same facts, in one run, on a throwaway cluster.
#
# Each size is a tenant (its employees in teams of 20, thirteen months of
# punches, deals, customers and visits: score_setup.sql), the tenants'
# facts loaded together in time order, as a live system receives them.
# September 2026 is scored for each tenant SCORE_RUNS times by each
# variant, interleaved, each run starting with the next variant (a variant
# finds the caches as the one before it left them); medians are reported
# and their ratio.  The reference runs as PostgreSQL plans it (parallel
# workers on a multi-core machine) and once more with
# max_parallel_workers_per_gather = 0 (one core); score_period()'s queries
# are planned as usual.  score_period() does more than the reference (all
# four signals, the scores stored with their inputs' hash, an evidence
# entry each); its stored scores are deleted before each run (the guard
# disabled for that, as a superuser can) so that it recomputes and stores
# them, and the score table vacuumed (untimed), as a period never scored
# before finds it.
# The reference's modified z of every employee is compared with
# score_period()'s.  Not a test: nothing here asserts.
#
#   SCORE_SIZES="2500 10000" SCORE_RUNS=3 bash test/bench/score_bench.sh
set -euo pipefail

SCORE_SIZES=${SCORE_SIZES:-2500 10000}
SCORE_RUNS=${SCORE_RUNS:-3}

. "$(dirname "$0")/cluster.sh"
as_runner "$bindir/psql" -X -q -h "$stage" -p "$port" -d postgres -c "CREATE DATABASE bench" >/dev/null
run_psql -c "SET client_min_messages = warning" -c "CREATE EXTENSION hrguard CASCADE" -c "CREATE SCHEMA bench"

t0=$(date +%s.%N)
run_psql -v sizes="$(echo $SCORE_SIZES | tr ' ' ',')" -f score_setup.sql
echo "== setup: $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN {printf "%.0f", b - a}') s"
for size in $SCORE_SIZES; do
	rows=$(run_psql -t -A -c "SELECT (SELECT count(*) FROM hrguard.punch p JOIN hrguard.employee e USING (employee_id) WHERE e.tenant_id = 't$size')
		|| ' punches, ' || (SELECT count(*) FROM hrguard.sale s JOIN hrguard.employee e USING (employee_id) WHERE e.tenant_id = 't$size') || ' deals'")
	echo "   t$size: $size employees, $rows"
done

# seconds of one scoring by VARIANT (hrguard, reference) of tenant t$1
timed_score() {
	local statement
	case "$2" in
		hrguard)
			statement="ALTER TABLE hrguard.score DISABLE TRIGGER score_guard;
DELETE FROM hrguard.score WHERE tenant_id = 't$1';
ALTER TABLE hrguard.score ENABLE ALWAYS TRIGGER score_guard;
VACUUM hrguard.score;
CHECKPOINT;
SELECT clock_timestamp() AS t0 \\gset
SELECT employees FROM hrguard.score_period('2026-09-01', '2026-09-30', 't$1') \\gset" ;;
		reference|reference-serial)
			statement="CHECKPOINT;
$([ "$2" = reference-serial ] && echo 'SET max_parallel_workers_per_gather = 0;')
SELECT clock_timestamp() AS t0 \\gset
\\set tenant t$1
\\i score_reference.sql" ;;
	esac
	run_psql -t -A <<EOF
SET client_min_messages = warning;
$statement
SELECT extract(epoch FROM clock_timestamp() - :'t0');
EOF
}

declare -A times
variants=(reference reference-serial hrguard)
for run in $(seq 1 "$SCORE_RUNS"); do
	for size in $SCORE_SIZES; do
		# each run starts with the next variant: none always follows the same
		# one (a variant finds the caches as the one before it left them)
		for k in 0 1 2; do
			v=${variants[$(((run - 1 + k) % 3))]}
			t=$(timed_score "$size" "$v" | tail -n 1)
			times[$size/$v]+="$t "
			echo "score run $run: $size employees, $v $t s"
		done
	done
done

echo
echo "== scoring September 2026 (12 months of history): median of $SCORE_RUNS runs"
printf '%-10s %12s %12s %12s %10s %10s %12s\n' employees 'reference s' 'ref-serial s' 'hrguard s' ratio ratio-ser 'employees/s'
for size in $SCORE_SIZES; do
	r=$(median "${times[$size/reference]}")
	rs=$(median "${times[$size/reference-serial]}")
	h=$(median "${times[$size/hrguard]}")
	awk -v n="$size" -v r="$r" -v rs="$rs" -v h="$h" \
		'BEGIN {printf "%-10d %12.3f %12.3f %12.3f %9.1fx %9.1fx %12.0f\n", n, r, rs, h, r / h, rs / h, n / h}'
done
set -- $SCORE_SIZES
if [ $# -ge 2 ]; then
	awk -v n1="$1" -v n2="$2" -v h1="$(median "${times[$1/hrguard]}")" -v h2="$(median "${times[$2/hrguard]}")" \
		'BEGIN {printf "hrguard: %.2fx the employees, %.2fx the time (n log n would be %.2fx)\n",
				n2 / n1, h2 / h1, n2 * log(n2) / (n1 * log(n1))}'
fi

echo
echo "== the same numbers: the reference's modified z against score_period()'s (last size)"
run_psql -t -A <<EOF
SELECT count(*) || ' employees compared, max |z difference| '
	   || coalesce(to_char(max(abs(r.z - (s.signals #>> '{hours_mismatch,strength}')::float8)), '9.99EEEE'), 'none')
	   || ', max |D difference| '
	   || coalesce(to_char(max(abs(r.d - (s.signals #>> '{hours_mismatch,d}')::float8)), '9.99EEEE'), 'none')
	   || ', ' || count(*) FILTER (WHERE s.signals #>> '{hours_mismatch,level}' <> 'none') || ' at watch or alert'
  FROM bench.reference_mismatch r
  JOIN hrguard.score s ON s.employee_id = r.employee_id AND s.period_from = '2026-09-01';
EOF

echo
echo "== machine"
echo "$(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
