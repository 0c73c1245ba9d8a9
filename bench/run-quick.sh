#!/usr/bin/env bash
# Quick versions of every bpfguard benchmark (root). Results as JSON lines on stdout.
# A storm that loses events the kernel counted reports the loss; only real errors (a bench that
# crashes, events neither delivered nor counted, a missing alert) make the exit status non-zero,
# and every bench runs even when an earlier one failed.
set -uo pipefail
cd "$(dirname "$0")/.."
rc=0
failed=()
step() {
	"$@" || { echo "run-quick: $* failed (exit $?)" >&2; rc=1; failed+=("$*"); }
}
STREAM=${BENCH_STREAM:-/tmp/bpfguard-stream.bin}
step node dist/bench/exec-storm.js "${BENCH_SECONDS:-5}" "${BENCH_WORKERS:-2}"
step node dist/bench/setuid-storm.js "${BENCH_SECONDS:-2}" "${BENCH_WORKERS:-1}" "${BENCH_ROUNDS:-3}"
step node dist/bench/open-storm.js "${BENCH_OPEN_ITER:-200000}" "${BENCH_WORKERS:-2}" "${BENCH_ROUNDS:-3}"
step node dist/bench/connect-storm.js "${BENCH_SECONDS:-5}" 2
step node dist/bench/record.js "$STREAM" 2
step node dist/bench/hotpath.js "$STREAM" "${BENCH_HOTPATH_EVENTS:-1000000}"
step env BENCH_HOTPATH_ALL=1 node dist/bench/hotpath.js "$STREAM" "${BENCH_HOTPATH_EVENTS:-1000000}"
step node dist/bench/latency.js "${BENCH_PROBES:-100}" 20
step node dist/bench/churn.js "${BENCH_CHURN_S:-60}" 1
step node dist/bench/webhook-outage.js "${BENCH_OUTAGE_S:-5}" 1000
step node dist/bench/regex.js "${BENCH_ROUNDS:-3}" 1000
step node dist/bench/sandbox.js "${BENCH_OPEN_ITER:-200000}" "${BENCH_ROUNDS:-3}"
if [ "$rc" -ne 0 ]; then
	echo "run-quick: ${#failed[@]} benchmark(s) failed:" >&2
	printf '  %s\n' "${failed[@]}" >&2
else
	echo "run-quick: every benchmark passed" >&2
fi
exit $rc
