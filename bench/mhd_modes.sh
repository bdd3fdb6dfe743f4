#!/usr/bin/env bash
# bench/mhd_modes.sh — compare libmicrohttpd threading modes on a baseline.
#
#   bench/mhd_modes.sh            hello: tpc vs pool with 2, 4, 8, 16 threads
#   bench/mhd_modes.sh pgrow      the same on pgrow (one DB query per request;
#                                 runs inside a throwaway PostgreSQL)
#
# For each mode and each connection count (BENCH_CONNECTIONS, default
# "16 64") it starts the server alone, warms up 2 s, runs
# wrk -t2 -d${BENCH_DURATION:-10s} BENCH_REPEAT times (default 1) and prints
#   modes server=hello mode=pool threads=8 connections=64 rep=1 rps=... p50_ms=... p99_ms=... non2xx=0
# Uses the binaries built by bench/run.sh (it builds them if missing).
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BUILD_DIR="$BENCH_DIR/.build"
SERVER=${1:-hello}
DURATION=${BENCH_DURATION:-10s}
CONNECTIONS=${BENCH_CONNECTIONS:-16 64}
REPEAT=${BENCH_REPEAT:-1}
MODES=${BENCH_MODES:-tpc pool:2 pool:4 pool:8 pool:16}

case $SERVER in
hello) PATH_=/hello ;;
pgrow) PATH_=/row/42 ;;
*)
	echo "usage: $0 [hello|pgrow]" >&2
	exit 2
	;;
esac
[[ $DURATION =~ ^([1-9]|10)s$ ]] || {
	echo "BENCH_DURATION must be 1s..10s" >&2
	exit 2
}

if [[ ! -x $BUILD_DIR/$SERVER ]]; then
	mkdir -p "$BUILD_DIR"
	# shellcheck disable=SC2046 # pkg-config output is a list of flags
	"${CC:-cc}" -std=c17 -O2 -Wall -Wextra -Werror \
		$(pkg-config --cflags libulfius jansson libpq libmicrohttpd) \
		-o "$BUILD_DIR/$SERVER" "$BENCH_DIR/$SERVER.c" \
		$(pkg-config --libs libulfius jansson libpq libmicrohttpd)
fi

if [[ $SERVER == pgrow && -z ${PGHOST:-} ]]; then
	exec pg_virtualenv -t -v 15 "$BENCH_DIR/mhd_modes.sh" "$@"
fi
if [[ $SERVER == pgrow ]]; then
	export BENCH_DATABASE_URL="dbname=thidua_bench_baseline"
	[[ $(psql -X -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'thidua_bench_baseline'") == 1 ]] ||
		createdb thidua_bench_baseline
fi

# shellcheck source=SCRIPTDIR/cpu.sh
. "$BENCH_DIR/cpu.sh"

PID=""
PG_POSTMASTER=""
if [[ $SERVER == pgrow ]]; then
	PG_POSTMASTER=$(head -n1 "$(psql -X -d postgres -tAc 'SHOW data_directory')/postmaster.pid" \
		2>/dev/null || true)
fi
# shellcheck disable=SC2317 # invoked by the EXIT trap
stop_server() {
	if [[ -n $PID ]]; then
		kill -TERM "$PID" 2>/dev/null || true
		wait "$PID" 2>/dev/null || true
		PID=""
	fi
}
trap 'stop_server; rm -f "$CPU_TIMES_FILE"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

PORT=$((20000 + RANDOM % 12000))
for spec in $MODES; do
	mode=${spec%%:*}
	threads=${spec#*:}
	[[ $mode == tpc ]] && threads=-
	BENCH_MHD_MODE=$mode BENCH_THREADS=${threads/-/8} \
		"$BUILD_DIR/$SERVER" "$PORT" 2>"$BUILD_DIR/modes-$SERVER.stderr" &
	PID=$!
	for _ in $(seq 1 100); do
		[[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$PORT$PATH_" || true) == 200 ]] && break
		sleep 0.1
	done
	for n in $CONNECTIONS; do
		cpu_wait_quiet "${BENCH_QUIET_WAIT:-30}" || true
		timeout 40 wrk -t2 -c"$n" -d2s "http://127.0.0.1:$PORT$PATH_" >/dev/null 2>&1 || true
		for ((rep = 1; rep <= REPEAT; rep++)); do
			cpu_wait_quiet "${BENCH_QUIET_WAIT:-30}" || true
			cpu_probe_start "$PID" "$PG_POSTMASTER"
			timeout 60 wrk -t2 -c"$n" -d"$DURATION" --latency -s "$BENCH_DIR/report.lua" \
				"http://127.0.0.1:$PORT$PATH_" >"$BUILD_DIR/modes-wrk.txt" 2>&1 || true
			cpu_probe_end
			line=$(grep -m1 '^bench_result ' "$BUILD_DIR/modes-wrk.txt" || true)
			read -ra f <<<"$line"
			echo "modes server=$SERVER mode=$mode threads=$threads connections=$n rep=$rep" \
				"${f[1]:-rps=?} ${f[2]:-} ${f[3]:-} ${f[5]:-} other_cpu_pct=$CPU_OTHER_PCT"
		done
	done
	stop_server
done
