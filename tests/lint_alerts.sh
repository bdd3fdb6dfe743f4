#!/usr/bin/env bash
# tests/lint_alerts.sh — the alerting rules (deploy/monitoring/thidua-alerts.yml):
# valid (promtool check rules), firing as their unit tests say (promtool test
# rules, tests/monitoring/thidua-alerts.test.yml), and naming only metrics the
# service exports (a renamed metric would silence its alert for ever).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RULES="$ROOT/deploy/monitoring/thidua-alerts.yml"
command -v promtool >/dev/null || {
	echo "lint_alerts: promtool (Debian package prometheus) is required" >&2
	exit 1
}
promtool check rules "$RULES"
promtool test rules "$ROOT/tests/monitoring/thidua-alerts.test.yml"
missing=0
for m in $(grep -o 'thidua_[a-z_]*' "$RULES" | sed 's/_bucket$//' | sort -u); do
	if ! grep -rqs "\"# TYPE $m \|\"$m[{ ]\|\"$m\"" "$ROOT/service"; then
		echo "lint_alerts: $m is not a metric of the service" >&2
		missing=1
	fi
done
exit "$missing"
