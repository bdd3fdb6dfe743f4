#!/usr/bin/env bash
# The cluster in containers (ctest cluster_podman, labels cluster;container;long):
# THIDUA_CLUSTER_ENGINE=podman deploy/cluster/cluster.sh up starts every
# part of the production shape from compose.yaml, then this checks that
#   - each part's pid is its container's, and the service runs as the image's
#     unprivileged user (10001) on a read-only root;
#   - a login and an authenticated read go through HAProxy and PgBouncer to the
#     Patroni primary, and Prometheus scrapes every part;
#   - kill -9 of the primary's postmaster: another node leads and the same
#     read works again;
#   - SIGTERM ends a replica's container with exit code 0;
#   - 'cluster.sh down' leaves no container behind.
# The fault counts are test_faults.py's (plain processes: the same commands).
# Exit 77 (skipped) when not root or when podman cannot run a container here.
set -euo pipefail
ROOT=${THIDUA_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
CLUSTER=$ROOT/deploy/cluster/cluster.sh
export THIDUA_CLUSTER_ENGINE=podman
export THIDUA_CLUSTER_DIR=${THIDUA_CLUSTER_DIR:-/tmp/thidua-cluster-podman}
HTTP=http://127.0.0.1:7480
OUT=$(mktemp)

say() { printf '[cluster_podman] %s\n' "$*"; }
fail() {
	say "FAILED: $*"
	tail -n 40 "$THIDUA_CLUSTER_DIR"/log/*.log 2>/dev/null | tail -n 120 || true
	exit 1
}
cleanup() {
	"$CLUSTER" down >/dev/null 2>&1 || true
	rm -f "$OUT"
}

[ "$(id -u)" -eq 0 ] || { say "SKIPPED: rootful podman needs root"; exit 77; }
"$CLUSTER" down >/dev/null 2>&1 || true
trap cleanup EXIT
t0=$SECONDS
if ! "$CLUSTER" up >"$OUT" 2>&1; then
	if grep -q 'podman cannot run here' "$OUT"; then
		say "SKIPPED: $(grep 'podman cannot run here' "$OUT")"
		exit 77
	fi
	cat "$OUT"
	fail "cluster.sh up"
fi
say "up in $((SECONDS - t0)) s (images included)"

# every part in its own container, its recorded pid the container's
parts=(etcd1 etcd2 etcd3 patroni1 patroni2 patroni3 haproxy pgbouncer app1 app2
	pgexp1 pgexp2 pgexp3 pgbexp prometheus)
for p in "${parts[@]}"; do
	want=$(cat "$THIDUA_CLUSTER_DIR/run/$p.pid")
	got=$(podman inspect -f '{{.State.Pid}}' "thidua-cluster-$p" 2>/dev/null) ||
		fail "no container for $p"
	[ "$want" = "$got" ] || fail "$p: pid $want recorded, container's is $got"
done
[ "$(stat -c %u "/proc/$(cat "$THIDUA_CLUSTER_DIR/run/app1.pid")")" = 10001 ] ||
	fail "the service does not run as 10001"
[ "$(podman inspect -f '{{.HostConfig.ReadonlyRootfs}}' thidua-cluster-app1)" = true ] ||
	fail "the service's root filesystem is writable"
say "${#parts[@]} parts, each in its container; the service as 10001, read-only root"

token() {
	curl -fsS -m 10 "$HTTP/v1/auth/token" -H 'Content-Type: application/json' \
		-d '{"grant_type":"password","username":"quantri","password":"Demo@2022-thidua"}' |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])'
}
read_staff() {
	[ "$(curl -s -m 10 -o /dev/null -w '%{http_code}' "$HTTP/v1/staff?limit=5" \
		-H "Authorization: Bearer $1")" = 200 ]
}
tok=$(token) || fail "login through HAProxy"
read_staff "$tok" || fail "GET /v1/staff through HAProxy"
say "login and read through HAProxy, PgBouncer and the primary"

# Prometheus sees every part (the exporters need a scrape or two)
up_targets() {
	curl -fsS "http://127.0.0.1:7490/api/v1/targets?state=active" | python3 -c '
import json, sys
t = json.load(sys.stdin)["data"]["activeTargets"]
sys.exit(0 if len(t) >= 10 and all(x["health"] == "up" for x in t) else 1)'
}
for _ in $(seq 60); do up_targets && break; sleep 1; done
up_targets || fail "Prometheus: a target is down"
say "Prometheus: every target up"

# failover: the primary's postmaster killed
old=$("$CLUSTER" leader)
kill -9 "$(head -n1 "$THIDUA_CLUSTER_DIR/pg${old#pg}/data/postmaster.pid")"
t0=$SECONDS
new=$old
while [ "$new" = "$old" ] || ! read_staff "$tok"; do
	((SECONDS - t0 < 60)) || fail "no new primary serving within 60 s ($old killed)"
	sleep 0.5
	new=$("$CLUSTER" leader 2>/dev/null || echo "$old")
done
say "primary $old killed: $new leads, reads served again after $((SECONDS - t0)) s"

# SIGTERM: the replica drains and its container exits 0
"$CLUSTER" app-stop 1 TERM
code=$(podman inspect -f '{{.State.ExitCode}}' thidua-cluster-app1)
[ "$code" = 0 ] || fail "replica 1 exited with $code after SIGTERM"
read_staff "$tok" || fail "the other replica did not take the reads"
say "replica 1 stopped by SIGTERM: exit 0, the other serves"

"$CLUSTER" down >/dev/null
left=$(podman ps -a --format '{{.Names}}' | grep -c '^thidua-cluster-' || true)
[ "$left" = 0 ] || fail "$left containers left after down"
say "PASSED"
