#!/usr/bin/env bash
# tests/lint_c.sh BUILD_DIR — the C sources are formatted, and cppcheck and
# clang-tidy find nothing in them.
#
# 1. clang-format --dry-run --Werror (.clang-format) on every C file of
#    service/, tests/unit/, tests/fuzz/ and bench/: a file that would change
#    fails, so a shredding of SQL literals cannot slip in unseen (statements
#    are fenced with clang-format off/on);
# 2. cppcheck (warning, performance, portability) on service/;
# 3. clang-tidy (.clang-tidy: bugprone, cert, clang-analyzer, with the noise
#    disabled and said why) on every file of service/, with the compile
#    commands of BUILD_DIR.
# Zero findings, or the test fails.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:?usage: tests/lint_c.sh BUILD_DIR}
cd "$ROOT"
fail=0

mapfile -t files < <(git ls-files 'service/*.c' 'service/*.h' 'tests/unit/*.c' \
	'tests/unit/*.h' 'tests/fuzz/*.c' 'bench/*.c' 'bench/*.h' 2>/dev/null ||
	find service tests/unit tests/fuzz bench -name '*.[ch]')
unformatted=()
for f in "${files[@]}"; do
	clang-format --dry-run --Werror "$f" >/dev/null 2>&1 || unformatted+=("$f")
done
if ((${#unformatted[@]})); then
	echo "clang-format would change: ${unformatted[*]}"
	echo "(run: clang-format -i FILE; statements made of string literals go between"
	echo " /* clang-format off */ and /* clang-format on */)"
	fail=1
fi
echo "lint_c: clang-format: ${#files[@]} files, ${#unformatted[@]} to format"

if ! cppcheck --enable=warning,performance,portability --std=c11 --quiet --inline-suppr \
	--error-exitcode=1 --library=tests/lint/thidua.cfg -I service -D_GNU_SOURCE \
	--suppress=missingIncludeSystem service; then
	fail=1
fi
echo "lint_c: cppcheck done"

mapfile -t units < <(find service -name '*.c' | LC_ALL=C sort)
out=$(printf '%s\n' "${units[@]}" | xargs -P "$(nproc)" -n 6 clang-tidy -p "$BUILD" --quiet \
	2>/dev/null | grep -E '^[^ ].*: (warning|error):' || true)
if [ -n "$out" ]; then
	echo "$out"
	fail=1
fi
echo "lint_c: clang-tidy: ${#units[@]} files, $(printf '%s' "$out" | grep -c . || true) findings"
exit $fail
