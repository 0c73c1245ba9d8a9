#!/usr/bin/env bash
# compare.sh: run the shared yardstick (../shared/bench/run.sh) with `bpfguard monitor` (default
# rules) as the candidate next to floor, floor_ringbuf, bpftrace and auditd; copy the summary
# into bench/results/<stamp>/ and print the ratio table. Extra arguments go to run.sh
# (default --quick). Root. Exit status is run.sh's.
set -u -o pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
YARD=${BENCH_YARDSTICK:-$(cd "$REPO/../../shared/bench" 2>/dev/null && pwd || echo /work/shared/bench)}
[ -x "$YARD/run.sh" ] || { echo "compare.sh: error: no yardstick at $YARD (set BENCH_YARDSTICK)" >&2; exit 1; }
[ -f "$REPO/dist/src/cli/main.js" ] || { echo "compare.sh: error: not built; run make" >&2; exit 1; }
[ $# -gt 0 ] || set -- --quick

export BENCH_CANDIDATE_CMD="exec $REPO/bin/bpfguard monitor --json --duration 3600 ${BENCH_MONITOR_ARGS:-} >/dev/null"
export BENCH_CANDIDATE_READY='grep -q "sensors attached" "$BENCH_CANDIDATE_LOG"'
# The monitor's exit summary: "monitor: N events (...) in Ss; lost L (...)".
export BENCH_CANDIDATE_STATS='sed -n "s/^monitor: \([0-9]*\) events .*; lost \([0-9]*\) .*/events=\1 drops=\2/p" "$BENCH_CANDIDATE_LOG"'

out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$YARD/run.sh" --configs "${BENCH_CONFIGS:-floor,floor_ringbuf,bpftrace,auditd,candidate}" "$@" 2>&1 | tee "$out" >&2
rc=${PIPESTATUS[0]}
res=$(sed -n 's/.*done: \(.*\)$/\1/p' "$out" | tail -1)
[ -n "$res" ] && [ -d "$res" ] || { echo "compare.sh: error: run.sh failed (rc=$rc)" >&2; exit "${rc:-1}"; }
dst=$REPO/bench/results/$(basename "$res")
mkdir -p "$dst"
cp -r "$res"/summary.md "$res"/summary.json "$res"/raw.csv "$res"/agents.csv "$res"/meta.json "$dst"/
cp "$res"/logs/candidate-rep*.log "$dst"/ 2>/dev/null
echo "compare.sh: results in $dst" >&2
cat "$dst/summary.md"
exit "$rc"
