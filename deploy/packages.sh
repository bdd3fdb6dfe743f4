# shellcheck shell=bash disable=SC2034
# deploy/packages.sh — the Debian packages thidua needs, and how to get them.
#
# Sourced by deploy/local/run.sh, tests/run.sh and bench/run.sh so that the
# lists live in one place.  ensure_packages installs only what dpkg says is
# missing, so a second run does no network work.  The Dockerfile keeps its own
# list (build stage = BUILD, runtime stage = the matching runtime libraries).

THIDUA_PKGS_BUILD="build-essential cmake pkg-config git libulfius-dev libjansson-dev \
libpq-dev libmicrohttpd-dev libyaml-dev libssl-dev libsodium-dev \
libxlsxwriter-dev libpango1.0-dev libcairo2-dev libxml2-dev libcurl4-gnutls-dev gettext"
THIDUA_PKGS_RUN="postgresql-15 postgresql-client-15 postgresql-common curl ca-certificates openssl \
locales fonts-liberation2 libxml2"
# The locales whose LC_MESSAGES select the service's catalogues (one per
# language it answers in; see service/answers/lang.c).
THIDUA_LOCALES="vi_VN.UTF-8 en_US.UTF-8"
THIDUA_PKGS_TEST="libcmocka-dev libjwt-dev unzip python3 prometheus pgbouncer clang libclang-rt-14-dev valgrind \
clang-format clang-tidy cppcheck poppler-utils libxml2-utils python3-jsonschema yamllint"
# The production shape of deploy/cluster/cluster.sh (and its tests): Patroni
# with etcd, PgBouncer, HAProxy, pgBackRest; nftables cuts a replica off.
THIDUA_PKGS_CLUSTER="patroni etcd-server etcd-client haproxy pgbouncer pgbackrest nftables \
prometheus prometheus-postgres-exporter prometheus-pgbouncer-exporter"
# libxml2-utils (xmllint) and python3-jsonschema: tests/api/feed_check.py
# validates the news feeds against tests/fixtures/atom.rng (RFC 4287) and
# tests/fixtures/jsonfeed-1.1.schema.json.

as_root() {
	if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# ensure_packages PKG... — installs the missing ones with apt-get.
ensure_packages() {
	local missing=() p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
			missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	echo "==> installing: ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	if ! as_root apt-get install -y -q --no-install-recommends "${missing[@]}"; then
		as_root apt-get update -q
		as_root apt-get install -y -q --no-install-recommends "${missing[@]}"
	fi
}

# ensure_locales — generates THIDUA_LOCALES where they are missing (needs
# the locales package; locale-gen keeps the ones already listed).
ensure_locales() {
	local missing=() l have
	have=$(locale -a 2>/dev/null | tr '[:upper:]' '[:lower:]' | sed 's/utf-8/utf8/')
	for l in $THIDUA_LOCALES; do
		grep -qx "$(echo "$l" | tr '[:upper:]' '[:lower:]' | sed 's/utf-8/utf8/')" \
			<<<"$have" || missing+=("$l")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	echo "==> generating locales: ${missing[*]}"
	for l in "${missing[@]}"; do
		as_root sed -i "s/^# *\($l UTF-8\)/\1/" /etc/locale.gen
		grep -q "^$l UTF-8" /etc/locale.gen || echo "$l UTF-8" | as_root tee -a /etc/locale.gen >/dev/null
	done
	as_root locale-gen >/dev/null
}

# ensure_node — Node.js and npm for the OpenAPI linter (Debian's if none).
ensure_node() {
	if ! command -v npm >/dev/null 2>&1; then
		ensure_packages nodejs npm
	fi
}
