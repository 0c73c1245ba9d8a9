#!/usr/bin/env bash
# bench/hooks-floor/run.sh [REPS] [SECONDS]: what the hooks alone cost on the yardstick's io_uring
# workload (../shared/bench/src/wl_uring.c: through io_uring, open /etc/hostname, read it 8 times,
# close it), against no BPF at all. Arms, interleaved in each rep:
#   uring-empty      empty programs on io_uring_submit_req and io_uring_complete
#   uring+sys-empty  the same plus empty programs on sys_enter and sys_exit (bpfguard's dispatcher)
#   monitor          bpfguard monitor with the default rules
# Prints each arm's ratio to the bare run of its rep, median over reps. The yardstick's floor has no io_uring
# hook, so an agent that watches io_uring requests on tracepoints pays at least uring-empty.
# Root; needs clang, libbpf-dev, liburing-dev and `make` done (build/vmlinux.h, bin/bpfguard).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
YARD=${BENCH_YARDSTICK:-$(cd "$REPO/../../shared/bench" 2>/dev/null && pwd || echo /work/shared/bench)}
REPS=${1:-3}
DUR=${2:-3}
[ "$(id -u)" = 0 ] || { echo "hooks-floor: error: run as root" >&2; exit 1; }
[ -f "$YARD/src/wl_uring.c" ] || { echo "hooks-floor: error: no yardstick workload at $YARD/src (set BENCH_YARDSTICK)" >&2; exit 1; }
[ -f "$REPO/build/vmlinux.h" ] && [ -f "$REPO/dist/src/cli/main.js" ] || { echo "hooks-floor: error: not built; run make" >&2; exit 1; }
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
clang -g -O2 -target bpf -I"$REPO/build" -c "$HERE/floor.bpf.c" -o "$W/floor.bpf.o"
gcc -O2 -o "$W/loader" "$HERE/loader.c" -lbpf
gcc -O2 -I"$YARD/src" -o "$W/wl_uring" "$YARD/src/wl_uring.c" -luring

# start CMD… in the background, wait until its output ($W/agent.log) matches PATTERN
start() {
	local pat=$1
	shift
	"$@" >"$W/agent.log" 2>&1 &
	AGENT=$!
	for _ in $(seq 120); do grep -q "$pat" "$W/agent.log" && return 0; sleep 0.5; done
	echo "hooks-floor: error: $* did not become ready: $(tail -3 "$W/agent.log")" >&2
	exit 1
}
stop() { kill -TERM "$AGENT" 2>/dev/null; wait "$AGENT" 2>/dev/null || true; }

# each arm's ratio to the bare run of the same rep (the VM drifts between reps), median over reps
declare -A R
ARMS=(uring-empty uring+sys-empty monitor)
for rep in $(seq "$REPS"); do
	base=$("$W/wl_uring" "$DUR")
	echo "rep $rep bare $base ops/s" >&2
	for arm in "${ARMS[@]}"; do
		case $arm in
		uring-empty) start ready "$W/loader" "$W/floor.bpf.o" hf_uring_submit hf_uring_complete ;;
		uring+sys-empty) start ready "$W/loader" "$W/floor.bpf.o" ;;
		monitor) start 'sensors attached' "$REPO/bin/bpfguard" monitor --json --duration 3600 ;;
		esac
		sleep 1
		ops=$("$W/wl_uring" "$DUR")
		stop
		R[$arm]+="$(echo "$ops / $base" | bc -l) "
		echo "rep $rep $arm $ops ops/s" >&2
	done
done
median() { tr ' ' '\n' | grep . | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
printf '%-16s %s\n' arm 'ratio to bare (median of reps)'
for arm in "${ARMS[@]}"; do printf '%-16s %.3f\n' "$arm" "$(echo "${R[$arm]}" | median)"; done
