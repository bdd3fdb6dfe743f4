#!/usr/bin/env bash
# tests/lint_k8s.sh — the Kubernetes manifests (deploy/k8s, issue 15 §3),
# offline: yamllint on the sources (and the alerting rules), then each
# overlay rendered by kustomize (`kubectl kustomize`; Debian's
# kubernetes-client when no kubectl is installed) and every manifest checked
# against the Kubernetes API schemas and CloudNativePG's CRD schemas
# (tests/tools/validate_k8s.mjs, kubernetes-models from npm, pinned in
# tests/tools/package-lock.json) and the house rules (non-root, read-only
# root, no capabilities, seccomp, requests and limits, probes).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=deploy/packages.sh
. "$ROOT/deploy/packages.sh"
command -v yamllint >/dev/null || ensure_packages yamllint
if ! command -v kubectl >/dev/null && ! ensure_packages kubernetes-client; then
	echo "lint_k8s SKIPPED: no kubectl, and Debian's kubernetes-client did not install"
	exit 77
fi
bash "$ROOT/tests/tools/ensure.sh" >/dev/null
yamllint -c "$ROOT/deploy/k8s/.yamllint" "$ROOT/deploy/k8s" "$ROOT/deploy/monitoring" \
	"$ROOT/tests/monitoring"
for overlay in local production; do
	out=$(mktemp)
	kubectl kustomize "$ROOT/deploy/k8s/overlays/$overlay" >"$out" 2>/dev/null ||
		{ kubectl kustomize "$ROOT/deploy/k8s/overlays/$overlay"; exit 1; }
	echo "lint_k8s: overlay $overlay"
	node "$ROOT/tests/tools/validate_k8s.mjs" <"$out" || { rm -f "$out"; exit 1; }
	rm -f "$out"
done
