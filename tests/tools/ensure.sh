#!/usr/bin/env bash
# tests/tools/ensure.sh — installs the pinned Node tools of the test suite
# (tests/tools/package-lock.json: Redocly CLI for the contract's lint;
# openapi-typescript, openapi-fetch and TypeScript for the generated
# client) into tests/tools/node_modules when they are missing or the lock
# changed since the last install.  Needs node >= 20.19 and npm.
set -euo pipefail
tools="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export NO_UPDATE_NOTIFIER=1
for cmd in node npm sha256sum; do
	if ! command -v "${cmd}" >/dev/null 2>&1; then
		echo "tests/tools: '${cmd}' not found (install Node.js >= 20.19 with npm)" >&2
		exit 2
	fi
done
stamp="${tools}/node_modules/.thidua-lock.sha256"
want="$(cd "${tools}" && sha256sum package.json package-lock.json)"
have=""
if [[ -f "${stamp}" ]]; then
	have="$(cat "${stamp}")"
fi
if [[ ! -d "${tools}/node_modules" || "${want}" != "${have}" ]]; then
	echo "tests/tools: installing pinned tools (npm ci)"
	(cd "${tools}" && npm ci --no-audit --no-fund --loglevel=error)
	printf '%s\n' "${want}" >"${stamp}"
fi
