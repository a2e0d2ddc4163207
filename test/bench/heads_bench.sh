#!/usr/bin/env bash
# heads_bench.sh -- what a checkpoint costs as the number of chains grows:
# the tree of chain heads is re-hashed only where a checkpoint changed it,
# so a checkpoint of a few new entries should take about as long over
# 100,000 chains as over 2,000.  For each number of chains, on a throwaway
# cluster: one entry per chain, a first checkpoint (which builds the whole
# tree), then RUNS times: 10 new entries on 10 chains and a checkpoint,
# timed, a checkpoint with nothing new (what finding the pending entries
# costs: one index probe a chain), timed, and an export of one chain (its
# head proof included), timed; medians reported, with the subtree heads
# each checkpoint wrote and the time its heads tree took (the checkpoint's
# DEBUG1 message).  Not a test: nothing here asserts.
#
#   CHAINS="2000 100000" RUNS=5 bash test/bench/heads_bench.sh
set -euo pipefail

CHAINS=${CHAINS:-2000 100000}
RUNS=${RUNS:-5}

. "$(dirname "$0")/cluster.sh"

# milliseconds between two `date +%s.%N` readings
ms() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (b - a) * 1000 }'; }

echo "== checkpoints over many chains: $RUNS runs each, medians"
for chains in $CHAINS; do
	db="heads_$chains"
	as_runner "$bindir/psql" -X -q -h "$stage" -p "$port" -d postgres -c "CREATE DATABASE $db" >/dev/null
	q() { (cd "$stage" && as_runner "$bindir/psql" -X -q -t -A -v ON_ERROR_STOP=1 -h "$stage" -p "$port" -d "$db" "$@"); }
	q -c "SET client_min_messages = warning; CREATE EXTENSION hrguard CASCADE" >/dev/null
	q -c "INSERT INTO hrguard.employee (employee_id)
		  SELECT 'chain-' || lpad(i::text, 6, '0') FROM generate_series(1, $chains) AS i"
	for first in $(seq 1 10000 "$chains"); do
		q -c "SELECT count(hrguard.record_evidence('chain-' || lpad(i::text, 6, '0'), 'note', '{}',
				'2026-11-01'::timestamptz))
			  FROM generate_series($first, least($first + 9999, $chains)) AS i" >/dev/null
	done
	t0=$(date +%s.%N)
	q -c "SELECT hrguard.checkpoint()" >/dev/null
	t1=$(date +%s.%N)
	echo "$chains chains: first checkpoint (the whole tree): $(ms "$t0" "$t1") ms"
	times=""
	idle=""
	extra=""
	rehash=""
	exports=""
	nodes=""
	for run in $(seq 1 "$RUNS"); do
		# timed inside one session, so that no connection is counted
		line=$(q 2>&1 <<EOF2
SELECT count(hrguard.record_evidence('chain-' || lpad((1 + (i * 7919 + $run * 104729) % $chains)::text, 6, '0'),
		'note', '{}', '2026-11-02'::timestamptz))
  FROM generate_series(1, 10) AS i \gset
CHECKPOINT;
SELECT clock_timestamp() AS t0 \gset
SET client_min_messages = debug1;
SELECT hrguard.checkpoint() IS NOT NULL AS taken \gset
RESET client_min_messages;
SELECT round(extract(epoch FROM clock_timestamp() - :'t0') * 1000, 1) AS new_ms \gset
SELECT clock_timestamp() AS t0 \gset
SELECT hrguard.checkpoint() IS NOT NULL AS taken \gset
SELECT round(extract(epoch FROM clock_timestamp() - :'t0') * 1000, 1) AS idle_ms \gset
SELECT count(*) AS written FROM hrguard.head_node
 WHERE tree_size = (SELECT max(tree_size) FROM hrguard.log_checkpoint) \gset
SELECT clock_timestamp() AS t0 \gset
SELECT length(hrguard.export_evidence('chain-000007',
		checkpoint => (SELECT body FROM hrguard.log_checkpoint ORDER BY tree_size DESC LIMIT 1))::text) AS bytes \gset
SELECT round(extract(epoch FROM clock_timestamp() - :'t0') * 1000, 1) AS export_ms \gset
SELECT :new_ms || ' ' || :idle_ms || ' ' || :written || ' ' || :export_ms;
EOF2
)
		rehash="$rehash $(echo "$line" | sed -n 's/.*re-hashed in \([0-9.]*\) ms.*/\1/p')"
		line=$(echo "$line" | tail -n 1)
		set -- $line
		times="$times $1"
		idle="$idle $2"
		extra="$extra $(awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a - b }')"
		nodes="$nodes $3"
		exports="$exports $4"
	done
	printf '%s chains: checkpoint of 10 new entries on 10 chains: median %.1f ms (%s subtree heads written, median)\n' \
		"$chains" "$(median "$times")" "$(median "$nodes")"
	printf '%s chains: checkpoint with nothing new (the scan for pending entries, one probe a chain): median %.1f ms\n' \
		"$chains" "$(median "$idle")"
	printf '%s chains: what the 10 new entries add (logging them, re-hashing the heads tree): median %.1f ms\n' \
		"$chains" "$(median "$extra")"
	printf '%s chains: of which the heads tree (10 heads moved: rows written, both passes): median %.1f ms\n' \
		"$chains" "$(median "$rehash")"
	printf '%s chains: export of one chain with its head proof: median %.1f ms\n' "$chains" "$(median "$exports")"
done
