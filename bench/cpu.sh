# shellcheck shell=bash
# bench/cpu.sh — sourced by run.sh and mhd_modes.sh.
#
# Tells whether something else ran on the (shared, 2-core) machine during a
# measured run: CPU time used by the whole machine minus the time used by
# the processes under test (server, its PostgreSQL) and by the reaped
# children of this shell (wrk), as a percentage of the machine's capacity
# over the run.
#
#   cpu_probe_start SERVER_PID [POSTMASTER_PID [PEER_PID]]   before the run
#   wrk ...                   run in the foreground of this shell
#   cpu_probe_end             after it: sets CPU_OTHER_PCT (integer)
#   cpu_wait_quiet MAX_S      before a run: wait for the machine to be idle
#
# The processes under test (cpu_tested_pids) are listed at both ends,
# because they change during a run: a pool opens a connection, and
# PostgreSQL forks its backend, when the load first needs it. A process
# listed only at the end started during the run, so all of its CPU time is
# the run's; one listed only at the start has exited, and its last ticks
# are lost (counted as other: the error errs towards "noisy").

CPU_CLK_TCK=$(getconf CLK_TCK)
CPU_NPROC=$(nproc)
CPU_TIMES_FILE=$(mktemp "${TMPDIR:-/tmp}/bench-times.XXXXXX")

# Busy ticks of the whole machine (steal counts: the CPU was not ours).
_cpu_busy() {
	local _c u n s _i _w q sq st _r
	read -r _c u n s _i _w q sq st _r </proc/stat
	echo $((u + n + s + q + sq + st))
}

# Ticks used so far by process PID (utime + stime, all its threads), or
# nothing if it has gone.
_cpu_ticks() {
	local f
	{ read -ra f <"/proc/$1/stat"; } 2>/dev/null && echo $((f[13] + f[14]))
}

# Ticks used by this shell's reaped children; `times` must run in this
# shell (a subshell starts from zero), so the result goes to a global.
_cpu_children() {
	times >"$CPU_TIMES_FILE"
	_CPU_CHILDREN=$(awk -v hz="$CPU_CLK_TCK" 'NR == 2 {
		t = 0
		for (i = 1; i <= 2; i++) { split($i, a, /[ms]/); t += a[1] * 60 + a[2] }
		printf "%d\n", t * hz
	}' "$CPU_TIMES_FILE")
}

# cpu_tested_pids SERVER_PID [POSTMASTER_PID [PEER_PID]]: the processes
# under test, one per line: the server, the cluster's postmaster with its
# children except autovacuum workers (the database's own work, not the
# requests'), and a peer the scenario needs (webhook_fanout's subscribers).
cpu_tested_pids() {
	echo "$1"
	[[ -n ${3:-} ]] && echo "$3"
	[[ -n ${2:-} ]] || return 0
	echo "$2"
	ps -o pid=,args= --ppid "$2" | awk '!/autovacuum worker/ { print $1 }' || true
}

declare -A _CPU_AT_START=()
_CPU_TESTED=()

cpu_probe_start() {
	local p t pids
	_CPU_TESTED=("$@")
	_CPU_AT_START=()
	mapfile -t pids < <(cpu_tested_pids "$@")
	for p in "${pids[@]}"; do
		t=$(_cpu_ticks "$p") && _CPU_AT_START[$p]=$t
	done
	_CPU_T0=$(date +%s%N)
	_CPU_B0=$(_cpu_busy)
	_cpu_children
	_CPU_C0=$_CPU_CHILDREN
}

cpu_probe_end() {
	local b1 ns p t pids ours=0
	b1=$(_cpu_busy)
	mapfile -t pids < <(cpu_tested_pids "${_CPU_TESTED[@]}")
	for p in "${pids[@]}"; do
		t=$(_cpu_ticks "$p") || continue
		ours=$((ours + t - ${_CPU_AT_START[$p]:-0}))
	done
	_cpu_children
	ns=$(($(date +%s%N) - _CPU_T0))
	# shellcheck disable=SC2034 # read by the sourcing script
	CPU_OTHER_PCT=$(awk -v b=$((b1 - _CPU_B0 - ours - (_CPU_CHILDREN - _CPU_C0))) \
		-v ns="$ns" -v hz="$CPU_CLK_TCK" -v cpus="$CPU_NPROC" \
		'BEGIN { c = ns / 1e9 * hz * cpus; p = c > 0 ? 100 * b / c : 0; printf "%d", p < 0 ? 0 : p }')
}

# cpu_wait_quiet MAX_S: waits (at most MAX_S seconds) until the machine has
# been at most 10 % busy over one second, so that a run does not start in
# the middle of someone else's build. Returns 1 if it never got quiet.
cpu_wait_quiet() {
	local max=$1 start=$SECONDS a b i1 i2 _c u n s i w q sq st _r
	while :; do
		read -r _c u n s i w q sq st _r </proc/stat
		a=$((u + n + s + q + sq + st)) i1=$((i + w))
		sleep 1
		read -r _c u n s i w q sq st _r </proc/stat
		b=$((u + n + s + q + sq + st)) i2=$((i + w))
		# busy ticks vs idle ticks over the second
		if (((b - a) * 9 <= (i2 - i1))); then return 0; fi
		((SECONDS - start < max)) || return 1
	done
}
