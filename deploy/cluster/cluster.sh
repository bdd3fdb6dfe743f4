#!/usr/bin/env bash
# deploy/cluster/cluster.sh — the production shape of thidua on one machine:
#
#   clients ──► HAProxy :7480 ──► thidua replicas :7481, :7482 (/readyz checks)
#                                   │  (THIDUA_DB_PREPARED=pooled)
#                                   ▼
#               PgBouncer :7440, transaction mode (one listen address per replica)
#                                   │
#                                   ▼
#               HAProxy :7400 ──► the Patroni primary (GET /primary checks)
#                                   │
#               Patroni ×3 (PostgreSQL 15 :7411-7413, REST :7421-7423)
#               etcd ×3 (:7451, :7453, :7455), synchronous_mode on
#               pgBackRest repository (WAL archived from whichever node leads)
#               Prometheus :7490 scraping the replicas, HAProxy, Patroni, the
#               PostgreSQL exporters (:7461-7463) and PgBouncer's (:7464),
#               with deploy/monitoring/thidua-alerts.yml loaded
#
# Every part is the Debian package, with its files under one directory
# (THIDUA_CLUSTER_DIR, default /tmp/thidua-cluster), on loopback ports:
#   - as plain processes (the default).  As root, every part but the service
#     replicas runs as the postgres user (PostgreSQL refuses root);
#   - or, with THIDUA_CLUSTER_ENGINE=podman, each part in its own podman
#     container (compose.yaml: the service's image from the repo's
#     Dockerfile, the database side's from ./Containerfile), on the host's
#     network and process namespaces: same ports, same pids, same commands.
# Nothing listens beyond 127.0.0.0/8.
#
#   cluster.sh up [--no-demo]   install what is missing, build, start all, load
#                               the demo data (db/seed) unless --no-demo
#   cluster.sh down             stop everything and remove the directory
#   cluster.sh status           Patroni's members, HAProxy's view, replicas' /readyz
#   cluster.sh env              the endpoints and credentials, as shell variables
#   cluster.sh app-start N      start service replica N (1-based)
#   cluster.sh app-stop N [SIG] stop replica N with SIG (default TERM), wait for it
#   cluster.sh pgbouncer-restart
#   cluster.sh partition N on|off   drop every packet between replica N and
#                               PgBouncer (nftables), or heal
#   cluster.sh backup full|incr pgBackRest backup from the current primary
#   cluster.sh leader           the name of the current Patroni leader
#   cluster.sh run-part NAME    (what the processes and containers run)
#
# THIDUA_BIN selects the service binary of the processes (default: a Release
# build in build/); THIDUA_CLUSTER_REPLICAS the number of replicas (default
# 2; at most 3 in containers, the services of compose.yaml).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
# libpq's variables (pg_virtualenv sets them) would override the pgpass files
# Patroni writes for its replicas and point psql elsewhere; the PostgreSQL
# exporter's driver even panics on PGSYSCONFDIR
# shellcheck disable=SC2046
unset $(compgen -e | grep '^PG')
DIR=${THIDUA_CLUSTER_DIR:-/tmp/thidua-cluster}
REPLICAS=${THIDUA_CLUSTER_REPLICAS:-2}
PGBIN=/usr/lib/postgresql/15/bin

# ---- ports: all loopback ------------------------------------------------------
HTTP_PORT=7480         # HAProxy in front of the replicas
APP_PORT0=7480         # replica N listens on APP_PORT0 + N
PRIMARY_PORT=7400      # HAProxy to the current primary
PG_PORT0=7410          # node N: PostgreSQL on PG_PORT0 + N ...
REST_PORT0=7420        # ... and Patroni's REST API on REST_PORT0 + N
BOUNCER_PORT=7440
STATS_PORT=7470        # HAProxy's stats page and Prometheus exporter
ETCD_PORT0=7449        # member N: client ETCD_PORT0 + 2N, peer + 2N + 1
EXPORTER_PORT0=7460    # node N's postgres_exporter on EXPORTER_PORT0 + N ...
PGB_EXPORTER_PORT=7464 # ... PgBouncer's exporter
PROMETHEUS_PORT=7490   # one Prometheus scraping every part, with the alert rules
STANZA=thidua

log() { printf '==> %s\n' "$*" >&2; }
die() {
	printf 'cluster: %s\n' "$*" >&2
	exit 1
}

# The user the database processes run as.
if [ "$(id -u)" -eq 0 ]; then
	DBUSER=postgres
	# setpriv execs (runuser would stay as a parent): the pid recorded is the
	# process's own, so signals reach it.
	AS_DB=(setpriv --reuid=postgres --regid=postgres --init-groups env HOME=/var/lib/postgresql)
else
	DBUSER=$(id -un)
	AS_DB=(env)
fi
as_db() { "${AS_DB[@]}" "$@"; }

# The address replica N uses to reach PgBouncer: its own, so that one
# replica can be cut off from the database while the others are not.
bouncer_addr() { printf '127.0.1.%d' "$1"; }

secrets() {
	# shellcheck source=/dev/null
	. "$DIR/secrets.env"
}

# ---- the parts: every long-lived process, as a plain process or in a container --
# THIDUA_CLUSTER_ENGINE: process (default) or podman; 'up' records it in
# DIR/engine and the other commands follow it.
ENGINE=$(cat "$DIR/engine" 2>/dev/null || echo "${THIDUA_CLUSTER_ENGINE:-process}")
PROJECT=thidua-cluster
DB_IMAGE=localhost/thidua-cluster-db:bookworm
APP_IMAGE=localhost/thidua:cluster
export THIDUA_CLUSTER_DIR=$DIR

# The service's uid: the invoking user's as processes, the image's own user
# (Dockerfile: 10001) in containers.
app_uid() { if [ "$ENGINE" = podman ]; then echo 10001; else id -u; fi; }

# run_part NAME: exec part NAME's program, its output appended to its log.
# The processes start it through start_part, the containers as their
# command (compose.yaml): one command line for each part, whatever runs it.
run_part() {
	local name=$1 i j peers=""
	exec >>"$DIR/log/$name.log" 2>&1 </dev/null
	case $name in
	etcd[1-3])
		i=${name#etcd}
		for j in 1 2 3; do peers="${peers:+$peers,}e$j=http://127.0.0.1:$((ETCD_PORT0 + 2 * j + 1))"; done
		# --enable-v2: Debian's Patroni 3.0.2 talks to etcd with python3-etcd,
		# the v2 API.
		exec etcd --name "e$i" --data-dir "$DIR/etcd$i" \
			--listen-client-urls "http://127.0.0.1:$((ETCD_PORT0 + 2 * i))" \
			--advertise-client-urls "http://127.0.0.1:$((ETCD_PORT0 + 2 * i))" \
			--listen-peer-urls "http://127.0.0.1:$((ETCD_PORT0 + 2 * i + 1))" \
			--initial-advertise-peer-urls "http://127.0.0.1:$((ETCD_PORT0 + 2 * i + 1))" \
			--initial-cluster "$peers" --initial-cluster-state new \
			--initial-cluster-token thidua --enable-v2=true \
			--heartbeat-interval 100 --election-timeout 1000
		;;
	patroni[1-3]) exec patroni "$DIR/pg${name#patroni}/patroni.yml" ;;
	pgbouncer) exec pgbouncer "$DIR/pgbouncer/pgbouncer.ini" ;;
	haproxy) exec haproxy -db -f "$DIR/haproxy/haproxy.cfg" ;;
	app[1-9])
		# each replica with its own address towards PgBouncer (partition)
		i=${name#app}
		exec env THIDUA_DATABASE_URL_FILE="$DIR/app/database-url-$i" THIDUA_DB_PREPARED=pooled \
			THIDUA_LISTEN_ADDRESS=127.0.0.1 THIDUA_PORT=$((APP_PORT0 + i)) \
			THIDUA_TRUSTED_PROXIES=127.0.0.1 THIDUA_UNREADY_DELAY_MS=3500 \
			THIDUA_JWT_PRIVATE_KEY_FILE="$DIR/jwt-signing-key.pem" "${THIDUA_BIN:?}"
		;;
	pgexp[1-3])
		i=${name#pgexp}
		# shellcheck source=/dev/null
		. "$DIR/db-secrets.env"
		DATA_SOURCE_NAME="postgresql://postgres:$PG_SUPERUSER_PASSWORD@127.0.0.1:$((PG_PORT0 + i))/thidua?sslmode=disable" \
			exec prometheus-postgres-exporter --web.listen-address="127.0.0.1:$((EXPORTER_PORT0 + i))"
		;;
	pgbexp)
		# shellcheck source=/dev/null
		. "$DIR/db-secrets.env"
		# (Debian's exporter with PgBouncer 1.18's column names: see the file)
		PGPASSWORD=$PG_SUPERUSER_PASSWORD exec /usr/bin/python3 "$DIR/bin/pgbouncer_exporter.py" \
			--host 127.0.0.1 --port "$PGB_EXPORTER_PORT" --pgbouncer-host 127.0.0.1 \
			--pgbouncer-port "$BOUNCER_PORT" --pgbouncer-user postgres
		;;
	prometheus)
		exec prometheus --config.file="$DIR/prometheus/prometheus.yml" \
			--storage.tsdb.path="$DIR/prometheus/data" --storage.tsdb.retention.time=1d \
			--web.listen-address="127.0.0.1:$PROMETHEUS_PORT"
		;;
	*) die "no part named $name" ;;
	esac
}

# compose ARGS...: Compose on deploy/cluster/compose.yaml, through podman's
# Docker-compatible API (the socket started by 'up').  Debian's
# podman-compose 1.0.3 cannot run it: it adds the project's network to every
# container, which podman refuses beside network_mode: host.
compose() {
	PG_UID=$(id -u "$DBUSER") PG_GID=$(id -g "$DBUSER") DOCKER_HOST="unix://$DIR/run/podman.sock" \
		docker-compose -p "$PROJECT" -f "$ROOT/deploy/cluster/compose.yaml" "$@"
}

# start_part NAME: part NAME in the background, its pid (the host's) in
# DIR/run/NAME.pid.  As processes, everything but the service replicas runs
# as the database user, in its own session.
start_part() {
	local name=$1 pid
	if [ "$ENGINE" = podman ]; then
		podman rm -f "$PROJECT-$name" >/dev/null 2>&1 || true
		compose up -d --no-build --no-deps "$name" >>"$DIR/log/compose.log" 2>&1 ||
			die "compose up $name failed (see $DIR/log/compose.log)"
		pid=$(podman inspect -f '{{.State.Pid}}' "$PROJECT-$name")
		[ "${pid:-0}" != 0 ] || die "container $PROJECT-$name is not running (see $DIR/log/$name.log)"
		echo "$pid" >"$DIR/run/$name.pid"
		return
	fi
	local as=("${AS_DB[@]}") owner=$DBUSER
	case $name in app*) as=(env THIDUA_BIN="$BIN") owner=$(id -u) ;; esac
	# the log the part appends to, its own (errors before its exec land there too)
	[ -e "$DIR/log/$name.log" ] || install -m 640 -o "$owner" /dev/null "$DIR/log/$name.log"
	setsid "${as[@]}" "$DIR/bin/cluster.sh" run-part "$name" >>"$DIR/log/$name.log" 2>&1 </dev/null &
	echo $! >"$DIR/run/$name.pid"
}

# db_cmd CMD...: a PostgreSQL or pgBackRest client as the database user: on
# this machine, or in a throwaway container of the database image.
db_cmd() {
	if [ "$ENGINE" = podman ]; then
		podman run --rm -i --network host --pid host -u "$(id -u "$DBUSER"):$(id -g "$DBUSER")" \
			-e PGPASSWORD -e HOME=/var/lib/postgresql -v "$DIR:$DIR" "$DB_IMAGE" "$@"
	else
		as_db "$@"
	fi
}

pid_of() { cat "$DIR/run/$1.pid" 2>/dev/null || true; }
alive() {
	local p
	p=$(pid_of "$1")
	[ -n "$p" ] && kill -0 "$p" 2>/dev/null
}

# wait_for SECONDS WHAT CMD...: retries CMD until it succeeds.
wait_for() {
	local secs=$1 what=$2 t0=$SECONDS
	shift 2
	until "$@" >/dev/null 2>&1; do
		((SECONDS - t0 < secs)) || die "$what: not within $secs s (logs in $DIR/log)"
		sleep 0.2
	done
}

# stop_pid NAME [SIG]: signal and wait (10 s, then KILL).
stop_pid() {
	local p i
	p=$(pid_of "$1")
	[ -n "$p" ] || return 0
	kill "-${2:-TERM}" "$p" 2>/dev/null || true
	for i in $(seq 100); do
		kill -0 "$p" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$p" 2>/dev/null || true
	rm -f "$DIR/run/$1.pid"
}

# ---- configuration ----------------------------------------------------------------
write_secrets() {
	pw() { openssl rand -hex 16; }
	umask 077
	cat >"$DIR/secrets.env" <<EOF
PG_SUPERUSER_PASSWORD=$(pw)
PG_REPLICATION_PASSWORD=$(pw)
THIDUA_DB_PASSWORD=$(pw)
EOF
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$DIR/jwt-signing-key.pem" 2>/dev/null
	# what the exporters, run as the database user, need of it
	grep '^PG_SUPERUSER_PASSWORD=' "$DIR/secrets.env" >"$DIR/db-secrets.env"
	umask 022
}

write_patroni() {
	local n=$1 etcd_hosts
	etcd_hosts="127.0.0.1:$((ETCD_PORT0 + 2)),127.0.0.1:$((ETCD_PORT0 + 4)),127.0.0.1:$((ETCD_PORT0 + 6))"
	mkdir -p "$DIR/pg$n"
	# synchronous_mode: a standby is promoted only if it was synchronous, so a
	# commit acknowledged to a client is on two nodes and survives the loss of
	# the primary.  Not strict: with both standbys gone the primary goes on
	# alone rather than stopping every write (a second fault would otherwise
	# be an outage); Patroni then promotes no stale standby automatically.
	# primary_start_timeout 0: a crashed primary is failed over at once
	# instead of restarted in place (the default waits 300 s).
	cat >"$DIR/pg$n/patroni.yml" <<EOF
scope: thidua
namespace: /service/
name: pg$n
log:
  level: INFO
restapi:
  listen: 127.0.0.1:$((REST_PORT0 + n))
  connect_address: 127.0.0.1:$((REST_PORT0 + n))
etcd:
  hosts: $etcd_hosts
bootstrap:
  dcs:
    ttl: 10
    loop_wait: 2
    retry_timeout: 4
    maximum_lag_on_failover: 1048576
    primary_start_timeout: 0
    synchronous_mode: true
    synchronous_mode_strict: false
    synchronous_node_count: 1
    postgresql:
      use_pg_rewind: true
      use_slots: true
      parameters:
        max_connections: 200
        max_wal_senders: 10
        max_replication_slots: 10
        wal_level: replica
        wal_log_hints: "on"
        hot_standby: "on"
        synchronous_commit: "on"
        archive_mode: "on"
        archive_timeout: 60
  initdb:
  - encoding: UTF8
  - locale: C.UTF-8
  - data-checksums
postgresql:
  listen: 127.0.0.1:$((PG_PORT0 + n))
  connect_address: 127.0.0.1:$((PG_PORT0 + n))
  data_dir: $DIR/pg$n/data
  bin_dir: $PGBIN
  pgpass: $DIR/pg$n/pgpass
  authentication:
    superuser:
      username: postgres
      password: $PG_SUPERUSER_PASSWORD
    replication:
      username: replicator
      password: $PG_REPLICATION_PASSWORD
  parameters:
    unix_socket_directories: $DIR/pg$n
    # per node: pgBackRest reads a relative %p against pg1-path, which
    # must be this node's own data directory whichever node leads
    archive_command: "pgbackrest --config=$DIR/pgbackrest.conf --stanza=$STANZA --pg1-path=$DIR/pg$n/data archive-push %p"
  pg_hba:
  - local all all trust
  - host replication replicator 127.0.0.1/32 scram-sha-256
  - host all all 127.0.0.1/32 scram-sha-256
  create_replica_methods:
  - basebackup
  basebackup:
  - checkpoint: fast
EOF
	chmod 600 "$DIR/pg$n/patroni.yml"
}

write_pgbouncer() {
	local addrs=127.0.0.1 i
	for i in $(seq "$REPLICAS"); do addrs="$addrs,$(bouncer_addr "$i")"; done
	mkdir -p "$DIR/pgbouncer"
	printf '"thidua" "%s"\n"postgres" "%s"\n' "$THIDUA_DB_PASSWORD" "$PG_SUPERUSER_PASSWORD" \
		>"$DIR/pgbouncer/userlist.txt"
	chmod 600 "$DIR/pgbouncer/userlist.txt"
	# query_wait_timeout bounds how long a client waits for a server while no
	# primary is reachable: the service then answers 503 (its requests never
	# wait longer than this).
	cat >"$DIR/pgbouncer/pgbouncer.ini" <<EOF
[databases]
thidua = host=127.0.0.1 port=$PRIMARY_PORT dbname=thidua
[pgbouncer]
listen_addr = $addrs
listen_port = $BOUNCER_PORT
unix_socket_dir =
auth_type = scram-sha-256
auth_file = $DIR/pgbouncer/userlist.txt
admin_users = postgres
stats_users = postgres
pool_mode = transaction
default_pool_size = 40
max_client_conn = 1000
server_reset_query =
server_connect_timeout = 3
server_login_retry = 1
query_wait_timeout = 6
server_check_delay = 10
pidfile = $DIR/run/pgbouncer-own.pid
EOF
}

write_haproxy() {
	local i
	mkdir -p "$DIR/haproxy"
	# No replica ready (the database path is down for all of them): HAProxy
	# answers as a replica would, a problem with Retry-After.
	printf '%s\r\n' "HTTP/1.1 503 Service Unavailable" "Content-Type: application/problem+json" \
		"Content-Language: vi" "Retry-After: 2" "Cache-Control: no-store" "Connection: close" "" \
		'{"type":"urn:thidua:problem:unavailable","title":"Dịch vụ tạm thời không sẵn sàng","status":503,"detail":"Không máy chủ dịch vụ nào sẵn sàng; xin thử lại sau giây lát."}' \
		>"$DIR/haproxy/503.http"
	{
		cat <<EOF
global
  maxconn 4000
  # one thread: on a small machine HAProxy's threads only contend with the
  # replicas and PostgreSQL for the same cores (measured: +14 % throughput)
  nbthread 1
  stats socket $DIR/run/haproxy.sock mode 600 level admin
  log stderr format short local0 notice

defaults
  log global
  timeout connect 2s
  timeout client 60s
  timeout server 60s
  timeout check 2s

# The database: only the node whose Patroni says it is the primary.  Sessions
# to a node marked down are cut, so nobody writes to a demoted primary.
listen pg_primary
  mode tcp
  bind 127.0.0.1:$PRIMARY_PORT
  option httpchk GET /primary
  http-check expect status 200
  default-server inter 1s fall 2 rise 1 on-marked-down shutdown-sessions
EOF
		for i in 1 2 3; do
			echo "  server pg$i 127.0.0.1:$((PG_PORT0 + i)) maxconn 100 check port $((REST_PORT0 + i))"
		done
		cat <<EOF

# The service.  /readyz goes false on SIGTERM before the listener closes, and
# while a replica cannot reach the database.  A request that found no
# connection, or a closed one, is sent to the other replica: a POST too,
# since every write the clients retry carries an Idempotency-Key.
frontend thidua
  mode http
  bind 127.0.0.1:$HTTP_PORT
  option httplog
  # errors and retried requests only: a line per request costs as much as
  # the routing; the replicas log every request with the same X-Request-Id
  option dontlog-normal
  # the metrics are for Prometheus on the inside, not for the clients
  http-request deny deny_status 404 if { path /metrics }
  option forwardfor
  unique-id-format %{+X}o%ci%cp%fp%Ts%rt%pid
  http-request set-header X-Request-Id %[unique-id] unless { req.hdr(x-request-id) -m found }
  default_backend thidua

backend thidua
  mode http
  balance roundrobin
  option httpchk GET /readyz
  http-check expect status 200
  retries 3
  option redispatch 1
  retry-on conn-failure empty-response
  errorfile 503 $DIR/haproxy/503.http
  timeout server 30s
  # two failed checks take a replica out: one slow /readyz on a busy machine
  # does not (both out at once is an outage); a stopping replica stays
  # unready longer than that (THIDUA_UNREADY_DELAY_MS 3.5 s)
  default-server inter 1s fall 2 rise 2
EOF
		for i in $(seq "$REPLICAS"); do
			echo "  server app$i 127.0.0.1:$((APP_PORT0 + i)) check"
		done
		cat <<EOF

frontend stats
  mode http
  bind 127.0.0.1:$STATS_PORT
  http-request use-service prometheus-exporter if { path /metrics }
  stats enable
  stats uri /stats
  stats refresh 5s
EOF
	} >"$DIR/haproxy/haproxy.cfg"
}

write_pgbackrest() {
	local i
	mkdir -p "$DIR/backrest/repo" "$DIR/backrest/log" "$DIR/backrest/spool"
	{
		cat <<EOF
[global]
repo1-path=$DIR/backrest/repo
repo1-retention-full=2
log-path=$DIR/backrest/log
spool-path=$DIR/backrest/spool
lock-path=$DIR/backrest/lock
log-level-console=warn
log-level-file=info
start-fast=y
archive-async=n
compress-type=zst

[$STANZA]
EOF
		# The stanza names every node: pgBackRest backs up from the one that is
		# the primary and checks the others.
		for i in 1 2 3; do
			echo "pg$i-path=$DIR/pg$i/data"
			echo "pg$i-port=$((PG_PORT0 + i))"
			echo "pg$i-socket-path=$DIR/pg$i"
		done
	} >"$DIR/pgbackrest.conf"
}

# ---- the parts --------------------------------------------------------------------
start_etcd() {
	local i
	for i in 1 2 3; do start_part "etcd$i"; done
	wait_for 30 "etcd" curl -fsS "http://127.0.0.1:$((ETCD_PORT0 + 2))/health"
}

start_patroni() {
	start_part "patroni$1"
}

# cluster_ready: a leader that is running and a synchronous standby streaming.
cluster_ready() {
	curl -fsS "http://127.0.0.1:$((REST_PORT0 + 1))/cluster" | python3 -c '
import json, sys
m = json.load(sys.stdin)["members"]
ok = any(x["role"] == "leader" and x["state"] == "running" for x in m) and \
     any(x["role"] == "sync_standby" and x["state"] in ("streaming", "running") for x in m)
sys.exit(0 if ok else 1)'
}

leader() {
	curl -fsS "http://127.0.0.1:$((REST_PORT0 + 1))/cluster" 2>/dev/null ||
		curl -fsS "http://127.0.0.1:$((REST_PORT0 + 2))/cluster" 2>/dev/null ||
		curl -fsS "http://127.0.0.1:$((REST_PORT0 + 3))/cluster"
} 2>/dev/null

leader_name() {
	leader | python3 -c '
import json, sys
print(next(x["name"] for x in json.load(sys.stdin)["members"] if x["role"] == "leader"))'
}

# shellcheck disable=SC2120 # callers pass arguments or a here-document
psql_primary() {
	PGPASSWORD=$PG_SUPERUSER_PASSWORD db_cmd psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 \
		-p "$PRIMARY_PORT" -U postgres "$@"
}

start_pgbouncer() {
	start_part pgbouncer
	wait_for 15 "PgBouncer" bash -c "exec 3<>/dev/tcp/127.0.0.1/$BOUNCER_PORT"
}

db_url() {
	printf 'postgresql://thidua:%s@%s:%d/thidua' "$THIDUA_DB_PASSWORD" "$(bouncer_addr "$1")" "$BOUNCER_PORT"
}

app_start() {
	local n=$1
	start_part "app$n"
	wait_for 60 "replica $n" curl -fsS "http://127.0.0.1:$((APP_PORT0 + n))/readyz"
}

find_bin() {
	BIN=${THIDUA_BIN:-}
	if [ -z "$BIN" ]; then
		cmake -S "$ROOT" -B "$ROOT/build" -DCMAKE_BUILD_TYPE=Release -DTHIDUA_TESTS=OFF >/dev/null
		cmake --build "$ROOT/build" -j"$(nproc)" --target thidua >/dev/null
		BIN=$ROOT/build/thidua
	fi
	BIN=$(readlink -f "$BIN")
	[ -x "$BIN" ] || die "no service binary at $BIN"
}

# start_metrics: an exporter per PostgreSQL node and one for PgBouncer (its
# admin console's SHOW STATS/POOLS), then Prometheus over every part.
# Patroni, HAProxy and the service expose /metrics themselves.
start_metrics() {
	local i targets
	for i in 1 2 3; do start_part "pgexp$i"; done
	start_part pgbexp
	list() { printf "'127.0.0.1:%d', " "$@" | sed 's/, $//'; }
	mkdir -p "$DIR/prometheus"
	targets=$(for i in $(seq "$REPLICAS"); do echo $((APP_PORT0 + i)); done)
	# shellcheck disable=SC2046,SC2086
	cat >"$DIR/prometheus/prometheus.yml" <<EOF
global:
  scrape_interval: 5s
  evaluation_interval: 5s
rule_files:
  - $DIR/prometheus/thidua-alerts.yml
scrape_configs:
  - job_name: thidua
    static_configs: [{targets: [$(list $targets)]}]
  - job_name: haproxy
    static_configs: [{targets: [$(list $STATS_PORT)]}]
  - job_name: patroni
    static_configs: [{targets: [$(list $((REST_PORT0 + 1)) $((REST_PORT0 + 2)) $((REST_PORT0 + 3)))]}]
  - job_name: postgres
    static_configs: [{targets: [$(list $((EXPORTER_PORT0 + 1)) $((EXPORTER_PORT0 + 2)) $((EXPORTER_PORT0 + 3)))]}]
  - job_name: pgbouncer
    static_configs: [{targets: [$(list $PGB_EXPORTER_PORT)]}]
EOF
	cp "$ROOT/deploy/monitoring/thidua-alerts.yml" "$DIR/prometheus/"
	chown -R "$DBUSER" "$DIR/prometheus"
	start_part prometheus
	wait_for 30 "Prometheus" curl -fsS "http://127.0.0.1:$PROMETHEUS_PORT/-/ready"
}

# ---- commands ---------------------------------------------------------------------
# podman_engine: podman, docker-compose and the two images (the service's
# from the repo's Dockerfile, the database side's from ./Containerfile).
podman_engine() {
	WORK="$DIR/log" BASE_IMAGE=docker.io/library/debian:bookworm-slim BASE_SUITE=bookworm
	# shellcheck disable=SC2317 # called by deploy/podman.sh
	skip() { die "podman cannot run here: $*"; }
	# shellcheck disable=SC2317
	apt_install() { ensure_packages "$@"; }
	# shellcheck source=deploy/podman.sh
	. "$ROOT/deploy/podman.sh"
	ensure_packages docker-compose
	podman_prepare
	# podman's Docker API for docker-compose; the containers do not depend
	# on it (conmon watches each), 'down' stops it last
	podman system service --time=0 "unix://$DIR/run/podman.sock" >>"$DIR/log/podman-api.log" 2>&1 &
	echo $! >"$DIR/run/podman-api.pid"
	wait_for 20 "podman's API" test -S "$DIR/run/podman.sock"
	log "images (the first build installs their packages: a few minutes)"
	podman build --pull=never --format docker -t "$APP_IMAGE" \
		--build-arg REVISION="$(git -C "$ROOT" rev-parse HEAD 2>/dev/null || echo unknown)" \
		"$ROOT" >>"$DIR/log/build.log" 2>&1 || die "image $APP_IMAGE: see $DIR/log/build.log"
	podman build --pull=never -t "$DB_IMAGE" --build-arg PG_UID="$(id -u "$DBUSER")" \
		--build-arg PG_GID="$(id -g "$DBUSER")" -f "$ROOT/deploy/cluster/Containerfile" \
		"$ROOT/deploy/cluster" >>"$DIR/log/build.log" 2>&1 || die "image $DB_IMAGE: see $DIR/log/build.log"
}

# The service's configuration: its database URL per replica (each its own
# address towards PgBouncer) and the signing key, readable by it alone.
write_app_files() {
	local i
	mkdir -p "$DIR/app"
	for i in $(seq "$REPLICAS"); do
		(umask 077 && db_url "$i" >"$DIR/app/database-url-$i")
	done
	chown -R "$(app_uid)" "$DIR/app" "$DIR/jwt-signing-key.pem"
	chmod 700 "$DIR/app"
}

# migrate: the migrations through PgBouncer (the advisory lock is per
# transaction), with the binary the replicas run.
migrate() {
	if [ "$ENGINE" = podman ]; then
		podman run --rm --network host -u 10001:10001 -v "$DIR:$DIR:ro" \
			-e THIDUA_DATABASE_URL_FILE="$DIR/app/database-url-1" -e THIDUA_DB_PREPARED=off \
			"$APP_IMAGE" /usr/local/bin/thidua migrate
	else
		THIDUA_DATABASE_URL_FILE="$DIR/app/database-url-1" THIDUA_DB_PREPARED=off "$BIN" migrate
	fi
}

cmd_up() {
	local demo=1 i
	[ "${1:-}" = --no-demo ] && demo=0
	# shellcheck source=deploy/packages.sh
	. "$ROOT/deploy/packages.sh"
	[ ! -e "$DIR/run" ] || die "$DIR exists: 'cluster.sh down' first"
	case $ENGINE in
	process)
		# shellcheck disable=SC2086
		ensure_packages $THIDUA_PKGS_RUN $THIDUA_PKGS_CLUSTER
		# shellcheck disable=SC2086
		[ -n "${THIDUA_BIN:-}" ] || ensure_packages $THIDUA_PKGS_BUILD
		;;
	podman)
		[ "$(id -u)" -eq 0 ] || die "the containers need rootful podman: run as root"
		[ "$REPLICAS" -le 3 ] || die "compose.yaml has three service replicas"
		ensure_packages curl python3 openssl nftables
		;;
	*) die "THIDUA_CLUSTER_ENGINE must be process or podman, not $ENGINE" ;;
	esac
	# another cluster (another THIDUA_CLUSTER_DIR) may hold the ports
	for i in $HTTP_PORT $PRIMARY_PORT $BOUNCER_PORT $STATS_PORT $((PG_PORT0 + 1)) \
		$((REST_PORT0 + 1)) $((ETCD_PORT0 + 2)) $((APP_PORT0 + 1)); do
		! (exec 3<>"/dev/tcp/127.0.0.1/$i") 2>/dev/null || die "port $i is in use"
	done
	mkdir -p "$DIR/run" "$DIR/log" "$DIR/bin"
	echo "$ENGINE" >"$DIR/engine"
	if [ "$ENGINE" = podman ]; then podman_engine; else find_bin; fi
	# what the parts run, readable by all of them wherever the checkout is
	install -m 755 "$0" "$ROOT/deploy/cluster/pgbouncer_exporter.py" "$DIR/bin/"
	write_secrets
	secrets
	for i in 1 2 3; do write_patroni "$i"; done
	write_pgbouncer
	write_haproxy
	write_pgbackrest
	for i in 1 2 3; do mkdir -m 700 "$DIR/etcd$i"; done
	chown -R "$DBUSER" "$DIR"
	chmod 711 "$DIR"
	# the credentials stay the invoking user's, the service's files its own
	chown "$(id -u)" "$DIR/secrets.env" "$DIR/run" "$DIR/log" "$DIR/bin" "$DIR/engine"
	chmod 777 "$DIR/log" "$DIR/run"
	write_app_files

	log "etcd: three members"
	start_etcd
	log "Patroni: three PostgreSQL 15 nodes"
	start_patroni 1
	wait_for 60 "the first node's bootstrap" curl -fsS "http://127.0.0.1:$((REST_PORT0 + 1))/primary"
	start_patroni 2
	start_patroni 3
	log "HAProxy"
	start_part haproxy
	wait_for 120 "a synchronous standby" cluster_ready
	wait_for 20 "HAProxy to the primary" psql_primary -c 'SELECT 1'

	log "pgBackRest stanza"
	db_cmd pgbackrest --config="$DIR/pgbackrest.conf" --stanza="$STANZA" stanza-create >/dev/null
	psql_primary <<SQL
CREATE ROLE thidua LOGIN PASSWORD '$THIDUA_DB_PASSWORD';
CREATE DATABASE thidua OWNER thidua;
SQL
	log "PgBouncer"
	start_pgbouncer
	log "migrations through PgBouncer (the advisory lock is per transaction)"
	migrate >/dev/null
	if ((demo)); then
		for f in "$ROOT"/db/seed/*.sql; do
			PGPASSWORD=$THIDUA_DB_PASSWORD db_cmd psql -X -q -v ON_ERROR_STOP=1 -1 -h 127.0.0.1 \
				-p "$PRIMARY_PORT" -U thidua -d thidua -f - <"$f" >/dev/null
		done
		log "demo data loaded"
	fi
	log "service replicas"
	for i in $(seq "$REPLICAS"); do app_start "$i"; done
	wait_for 20 "HAProxy to the replicas" curl -fsS "http://127.0.0.1:$HTTP_PORT/readyz"
	if [ "${THIDUA_CLUSTER_METRICS:-on}" = on ]; then
		log "exporters and Prometheus"
		start_metrics
	fi
	cat <<MSG

  thidua cluster is up under $DIR ($([ "$ENGINE" = podman ] && echo "podman containers, host network" || echo "plain processes") on loopback)
  Service (HAProxy):    http://127.0.0.1:$HTTP_PORT    replicas: $(for i in $(seq "$REPLICAS"); do printf ':%d ' $((APP_PORT0 + i)); done)
  Primary (HAProxy):    127.0.0.1:$PRIMARY_PORT   PgBouncer: :$BOUNCER_PORT
  Patroni REST:         :$((REST_PORT0 + 1)) :$((REST_PORT0 + 2)) :$((REST_PORT0 + 3))   ($0 status)
  HAProxy stats:        http://127.0.0.1:$STATS_PORT/stats   metrics: /metrics
  Prometheus:           http://127.0.0.1:$PROMETHEUS_PORT  (every part, the alert rules loaded)
  Credentials:          $DIR/secrets.env
  Stop with:            $0 down

MSG
}

cmd_down() {
	local i
	[ -d "$DIR" ] || return 0
	for i in $(seq 9); do [ -e "$DIR/run/app$i.pid" ] && stop_pid "app$i"; done
	for i in prometheus pgbexp pgexp1 pgexp2 pgexp3; do stop_pid "$i"; done
	stop_pid haproxy
	stop_pid pgbouncer INT
	for i in 1 2 3; do stop_pid "patroni$i"; done
	# a postmaster whose Patroni was killed goes on: stop it too (removing a
	# container ends whatever still runs in it)
	if [ "$ENGINE" = podman ]; then
		for i in 1 2 3; do podman rm -f -t 2 "$PROJECT-patroni$i" >/dev/null 2>&1 || true; done
	else
		for i in 1 2 3; do
			if [ -f "$DIR/pg$i/data/postmaster.pid" ]; then
				as_db "$PGBIN/pg_ctl" -D "$DIR/pg$i/data" stop -m immediate >/dev/null 2>&1 || true
			fi
		done
	fi
	for i in 1 2 3; do stop_pid "etcd$i"; done
	if [ "$ENGINE" = podman ]; then
		# (podman complains on stderr that no systemd runs the images' HEALTHCHECK timers)
		podman ps -a --format '{{.Names}}' | grep "^$PROJECT-" | xargs -r podman rm -f -t 2 >/dev/null 2>&1 || true
		podman network rm -f "${PROJECT}_default" >/dev/null 2>&1 || true
		stop_pid podman-api
	fi
	partition_rules off 2>/dev/null || true
	rm -rf "$DIR"
}

cmd_status() {
	local i
	leader | python3 -c '
import json, sys
for m in json.load(sys.stdin)["members"]:
    print("%-5s %-13s %-10s lag=%s" % (m["name"], m["role"], m["state"], m.get("lag", "")))'
	for i in $(seq "$REPLICAS"); do
		printf 'app%d /readyz: %s\n' "$i" \
			"$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$((APP_PORT0 + i))/readyz" || true)"
	done
	curl -fsS "http://127.0.0.1:$STATS_PORT/stats;csv" 2>/dev/null |
		cut -d, -f1,2,18 | grep -v '^#' || true
}

cmd_env() {
	secrets
	cat <<EOF
CLUSTER_DIR=$DIR
CLUSTER_HTTP=http://127.0.0.1:$HTTP_PORT
CLUSTER_APP_PORT0=$APP_PORT0
CLUSTER_REPLICAS=$REPLICAS
CLUSTER_PRIMARY_PORT=$PRIMARY_PORT
CLUSTER_PG_PORT0=$PG_PORT0
CLUSTER_REST_PORT0=$REST_PORT0
CLUSTER_BOUNCER_PORT=$BOUNCER_PORT
CLUSTER_STATS_PORT=$STATS_PORT
CLUSTER_DB_URL=postgresql://thidua:$THIDUA_DB_PASSWORD@127.0.0.1:$PRIMARY_PORT/thidua
CLUSTER_SUPERUSER_URL=postgresql://postgres:$PG_SUPERUSER_PASSWORD@127.0.0.1:$PRIMARY_PORT/postgres
CLUSTER_PGBACKREST_CONF=$DIR/pgbackrest.conf
CLUSTER_STANZA=$STANZA
CLUSTER_PROMETHEUS=http://127.0.0.1:$PROMETHEUS_PORT
EOF
}

# partition_rules on|off [N]: an nftables table that drops the packets
# between replica N's address and PgBouncer, both ways.
partition_rules() {
	if [ "$1" = on ]; then
		nft -f - <<EOF
table inet thidua_partition {
  chain out {
    type filter hook output priority 0; policy accept;
    ip daddr $(bouncer_addr "$2") tcp dport $BOUNCER_PORT drop
    ip saddr $(bouncer_addr "$2") tcp sport $BOUNCER_PORT drop
  }
}
EOF
	else
		nft delete table inet thidua_partition 2>/dev/null || true
	fi
}

cmd="${1:-}"
shift || true
case $cmd in
run-part) run_part "$@" ;;
up) cmd_up "$@" ;;
down) cmd_down ;;
status) cmd_status ;;
env) cmd_env ;;
leader) leader_name ;;
app-start)
	[ "$ENGINE" = podman ] || find_bin
	app_start "$1"
	;;
app-stop) stop_pid "app$1" "${2:-TERM}" ;;
pgbouncer-restart)
	stop_pid pgbouncer TERM
	start_pgbouncer
	;;
partition)
	command -v nft >/dev/null || die "partition needs nftables (nft)"
	partition_rules "$2" "$1"
	;;
backup)
	db_cmd pgbackrest --config="$DIR/pgbackrest.conf" --stanza="$STANZA" --type="${1:-full}" backup
	;;
*) sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//' && exit 2 ;;
esac
