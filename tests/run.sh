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
ensure_packages $THIDUA_PKGS_BUILD $THIDUA_PKGS_RUN $THIDUA_PKGS_TEST $THIDUA_PKGS_CLUSTER
ensure_locales
ensure_node

# A plain debug build for valgrind (which cannot run ASan binaries) ...
VGBUILD="$ROOT/build-valgrind"
cmake -S "$ROOT" -B "$VGBUILD" -DCMAKE_BUILD_TYPE=Debug -DTHIDUA_TESTS=OFF >/dev/null
cmake --build "$VGBUILD" -j"$(nproc)" --target thidua
# ... and the sanitizer build the tests use.
BUILD="$ROOT/build-test"
cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Debug -DTHIDUA_SANITIZE=ON \
	-DTHIDUA_VALGRIND_BIN="$VGBUILD/thidua" >/dev/null
cmake --build "$BUILD" -j"$(nproc)"

# pg_virtualenv leaves its cluster files in the working directory's tmp; run
# from a neutral place.  -t keeps the cluster in a temporary directory.
cd /tmp
exec pg_virtualenv -t -v 15 ctest --test-dir "$BUILD" --output-on-failure \
	-j"$(nproc)" "$@"
