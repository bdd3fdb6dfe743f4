#!/usr/bin/env bash
# Container smoke test for thidua.
#
#   pg_virtualenv -t -v 15 bash tests/container/smoke.sh [REPO_ROOT]
#
# Builds the image from the repo's Dockerfile, runs it on the host network
# against the throwaway PostgreSQL that pg_virtualenv provides (PGHOST, PGPORT,
# PGUSER, PGPASSWORD), waits for /readyz, checks the HEALTHCHECK, the non-root
# user and PID 1, then stops it with SIGTERM and requires exit code 0 within
# the drain deadline + 5 s.
#
# Engine: docker when its daemon answers, else podman. On a Debian machine
# without Docker (see shared/notes/containers.md) it installs podman + runc,
# configures podman, and makes the base image debian:bookworm-slim locally
# with debootstrap (cached: made once, reused afterwards).
#
# Exit codes: 0 passed, 1 failed, 77 skipped (no engine can run a container
# here; CTest SKIP_RETURN_CODE).
#
# Environment (all optional):
#   THIDUA_CONTAINER_ENGINE   docker | podman: use this engine, no detection
#   THIDUA_SMOKE_IMAGE        image tag to build and run (default thidua:test)
#   THIDUA_SMOKE_READY_TIMEOUT_S  seconds to wait for /readyz (default 60)
set -euo pipefail

REPO_ROOT=${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
REPO_ROOT=$(cd "$REPO_ROOT" && pwd)
IMAGE=${THIDUA_SMOKE_IMAGE:-thidua:test}
BASE_IMAGE=docker.io/library/debian:bookworm-slim
BASE_SUITE=bookworm
DB_NAME=thidua_container
DRAIN_S=5
STOP_TIMEOUT_S=20
READY_TIMEOUT_S=${THIDUA_SMOKE_READY_TIMEOUT_S:-60}
NAME=thidua-smoke-$$

ENGINE=""
CONTAINER_CREATED=0
ROOTFS=""
RESULT_PRINTED=0
WORK=$(mktemp -d "${TMPDIR:-/tmp}/thidua-smoke.XXXXXX")

export DEBIAN_FRONTEND=noninteractive

log() { printf '[container] %s\n' "$*"; }

skip() {
    RESULT_PRINTED=1
    printf 'container check SKIPPED: %s\n' "$*"
    exit 77
}

fail() {
    RESULT_PRINTED=1
    printf 'container check FAILED: %s\n' "$*"
    exit 1
}

now_ms() { date +%s%3N; }

# 1234 -> 1.2
fmt_s() { printf '%d.%d' $(($1 / 1000)) $((($1 % 1000) / 100)); }

cleanup() {
    local rc=$?
    set +e
    if [[ $CONTAINER_CREATED == 1 ]]; then
        if ((rc != 0 && rc != 77)); then
            echo "---- logs of container $NAME ----"
            "$ENGINE" logs "$NAME" 2>&1 | tail -n 200
            echo "---- end of logs ----"
        fi
        "$ENGINE" rm -f "$NAME" >/dev/null 2>&1
    fi
    if [[ -n $ROOTFS && -d $ROOTFS ]]; then
        rm -rf --one-file-system "$ROOTFS"
    fi
    rm -rf "$WORK"
    if ((rc != 0 && rc != 77)) && [[ $RESULT_PRINTED == 0 ]]; then
        printf 'container check FAILED: exit status %d (see above)\n' "$rc"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'log "command failed (line $LINENO): $BASH_COMMAND"' ERR

# Print the last lines of a log file, indented.
show_tail() { tail -n "${2:-60}" "$1" | sed 's/^/    /'; }

#--------------------------------------------------------------------------
# a. engine
#--------------------------------------------------------------------------

pkg_installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

# apt_install PKG...: install missing Debian packages; apt-get update only
# when a first attempt fails. Returns non-zero when impossible.
apt_install() {
    local missing=() p
    for p in "$@"; do
        pkg_installed "$p" || missing+=("$p")
    done
    ((${#missing[@]} == 0)) && return 0
    if [[ $EUID -ne 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
        log "cannot install ${missing[*]}: not root or no apt-get"
        return 1
    fi
    log "installing ${missing[*]}"
    if apt-get install -y "${missing[@]}" >"$WORK/apt.log" 2>&1; then
        return 0
    fi
    log "apt-get install failed; running apt-get update and trying again"
    if apt-get update >>"$WORK/apt.log" 2>&1 &&
        apt-get install -y "${missing[@]}" >>"$WORK/apt.log" 2>&1; then
        return 0
    fi
    show_tail "$WORK/apt.log" 20
    return 1
}

# configure_podman, apt_mirror and ensure_base_image: deploy/podman.sh,
# shared with deploy/cluster/cluster.sh.
# shellcheck source=deploy/podman.sh
. "$REPO_ROOT/deploy/podman.sh"

# Can the engine really run a container? Prints the first error line if not.
engine_runs() {
    if timeout 180 "$ENGINE" run --rm "$BASE_IMAGE" true >"$WORK/run-true.log" 2>&1; then
        return 0
    fi
    grep -m1 -iE 'error|denied|failed' "$WORK/run-true.log" || head -n1 "$WORK/run-true.log"
    return 1
}

setup_docker() {
    ENGINE=docker
    timeout 30 docker info >/dev/null 2>&1 || skip "docker daemon does not answer"
    local why
    why=$(engine_runs) || skip "docker cannot run $BASE_IMAGE: $why"
}

setup_podman() {
    ENGINE=podman
    podman_prepare

    local why
    why=$(engine_runs) || skip "podman cannot run a container here: $why"
}

detect_engine() {
    case ${THIDUA_CONTAINER_ENGINE:-} in
    docker) setup_docker ;;
    podman) setup_podman ;;
    "")
        # A docker that answers and is not podman's docker shim.
        if command -v docker >/dev/null 2>&1 &&
            ! docker --version 2>/dev/null | grep -qi podman &&
            timeout 30 docker info >/dev/null 2>&1; then
            setup_docker
        else
            setup_podman
        fi
        ;;
    *) fail "THIDUA_CONTAINER_ENGINE must be docker or podman, not '$THIDUA_CONTAINER_ENGINE'" ;;
    esac
    log "engine: $ENGINE ($("$ENGINE" --version 2>/dev/null | head -n1))"
}

#--------------------------------------------------------------------------
# helpers for the run
#--------------------------------------------------------------------------

urlencode() {
    local LC_ALL=C s=$1 out="" c i
    for ((i = 0; i < ${#s}; i++)); do
        c=${s:i:1}
        case $c in
        [A-Za-z0-9._~-]) out+=$c ;;
        *) printf -v c '%%%02X' "'$c"; out+=$c ;;
        esac
    done
    printf '%s' "$out"
}

free_port() {
    local p
    if p=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null) &&
        [[ $p =~ ^[0-9]+$ ]]; then
        echo "$p"
        return 0
    fi
    for _ in $(seq 100); do
        p=$((20000 + RANDOM % 20000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
            echo "$p"
            return 0
        fi
    done
    return 1
}

container_state() {
    "$ENGINE" inspect --format '{{.State.Status}}' "$NAME" 2>/dev/null || echo gone
}

container_exit_code() {
    "$ENGINE" inspect --format '{{.State.ExitCode}}' "$NAME" 2>/dev/null || echo '?'
}

#--------------------------------------------------------------------------
# main
#--------------------------------------------------------------------------

[[ -f $REPO_ROOT/Dockerfile ]] || fail "no Dockerfile in $REPO_ROOT"
for v in PGHOST PGPORT PGUSER PGPASSWORD; do
    [[ -n ${!v:-} ]] || fail "$v is not set: run this inside 'pg_virtualenv -t -v 15'"
done
command -v curl >/dev/null 2>&1 || fail "curl is needed on the host"
command -v psql >/dev/null 2>&1 || fail "psql is needed on the host"

# a. engine
detect_engine

# b. image
revision=$(git -C "$REPO_ROOT" rev-parse --verify -q HEAD 2>/dev/null || echo unknown)
if [[ $ENGINE == podman ]]; then
    # --format docker: the OCI format has no HEALTHCHECK.
    build_cmd=(podman build --pull=never --format docker)
else
    build_cmd=(docker build)
fi
build_cmd+=(--build-arg "REVISION=$revision" -t "$IMAGE" "$REPO_ROOT")
log "building $IMAGE: ${build_cmd[*]}"
t0=$(now_ms)
if ! "${build_cmd[@]}" >"$WORK/build.log" 2>&1; then
    show_tail "$WORK/build.log" 120
    fail "image build failed (build log above)"
fi
build_ms=$(($(now_ms) - t0))
size_mb=$(("$("$ENGINE" image inspect --format '{{.Size}}' "$IMAGE")" / 1000000))
log "image built in $(fmt_s "$build_ms")s, ${size_mb} MB"

# The HEALTHCHECK must survive the build (podman drops it from OCI images).
if [[ $ENGINE == podman ]]; then
    hc=$(podman image inspect --format '{{.HealthCheck}}' "$IMAGE" 2>/dev/null || true)
    [[ -n $hc && $hc != '<nil>' ]] ||
        hc=$(podman image inspect --format '{{.Config.Healthcheck}}' "$IMAGE" 2>/dev/null || true)
else
    hc=$(docker image inspect --format '{{json .Config.Healthcheck}}' "$IMAGE")
fi
[[ -n $hc && $hc != '<nil>' && $hc != null && $hc == *healthcheck* ]] ||
    fail "image $IMAGE has no HEALTHCHECK (got '${hc}')"
log "HEALTHCHECK kept in the image: $hc"

# c. database and container
db_exists=$(psql -X -d "${PGDATABASE:-postgres}" -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'")
if [[ $db_exists != 1 ]]; then
    if ! psql -X -d "${PGDATABASE:-postgres}" -qc "CREATE DATABASE $DB_NAME" 2>"$WORK/psql.log"; then
        grep -q 'already exists' "$WORK/psql.log" || {
            cat "$WORK/psql.log"
            fail "cannot create database $DB_NAME"
        }
    fi
fi

PORT=$(free_port) || fail "found no free TCP port"
THIDUA_DATABASE_URL="postgresql://$(urlencode "$PGUSER"):$(urlencode "$PGPASSWORD")@127.0.0.1:${PGPORT}/${DB_NAME}"
THIDUA_PORT=$PORT
THIDUA_LISTEN_ADDRESS=127.0.0.1
THIDUA_SHUTDOWN_DEADLINE_S=$DRAIN_S
export THIDUA_DATABASE_URL THIDUA_PORT THIDUA_LISTEN_ADDRESS THIDUA_SHUTDOWN_DEADLINE_S

log "starting $NAME on 127.0.0.1:$PORT (database $DB_NAME on 127.0.0.1:$PGPORT)"
CONTAINER_CREATED=1
# Values come from the environment (-e NAME), so the password is not on a
# command line. Same hardening as deploy/compose.yaml.
"$ENGINE" run -d --name "$NAME" --network host \
    --read-only --tmpfs /tmp --cap-drop ALL --security-opt no-new-privileges \
    -e THIDUA_DATABASE_URL -e THIDUA_PORT -e THIDUA_LISTEN_ADDRESS \
    -e THIDUA_SHUTDOWN_DEADLINE_S \
    "$IMAGE" >"$WORK/run.log" 2>&1 || {
    cat "$WORK/run.log"
    fail "$ENGINE run failed"
}

# d. ready, healthy, not root, PID 1
t0=$(now_ms)
deadline=$((t0 + READY_TIMEOUT_S * 1000))
while ! curl -fsS -m 2 -o /dev/null "http://127.0.0.1:$PORT/readyz" 2>/dev/null; do
    state=$(container_state)
    case $state in
    running | created | configured | initialized) ;;
    *) fail "container $state (exit code $(container_exit_code)) before /readyz answered 200" ;;
    esac
    if (($(now_ms) > deadline)); then
        code=$(curl -sS -m 2 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/readyz" 2>&1 || true)
        fail "/readyz did not answer 200 within ${READY_TIMEOUT_S}s (last answer: $code)"
    fi
    sleep 0.5
done
log "/readyz 200 after $(fmt_s $(($(now_ms) - t0)))s"

curl -fsS -m 5 -o /dev/null "http://127.0.0.1:$PORT/healthz" || fail "/healthz did not answer 200"

if [[ $ENGINE == podman ]]; then
    podman healthcheck run "$NAME" >"$WORK/hc.log" 2>&1 || {
        cat "$WORK/hc.log"
        fail "podman healthcheck run $NAME failed"
    }
    log "podman healthcheck run: healthy"
fi
"$ENGINE" exec "$NAME" /usr/local/bin/thidua healthcheck >"$WORK/hc.log" 2>&1 || {
    cat "$WORK/hc.log"
    fail "'thidua healthcheck' inside the container failed"
}
log "thidua healthcheck in the container: exit 0"

uid=$("$ENGINE" exec "$NAME" id -u) || fail "cannot run 'id -u' in the container"
uid=${uid//[!0-9]/}
[[ -n $uid && $uid != 0 ]] || fail "exec in the container runs as uid '$uid' (must not be root)"
pid1_uid=$("$ENGINE" exec "$NAME" cat /proc/1/status | awk '/^Uid:/ { print $2 }')
[[ -n $pid1_uid && $pid1_uid != 0 ]] || fail "PID 1 runs as uid '$pid1_uid' (must not be root)"
pid1_cmd=$("$ENGINE" exec "$NAME" cat /proc/1/cmdline | tr '\0' ' ')
[[ $pid1_cmd == /usr/local/bin/thidua* ]] ||
    fail "PID 1 is '$pid1_cmd', not /usr/local/bin/thidua (CMD must be exec form)"
log "PID 1 is '${pid1_cmd% }' as uid $pid1_uid"

# The image answers in Vietnamese by default and in English on request: its
# locales and message catalogues are in place.
vi_body=$(curl -sS -m 5 -D "$WORK/vi.headers" "http://127.0.0.1:$PORT/v1/no-such-path") ||
    fail "no answer for an unknown path"
grep -qi '^Content-Language: vi' "$WORK/vi.headers" ||
    fail "an unknown path was not answered in Vietnamese: $(cat "$WORK/vi.headers")"
[[ $vi_body == *'Không tìm thấy'* ]] || fail "no Vietnamese title in: $vi_body"
en_body=$(curl -sS -m 5 -H 'Accept-Language: en' "http://127.0.0.1:$PORT/v1/no-such-path") ||
    fail "no answer in English"
[[ $en_body == *'Not Found'* ]] || fail "no English title in: $en_body"
log "answers in Vietnamese by default, English on request"

# e. graceful stop
t0=$(now_ms)
"$ENGINE" stop -t "$STOP_TIMEOUT_S" "$NAME" >/dev/null 2>"$WORK/stop.log" || {
    cat "$WORK/stop.log"
    fail "$ENGINE stop failed"
}
stop_ms=$(($(now_ms) - t0))
exit_code=$(container_exit_code)
log "stop took $(fmt_s "$stop_ms")s, exit code $exit_code"
if [[ $exit_code != 0 ]]; then
    case $exit_code in
    137) why=" (SIGKILL: did not exit within the ${STOP_TIMEOUT_S}s stop timeout)" ;;
    143) why=" (killed by SIGTERM: no graceful shutdown handler)" ;;
    *) why="" ;;
    esac
    fail "exit code $exit_code after SIGTERM$why"
fi
limit_ms=$(((DRAIN_S + 5) * 1000))
((stop_ms < limit_ms)) ||
    fail "stop took $(fmt_s "$stop_ms")s, not less than the drain deadline ${DRAIN_S}s + 5s"

# f.
RESULT_PRINTED=1
echo "container check PASSED (build $(fmt_s "$build_ms")s, stop $(fmt_s "$stop_ms")s, exit 0)"
