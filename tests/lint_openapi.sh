#!/usr/bin/env bash
# Lint the API contract (api-spec/openapi.yaml) with Redocly CLI.
#
# The CLI version is pinned in tests/tools/package-lock.json; it is installed
# with `npm ci` into tests/tools/node_modules (not committed) when that folder
# is missing or the lock file changed since the last install. Rules come from
# redocly.yaml at the repository root. Any error or warning fails the run:
# the document is kept at zero warnings, and a rule that is wrong for us is
# turned off in redocly.yaml with the reason, not ignored here.
#
# Usage: tests/lint_openapi.sh   (from anywhere; needs node >= 20.19 and npm)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "${here}/.." && pwd)"
tools="${here}/tools"
spec="api-spec/openapi.yaml"

# Redocly must not phone home or print update notices in CI.
export REDOCLY_TELEMETRY=off
export REDOCLY_SUPPRESS_UPDATE_NOTICE=true
export NO_UPDATE_NOTIFIER=1

for cmd in node npm sha256sum; do
	if ! command -v "${cmd}" >/dev/null 2>&1; then
		echo "lint_openapi: '${cmd}' not found (install Node.js >= 20.19 with npm)" >&2
		exit 2
	fi
done

# Install the pinned tools when missing or when the lock changed.
bash "${tools}/ensure.sh"

redocly="${tools}/node_modules/.bin/redocly"
cd "${root}"

out="$(mktemp)"
trap 'rm -f "${out}"' EXIT

status=0
"${redocly}" lint "${spec}" --format=stylish --lint-config=error >"${out}" 2>&1 || status=$?
cat "${out}"

if [[ ${status} -ne 0 ]]; then
	echo "lint_openapi: FAILED (redocly exit status ${status})" >&2
	exit 1
fi
# Redocly exits 0 on warnings; we do not accept them.
if grep -Eq '^[[:space:]]*[0-9]+:[0-9]+[[:space:]]+warning[[:space:]]|You have [0-9]+ warnings?' "${out}"; then
	echo "lint_openapi: FAILED (warnings; fix them, or turn the rule off in redocly.yaml with the reason)" >&2
	exit 1
fi
echo "lint_openapi: OK (${spec}: no errors, no warnings)"
