#!/usr/bin/env bash
# run-suites.sh -- run every hrguard test suite on throwaway clusters.
#
# Runs pg_regress (sql/, expected/), pg_isolation_regress (test/specs,
# test/expected) and the TAP tests (test/t) against the installed extension;
# pg_regress and the isolation specs once more under each of two faked
# clocks (libfaketime), so that no result depends on the time of day; and
# every pg_regress file once more by itself on a fresh database, so that no
# file depends on what an earlier one left behind.
# Each suite makes its own temporary cluster and removes it.  initdb refuses
# to run as root, so as root the suites run as the postgres user; the inputs
# are staged in a directory that user owns, because the checkout may sit
# where it cannot enter.  Every suite runs even if an earlier one failed.
# The last line is "N passed, M failed"; the exit status is non-zero on any
# failure.
#
# Usage: run-suites.sh [SUITE...], SUITE one of structure (the module
# layering src/README.md describes, the documentation's links), vectors
# (the evidence package test vectors through hrguard-verify), regress,
# isolation, clock (both again under the faked clocks), alone, tap; all of
# them by default.
set -uo pipefail

suites=${*:-structure vectors regress isolation clock alone tap}
wanted() { [[ " $suites " == *" $1 "* ]]; }

top=$(cd "$(dirname "$0")/../.." && pwd)
pg_config=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
[ -x "$pg_config" ] || pg_config=$(command -v pg_config)
bindir=$("$pg_config" --bindir)
pgxs_dir=$(cd "$(dirname "$("$pg_config" --pgxs)")/../.." && pwd)

# Under the faketime wrapper (make test run as docs/testing.md says), the
# wrapper's shared clock is a semaphore of the calling user that the
# server's user cannot always open; the server's user gets the same clock
# as an offset from the real one instead.
runner_env=(env)
if [ -n "${FAKETIME:-}" ] && [ -n "${LD_PRELOAD:-}" ]; then
	fake_offset=$(($(date +%s) - $(env -u LD_PRELOAD -u FAKETIME date +%s)))
	runner_env=(env -u FAKETIME_SHARED FAKETIME="$(printf '%+d' "$fake_offset")")
fi

if [ "$(id -u)" -eq 0 ]; then
	runner=postgres
	as_runner() { runuser -u postgres -- "${runner_env[@]}" "$@"; }
else
	runner=$(id -un)
	as_runner() { "$@"; }
fi

stage=$(mktemp -d /tmp/hrguard-test.XXXXXX)
cp -r "$top/sql" "$top/expected" "$top/test" "$stage/"
mkdir -p "$stage/out/tap"
chown -R "$runner" "$stage"
chmod 755 "$stage"

passed=0
failed=0
suite_status=0

# count_results LOG: add the "... ok" and "... FAILED" lines of a
# pg_regress-style log to the totals.
count_results() {
	local ok bad
	ok=$(grep -cE '\.\.\. ok' "$1")
	bad=$(grep -cE '\.\.\. FAILED' "$1")
	passed=$((passed + ok))
	failed=$((failed + bad))
}

# suite_failed NAME RC LOG_BEFORE: a runner exit without a counted failure
# (initdb failed, the server crashed) still counts as one failure.
suite_failed() {
	echo "*** suite $1 failed (exit $2)"
	suite_status=1
	if [ "$3" -eq "$failed" ]; then
		failed=$((failed + 1))
	fi
}

show_file() {
	[ -s "$1" ] || return 0
	echo "===== $1"
	cat "$1"
}

# ---- pg_regress and isolation --------------------------------------------
# fake_clock MOMENT: the env command that runs a program under libfaketime
# with the clock at MOMENT (UTC) and running on.  libfaketime is preloaded
# with an offset from the real clock, not through the faketime wrapper, so
# that this also works when make test itself runs under faketime.
fake_clock() {
	local lib real target
	lib=$(ls /usr/lib/*/faketime/libfaketime.so.1 2>/dev/null | head -n 1)
	[ -n "$lib" ] || { echo "libfaketime is not installed (make deps)" >&2; return 1; }
	real=$(env -u LD_PRELOAD -u FAKETIME date +%s)
	target=$(env -u LD_PRELOAD -u FAKETIME TZ=UTC date -d "$1" +%s)
	echo env -u FAKETIME_SHARED LD_PRELOAD="$lib" FAKETIME="$(printf '%+d' $((target - real)))" TZ=UTC
}

# run_suite KIND LABEL [FAKETIME_MOMENT]: the pg_regress suite (KIND
# regress) or the isolation specs (KIND isolation) on a throwaway cluster;
# with a moment, under libfaketime with the clock starting there (UTC)
run_suite() {
	local kind=$1 label=$2 out="$stage/out/$2" clock=() args=() f
	echo "== $kind tests${3:+ (clock at $3 UTC)}"
	if [ $# -gt 2 ] && ! clock=($(fake_clock "$3")); then
		suite_failed "$label" 1 "$failed"
		return
	fi
	if [ "$kind" = regress ]; then
		args=("$pgxs_dir/src/test/regress/pg_regress" --inputdir="$stage"
			  --dbname=contrib_regression --schedule="$stage/test/regress_schedule")
	else
		args=("$pgxs_dir/src/test/isolation/pg_isolation_regress" --inputdir="$stage/test"
			  --dbname=isolation_regression --load-extension=postgis --load-extension=hrguard)
		for f in "$stage"/test/specs/*.spec; do
			[ -e "$f" ] && args+=("$(basename "$f" .spec)")
		done
	fi
	local before=$failed rc
	as_runner "${clock[@]}" "${args[0]}" \
		--bindir="$bindir" \
		--outputdir="$out" \
		--temp-instance="$out/tmp_check" \
		--temp-config="$stage/test/temp.conf" \
		--encoding=UTF8 --no-locale \
		"${args[@]:1}" \
		>"$out.log" 2>&1
	rc=$?
	cat "$out.log"
	count_results "$out.log"
	if [ $rc -ne 0 ]; then
		suite_failed "$label" $rc "$before"
		show_file "$out/regression.diffs"
		for f in "$out"/log/*.log; do show_file "$f"; done
	fi
}

# ---- structure -----------------------------------------------------------
if wanted structure; then
	echo "== structure of src/ and the documentation"
	before=$failed
	rc=0
	perl "$top/test/scripts/check-structure.pl" "$top/src" >"$stage/out/structure.log" 2>&1 || rc=$?
	cat "$stage/out/structure.log"
	count_results "$stage/out/structure.log"
	[ $rc -eq 0 ] || suite_failed structure $rc "$before"
fi

if wanted vectors; then
	echo "== evidence package test vectors (test/vectors/VECTORS)"
	before=$failed
	rc=0
	perl "$top/test/scripts/check-vectors.pl" "$bindir/hrguard-verify" "$top/test/vectors" \
		>"$stage/out/vectors.log" 2>&1 || rc=$?
	cat "$stage/out/vectors.log"
	count_results "$stage/out/vectors.log"
	[ $rc -eq 0 ] || suite_failed vectors $rc "$before"
fi

wanted regress && run_suite regress regress
wanted isolation && run_suite isolation isolation

# No result may depend on the hour, the weekday or the year: both suites
# again with the clock at a Wednesday afternoon and a Sunday night in
# Shanghai, in 2027 (the TAP tests take this too, by hand: docs/testing.md).
if wanted clock; then
	for moment in '2027-01-06 05:00:00' '2027-01-09 19:00:00'; do
		tag=${moment//[^0-9]/}
		run_suite regress "regress-$tag" "$moment"
		run_suite isolation "isolation-$tag" "$moment"
	done
fi

# ---- each pg_regress file alone -------------------------------------------
# One throwaway cluster; pg_regress makes a fresh database for each file
# (as PGXS's installcheck does for the whole list) and compares with the
# same expected output as the scheduled run.
run_alone() {
	local out="$stage/out/alone" before=$failed rc=0 t port
	echo "== pg_regress files, each alone on a fresh database"
	as_runner mkdir -p "$out/log"
	port=$((57000 + RANDOM % 2000))
	if ! as_runner "$bindir/initdb" -D "$out/data" -U postgres --no-locale -E UTF8 \
			>"$out/log/initdb.log" 2>&1; then
		suite_failed alone 1 "$before"
		show_file "$out/log/initdb.log"
		return
	fi
	cat "$stage/test/temp.conf" >>"$out/data/postgresql.conf"
	if ! as_runner "$bindir/pg_ctl" -D "$out/data" -w -l "$out/log/postmaster.log" \
			-o "-p $port -k $out -c listen_addresses=''" start >/dev/null; then
		suite_failed alone 1 "$before"
		show_file "$out/log/postmaster.log"
		return
	fi
	for t in $(sed -n 's/^test: *//p' "$stage/test/regress_schedule"); do
		as_runner "$pgxs_dir/src/test/regress/pg_regress" \
			--bindir="$bindir" --host="$out" --port="$port" --user=postgres \
			--inputdir="$stage" --outputdir="$out/$t" --dbname="alone_$t" \
			--encoding=UTF8 "$t" >"$out/$t.log" 2>&1 || rc=1
		grep -E '\.\.\. ' "$out/$t.log"
		count_results "$out/$t.log"
		[ -s "$out/$t/regression.diffs" ] && show_file "$out/$t/regression.diffs"
	done
	as_runner "$bindir/pg_ctl" -D "$out/data" -m fast stop >/dev/null
	rm -rf "$out/data"
	[ $rc -eq 0 ] || suite_failed alone $rc "$before"
}
wanted alone && run_alone

# ---- TAP -----------------------------------------------------------------
if wanted tap; then
	echo "== TAP tests"
	before=$failed
	(
		cd "$stage" &&
		as_runner env \
			TESTDIR="$stage/out/tap" \
			PATH="$bindir:$PATH" \
			PG_REGRESS="$pgxs_dir/src/test/regress/pg_regress" \
			TEMP_CONFIG="$stage/test/temp.conf" \
			HRGUARD_TEST_STAGE="$stage" \
			prove -v -I "$pgxs_dir/src/test/perl" -I "$stage/test" test/t/*.pl
	) >"$stage/out/tap.log" 2>&1
	rc=$?
	grep -vE '^\s*(ok|not ok) [0-9]+' "$stage/out/tap.log" | grep -E '^(test/|Files=|Result:)' || true
	ok=$(grep -cE '^\s*ok [0-9]+' "$stage/out/tap.log")
	bad=$(grep -cE '^\s*not ok [0-9]+' "$stage/out/tap.log")
	passed=$((passed + ok))
	failed=$((failed + bad))
	if [ $rc -ne 0 ]; then
		suite_failed tap $rc "$before"
		cat "$stage/out/tap.log"
		for f in "$stage"/out/tap/tmp_check/log/*; do show_file "$f"; done
	fi
fi

# ---- server logs ---------------------------------------------------------
# No suite may leave a crash, a reference leak or an internal error
# (SQLSTATE XX000, which log_line_prefix shows) in a server log.
echo "== server logs"
logs=$(find "$stage/out" -path '*/log/*' -type f \( -name '*.log' -o -name 'postmaster*' \) 2>/dev/null)
bad_lines=$(grep -hE 'terminated by signal|reference leak|leak: |still referenced| XX000 ' $logs /dev/null || true)
if [ -n "$bad_lines" ]; then
	echo "$bad_lines" | head -40
	echo "server logs: FAILED"
	failed=$((failed + 1))
	suite_status=1
else
	echo "server logs: ok ($(echo "$logs" | grep -c .) logs, $(cat $logs /dev/null | grep -cE '\] [0-9A-Z]{5} .*ERROR:') errors with their SQLSTATE read)"
	passed=$((passed + 1))
fi

if [ $suite_status -eq 0 ] && [ $failed -eq 0 ]; then
	rm -rf "$stage"
else
	echo "test output kept in $stage"
fi
echo "${passed} passed, ${failed} failed"
[ $suite_status -eq 0 ] && [ $failed -eq 0 ]
