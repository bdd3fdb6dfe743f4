#!/usr/bin/env bash
# bench/cluster.sh — the production shape measured: staff_get and
# report_submit through HAProxy and PgBouncer against two replicas
# (deploy/cluster/cluster.sh), each compared with the same scenario on one
# replica direct to the Patroni primary, in the same run on the same
# database (synchronous replication in both).  bench/run.sh runs it for the
# scenarios named *_cluster; it can also run alone:
#
#   bench/cluster.sh [staff_get_cluster] [report_submit_cluster]
#
# Scenarios (the summary lines have bench/run.sh's format):
#   staff_get_direct        one replica, prepared statements, direct to the primary
#   staff_get_cluster       HAProxy -> 2 replicas -> PgBouncer -> HAProxy -> primary
#   staff_get_cluster_1r    the same path with one replica (HAProxy's other in maintenance)
#   staff_get_unprepared    one replica direct to the primary with THIDUA_DB_PREPARED=off:
#                           what PgBouncer's transaction mode costs before any proxy
#   staff_get_pooled        one replica, THIDUA_DB_PREPARED=pooled, through PgBouncer and the
#                           primary's HAProxy: the cluster's database path, no HTTP balancer
#   staff_get_balanced      the cluster's HAProxy in front of the baseline replica (prepared,
#                           direct to the primary): the HTTP balancer alone
#   (the last two split staff_get_cluster's cost between its two halves)
#   report_submit_direct / report_submit_cluster   the same for new submissions
#
# Each run also reports the CPU time per request of the replicas, HAProxy,
# PgBouncer, PostgreSQL (all nodes) and the machine, from /proc: the figures
# bench/README.md scales on paper.
#
# Environment: BENCH_DURATION (10s), BENCH_WARMUP (2s), BENCH_REPEAT (1),
# BENCH_CONNECTIONS ("16 64", staff_get; report_submit runs at 32),
# BENCH_SUBMIT_SETTLE (65s: the first submit warm-up, see SUBMIT_SETTLE),
# BENCH_QUIET_WAIT (30), BENCH_THREADS and BENCH_POOL (8) as bench/run.sh.
set -euo pipefail
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
LOG_DIR="$BENCH_DIR/.build/logs"
SERVICE_BUILD_DIR="$ROOT/build-bench"
BIN="$SERVICE_BUILD_DIR/thidua"
CLUSTER="$ROOT/deploy/cluster/cluster.sh"
export THIDUA_CLUSTER_DIR=${BENCH_CLUSTER_DIR:-/tmp/thidua-bench-cluster}
DURATION=${BENCH_DURATION:-10s}
WARMUP=${BENCH_WARMUP:-2s}
CONNECTIONS=${BENCH_CONNECTIONS:-16 64}
REPEAT=${BENCH_REPEAT:-1}
QUIET_WAIT=${BENCH_QUIET_WAIT:-30}
THREADS=${BENCH_THREADS:-8}
POOL=${BENCH_POOL:-8}
DIRECT_PORT=7489
UNPREPARED_PORT=7488
POOLED_PORT=7487
SUBMIT_UNITS=100000
SUBMIT_PERIODS_N=3

log() { printf 'bench: %s\n' "$*" >&2; }
die() {
	log "error: $*"
	exit 1
}

WANT=("$@")
[ ${#WANT[@]} -gt 0 ] || WANT=(staff_get_cluster report_submit_cluster)
for w in "${WANT[@]}"; do
	case $w in staff_get_cluster | report_submit_cluster) ;; *) die "unknown cluster scenario '$w'" ;; esac
done

# shellcheck source=deploy/packages.sh
. "$ROOT/deploy/packages.sh"
# shellcheck disable=SC2086
ensure_packages wrk $THIDUA_PKGS_BUILD $THIDUA_PKGS_RUN $THIDUA_PKGS_CLUSTER
ensure_locales
mkdir -p "$LOG_DIR"
log "building thidua (Release) in $SERVICE_BUILD_DIR"
cmake -S "$ROOT" -B "$SERVICE_BUILD_DIR" -DCMAKE_BUILD_TYPE=Release -DTHIDUA_SANITIZE=OFF \
	-DTHIDUA_TESTS=OFF >"$LOG_DIR/cmake-cluster.log" 2>&1
cmake --build "$SERVICE_BUILD_DIR" -j2 --target thidua >>"$LOG_DIR/cmake-cluster.log" 2>&1

# --- the cluster, its replicas configured as bench/run.sh's service ------------
export THIDUA_WORKER_THREADS=$THREADS THIDUA_DB_POOL_SIZE=$POOL THIDUA_LOG_LEVEL=warn \
	THIDUA_ACCESS_LOG=off THIDUA_BIN=$BIN
"$CLUSTER" down
trap 'kill ${DIRECT_PID:-} ${UNPREPARED_PID:-} ${POOLED_PID:-} 2>/dev/null; "$CLUSTER" down' EXIT
log "starting the cluster (deploy/cluster/cluster.sh up)"
"$CLUSTER" up --no-demo >"$LOG_DIR/cluster-up.log" 2>&1 || {
	tail -n 20 "$LOG_DIR/cluster-up.log" >&2
	die "the cluster did not start"
}
eval "$("$CLUSTER" env)"
password="bench-password-$RANDOM$RANDOM"
secret="bench-secret-$RANDOM$RANDOM$RANDOM"
hash=$(printf '%s\n' "$password" | "$BIN" hash-password)
seed() { psql "$CLUSTER_DB_URL" -X -q -v ON_ERROR_STOP=1 -v hash="$hash" -v secret="$secret" "$@" >/dev/null; }
value() { psql "$CLUSTER_DB_URL" -X -tAc "$1"; }
t0=$SECONDS
seed -f "$BENCH_DIR/seed_staff.sql"
seed -v units=$SUBMIT_UNITS -v periods=$SUBMIT_PERIODS_N -f "$BENCH_DIR/seed_reports.sql"
psql "${CLUSTER_SUPERUSER_URL%/postgres}/thidua" -X -q -c 'VACUUM ANALYZE' -c 'CHECKPOINT' >/dev/null
log "seeded 10,000 staff and $SUBMIT_UNITS units x $SUBMIT_PERIODS_N periods in $((SECONDS - t0)) s"
STAFF_ID=$(value "SELECT min(s.id) + 4321 FROM staff s JOIN organizations o ON o.id = s.organization_id
	WHERE o.code = 'BENCH'")
REPORT_ORG=$(value "SELECT id FROM organizations WHERE code = 'BENCH-REPORTS'")
UNIT0=$(value "SELECT min(id) FROM units WHERE organization_id = $REPORT_ORG AND parent_id IS NOT NULL")
PERIODS=$(value "SELECT string_agg(id::text, ',' ORDER BY id) FROM report_periods
	WHERE organization_id = $REPORT_ORG AND title LIKE 'Đo hiệu năng: gửi báo cáo số %'")

# --- one replica direct to the primary: the baseline ----------------------------
leader_port=$(curl -fsS "http://127.0.0.1:$((CLUSTER_REST_PORT0 + 1))/cluster" | python3 -c '
import json, sys
print(next(m["port"] for m in json.load(sys.stdin)["members"] if m["role"] == "leader"))')
THIDUA_DATABASE_URL=${CLUSTER_DB_URL/:$CLUSTER_PRIMARY_PORT\//:$leader_port/} \
	THIDUA_PORT=$DIRECT_PORT THIDUA_LISTEN_ADDRESS=127.0.0.1 \
	THIDUA_JWT_PRIVATE_KEY_FILE="$CLUSTER_DIR/jwt-signing-key.pem" \
	"$BIN" >"$LOG_DIR/direct.log" 2>&1 &
DIRECT_PID=$!
THIDUA_DATABASE_URL=${CLUSTER_DB_URL/:$CLUSTER_PRIMARY_PORT\//:$leader_port/} THIDUA_DB_PREPARED=off \
	THIDUA_PORT=$UNPREPARED_PORT THIDUA_LISTEN_ADDRESS=127.0.0.1 \
	THIDUA_JWT_PRIVATE_KEY_FILE="$CLUSTER_DIR/jwt-signing-key.pem" \
	"$BIN" >"$LOG_DIR/unprepared.log" 2>&1 &
UNPREPARED_PID=$!
THIDUA_DATABASE_URL=${CLUSTER_DB_URL/:$CLUSTER_PRIMARY_PORT\//:$CLUSTER_BOUNCER_PORT/} THIDUA_DB_PREPARED=pooled \
	THIDUA_PORT=$POOLED_PORT THIDUA_LISTEN_ADDRESS=127.0.0.1 \
	THIDUA_JWT_PRIVATE_KEY_FILE="$CLUSTER_DIR/jwt-signing-key.pem" \
	"$BIN" >"$LOG_DIR/pooled.log" 2>&1 &
POOLED_PID=$!
for port in $DIRECT_PORT $UNPREPARED_PORT $POOLED_PORT; do
	for _ in $(seq 300); do
		curl -fsS -o /dev/null "http://127.0.0.1:$port/readyz" 2>/dev/null && break
		sleep 0.1
	done
done
log "baseline replica on :$DIRECT_PORT, direct to the primary on :$leader_port"

token() {
	curl -fsS "http://127.0.0.1:$DIRECT_PORT/v1/auth/token" -H 'Content-Type: application/json' \
		-d "$1" | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p'
}
ADMIN=$(token "{\"grant_type\":\"password\",\"username\":\"bench.admin\",\"password\":\"$password\"}")
CLIENT=$(token "{\"grant_type\":\"client_credentials\",\"client_id\":\"bench-reports\",\"client_secret\":\"$secret\"}")
[[ -n $ADMIN && -n $CLIENT ]] || die "no tokens"

# haproxy_cmd CMD: HAProxy's runtime API (the stats socket).
haproxy_cmd() {
	python3 - "$CLUSTER_DIR/run/haproxy.sock" "$1" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.sendall(sys.argv[2].encode() + b"\n")
print(s.recv(4096).decode(), end="")
PY
}

# --- CPU accounting ------------------------------------------------------------------
# ticks PATTERN...: user+system clock ticks of the processes whose command
# line matches (pgrep -f), summed.
ticks() {
	local total=0 p t
	for p in $(pgrep -d ' ' -f "$1" || true); do
		t=$(awk '{ print $14 + $15 + $16 + $17 }' "/proc/$p/stat" 2>/dev/null || echo 0)
		total=$((total + t))
	done
	echo "$total"
}
machine_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 }' /proc/stat; }
cpu_snapshot() {
	echo "$(ticks "^$BIN\$") $(ticks "haproxy -db -f $CLUSTER_DIR") $(ticks "pgbouncer $CLUSTER_DIR") $(ticks "postgres.*$CLUSTER_DIR|postgres: ") $(machine_ticks)"
}
HZ=$(getconf CLK_TCK)

field() {
	local re="(^| )$1=([^ ]+)"
	if [[ $2 =~ $re ]]; then printf '%s' "${BASH_REMATCH[2]}"; else printf '0'; fi
}

cpu_wait_quiet() {
	local t=0 a b
	while ((t < QUIET_WAIT)); do
		a=$(machine_ticks)
		sleep 1
		b=$(machine_ticks)
		(((b - a) * 100 / HZ < 30)) && return 0
		t=$((t + 1))
	done
}

# next_pair: the first (period, unit) pair no submission has taken, + 1,000.
next_pair() {
	value "SELECT coalesce(max((array_position('{$PERIODS}'::bigint[], period_id) - 1)::bigint
		* $SUBMIT_UNITS + (unit_id - $UNIT0)) + 1, 0) + 1000 FROM submissions
		WHERE organization_id = $REPORT_ORG AND period_id = ANY ('{$PERIODS}'::bigint[])"
}

# The submissions table starts empty.  A plan a connection caches in its
# first seconds (THIDUA_DB_PREPARED=on forces generic plans) is made for an
# empty table and kept until autovacuum's ANALYZE invalidates it, up to a
# minute later (autovacuum_naptime).  Measured: 283 submissions/s and 5.5 ms
# of PostgreSQL CPU each in that first minute, 731/s and 1.7 ms after it.
# A production table has history: the runs measure that steady state, after
# SUBMIT_SETTLE of submissions, once, in place of the first warm-up.
SUBMIT_SETTLE=${BENCH_SUBMIT_SETTLE:-65s}
SETTLED=0
declare -A RPS=() P50=() P99=() NOTE=() FAIL=()
# run NAME PORT CONNS MODE: wrk's warm-up then REPEAT measured runs; the
# median by rps stands.
run() {
	local name=$1 port=$2 n=$3 mode=$4 url bearer rep out line threads results=() before after
	threads=$((n < 2 ? n : 2))
	if [[ $mode == submit ]]; then
		url="http://127.0.0.1:$port/v1/report-periods/${PERIODS%%,*}/submissions"
		bearer=$CLIENT
	else
		url="http://127.0.0.1:$port/v1/staff/$STAFF_ID"
		bearer=$ADMIN
	fi
	for ((rep = 1; rep <= REPEAT; rep++)); do
		cpu_wait_quiet
		local env=(BENCH_BEARER="$bearer" BENCH_MODE="$mode")
		[[ $mode == submit ]] && env+=(BENCH_SUBMIT_PERIODS="$PERIODS" BENCH_SUBMIT_UNIT0="$UNIT0"
			BENCH_SUBMIT_UNITS="$SUBMIT_UNITS" BENCH_SUBMIT_BASE="$(next_pair)"
			BENCH_SUBMIT_STRIDE="$threads" BENCH_SUBMIT_NONCE="w$(date +%s%N)")
		local warm=$WARMUP
		if [[ $mode == submit && $SETTLED == 0 ]]; then
			warm=$SUBMIT_SETTLE
			SETTLED=1
			log "submissions for $warm first (SUBMIT_SETTLE)"
		fi
		env "${env[@]}" wrk -t"$threads" -c"$n" -d"$warm" --timeout 30s -s "$BENCH_DIR/report.lua" \
			"$url" >/dev/null 2>&1 || true
		[[ $mode == submit ]] && {
			sleep 1
			env=("${env[@]/BENCH_SUBMIT_BASE=*/BENCH_SUBMIT_BASE=$(next_pair)}")
			env=("${env[@]/BENCH_SUBMIT_NONCE=*/BENCH_SUBMIT_NONCE=m$(date +%s%N)}")
			before=$(value "SELECT count(*) FROM submissions WHERE organization_id = $REPORT_ORG")
		}
		out="$LOG_DIR/wrk-$name-$n-$rep.txt"
		local c0 c1
		c0=$(cpu_snapshot)
		env "${env[@]}" wrk -t"$threads" -c"$n" -d"$DURATION" --timeout 30s --latency \
			-s "$BENCH_DIR/report.lua" "$url" >"$out" 2>&1 || true
		c1=$(cpu_snapshot)
		line=$(grep -m1 '^bench_result ' "$out" || true)
		[[ -n $line ]] || {
			FAIL[$name:$n]="wrk printed no result (see $out)"
			return
		}
		if (($(field non2xx "$line") > 0)); then
			FAIL[$name:$n]="$(field non2xx "$line") non-2xx answers (see $out)"
			return
		fi
		local reqs note
		reqs=$(field requests "$line")
		note=$(awk -v a="$c0" -v b="$c1" -v r="$reqs" -v hz="$HZ" 'BEGIN {
			split(a, x, " "); split(b, y, " ");
			split("service haproxy pgbouncer postgres machine", k, " ");
			s = "CPU us/request:";
			for (i = 1; i <= 5; i++) s = s sprintf(" %s %.0f", k[i], (y[i] - x[i]) * 1e6 / hz / (r > 0 ? r : 1));
			print s }')
		if [[ $mode == submit ]]; then
			sleep 1
			after=$(value "SELECT count(*) FROM submissions WHERE organization_id = $REPORT_ORG")
			note="$note; $((after - before)) stored for $reqs answered 2xx"
		fi
		results+=("$(field rps "$line") $(field p50_ms "$line") $(field p99_ms "$line") $note")
		log "$name $n #$rep: rps $(field rps "$line"), p50 $(field p50_ms "$line") ms; $note"
	done
	local med
	med=$(printf '%s\n' "${results[@]}" | sort -g | sed -n "$(((REPEAT + 1) / 2))p")
	local k="$name:$n"
	read -r "RPS[$k]" "P50[$k]" "P99[$k]" "NOTE[$k]" <<<"$med"
}

ORDER=()
if [[ " ${WANT[*]} " == *" staff_get_cluster "* ]]; then
	for n in $CONNECTIONS; do
		run staff_get_direct "$DIRECT_PORT" "$n" get
		run staff_get_unprepared "$UNPREPARED_PORT" "$n" get
		run staff_get_pooled "$POOLED_PORT" "$n" get
		# The balancer alone: app1 pointed at the baseline replica, app2 out.
		haproxy_cmd "set server thidua/app2 state maint" >/dev/null
		haproxy_cmd "set server thidua/app1 addr 127.0.0.1 port $DIRECT_PORT" >/dev/null
		sleep 3
		run staff_get_balanced "${CLUSTER_HTTP##*:}" "$n" get
		haproxy_cmd "set server thidua/app1 addr 127.0.0.1 port $((CLUSTER_APP_PORT0 + 1))" >/dev/null
		haproxy_cmd "set server thidua/app2 state ready" >/dev/null
		sleep 3
		run staff_get_cluster "${CLUSTER_HTTP##*:}" "$n" get
		haproxy_cmd "set server thidua/app2 state maint" >/dev/null
		sleep 2
		run staff_get_cluster_1r "${CLUSTER_HTTP##*:}" "$n" get
		haproxy_cmd "set server thidua/app2 state ready" >/dev/null
		sleep 3
	done
	ORDER+=(staff_get_direct staff_get_unprepared staff_get_pooled staff_get_balanced
		staff_get_cluster staff_get_cluster_1r)
fi
if [[ " ${WANT[*]} " == *" report_submit_cluster "* ]]; then
	run report_submit_direct "$DIRECT_PORT" 32 submit
	run report_submit_cluster "${CLUSTER_HTTP##*:}" 32 submit
	ORDER+=(report_submit_direct report_submit_cluster)
fi

echo
printf '(cluster: Patroni x3 synchronous_mode, PgBouncer transaction mode, HAProxy; %s replicas of %s threads, pool %s;\n' \
	"${CLUSTER_REPLICAS}" "$THREADS" "$POOL"
printf ' wrk %s per run after %s warm-up, median of %s; %s CPUs shared by everything)\n' \
	"$DURATION" "$WARMUP" "$REPEAT" "$(nproc)"
FAILED=0
for name in "${ORDER[@]}"; do
	case $name in staff_get_*) base=staff_get_direct ;; *) base=report_submit_direct ;; esac
	for n in $CONNECTIONS 32; do
		key="$name:$n"
		[[ -n ${RPS[$key]:-}${FAIL[$key]:-} ]] || continue
		if [[ -n ${FAIL[$key]:-} ]]; then
			echo "bench-failed scenario=$name connections=$n reason=\"${FAIL[$key]}\""
			FAILED=1
			continue
		fi
		if [[ $name == "$base" ]]; then
			b=self r=1.00
		else
			b=$base
			r=$(awk -v a="${RPS[$key]}" -v c="${RPS[$base:$n]:-0}" 'BEGIN { printf "%.2f", (c > 0 ? a / c : 0) }')
		fi
		echo "note scenario=$name connections=$n ${NOTE[$key]}"
		echo "bench scenario=$name connections=$n rps=${RPS[$key]} p50_ms=${P50[$key]}" \
			"p99_ms=${P99[$key]} baseline=$b ratio=$r"
	done
done
exit "$FAILED"
