#!/usr/bin/env bash
# tests/fuzz/run.sh [SECONDS] — builds the libFuzzer target with clang (ASan +
# UBSan) and runs it for a short, bounded time from the seed corpus.  Long
# runs by hand: tests/fuzz/run.sh 3600.  Exits 77 (skipped) without clang.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SECONDS_TO_RUN=${1:-20}
OUT="$ROOT/build-fuzz"
if ! command -v clang >/dev/null 2>&1 || ! ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1; then
	echo "fuzz check SKIPPED: clang with libFuzzer (clang, libclang-rt-14-dev) is not installed"
	exit 77
fi
mkdir -p "$OUT/corpus"
cp -n "$ROOT"/tests/fuzz/corpus/* "$OUT/corpus/" 2>/dev/null || true
# shellcheck disable=SC2046
clang -std=c17 -g -O1 -D_GNU_SOURCE -DTHIDUA_VERSION='"fuzz"' -DTHIDUA_COMMIT='"fuzz"' \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-I"$ROOT/service" $(pkg-config --cflags libulfius jansson) \
	"$ROOT/tests/fuzz/fuzz_inputs.c" "$ROOT/service/http/router.c" \
	"$ROOT/service/http/call.c" "$ROOT/service/http/problem.c" \
	"$ROOT/service/http/log.c" "$ROOT/service/http/metrics.c" \
	"$ROOT/service/http/auth.c" "$ROOT/service/domain/calendar.c" "$ROOT/service/config.c" \
	$(pkg-config --libs libulfius jansson) -o "$OUT/fuzz_inputs"
"$OUT/fuzz_inputs" -max_total_time="$SECONDS_TO_RUN" -max_len=4096 \
	-print_final_stats=1 "$OUT/corpus" 2>&1 | tail -n 12
