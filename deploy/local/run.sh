#!/usr/bin/env bash
# deploy/local/run.sh — run thidua locally with demo data, from a fresh
# Debian bookworm machine (as root or with sudo).
#
# Installs what is missing, builds (Release), starts a local PostgreSQL 15
# cluster "thidua" whose data is kept between runs (unless
# THIDUA_DATABASE_URL is set, then that database is used), applies the
# migrations, loads the demo data from db/seed/ (idempotent), and serves on
# http://127.0.0.1:8080 (THIDUA_PORT to change).  Ctrl-C stops the service
# and leaves the cluster running; `pg_ctlcluster 15 thidua stop` stops it.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=deploy/packages.sh
. "$ROOT/deploy/packages.sh"

# shellcheck disable=SC2086
ensure_packages $THIDUA_PKGS_BUILD $THIDUA_PKGS_RUN
ensure_locales

cmake -S "$ROOT" -B "$ROOT/build" -DCMAKE_BUILD_TYPE=Release -DTHIDUA_TESTS=OFF >/dev/null
cmake --build "$ROOT/build" -j"$(nproc)" --target thidua

CLUSTER_PORT=${THIDUA_LOCAL_PG_PORT:-5544}
if [ -z "${THIDUA_DATABASE_URL:-}" ]; then
	if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -qx "15 thidua"; then
		echo "==> creating PostgreSQL cluster 15/thidua on port $CLUSTER_PORT"
		as_root pg_createcluster 15 thidua --port "$CLUSTER_PORT" >/dev/null
	fi
	CLUSTER_PORT=$(pg_lsclusters -h | awk '$1=="15" && $2=="thidua" {print $3}')
	if ! pg_lsclusters -h | awk '$1=="15" && $2=="thidua" {print $4}' | grep -q online; then
		as_root pg_ctlcluster 15 thidua start
	fi
	# the role and database are created once; the password is local-only
	as_root runuser -u postgres -- psql -p "$CLUSTER_PORT" -Xq -v ON_ERROR_STOP=1 <<'SQL'
SELECT 'CREATE ROLE thidua LOGIN PASSWORD ''thidua'''
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'thidua') \gexec
SELECT 'CREATE DATABASE thidua OWNER thidua'
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'thidua') \gexec
SQL
	export THIDUA_DATABASE_URL="postgresql://thidua:thidua@127.0.0.1:$CLUSTER_PORT/thidua"
fi

# A signing key kept beside the cluster, so tokens survive a restart.
STATE="${XDG_STATE_HOME:-$HOME/.local/state}/thidua"
mkdir -p "$STATE"
if [ -z "${THIDUA_JWT_PRIVATE_KEY_FILE:-}" ]; then
	if [ ! -s "$STATE/jwt-signing-key.pem" ]; then
		(umask 077 && openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
			-out "$STATE/jwt-signing-key.pem")
	fi
	export THIDUA_JWT_PRIVATE_KEY_FILE="$STATE/jwt-signing-key.pem"
fi

"$ROOT/build/thidua" migrate >/dev/null

shopt -s nullglob
seeds=("$ROOT"/db/seed/*.sql)
for f in "${seeds[@]}"; do
	echo "==> loading demo data: $(basename "$f")"
	psql "$THIDUA_DATABASE_URL" -Xq -v ON_ERROR_STOP=1 -1 -f "$f" >/dev/null
done
[ ${#seeds[@]} -gt 0 ] || echo "==> no demo data files in db/seed/ yet"

PORT=${THIDUA_PORT:-8080}
cat <<MSG

  thidua is starting on http://127.0.0.1:$PORT
  API reference:   http://127.0.0.1:$PORT/docs
  Readiness:       http://127.0.0.1:$PORT/readyz
  Demo login:      user quantri (admin), vanphong.tdkt (secretariat),
                   truongban (leader), hoidong (council), truongphong.qldt
                   (unit head), nhanvien.qldt (staff), ubnd.tinh (viewer);
                   password Demo@2022-thidua for all (README.md has more).
  Get a token:     curl -s http://127.0.0.1:$PORT/v1/auth/token \\
                     -H 'Content-Type: application/json' \\
                     -d '{"grant_type":"password","username":"quantri","password":"Demo@2022-thidua"}'
  Stop with Ctrl-C.

MSG
export THIDUA_PORT=$PORT
exec "$ROOT/build/thidua"
