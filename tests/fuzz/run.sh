#!/usr/bin/env bash
# tests/fuzz/run.sh [SECONDS] — builds the libFuzzer targets with clang (ASan +
# UBSan) and runs each for SECONDS from its seed corpus: fuzz_inputs (request
# inputs, corpus/), fuzz_csv (the CSV import reader, corpus_csv/) and
# fuzz_bodies (JSON bodies through the plan validation, corpus_bodies/) and
# fuzz_rules (rule sets through the eligibility engine, corpus_rules/).  Long
# runs by hand: tests/fuzz/run.sh 3600.  Exits 77 (skipped) without clang.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SECONDS_TO_RUN=${1:-20}
OUT="$ROOT/build-fuzz"
if ! command -v clang >/dev/null 2>&1 || ! ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1; then
	echo "fuzz check SKIPPED: clang with libFuzzer (clang, libclang-rt-14-dev) is not installed"
	exit 77
fi
mkdir -p "$OUT/corpus" "$OUT/corpus_csv" "$OUT/corpus_bodies" "$OUT/corpus_rules"
cp -n "$ROOT"/tests/fuzz/corpus/* "$OUT/corpus/" 2>/dev/null || true
cp -n "$ROOT"/tests/fuzz/corpus_csv/* "$OUT/corpus_csv/" 2>/dev/null || true
cp -n "$ROOT"/tests/fuzz/corpus_bodies/* "$OUT/corpus_bodies/" 2>/dev/null || true
cp -n "$ROOT"/tests/fuzz/corpus_rules/* "$OUT/corpus_rules/" 2>/dev/null || true
# The dispatcher's helpers pull in the authorization hook, hence domain/ and auth/,
# and the registry of answers and languages (answers/).
# shellcheck disable=SC2046
clang -std=c17 -g -O1 -D_GNU_SOURCE -DTHIDUA_VERSION='"fuzz"' -DTHIDUA_COMMIT='"fuzz"' \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-I"$ROOT/service" $(pkg-config --cflags libulfius jansson libcrypto libsodium) \
	"$ROOT/tests/fuzz/fuzz_inputs.c" "$ROOT"/service/http/{router,query,call,dispatch,form,problem,log,metrics,auth,conditional,proxy}.c \
	"$ROOT"/service/answers/*.c \
	"$ROOT"/service/domain/*.c "$ROOT"/service/auth/*.c "$ROOT/service/config.c" \
	$(pkg-config --libs libulfius libmicrohttpd jansson libcrypto libsodium) -o "$OUT/fuzz_inputs"
# shellcheck disable=SC2046
clang -std=c17 -g -O1 -D_GNU_SOURCE -DTHIDUA_VERSION='"fuzz"' -DTHIDUA_COMMIT='"fuzz"' \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-I"$ROOT/service" $(pkg-config --cflags libulfius jansson libcrypto libsodium) \
	"$ROOT/tests/fuzz/fuzz_bodies.c" "$ROOT/service/api/plan_body.c" \
	"$ROOT"/service/http/{validate,router,query,call,dispatch,form,problem,log,metrics,auth,proxy}.c \
	"$ROOT"/service/answers/*.c \
	"$ROOT"/service/domain/*.c "$ROOT"/service/auth/*.c "$ROOT/service/config.c" \
	$(pkg-config --libs libulfius libmicrohttpd jansson libcrypto libsodium) -lm -o "$OUT/fuzz_bodies"
clang -std=c17 -g -O1 -D_GNU_SOURCE -Wall -Wextra -Werror \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-I"$ROOT/service" "$ROOT/tests/fuzz/fuzz_csv.c" "$ROOT/service/domain/csv.c" \
	-o "$OUT/fuzz_csv"
# shellcheck disable=SC2046
clang -std=c17 -g -O1 -D_GNU_SOURCE -Wall -Wextra -Werror \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-I"$ROOT/service" $(pkg-config --cflags jansson) "$ROOT/tests/fuzz/fuzz_rules.c" \
	"$ROOT"/service/domain/{eligibility,eligibility_rules,eligibility_codes,targets,calendar}.c \
	$(pkg-config --libs jansson) -o "$OUT/fuzz_rules"

# run TARGET CORPUS: a crash or an invariant failure fails the script (pipefail);
# the input that caused it is kept as $OUT/crash-*.
run() {
	echo "== $1 for ${SECONDS_TO_RUN}s"
	"$OUT/$1" -max_total_time="$SECONDS_TO_RUN" -max_len=4096 -artifact_prefix="$OUT/" \
		-print_final_stats=1 "$OUT/$2" 2>&1 | tail -n 12
}
run fuzz_inputs corpus
run fuzz_csv corpus_csv
run fuzz_bodies corpus_bodies
run fuzz_rules corpus_rules
