#!/usr/bin/env bash
# bench/run.sh — throughput/latency benchmark of thidua against baselines.
#
#   bench/run.sh                 all scenarios
#   bench/run.sh hello pgrow     only these (plus the baselines they need)
#   bench/run.sh staff_get_cluster report_submit_cluster
#                                through deploy/cluster (bench/cluster.sh)
#   bench/run.sh soak            memory: the service's RSS idle, then sampled
#                                over a mixed load (BENCH_SOAK_DURATION)
#
# Every scenario is run with wrk at each connection count in
# BENCH_CONNECTIONS (default "16 64"), after a short warm-up, and compared
# with its baseline at the same connection count. Scenarios that read the
# synthetic province run last, once it is loaded. See bench/README.md.
#
# Environment (all optional):
#   BENCH_DURATION     wrk duration per measured run (default 10s, max 60s)
#   BENCH_WARMUP       warm-up duration before each run (default 2s)
#   BENCH_CONNECTIONS  space-separated connection counts (default "16 64"),
#                      for the scenarios that do not fix their own (conns=)
#   BENCH_THREADS      libmicrohttpd pool size, for the service
#                      (THIDUA_WORKER_THREADS) and the baselines (default 8)
#   BENCH_POOL         PostgreSQL pool size, service and pgrow (default 8)
#   BENCH_MHD_MODE     baselines' MHD mode: pool (default) or tpc
#   BENCH_REPEAT       runs per scenario and connection count; the median
#                      (by rps) is reported (default 1, max 9)
#   BENCH_QUIET_WAIT   seconds to wait, before each run, for the machine to
#                      be idle (default 30; 0 = do not wait)
#   BENCH_SOAK_DURATION  soak mode: length of the mixed load (default 10m)
#   BENCH_SOAK_INTERVAL  soak mode: seconds between RSS samples (default 30)
#   BENCH_PG_FSYNC     fsync of the throwaway PostgreSQL (default on; pg_virtualenv
#                      alone would turn it off, and commits would not be durable)
#   PGHOST & co.       use this PostgreSQL server instead of a throwaway one
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
BUILD_DIR="$BENCH_DIR/.build"
LOG_DIR="$BUILD_DIR/logs"
SERVICE_BUILD_DIR="$ROOT/build-bench"
SERVICE_BIN="$SERVICE_BUILD_DIR/thidua"

DURATION=${BENCH_DURATION:-10s}
WARMUP=${BENCH_WARMUP:-2s}
CONNECTIONS=${BENCH_CONNECTIONS:-16 64}
export BENCH_THREADS=${BENCH_THREADS:-8}
export BENCH_POOL=${BENCH_POOL:-8}
export BENCH_MHD_MODE=${BENCH_MHD_MODE:-pool}
QUIET_WAIT=${BENCH_QUIET_WAIT:-30}
REPEAT=${BENCH_REPEAT:-1}
SOAK_DURATION=${BENCH_SOAK_DURATION:-10m}
SOAK_INTERVAL_S=${BENCH_SOAK_INTERVAL:-30}
# The soak's mixed load: these scenarios at once, at these connection counts.
SOAK_SCENARIOS=(staff_get progress_cold report_submit)
declare -A SOAK_CONNS=([staff_get]=8 [progress_cold]=4 [report_submit]=4)
SOAK_IDLE_MAX_KIB=$((30 * 1024)) # idle RSS after start and one request
SOAK_GROWTH_MAX_PCT=10           # RSS growth after the first third of the load
WRK_THREADS=2
SERVICE_DB=thidua_bench
BASELINE_DB=thidua_bench_baseline
READY_TIMEOUT_S=60

# ---------------------------------------------------------------------------
# Scenarios: one line each — name, server, URL path, baseline scenario,
# auth, data, options.
#   server:   hello | pgrow (baselines in bench/) | service (thidua)
#   baseline: "self" for a baseline, else the scenario whose rps at the
#             same connection count is the denominator of ratio= (the
#             baseline is also run at the counts its scenarios fix)
#   auth:     "-", "bearer" (an access token of the data's administrator)
#             or "client" (a token of the data's machine client, obtained
#             with the client_credentials grant)
#   data:     what the service's database holds for the scenario, seeded
#             before the first scenario that needs it:
#             staff     bench/seed_staff.sql: 10,000 staff (organisation
#                       BENCH); {staff_id} in the path becomes one of them
#             progress  bench/seed_progress.sql: 2,000 staff with a year of
#                       plan data (BENCH-PROGRESS); {plan_id} is its plan
#             province  the same plus 100 organisations of 1,000 staff each
#                       (seed_progress.sql -v province=1), loaded after every
#                       other scenario has run
#             reports   bench/seed_reports.sql: 200,000 units (BENCH-REPORTS)
#                       asked to report in {submit_period} (more periods are
#                       added when the pairs left might not last a run), and
#                       {consolidate_period}: 500 units that all submitted
#             staff1m   bench/seed_staff_1m.sql: 1,000,000 staff (organisation
#                       BENCH-1M), seeded before the first scenario that
#                       reads them (one to two minutes)
#             eligibility  bench/seed_eligibility.sql: 1,000 staff with five
#                       years of facts (BENCH-ELIG) and {elig_round}, a 2024
#                       review round nominating all of them for LĐTT and 150
#                       for CSTĐCS; its checked list judges every nomination
#                       from the facts at every read (no cache exists)
#             eligprov  the same, 100 times: the province BENCH-PROVINCE of 100
#                       organisations (100,000 staff, 100 rounds, 115,000
#                       nominations; seed_eligibility.sql -v province=1, about
#                       a minute) read by its viewer bench.province, loaded
#                       after every other scenario has run; with what its
#                       statistics forms count (seed_statistics.sql: 600
#                       movements, 11,000 awards of 2024, 200 TĐKT staff)
#             public    bench/seed_public.sql: 300 issued plans of BENCH-PUBLIC,
#                       its public news (no token)
#             webhooks  organisation BENCH-WEBHOOK with 10 subscriptions to
#                       decision.signed, all on bench/webhook_sink.c (one
#                       path each), started for the scenario
#             decisions bench/seed_decisions.sql: drafts of decisions of 1,000
#                       awards each (BENCH-DECISION, signed by its head
#                       bench.decision); every run gets drafts no run signed;
#                       {signed_decision} is one signed before the runs
#   options:  "-" or a comma-separated list of
#             conns=N[:M...]  the connection counts of this scenario
#                             (instead of BENCH_CONNECTIONS)
#             post            POST with an empty body instead of GET
#             submit          report.lua's submit mode: every request POSTs a
#                             new submission, with its own Idempotency-Key,
#                             for the next (period, unit) pair that has none
#             sign            report.lua's sign mode: every request signs a
#                             new draft decision (ledger, amounts, fund)
#             deep            cursor=VARY starts 1,000 pages deep: after the
#                             50,000th staff of the data in list order
#             nocache         every request sends Cache-Control: no-cache: the
#                             service reads the news' revision from the
#                             database before it answers from memory
#             etag            every request sends If-None-Match with the
#                             answer's ETag, read before the run (a 304)
# cursor=VARY: report.lua gives every request a cursor of its own that reads
# the same page (the first one, or the deep one), so no answer comes from
# the service's page cache: staff_list_cold (10,000 staff) and the
# staff_list_1m scenarios are the cost of the query, cold, and compared with
# each other (staff_list is served by the page cache).
# cursor=LATEST (public_news_cold): every request gets a cursor of its own
# before every item, so it reads the first page from the database: the
# service keeps only pages asked without a cursor.  public_news_db asks
# for the first page with Cache-Control: no-cache: one query (the news'
# revision) per request, the page from memory while the revision holds.
# as_of=VARY: report.lua gives every request another day (2023 onwards, so
# the counts are those of the plan's last day), so no answer comes from the
# cache: progress_cold is the cost of counting.
# ---------------------------------------------------------------------------
SCENARIOS=(
	"hello              hello    /hello                        self          -       -"
	"pgrow              pgrow    /row/42                       self          -       -"
	"healthz            service  /healthz                      hello         -       -"
	"readyz             service  /readyz                       pgrow         -       -"
	"staff_get          service  /v1/staff/{staff_id}          pgrow         bearer  staff"
	"staff_list         service  /v1/staff?limit=50            pgrow         bearer  staff"
	"staff_list_cold    service  /v1/staff?limit=50&cursor=VARY  staff_list  bearer  staff"
	"staff_list_1m      service  /v1/staff?limit=50&cursor=VARY  staff_list_cold  bearer  staff1m"
	"staff_list_1m_deep service  /v1/staff?limit=50&cursor=VARY  staff_list_cold  bearer  staff1m  deep"
	"search_1m          service  /v1/staff?q=nguyen&limit=50&cursor=VARY  staff_list_cold  bearer  staff1m  conns=16"
	"progress_org       service  /v1/plans/{plan_id}/progress  pgrow         bearer  progress"
	"progress_province  service  /v1/plans/{plan_id}/progress  progress_org  bearer  province"
	"progress_cold      service  /v1/plans/{plan_id}/progress?as_of=VARY  progress_org  bearer  progress"
	"report_submit      service  /v1/report-periods/{submit_period}/submissions  pgrow  client  reports  conns=32,submit"
	"consolidate_500    service  /v1/report-periods/{consolidate_period}/consolidations  pgrow  bearer  reports  conns=1,post"
	"eligibility_org    service  /v1/review-rounds/{elig_round}/list  pgrow  bearer  eligibility  conns=8"
	"eligibility_province  service  /v1/province/review-lists?year=2024  pgrow  bearer  eligprov  conns=1"
	"stats_province     service  /v1/statistics/2024  pgrow  bearer  eligprov  conns=1"
	"decision_sign_1000  service  /v1/decisions  pgrow  bearer  decisions  conns=1,sign"
	"decision_pdf_1000  service  /v1/decisions/{signed_decision}?format=pdf  pgrow  bearer  decisions  conns=1"
	"certificate_pdf    service  /v1/decisions/{signed_decision}/certificates/500  pgrow  bearer  decisions  conns=8"
	"public_news        service  /public/v1/BENCH-PUBLIC/news  hello  -  public  conns=64"
	"public_news_db     service  /public/v1/BENCH-PUBLIC/news  pgrow  -  public  conns=64,nocache"
	"public_news_cold   service  /public/v1/BENCH-PUBLIC/news?cursor=LATEST  pgrow  -  public  conns=64"
	"public_news_304    service  /public/v1/BENCH-PUBLIC/news  hello  -  public  conns=64,etag"
	"webhook_fanout     service  -  hello  -  webhooks  conns=1,fanout"
)

log() { printf 'bench: %s\n' "$*" >&2; }
die() {
	log "error: $*"
	exit 1
}

# Seconds of a wrk duration ("10", "10s", "2m"); used for bounds and timeouts.
duration_seconds() {
	local d=$1
	if [[ $d =~ ^([0-9]+)s?$ ]]; then
		echo "${BASH_REMATCH[1]}"
	elif [[ $d =~ ^([0-9]+)m$ ]]; then
		echo $((BASH_REMATCH[1] * 60))
	else
		return 1
	fi
}

DURATION_S=$(duration_seconds "$DURATION") || die "BENCH_DURATION=$DURATION: use e.g. 10s"
WARMUP_S=$(duration_seconds "$WARMUP") || die "BENCH_WARMUP=$WARMUP: use e.g. 2s"
((DURATION_S >= 1 && DURATION_S <= 60)) || die "BENCH_DURATION must be 1s..60s"
((WARMUP_S >= 1 && WARMUP_S <= 30)) || die "BENCH_WARMUP must be 1s..30s"
if ! [[ $REPEAT =~ ^[1-9]$ ]]; then
	die "BENCH_REPEAT must be 1..9"
fi
if ! [[ $QUIET_WAIT =~ ^[0-9]+$ ]] || ((QUIET_WAIT > 600)); then
	die "BENCH_QUIET_WAIT must be 0..600"
fi
SOAK_S=$(duration_seconds "$SOAK_DURATION") || die "BENCH_SOAK_DURATION=$SOAK_DURATION: use e.g. 10m"
((SOAK_S >= 10 && SOAK_S <= 7200)) || die "BENCH_SOAK_DURATION must be 10s..120m"
if ! [[ $SOAK_INTERVAL_S =~ ^[0-9]+$ ]] || ((SOAK_INTERVAL_S < 5 || SOAK_INTERVAL_S > 600)); then
	die "BENCH_SOAK_INTERVAL must be 5..600 (seconds)"
fi
# counts: WHAT LIST — each a count in 1..1000 (wrk then uses min(2, N) threads).
counts_ok() {
	local n
	for n in $2; do
		if ! [[ $n =~ ^[0-9]+$ ]] || ((n < 1 || n > 1000)); then
			die "$1: '$n' is not a count in 1..1000"
		fi
	done
}
counts_ok BENCH_CONNECTIONS "$CONNECTIONS"

# --- which scenarios, which servers ----------------------------------------
declare -A SC_SERVER=() SC_PATH=() SC_BASELINE=() SC_AUTH=() SC_DATA=() SC_CONNS=() SC_MODE=()
declare -A SC_DEEP=() SC_ETAG=() SC_NOCACHE=()
SC_ORDER=()
for line in "${SCENARIOS[@]}"; do
	read -r name server path baseline auth data opts <<<"$line"
	SC_SERVER[$name]=$server
	SC_PATH[$name]=$path
	SC_BASELINE[$name]=$baseline
	SC_AUTH[$name]=${auth:--}
	SC_DATA[$name]=${data:--}
	SC_CONNS[$name]=$CONNECTIONS
	SC_MODE[$name]=""
	IFS=, read -r -a opt_list <<<"${opts:--}"
	for o in "${opt_list[@]}"; do
		case $o in
		-) ;;
		conns=*) SC_CONNS[$name]=${o#conns=} SC_CONNS[$name]=${SC_CONNS[$name]//:/ } ;;
		post | submit | sign | fanout) SC_MODE[$name]=$o ;;
		deep) SC_DEEP[$name]=1 ;;
		etag) SC_ETAG[$name]=1 ;;
		nocache) SC_NOCACHE[$name]=1 ;;
		*) die "scenario '$name': unknown option '$o'" ;;
		esac
	done
	counts_ok "scenario $name: conns" "${SC_CONNS[$name]}"
	SC_ORDER+=("$name")
done

# soak mode: its scenarios, without their baselines.  An environment
# variable, not an argument, carries it through the pg_virtualenv re-exec.
if [[ ${1:-} == soak ]]; then
	(($# == 1)) || die "soak takes no other scenario"
	export BENCH_SOAK=1
	set -- "${SOAK_SCENARIOS[@]}"
fi
SOAK=${BENCH_SOAK:-0}

# The *_cluster scenarios run on deploy/cluster (bench/cluster.sh: its own
# PostgreSQL, Patroni's), after the others; all scenarios include them.
if ((!SOAK)) && [[ -z ${BENCH_IN_VENV:-} ]]; then
	cluster_want=() rest=()
	if (($# == 0)); then
		rest=("${SC_ORDER[@]}") cluster_want=(staff_get_cluster report_submit_cluster)
	else
		for name in "$@"; do
			case $name in *_cluster) cluster_want+=("$name") ;; *) rest+=("$name") ;; esac
		done
	fi
	if ((${#cluster_want[@]})); then
		rc=0
		((${#rest[@]} == 0)) || "$BENCH_DIR/run.sh" "${rest[@]}" || rc=$?
		"$BENCH_DIR/cluster.sh" "${cluster_want[@]}" || rc=$?
		exit "$rc"
	fi
fi

declare -A SELECTED=()
if (($# == 0)); then
	for name in "${SC_ORDER[@]}"; do SELECTED[$name]=1; done
else
	for name in "$@"; do
		[[ -n ${SC_SERVER[$name]:-} ]] || die "unknown scenario '$name' (known: ${SC_ORDER[*]})"
		SELECTED[$name]=1
	done
fi
# A baseline may have its own baseline (progress_province → progress_org →
# pgrow): add them until nothing changes.
added=$((!SOAK))
while ((added)); do
	added=0
	for name in "${!SELECTED[@]}"; do
		b=${SC_BASELINE[$name]}
		if [[ $b != self && -z ${SELECTED[$b]:-} ]]; then
			[[ -n ${SC_SERVER[$b]:-} ]] || die "scenario '$name': unknown baseline '$b'"
			SELECTED[$b]=1
			added=1
		fi
	done
done
# Baselines first so every ratio has its denominator.
RUN_LIST=()
for name in "${SC_ORDER[@]}"; do
	[[ -n ${SELECTED[$name]:-} && ${SC_BASELINE[$name]} == self ]] && RUN_LIST+=("$name")
done
for name in "${SC_ORDER[@]}"; do
	[[ -n ${SELECTED[$name]:-} && ${SC_BASELINE[$name]} != self ]] && RUN_LIST+=("$name")
done
# A baseline runs at its own counts and at those of the scenarios measured
# against it (report_submit fixes 32 connections: pgrow is run at 32 too).
for name in "${RUN_LIST[@]}"; do
	b=${SC_BASELINE[$name]}
	[[ $b == self ]] && continue
	# shellcheck disable=SC2086 # the lists are split into counts on purpose
	SC_CONNS[$b]=$(printf '%s\n' ${SC_CONNS[$b]} ${SC_CONNS[$name]} | sort -nu | tr '\n' ' ')
	SC_CONNS[$b]=${SC_CONNS[$b]% }
done

declare -A NEED_SERVER=()
for name in "${RUN_LIST[@]}"; do NEED_SERVER[${SC_SERVER[$name]}]=1; done
NEED_DB=0
[[ -n ${NEED_SERVER[pgrow]:-} || -n ${NEED_SERVER[service]:-} ]] && NEED_DB=1

# --- 1-3: install, build (skipped in the pg_virtualenv re-exec) -------------
install_missing() {
	local pkgs=(wrk libulfius-dev libjansson-dev libpq-dev libmicrohttpd-dev pkg-config gcc
		cmake make curl)
	# The service's other pkg-config modules (CMakeLists.txt: yaml-0.1).
	[[ -n ${NEED_SERVER[service]:-} ]] && pkgs+=(libyaml-dev)
	((NEED_DB)) && pkgs+=(postgresql-15 postgresql-common)
	local missing=() p
	for p in "${pkgs[@]}"; do
		dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
	done
	((${#missing[@]} == 0)) && return 0
	log "installing ${missing[*]}"
	local sudo=()
	((EUID == 0)) || sudo=(sudo)
	"${sudo[@]}" apt-get update -qq
	DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
		"${missing[@]}"
}

# The service builds and runs with what the project's own lists name,
# including the locales its message catalogues are chosen by.
install_service_needs() {
	# shellcheck source=deploy/packages.sh
	. "$ROOT/deploy/packages.sh"
	# shellcheck disable=SC2086
	ensure_packages $THIDUA_PKGS_BUILD locales
	ensure_locales
}

build_service() {
	[[ -f $ROOT/CMakeLists.txt ]] ||
		die "no $ROOT/CMakeLists.txt: the service cannot be built; run baselines only (bench/run.sh hello pgrow)"
	log "building thidua (Release) in $SERVICE_BUILD_DIR"
	# Release, no sanitizers; tests are not needed for the binary.
	cmake -S "$ROOT" -B "$SERVICE_BUILD_DIR" -DCMAKE_BUILD_TYPE=Release -DTHIDUA_SANITIZE=OFF \
		-DTHIDUA_TESTS=OFF >"$LOG_DIR/cmake.log" 2>&1 ||
		{
			tail -n 30 "$LOG_DIR/cmake.log" >&2
			die "cmake configure failed (log: $LOG_DIR/cmake.log)"
		}
	cmake --build "$SERVICE_BUILD_DIR" -j2 --target thidua >>"$LOG_DIR/cmake.log" 2>&1 ||
		{
			tail -n 30 "$LOG_DIR/cmake.log" >&2
			die "service build failed (log: $LOG_DIR/cmake.log)"
		}
	[[ -x $SERVICE_BIN ]] || die "build produced no $SERVICE_BIN"
}

build_baselines() {
	local cflags libs b
	cflags=$(pkg-config --cflags libulfius jansson libpq libmicrohttpd)
	libs=$(pkg-config --libs libulfius jansson libpq libmicrohttpd)
	for b in hello pgrow webhook_sink; do
		# shellcheck disable=SC2086 # pkg-config output is a list of flags
		"${CC:-cc}" -std=c17 -O2 -Wall -Wextra -Werror $cflags \
			-o "$BUILD_DIR/$b" "$BENCH_DIR/$b.c" $libs
	done
}

mkdir -p "$BUILD_DIR" "$LOG_DIR"
if [[ -z ${BENCH_BUILT:-} ]]; then
	install_missing
	if [[ -n ${NEED_SERVER[service]:-} ]]; then
		install_service_needs
		build_service
	fi
	build_baselines
	export BENCH_BUILT=1
fi

# --- 4: a throwaway PostgreSQL unless PGHOST is given ------------------------
# pg_virtualenv creates its cluster with fsync=off; -o puts it back on (by
# default), so that a commit waits for its WAL to reach the disk as it would
# in production: report_submit measures durable writes.
if ((NEED_DB)) && [[ -z ${PGHOST:-} ]]; then
	log "starting a throwaway PostgreSQL 15 (pg_virtualenv, fsync=${BENCH_PG_FSYNC:-on})"
	BENCH_IN_VENV=1 exec pg_virtualenv -t -v 15 -o "fsync=${BENCH_PG_FSYNC:-on}" "$BENCH_DIR/run.sh" "$@"
fi

# Percent-encodes a URI component (user, password, host).
uri_encode() {
	local s=$1 out="" c i
	for ((i = 0; i < ${#s}; i++)); do
		c=${s:i:1}
		case $c in
		[a-zA-Z0-9.~_-]) out+=$c ;;
		*) out+=$(printf '%%%02X' "'$c") ;;
		esac
	done
	printf '%s' "$out"
}

db_url() {
	local auth
	auth=$(uri_encode "${PGUSER:-$(id -un)}")
	[[ -n ${PGPASSWORD:-} ]] && auth+=":$(uri_encode "$PGPASSWORD")"
	printf 'postgresql://%s@%s:%s/%s' "$auth" "$(uri_encode "$PGHOST")" "${PGPORT:-5432}" "$1"
}

ensure_database() {
	local exists
	exists=$(psql -X -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$1'")
	[[ $exists == 1 ]] || createdb "$1"
}

if ((NEED_DB)); then
	ensure_database "$SERVICE_DB"
	ensure_database "$BASELINE_DB"
fi

# shellcheck source=SCRIPTDIR/cpu.sh
. "$BENCH_DIR/cpu.sh"

# --- 5: servers ----------------------------------------------------------------
declare -A SERVER_PID=() SERVER_PORT=() USED_PORT=()

# shellcheck disable=SC2317 # invoked by the EXIT trap
cleanup() {
	local s pid i
	for s in "${!SERVER_PID[@]}"; do
		kill -TERM "${SERVER_PID[$s]}" 2>/dev/null || true
	done
	for s in "${!SERVER_PID[@]}"; do
		pid=${SERVER_PID[$s]}
		for ((i = 0; i < 100; i++)); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	SERVER_PID=()
	rm -f "${CPU_TIMES_FILE:-}"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Sets FREE_PORT to a loopback port nobody listens on, below the ephemeral
# range so that wrk's own client sockets cannot hold it.
free_port() {
	local p _
	for _ in $(seq 1 500); do
		p=$((20000 + RANDOM % 12000))
		[[ -n ${USED_PORT[$p]:-} ]] && continue
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			USED_PORT[$p]=1
			FREE_PORT=$p
			return 0
		fi
	done
	die "no free port found"
}

http_status() {
	curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$1" || true
}

# wait_ready SERVER PATH: until GET PATH answers 200, the process dies, or timeout.
wait_ready() {
	local s=$1 url="http://127.0.0.1:${SERVER_PORT[$1]}$2" deadline code
	deadline=$((SECONDS + READY_TIMEOUT_S))
	while ((SECONDS < deadline)); do
		if ! kill -0 "${SERVER_PID[$s]}" 2>/dev/null; then
			tail -n 20 "$LOG_DIR/$s.stderr" "$LOG_DIR/$s.stdout" >&2 || true
			die "$s exited during start (logs: $LOG_DIR/$s.*)"
		fi
		code=$(http_status "$url")
		[[ $code == 200 ]] && return 0
		sleep 0.2
	done
	tail -n 20 "$LOG_DIR/$s.stderr" "$LOG_DIR/$s.stdout" >&2 || true
	die "$s not ready after ${READY_TIMEOUT_S}s: GET $url -> ${code:-none}"
}

# rss_kib PID: the resident set of process PID, in KiB (0 once it is gone).
rss_kib() {
	awk '/^VmRSS:/ { print $2; found = 1 } END { if (!found) print 0 }' "/proc/$1/status" \
		2>/dev/null || echo 0
}
# hwm_kib PID: the peak resident set of process PID, in KiB (0 once it is gone).
hwm_kib() {
	awk '/^VmHWM:/ { print $2; found = 1 } END { if (!found) print 0 }' "/proc/$1/status" \
		2>/dev/null || echo 0
}
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
SERVICE_RSS_START=0

start_server() {
	local s=$1 port
	free_port
	port=$FREE_PORT
	SERVER_PORT[$s]=$port
	case $s in
	service)
		THIDUA_DATABASE_URL=$(db_url "$SERVICE_DB") \
			THIDUA_PORT=$port THIDUA_LISTEN_ADDRESS=127.0.0.1 \
			THIDUA_LOG_LEVEL=warn THIDUA_ACCESS_LOG=off \
			THIDUA_WORKER_THREADS=$BENCH_THREADS THIDUA_DB_POOL_SIZE=$BENCH_POOL \
			THIDUA_WEBHOOK_ALLOW_PRIVATE=on \
			"$SERVICE_BIN" >"$LOG_DIR/$s.stdout" 2>"$LOG_DIR/$s.stderr" &
		SERVER_PID[$s]=$!
		wait_ready "$s" /readyz
		SERVICE_RSS_START=$(rss_kib "${SERVER_PID[$s]}")
		;;
	hello)
		"$BUILD_DIR/hello" "$port" >"$LOG_DIR/$s.stdout" 2>"$LOG_DIR/$s.stderr" &
		SERVER_PID[$s]=$!
		wait_ready "$s" /hello
		;;
	pgrow)
		BENCH_DATABASE_URL=$(db_url "$BASELINE_DB") \
			"$BUILD_DIR/pgrow" "$port" >"$LOG_DIR/$s.stdout" 2>"$LOG_DIR/$s.stderr" &
		SERVER_PID[$s]=$!
		wait_ready "$s" /row/1
		;;
	sink)
		"$BUILD_DIR/webhook_sink" "$port" >"$LOG_DIR/$s.stdout" 2>"$LOG_DIR/$s.stderr" &
		SERVER_PID[$s]=$!
		wait_ready "$s" /count
		;;
	*) die "unknown server '$s'" ;;
	esac
	log "$s ready on 127.0.0.1:$port (pid ${SERVER_PID[$s]})"
}

for s in hello pgrow service; do
	[[ -n ${NEED_SERVER[$s]:-} ]] && start_server "$s"
done

# --- data sets and access tokens --------------------------------------------
# Each data set is seeded before the first scenario that reads it (the seed
# files are idempotent); the province only adds to "progress", after every
# other scenario has run.
declare -A NEED_DATA=()
for name in "${RUN_LIST[@]}"; do NEED_DATA[${SC_DATA[$name]}]=1; done
[[ -n ${NEED_DATA[province]:-} ]] && NEED_DATA[progress]=1
bench_password="bench-password-$RANDOM$RANDOM"
bench_secret="bench-secret-$RANDOM$RANDOM$RANDOM"
hash=""
if [[ -n ${NEED_DATA[staff]:-}${NEED_DATA[staff1m]:-}${NEED_DATA[progress]:-}${NEED_DATA[reports]:-}${NEED_DATA[eligibility]:-}${NEED_DATA[eligprov]:-}${NEED_DATA[decisions]:-} ]]; then
	hash=$(printf '%s\n' "$bench_password" | "$SERVICE_BIN" hash-password)
fi
# seed PSQL-ARGS...: runs a seed file in the service's database; the
# accounts it creates get the run's password, the machine clients its secret.
seed() {
	PGDATABASE=$SERVICE_DB psql -X -q -v hash="$hash" -v secret="$bench_secret" "$@" >/dev/null
}
db_value() {
	PGDATABASE=$SERVICE_DB psql -X -tAc "$1"
}
# settle WHAT: what pgbench does between loading and measuring. A load of
# a million rows leaves autovacuum minutes of work and the checkpointer
# gigabytes of dirty pages; both would run during the next scenarios and
# be measured as theirs (the first runs after the load were up to 30 %
# slower, and a write scenario's p99 doubled). VACUUM (ANALYZE) and
# CHECKPOINT do that work now, outside the measured runs. CHECKPOINT needs
# a superuser or pg_checkpoint: on a server given by PGHOST without it, the
# run goes on and says so.
settle() {
	local t0=$SECONDS
	PGDATABASE=$SERVICE_DB psql -X -q -c 'SET client_min_messages = error' \
		-c 'VACUUM (ANALYZE)' >/dev/null
	if ! PGDATABASE=$SERVICE_DB psql -X -q -c 'CHECKPOINT' >/dev/null 2>&1; then
		log "warning: CHECKPOINT refused (not a superuser nor pg_checkpoint):" \
			"the checkpointer may write $1 out during the next runs"
	fi
	log "settled after $1: VACUUM (ANALYZE) and CHECKPOINT in $((SECONDS - t0)) s"
}

STAFF_ID=""
PLAN_ID=""
DEEP_GIVEN="" DEEP_FULL=""
if [[ -n ${NEED_DATA[staff]:-} ]]; then
	seed -f "$BENCH_DIR/seed_staff.sql"
	STAFF_ID=$(db_value "SELECT min(s.id) + 4321 FROM staff s
		JOIN organizations o ON o.id = s.organization_id WHERE o.code = 'BENCH'")
	[[ -n $STAFF_ID ]] || die "bench/seed_staff.sql left no staff"
	log "seeded 10,000 staff (BENCH)"
fi
if [[ -n ${NEED_DATA[staff1m]:-} ]]; then
	t0=$SECONDS
	seed -f "$BENCH_DIR/seed_staff_1m.sql"
	# the sort key of the 50,000th staff: staff_list_1m_deep reads the page
	# after it, 1,000 pages of 50 deep
	IFS=$'\t' read -r DEEP_GIVEN DEEP_FULL < <(PGDATABASE=$SERVICE_DB psql -X -tA -F $'\t' -c \
		"SELECT s.given_name, s.full_name FROM staff s JOIN organizations o
		ON o.id = s.organization_id WHERE o.code = 'BENCH-1M'
		ORDER BY s.given_name COLLATE \"vi-VN-x-icu\", s.full_name COLLATE \"vi-VN-x-icu\", s.id
		OFFSET 49999 LIMIT 1")
	[[ -n $DEEP_GIVEN ]] || die "bench/seed_staff_1m.sql left fewer than 50,000 staff"
	log "seeded 1,000,000 staff (BENCH-1M) in $((SECONDS - t0)) s; deep cursor after $DEEP_FULL"
fi
if [[ -n ${NEED_DATA[progress]:-} ]]; then
	seed -f "$BENCH_DIR/seed_progress.sql"
	PLAN_ID=$(db_value "SELECT p.id FROM plans p JOIN organizations o ON o.id = p.organization_id
		WHERE o.code = 'BENCH-PROGRESS' AND p.year = 2022")
	[[ -n $PLAN_ID ]] || die "bench/seed_progress.sql left no plan"
	log "seeded 2,000 staff with a year of data (BENCH-PROGRESS, plan $PLAN_ID)"
	if [[ -n $(db_value "SELECT 1 FROM organizations WHERE code = 'BENCH-P001'") ]]; then
		log "warning: $SERVICE_DB already holds the province (left by an earlier run" \
			"on this server): progress_org is measured with it"
	fi
fi

ELIG_ROUND=""
if [[ -n ${NEED_DATA[eligibility]:-} ]]; then
	seed -f "$BENCH_DIR/seed_eligibility.sql"
	ELIG_ROUND=$(db_value "SELECT r.id FROM review_rounds r JOIN organizations o
		ON o.id = r.organization_id WHERE o.code = 'BENCH-ELIG' AND r.year = 2024")
	[[ -n $ELIG_ROUND ]] || die "bench/seed_eligibility.sql left no round"
	log "seeded 1,000 staff with five years of facts and a round of 1,150 nominations" \
		"(BENCH-ELIG, round $ELIG_ROUND)"
fi
# seed_eligprov: the province of the eligibility data, loaded after every
# other scenario has run (like the province of progress_province): with
# 100 more organisations in its tables, eligibility_org's p99 went from
# 39 to 61 ms here, and it is measured on its own organisation's data.
seed_eligprov() {
	local t0=$SECONDS
	seed -v province=1 -f "$BENCH_DIR/seed_eligibility.sql"
	[[ $(db_value "SELECT count(*) FROM province_members m JOIN organizations p
		ON p.id = m.province_id WHERE p.code = 'BENCH-PROVINCE'") == 100 ]] ||
		die "bench/seed_eligibility.sql -v province=1 left no province of 100 organisations"
	log "seeded a province of 100 organisations of 1,000 staff, each with a round of" \
		"1,150 nominations (BENCH-PROVINCE) in $((SECONDS - t0)) s"
	# what its statistics forms count (stats_province)
	seed -f "$BENCH_DIR/seed_statistics.sql"
	log "seeded the province's movements, awards and TĐKT staff of 2024"
}

# The decisions data: sign_prepare SECONDS lists in SIGN_DRAFTS drafts
# enough for a run of SECONDS at up to four signings a second (more are
# seeded, and settled, when needed).
DECISION_ORG=""
SIGN_DRAFTS=""
SIGNED_DECISION=""
sign_prepare() {
	local want=$(($1 * 4 + 4)) have
	have=$(db_value "SELECT count(*) FROM decisions WHERE organization_id = $DECISION_ORG
		AND status = 'draft'")
	if ((have < want)); then
		seed -v drafts="$want" -f "$BENCH_DIR/seed_decisions.sql"
		settle "$((want - have)) new drafts"
	fi
	SIGN_DRAFTS=$(db_value "SELECT string_agg(id::text, ',' ORDER BY id) FROM decisions
		WHERE organization_id = $DECISION_ORG AND status = 'draft'")
}
if [[ -n ${NEED_DATA[decisions]:-} ]]; then
	t0=$SECONDS
	seed -f "$BENCH_DIR/seed_decisions.sql"
	DECISION_ORG=$(db_value "SELECT id FROM organizations WHERE code = 'BENCH-DECISION'")
	[[ -n $DECISION_ORG ]] || die "bench/seed_decisions.sql left no organisation"
	# the one the printing scenarios read: signed as its head would, paid
	db_value "SELECT (decision_sign($DECISION_ORG, 'system', 'bench', 'bench', d.id, 1,
		'{\"decided_on\": \"2024-12-28\", \"paid_on\": \"2024-12-30\"}')).outcome
		FROM decisions d WHERE d.organization_id = $DECISION_ORG AND NOT EXISTS
		(SELECT 1 FROM decisions x WHERE x.organization_id = $DECISION_ORG
		AND x.status = 'signed') ORDER BY d.id LIMIT 1" >/dev/null
	SIGNED_DECISION=$(db_value "SELECT min(id) FROM decisions
		WHERE organization_id = $DECISION_ORG AND status = 'signed'")
	[[ -n $SIGNED_DECISION ]] || die "no signed decision to print"
	log "seeded drafts of decisions of 1,000 awards (BENCH-DECISION) in $((SECONDS - t0)) s"
fi

# The reports data: report_submit takes (period, unit) pairs in order —
# pair i is unit REPORT_UNIT0 + i % REPORT_UNITS of the (i / REPORT_UNITS)-th
# period of SUBMIT_PERIODS — and never one that has a submission.
REPORT_UNITS=200000
REPORT_ORG="" REPORT_UNIT0="" SUBMIT_PERIODS="" CONSOLIDATE_PERIOD=""
submit_periods() {
	SUBMIT_PERIODS=$(db_value "SELECT string_agg(p.id::text, ',' ORDER BY p.id)
		FROM report_periods p WHERE p.organization_id = $REPORT_ORG
		AND p.title LIKE 'Đo hiệu năng: gửi báo cáo số %'")
}
if [[ -n ${NEED_DATA[public]:-} ]]; then
	seed -f "$BENCH_DIR/seed_public.sql"
	log "seeded the public news of BENCH-PUBLIC (300 issued plans)"
fi

if [[ -n ${NEED_DATA[reports]:-} ]]; then
	t0=$SECONDS
	seed -f "$BENCH_DIR/seed_reports.sql"
	REPORT_ORG=$(db_value "SELECT id FROM organizations WHERE code = 'BENCH-REPORTS'")
	# the units were created in one statement: their ids must be consecutive
	REPORT_UNIT0=$(db_value "SELECT CASE WHEN max(id) - min(id) + 1 = $REPORT_UNITS
		AND count(*) = $REPORT_UNITS THEN min(id) END FROM units
		WHERE organization_id = $REPORT_ORG AND parent_id IS NOT NULL")
	[[ -n $REPORT_UNIT0 ]] || die "bench/seed_reports.sql: the units' ids are not consecutive"
	submit_periods
	CONSOLIDATE_PERIOD=$(db_value "SELECT id FROM report_periods
		WHERE organization_id = $REPORT_ORG AND title = 'Đo hiệu năng: tổng hợp 500 đơn vị'")
	[[ -n $SUBMIT_PERIODS && -n $CONSOLIDATE_PERIOD ]] ||
		die "bench/seed_reports.sql left no periods"
	log "seeded 200,000 units asked to report and a period of 500 units that all submitted" \
		"(BENCH-REPORTS) in $((SECONDS - t0)) s"
fi
[[ -z $hash ]] || settle "the seeds" # a seed ran: the hash is made for them
# submitted_count: submissions in the periods of report_submit.
submitted_count() {
	db_value "SELECT count(*) FROM submissions WHERE organization_id = $REPORT_ORG
		AND period_id = ANY ('{$SUBMIT_PERIODS}'::bigint[])"
}
# submit_prepare SECONDS [RATE]: sets SUBMIT_BASE to the first pair of a run
# of SECONDS that no submission has taken (1,000 pairs above the last taken,
# for requests that were still in flight), with pairs enough for RATE
# (default 10,000) requests a second (a period more if needed).
submit_prepare() {
	local next periods rate=${2:-10000}
	next=$(db_value "SELECT coalesce(max((array_position('{$SUBMIT_PERIODS}'::bigint[],
		period_id) - 1)::bigint * $REPORT_UNITS + (unit_id - $REPORT_UNIT0)) + 1, 0)
		FROM submissions WHERE organization_id = $REPORT_ORG
		AND period_id = ANY ('{$SUBMIT_PERIODS}'::bigint[])")
	SUBMIT_BASE=$((next + 1000))
	IFS=, read -r -a periods <<<"$SUBMIT_PERIODS"
	while ((SUBMIT_BASE + $1 * rate > ${#periods[@]} * REPORT_UNITS)); do
		log "report_submit: adding a period of $REPORT_UNITS units" \
			"(pairs left: $((${#periods[@]} * REPORT_UNITS - SUBMIT_BASE)))"
		seed -v periods=$((${#periods[@]} + 1)) -f "$BENCH_DIR/seed_reports.sql"
		settle "the new period"
		submit_periods
		IFS=, read -r -a periods <<<"$SUBMIT_PERIODS"
	done
}

# Access tokens last 15 minutes: one per account, taken again after 10.
declare -A DATA_ACCOUNT=([staff]=bench.admin [staff1m]=bench.million [progress]=bench.progress
	[eligibility]=bench.elig [eligprov]=bench.province [decisions]=bench.decision
	[province]=bench.progress [reports]=bench.reports)
# Machine clients (auth "client"): the client_credentials grant.
declare -A DATA_CLIENT=([reports]=bench-reports)
declare -A TOKEN=() TOKEN_AT=()
# bearer_for NAME: sets BEARER to an access token for scenario NAME ("" if
# it needs none).
bearer_for() {
	local user grant
	BEARER=""
	case ${SC_AUTH[$1]} in
	bearer)
		user=${DATA_ACCOUNT[${SC_DATA[$1]}]:-}
		[[ -n $user ]] || die "scenario '$1': bearer needs data (staff, staff1m, progress, province, reports, eligibility, eligprov or decisions)"
		grant="{\"grant_type\":\"password\",\"username\":\"$user\",\"password\":\"$bench_password\"}"
		;;
	client)
		user=${DATA_CLIENT[${SC_DATA[$1]}]:-}
		[[ -n $user ]] || die "scenario '$1': client needs data with a machine client (reports)"
		grant="{\"grant_type\":\"client_credentials\",\"client_id\":\"$user\",\"client_secret\":\"$bench_secret\"}"
		;;
	*) return 0 ;;
	esac
	if [[ -z ${TOKEN[$user]:-} ]] || ((SECONDS - ${TOKEN_AT[$user]} > 600)); then
		TOKEN[$user]=$(curl -fsS "http://127.0.0.1:${SERVER_PORT[service]}/v1/auth/token" \
			-H 'Content-Type: application/json' -d "$grant" |
			sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
		TOKEN_AT[$user]=$SECONDS
		[[ -n ${TOKEN[$user]} ]] || die "could not get a token for $user"
	fi
	BEARER=${TOKEN[$user]}
}
# (the eligibility province's account exists once it is loaded, at the end)
for name in "${RUN_LIST[@]}"; do [[ ${SC_DATA[$name]} == eligprov ]] || bearer_for "$name"; done

# --- 6: measure -----------------------------------------------------------------
declare -A RPS=() P50=() P99=() STATUS=() NOTE=() BG=()
FAILED=0
NOISY_PCT=15 # other processes' CPU share above which a run is flagged noisy
PG_POSTMASTER=""
if ((NEED_DB)); then
	PG_POSTMASTER=$(head -n1 "$(psql -X -d postgres -tAc 'SHOW data_directory')/postmaster.pid" \
		2>/dev/null || true)
fi

# field NAME LINE: value of NAME=... in a bench_result line.
field() {
	local re="(^| )$1=([^ ]+)"
	if [[ $2 =~ $re ]]; then printf '%s' "${BASH_REMATCH[2]}"; else printf '0'; fi
}

# wrk_run NAME N SECONDS OUT ARGS...: wrk for scenario NAME at N
# connections (min(2, N) threads), output to OUT, with report.lua's mode
# and, for submit, the pairs from SUBMIT_BASE (submit_prepare first).
wrk_run() {
	local name=$1 n=$2 secs=$3 out=$4 threads
	threads=$((n < WRK_THREADS ? n : WRK_THREADS))
	shift 4
	local env=(BENCH_BEARER="$BEARER" BENCH_MODE="${SC_MODE[$name]}")
	[[ -n ${SC_DEEP[$name]:-} ]] && env+=(BENCH_CURSOR_GIVEN="$DEEP_GIVEN" BENCH_CURSOR_FULL="$DEEP_FULL")
	[[ ${SC_MODE[$name]} == sign ]] && env+=(BENCH_SIGN_DRAFTS="$SIGN_DRAFTS" BENCH_SIGN_STRIDE="$threads")
	[[ -n ${SC_NOCACHE[$name]:-} ]] && env+=(BENCH_NO_CACHE=1)
	if [[ -n ${SC_ETAG[$name]:-} ]]; then
		# the tag of the answer now: every request of the run is a 304
		env+=(BENCH_IF_NONE_MATCH="$(curl -fsS -o /dev/null -D - "$(scenario_url "$name")" |
			sed -n 's/^[Ee][Tt][Aa][Gg]: *\([^[:space:]]*\).*/\1/p')")
	fi
	if [[ ${SC_MODE[$name]} == submit ]]; then
		env+=(BENCH_SUBMIT_PERIODS="$SUBMIT_PERIODS" BENCH_SUBMIT_UNIT0="$REPORT_UNIT0"
			BENCH_SUBMIT_UNITS="$REPORT_UNITS" BENCH_SUBMIT_BASE="$SUBMIT_BASE"
			BENCH_SUBMIT_STRIDE="$threads" BENCH_SUBMIT_NONCE="$(date +%s%N)")
	fi
	# --timeout: wrk's default of 2 s would count a province's batch as an error
	env "${env[@]}" timeout $((secs + 30)) wrk -t"$threads" -c"$n" -d"${secs}s" --timeout 30s \
		"$@" >"$out" 2>&1
}

# scenario_url NAME: the URL of scenario NAME, its placeholders filled.
scenario_url() {
	local path=${SC_PATH[$1]//\{staff_id\}/$STAFF_ID}
	path=${path//\{submit_period\}/${SUBMIT_PERIODS%%,*}}
	path=${path//\{consolidate_period\}/$CONSOLIDATE_PERIOD}
	path=${path//\{elig_round\}/$ELIG_ROUND}
	path=${path//\{signed_decision\}/$SIGNED_DECISION}
	printf 'http://127.0.0.1:%s%s' "${SERVER_PORT[${SC_SERVER[$1]}]}" "${path//\{plan_id\}/$PLAN_ID}"
}

# --- webhook_fanout: the outbox's deliveries -------------------------------
# FANOUT_EVENTS events of BENCH-WEBHOOK, written in one transaction, each
# for FANOUT_SUBS subscriptions (paths of one sink): the service's delivery
# thread posts them.  rps = deliveries / (last delivered_at - first
# occurred_at); p50 and p99 of each delivery's delay after its event.  The
# run fails unless every delivery is recorded delivered and the sink
# counted exactly that many distinct (subscriber, webhook-id) pairs more:
# nothing lost, nothing counted twice.
FANOUT_EVENTS=10000
FANOUT_SUBS=10
FANOUT_ORG=""
fanout_prepare() {
	start_server sink
	FANOUT_ORG=$(db_value "WITH o AS (INSERT INTO organizations (code, name)
		VALUES ('BENCH-WEBHOOK', 'Cơ quan thử webhook') ON CONFLICT (code)
		DO UPDATE SET name = excluded.name RETURNING id) SELECT id FROM o")
	PGDATABASE=$SERVICE_DB psql -X -q -c "UPDATE webhook_subscriptions SET disabled_at = now()
		WHERE organization_id = $FANOUT_ORG AND disabled_at IS NULL" \
		-c "INSERT INTO webhook_subscriptions (organization_id, url, events, secret)
		SELECT $FANOUT_ORG, 'http://127.0.0.1:${SERVER_PORT[sink]}/s/' || g,
		'{decision.signed}', decode(md5(random()::text) || md5(random()::text), 'hex')
		FROM generate_series(1, $FANOUT_SUBS) g"
	log "webhook_fanout: $FANOUT_SUBS subscriptions of BENCH-WEBHOOK on the sink (port ${SERVER_PORT[sink]})"
}
sink_unique() {
	curl -fsS "http://127.0.0.1:${SERVER_PORT[sink]}/count" | awk '{ print $2 }'
}
measure_fanout() {
	local name=$1 n=$2 k="$1:$2:$3" last u0 u1 want done_n deadline line
	[[ -n $FANOUT_ORG ]] || fanout_prepare
	if ((QUIET_WAIT > 0)) && ! cpu_wait_quiet "$QUIET_WAIT"; then
		log "the machine is busy with other work: starting anyway, see other%"
	fi
	want=$((FANOUT_EVENTS * FANOUT_SUBS))
	last=$(db_value "SELECT coalesce(max(id), 0) FROM outbox_events")
	u0=$(sink_unique)
	log "$name: $FANOUT_EVENTS events to $FANOUT_SUBS subscribers (run $3/$REPEAT)"
	cpu_probe_start "${SERVER_PID[service]}" "$PG_POSTMASTER" "${SERVER_PID[sink]}"
	db_value "SELECT count(outbox_emit($FANOUT_ORG, 'decision.signed',
		jsonb_build_object('decision_id', g, 'run', $3))) FROM generate_series(1, $FANOUT_EVENTS) g" \
		>/dev/null
	deadline=$((SECONDS + 600))
	done_n=0
	while ((SECONDS < deadline)); do
		done_n=$(db_value "SELECT count(*) FROM webhook_deliveries
			WHERE event_id > $last AND status = 'delivered'")
		((done_n >= want)) && break
		sleep 0.5
	done
	cpu_probe_end
	R_BG[$k]=$CPU_OTHER_PCT
	u1=$(sink_unique)
	line=$(db_value "SELECT round($want / extract(epoch FROM max(d.delivered_at) - min(e.occurred_at)), 2)
		|| ' ' || round(percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM
			d.delivered_at - e.occurred_at) * 1000)::numeric, 2)
		|| ' ' || round(percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM
			d.delivered_at - e.occurred_at) * 1000)::numeric, 2)
		|| ' ' || sum(d.attempts)
		FROM webhook_deliveries d JOIN outbox_events e ON e.id = d.event_id
		WHERE d.event_id > $last AND d.status = 'delivered'")
	read -r R_RPS[$k] R_P50[$k] R_P99[$k] attempts <<<"$line"
	R_NOTE[$k]="$done_n of $want delivered, the sink counted $((u1 - u0)) distinct, $attempts attempts"
	log "$name: ${R_NOTE[$k]}; ${R_RPS[$k]} deliveries/s"
	if ((done_n != want || u1 - u0 != want)); then
		R_FAIL[$k]="${R_NOTE[$k]}: lost or doubled"
	fi
}

# measure NAME N REP: one warm-up + measured run; results in R_* by NAME:N:REP.
declare -A R_RPS=() R_P50=() R_P99=() R_BG=() R_FAIL=() R_NOTE=()
measure() {
	local name=$1 n=$2 k="$1:$2:$3" url out line non2xx errs e v rc=0 before=0
	if [[ ${SC_MODE[$name]} == fanout ]]; then
		measure_fanout "$@"
		return
	fi
	url=$(scenario_url "$name")
	bearer_for "$name"
	if ((QUIET_WAIT > 0)) && ! cpu_wait_quiet "$QUIET_WAIT"; then
		log "the machine is busy with other work: starting anyway, see other%"
	fi
	log "$name: $n connections, warm-up $WARMUP, run $DURATION (run $3/$REPEAT) — $url"
	[[ ${SC_MODE[$name]} == submit ]] && submit_prepare "$WARMUP_S"
	[[ ${SC_MODE[$name]} == sign ]] && sign_prepare "$WARMUP_S"
	wrk_run "$name" "$n" "$WARMUP_S" /dev/null -s "$BENCH_DIR/report.lua" "$url" || true
	if [[ ${SC_MODE[$name]} == sign ]]; then
		sleep 2 # the warm-up's last signing commits before the drafts are listed
		sign_prepare "$DURATION_S"
	fi
	out="$LOG_DIR/wrk-$name-$n-$3.txt"
	if [[ ${SC_MODE[$name]} == submit ]]; then
		sleep 1 # the warm-up's last requests commit
		before=$(submitted_count)
		submit_prepare "$DURATION_S"
	fi
	# the peak RSS of this run alone: writing 5 to clear_refs resets VmHWM
	[[ $name != eligibility_* ]] || echo 5 >"/proc/${SERVER_PID[service]}/clear_refs" 2>/dev/null || true
	cpu_probe_start "${SERVER_PID[${SC_SERVER[$name]}]}" "$PG_POSTMASTER"
	wrk_run "$name" "$n" "$DURATION_S" "$out" --latency -s "$BENCH_DIR/report.lua" "$url" ||
		rc=$?
	cpu_probe_end
	R_BG[$k]=$CPU_OTHER_PCT
	line=$(grep -m1 '^bench_result ' "$out" || true)
	if ((rc != 0)) || [[ -z $line ]]; then
		R_FAIL[$k]="wrk failed or printed no result (see $out)"
		return
	fi
	R_RPS[$k]=$(field rps "$line")
	# a list of a thousand verdicts is built in memory, a province's batch
	# streamed: say how much each took
	[[ $name == eligibility_* ]] &&
		R_NOTE[$k]="service peak RSS $(mib "$(hwm_kib "${SERVER_PID[service]}")") MiB"
	R_P50[$k]=$(field p50_ms "$line")
	R_P99[$k]=$(field p99_ms "$line")
	non2xx=$(field non2xx "$line")
	if [[ ${SC_MODE[$name]} == submit ]]; then
		# every 2xx is a new submission: count what the database holds
		sleep 1
		R_NOTE[$k]="$(($(submitted_count) - before)) submissions stored, $(($(field requests "$line") - non2xx)) answered 2xx"
		log "$name: ${R_NOTE[$k]}"
	fi
	errs=""
	for e in connect read write timeout; do
		v=$(field "err_$e" "$line")
		((v == 0)) || errs+=" $e=$v"
	done
	if ((non2xx > 0)); then
		R_FAIL[$k]="$non2xx non-2xx of $(field requests "$line") responses${errs:+, socket errors:$errs}; rps ${R_RPS[$k]}, p99 ${R_P99[$k]} ms (see $out)"
	elif [[ -n $errs ]]; then
		R_FAIL[$k]="socket errors:$errs (see $out)"
	elif [[ ${R_RPS[$k]} == 0.00 ]]; then
		R_FAIL[$k]="no request completed (see $out)"
	fi
}

# summarise NAME N: the run with the median rps stands for the scenario (its
# rps, p50 and p99 together); other% is the worst over the runs.
summarise() {
	local key="$1:$2" rep k best_bg=0 med
	for ((rep = 1; rep <= REPEAT; rep++)); do
		k="$key:$rep"
		if [[ -n ${R_FAIL[$k]:-} ]]; then
			STATUS[$key]=FAILED NOTE[$key]=${R_FAIL[$k]} BG[$key]=${R_BG[$k]:-}
			return 1
		fi
		((R_BG[$k] > best_bg)) && best_bg=${R_BG[$k]}
	done
	med=$(for ((rep = 1; rep <= REPEAT; rep++)); do
		printf '%s %d\n' "${R_RPS[$key:$rep]}" "$rep"
	done | sort -g | awk -v m=$(((REPEAT + 1) / 2)) 'NR == m { print $2 }')
	RPS[$key]=${R_RPS[$key:$med]} P50[$key]=${R_P50[$key:$med]} P99[$key]=${R_P99[$key:$med]}
	BG[$key]=$best_bg STATUS[$key]=ok NOTE[$key]=${R_NOTE[$key:$med]:-}
	if ((REPEAT > 1)); then
		NOTE[$key]+="${NOTE[$key]:+; }median of $REPEAT, rps $(for ((rep = 1; rep <= REPEAT; rep++)); do
			printf '%.0f ' "${R_RPS[$key:$rep]}"
		done | sed 's/ $//')"
	fi
	if ((best_bg > NOISY_PCT)); then
		NOTE[$key]+="${NOTE[$key]:+; }noisy: other processes used up to ${best_bg}% of the CPUs"
	fi
}

# measure_all NAME...: repetitions outermost, so that a noisy minute hits
# every scenario alike.
measure_all() {
	local rep name n
	for ((rep = 1; rep <= REPEAT; rep++)); do
		for name in "$@"; do
			for n in ${SC_CONNS[$name]}; do
				measure "$name" "$n" "$rep"
			done
		done
	done
}
# --- soak: memory over a mixed load ------------------------------------------
# The service's RSS after start and one request (/readyz), then the
# scenarios of SOAK_SCENARIOS at once, in rounds of SOAK_INTERVAL_S, the
# RSS sampled after each.  It climbs for the first minutes, then levels
# off (bounded caches and the allocator's per-thread arenas settling; see
# bench/README.md), so the reference is the sample that ends the first
# third of the rounds: no later one may exceed it by
# more than SOAK_GROWTH_MAX_PCT.  The growth from the first sample is
# printed too.  Any non-2xx answer or socket error fails.
soak_round() {
	local i=$1 name wpids=() url
	for name in "${SOAK_SCENARIOS[@]}"; do
		bearer_for "$name"
		url=$(scenario_url "$name")
		# the submissions run alongside two other loads: 2,000 a second is ample
		[[ ${SC_MODE[$name]} == submit ]] && submit_prepare "$SOAK_INTERVAL_S" 2000
		wrk_run "$name" "${SOAK_CONNS[$name]}" "$SOAK_INTERVAL_S" "$LOG_DIR/soak-$name-$i.txt" \
			--latency -s "$BENCH_DIR/report.lua" "$url" &
		wpids+=($!)
	done
	for url in "${wpids[@]}"; do wait "$url" || true; done
}

# soak_check I: the round's wrk results; logs them, returns 1 on any error.
soak_check() {
	local i=$1 name line out e v bad=0 summary=""
	for name in "${SOAK_SCENARIOS[@]}"; do
		out="$LOG_DIR/soak-$name-$i.txt"
		line=$(grep -m1 '^bench_result ' "$out" || true)
		if [[ -z $line ]]; then
			SOAK_FAIL+="${SOAK_FAIL:+; }$name: wrk printed no result in round $i (see $out)"
			bad=1
			continue
		fi
		SOAK_REQUESTS=$((SOAK_REQUESTS + $(field requests "$line")))
		v=$(field non2xx "$line")
		for e in connect read write timeout; do v=$((v + $(field "err_$e" "$line"))); done
		if ((v > 0)); then
			SOAK_FAIL+="${SOAK_FAIL:+; }$name: $v non-2xx answers or socket errors in round $i (see $out)"
			bad=1
		fi
		summary+=" $name $(field rps "$line") rps p99 $(field p99_ms "$line") ms;"
	done
	log "soak round $i:${summary%;}"
	return "$bad"
}

soak_run() {
	local pid=${SERVER_PID[service]} rounds i rss first=0 warm=0 max=0 growth growth0 samples="" rc=0
	local warm_round
	SOAK_FAIL="" SOAK_REQUESTS=0
	rounds=$(((SOAK_S + SOAK_INTERVAL_S - 1) / SOAK_INTERVAL_S))
	warm_round=$(((rounds + 2) / 3))
	log "soak: RSS $(mib "$SERVICE_RSS_START") MiB after start and one request;" \
		"$rounds rounds of ${SOAK_INTERVAL_S} s of ${SOAK_SCENARIOS[*]} at once"
	for ((i = 1; i <= rounds; i++)); do
		soak_round "$i"
		soak_check "$i" || true
		rss=$(rss_kib "$pid")
		((rss > 0)) || { SOAK_FAIL+="${SOAK_FAIL:+; }the service exited in round $i"; break; }
		samples+="${samples:+ }$(mib "$rss")"
		((i == 1)) && first=$rss
		((i == warm_round)) && warm=$rss
		((i > warm_round && rss > max)) && max=$rss
		log "soak: $((i * SOAK_INTERVAL_S)) s, RSS $(mib "$rss") MiB"
	done
	((max >= warm)) || max=$warm
	growth=$(awk -v w="$warm" -v m="$max" 'BEGIN { printf "%.1f", (w > 0 ? (m - w) * 100 / w : 0) }')
	growth0=$(awk -v w="$first" -v m="$max" 'BEGIN { printf "%.1f", (w > 0 ? (m - w) * 100 / w : 0) }')
	((SERVICE_RSS_START <= SOAK_IDLE_MAX_KIB)) ||
		SOAK_FAIL+="${SOAK_FAIL:+; }idle RSS $(mib "$SERVICE_RSS_START") MiB (limit $(mib "$SOAK_IDLE_MAX_KIB"))"
	awk -v g="$growth" -v l="$SOAK_GROWTH_MAX_PCT" 'BEGIN { exit !(g <= l) }' ||
		SOAK_FAIL+="${SOAK_FAIL:+; }RSS grew ${growth}% after round $warm_round (limit ${SOAK_GROWTH_MAX_PCT}%)"
	echo
	echo "soak: RSS (MiB) after each ${SOAK_INTERVAL_S} s round: $samples"
	echo "soak: $SOAK_REQUESTS requests (${SOAK_SCENARIOS[*]}, at ${SOAK_CONNS[staff_get]}," \
		"${SOAK_CONNS[progress_cold]} and ${SOAK_CONNS[report_submit]} connections)"
	echo
	if [[ -n $SOAK_FAIL ]]; then
		echo "bench-failed scenario=soak reason=\"$SOAK_FAIL\""
		rc=1
	fi
	echo "bench-soak idle_rss_mib=$(mib "$SERVICE_RSS_START") first_rss_mib=$(mib "$first")" \
		"warm_rss_mib=$(mib "$warm") warm_round=$warm_round max_rss_mib=$(mib "$max")" \
		"last_rss_mib=${samples##* } growth_pct=$growth growth_from_first_pct=$growth0" \
		"duration_s=$((rounds * SOAK_INTERVAL_S)) requests=$SOAK_REQUESTS"
	return "$rc"
}
if ((SOAK)); then
	soak_run && exit 0
	exit 1
fi

BEFORE_PROVINCE=()
AFTER_PROVINCE=()
for name in "${RUN_LIST[@]}"; do
	if [[ ${SC_DATA[$name]} == province || ${SC_DATA[$name]} == eligprov ]]; then
		AFTER_PROVINCE+=("$name")
	else
		BEFORE_PROVINCE+=("$name")
	fi
done
((${#BEFORE_PROVINCE[@]} == 0)) || measure_all "${BEFORE_PROVINCE[@]}"
if ((${#AFTER_PROVINCE[@]} > 0)); then
	if [[ -n ${NEED_DATA[province]:-} ]]; then
		log "loading the province: 100 organisations of 1,000 staff with a year of data"
		t0=$SECONDS
		seed -v province=1 -f "$BENCH_DIR/seed_progress.sql"
		log "province loaded in $((SECONDS - t0)) s"
	fi
	[[ -z ${NEED_DATA[eligprov]:-} ]] || seed_eligprov
	settle "the province"
	measure_all "${AFTER_PROVINCE[@]}"
fi
for name in "${RUN_LIST[@]}"; do
	for n in ${SC_CONNS[$name]}; do
		summarise "$name" "$n" || FAILED=1
	done
done

ratio() {
	local key=$1 b=$2
	if [[ ${STATUS[$key]} != ok || ${STATUS[$b:${key#*:}]:-} != ok ]]; then
		echo NA
	else
		awk -v a="${RPS[$key]}" -v b="${RPS[$b:${key#*:}]}" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'
	fi
}

echo
printf '%-17s %6s %12s %9s %9s %-12s %6s %6s  %s\n' \
	scenario conns rps p50_ms p99_ms baseline ratio other% status
for name in "${RUN_LIST[@]}"; do
	b=${SC_BASELINE[$name]}
	for n in ${SC_CONNS[$name]}; do
		key="$name:$n"
		if [[ $b == self ]]; then r=1.00; else r=$(ratio "$key" "$b"); fi
		printf '%-17s %6s %12s %9s %9s %-12s %6s %6s  %s\n' "$name" "$n" "${RPS[$key]:--}" \
			"${P50[$key]:--}" "${P99[$key]:--}" "$b" "$r" "${BG[$key]:--}" \
			"${STATUS[$key]}${NOTE[$key]:+ (${NOTE[$key]})}"
	done
done
printf '(wrk -t%s (-t1 at 1 connection), %s per run after %s warm-up; MHD %s, %s threads; DB pool %s;\n' \
	"$WRK_THREADS" "$DURATION" "$WARMUP" "$BENCH_MHD_MODE" "$BENCH_THREADS" "$BENCH_POOL"
printf ' %s CPUs shared by client and servers; other%% = CPU share used by processes other than wrk,\n' \
	"$CPU_NPROC"
printf ' the server and its PostgreSQL during the run: above %s%% the figures are not comparable)\n' \
	"$NOISY_PCT"
if ((NEED_DB)); then
	printf '(PostgreSQL %s)\n' "$(psql -X -d postgres -tAc "SELECT string_agg(name || '=' || setting,
		' ' ORDER BY name) FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit',
		'wal_sync_method', 'commit_delay', 'max_connections', 'shared_buffers')")"
fi
echo

for name in "${RUN_LIST[@]}"; do
	b=${SC_BASELINE[$name]}
	for n in ${SC_CONNS[$name]}; do
		key="$name:$n"
		if [[ ${STATUS[$key]} != ok ]]; then
			echo "bench-failed scenario=$name connections=$n reason=\"${NOTE[$key]}\""
			continue
		fi
		if [[ $b == self ]]; then r=1.00; else r=$(ratio "$key" "$b"); fi
		echo "bench scenario=$name connections=$n rps=${RPS[$key]} p50_ms=${P50[$key]}" \
			"p99_ms=${P99[$key]} baseline=$b ratio=$r"
	done
done

exit "$FAILED"
