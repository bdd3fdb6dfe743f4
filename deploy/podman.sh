# shellcheck shell=bash
# deploy/podman.sh — podman on a Debian machine that reaches Debian's
# packages but no container registry (see shared/notes/containers.md):
# runc instead of crun, no default ulimits, and debian:bookworm-slim made
# locally with debootstrap.  Sourced by tests/container/smoke.sh and
# deploy/cluster/cluster.sh, which define:
#   log MSG          says what happens
#   skip MSG         gives up: podman cannot be made to work here
#   apt_install PKG  installs missing packages, non-zero when impossible
#   WORK             a scratch directory for the logs of the steps
#   BASE_IMAGE, BASE_SUITE   the image to make and the Debian suite
# and may read ROOTFS (the debootstrap tree while it exists) to clean up.

# Make sure podman uses runc and sets no ulimits (the sandbox caps them
# below podman's defaults). Writes /etc/containers/containers.conf when it
# does not exist; otherwise adds only the settings that no existing file
# makes, in a drop-in, and leaves other people's settings alone.
configure_podman() {
    if [[ $EUID -ne 0 ]]; then
        log "not root: leaving the podman configuration as it is"
        return 0
    fi
    local main=/etc/containers/containers.conf
    local dropdir=/etc/containers/containers.conf.d
    local files=() f content=""
    [[ -f $main ]] && files+=("$main")
    for f in "$dropdir"/*.conf; do
        [[ -f $f ]] && files+=("$f")
    done

    local has_ulimits=0 has_runtime=0
    if ((${#files[@]})); then
        grep -Eq '^[[:space:]]*default_ulimits[[:space:]]*=' "${files[@]}" && has_ulimits=1
        grep -Eq '^[[:space:]]*runtime[[:space:]]*=' "${files[@]}" && has_runtime=1
    fi
    if ((has_ulimits)); then
        grep -Eq '^[[:space:]]*default_ulimits[[:space:]]*=[[:space:]]*\[[[:space:]]*\]' "${files[@]}" ||
            log "note: podman has default_ulimits configured already; left as it is"
    else
        content+=$'[containers]\ndefault_ulimits = []\n\n'
    fi
    if ((has_runtime)); then
        grep -Eq '^[[:space:]]*runtime[[:space:]]*=[[:space:]]*"runc"' "${files[@]}" ||
            log "note: podman has another OCI runtime configured; left as it is"
    else
        content+=$'[engine]\nruntime = "runc"\n'
    fi
    [[ -n $content ]] || return 0

    local header="# Written by thidua deploy/podman.sh (see shared/notes/containers.md)."
    if [[ -e $main ]]; then
        mkdir -p "$dropdir"
        log "adding podman settings in $dropdir/50-thidua.conf"
        printf '%s\n%s' "$header" "$content" >"$dropdir/50-thidua.conf"
    else
        mkdir -p "$(dirname "$main")"
        log "writing $main"
        printf '%s\n%s' "$header" "$content" >"$main"
    fi
}

# The Debian mirror apt uses here (deb822 sources first, then sources.list).
apt_mirror() {
    local uri="" f
    f=/etc/apt/sources.list.d/debian.sources
    if [[ -r $f ]]; then
        uri=$(awk -v suite="$BASE_SUITE" '
            function flush() {
                if (!found && uris != "" && (" " suites " ") ~ (" " suite " ") &&
                    (" " types " ") ~ / deb /) {
                    split(uris, a, " "); print a[1]; found = 1
                }
                uris = ""; suites = ""; types = ""
            }
            /^[[:space:]]*$/ { flush(); next }
            /^[[:space:]]*#/ { next }
            tolower($1) == "uris:"   { $1 = ""; uris = $0 }
            tolower($1) == "suites:" { $1 = ""; suites = $0 }
            tolower($1) == "types:"  { $1 = ""; types = $0 }
            END { flush() }' "$f")
    fi
    if [[ -z $uri ]]; then
        local lists=()
        [[ -r /etc/apt/sources.list ]] && lists+=(/etc/apt/sources.list)
        for f in /etc/apt/sources.list.d/*.list; do
            [[ -r $f ]] && lists+=("$f")
        done
        if ((${#lists[@]})); then
            uri=$(sed -E -n 's/^[[:space:]]*deb[[:space:]]+(\[[^]]*\][[:space:]]+)?([^[:space:]]+)[[:space:]]+([^[:space:]]+).*/\2 \3/p' "${lists[@]}" |
                awk -v suite="$BASE_SUITE" '$2 == suite { print $1; exit }')
        fi
    fi
    [[ -n $uri ]] || return 1
    printf '%s\n' "$uri"
}

# Make docker.io/library/debian:bookworm-slim locally (nothing can be pulled
# here) unless it exists already.
ensure_base_image() {
    if podman image exists "$BASE_IMAGE"; then
        log "base image $BASE_IMAGE present (reused)"
        return 0
    fi
    [[ $EUID -eq 0 ]] || skip "base image $BASE_IMAGE is missing and making it with debootstrap needs root"
    apt_install debootstrap || skip "debootstrap is not installed and cannot be installed"
    local mirror
    mirror=$(apt_mirror) || skip "no Debian mirror for $BASE_SUITE found in the apt sources"
    ROOTFS=$(mktemp -d /var/tmp/thidua-rootfs.XXXXXX)
    log "making $BASE_IMAGE with debootstrap --variant=minbase $BASE_SUITE from $mirror"
    local t0=$SECONDS
    if ! debootstrap --variant=minbase "$BASE_SUITE" "$ROOTFS" "$mirror" >"$WORK/debootstrap.log" 2>&1; then
        tail -n 20 "$WORK/debootstrap.log" >&2
        skip "debootstrap of $BASE_SUITE from $mirror failed"
    fi
    rm -rf "$ROOTFS"/var/cache/apt/archives/*.deb "$ROOTFS"/var/lib/apt/lists/*
    if ! tar --numeric-owner -C "$ROOTFS" -c . |
        podman import --change 'CMD ["bash"]' - "$BASE_IMAGE" >"$WORK/import.log" 2>&1; then
        tail -n 20 "$WORK/import.log" >&2
        skip "podman import of the debootstrap tree failed"
    fi
    rm -rf --one-file-system "$ROOTFS"
    ROOTFS=""
    log "debootstrap + import took $((SECONDS - t0)) s"
}

# podman_prepare: podman installed and configured, the base image made; one
# setup at a time on this machine (config files, base image).
podman_prepare() {
    apt_install podman runc || skip "podman/runc not installed and cannot be installed"
    command -v podman >/dev/null 2>&1 || skip "podman not found"
    local lock=/var/lock/thidua-container-setup.lock
    [[ $EUID -eq 0 && -d /var/lock ]] || lock=$WORK/setup.lock
    exec 9>"$lock"
    flock -w 900 9 || skip "could not get the setup lock $lock"
    configure_podman
    timeout 60 podman info >/dev/null 2>"$WORK/podman-info.log" || {
        tail -n 10 "$WORK/podman-info.log" >&2
        skip "podman info fails"
    }
    ensure_base_image
    flock -u 9
}
