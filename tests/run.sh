#!/usr/bin/env bash
# tests/run.sh — every test of thidua, from a fresh Debian bookworm machine.
#
# Installs what is missing, builds with AddressSanitizer and
# UndefinedBehaviorSanitizer, then runs CTest inside pg_virtualenv (a
# throwaway PostgreSQL 15 cluster, also as root): unit tests, API tests
# against the real binary, the OpenAPI lint and the container smoke test
# (skipped, and said so, where no container engine can run).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=deploy/packages.sh
. "$ROOT/deploy/packages.sh"

# shellcheck disable=SC2086
ensure_packages $THIDUA_PKGS_BUILD $THIDUA_PKGS_RUN $THIDUA_PKGS_TEST
ensure_node

BUILD="$ROOT/build-test"
cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Debug -DTHIDUA_SANITIZE=ON >/dev/null
cmake --build "$BUILD" -j"$(nproc)"

# pg_virtualenv leaves its cluster files in the working directory's tmp; run
# from a neutral place.  -t keeps the cluster in a temporary directory.
cd /tmp
exec pg_virtualenv -t -v 15 ctest --test-dir "$BUILD" --output-on-failure \
	-j"$(nproc)" "$@"
