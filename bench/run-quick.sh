#!/usr/bin/env bash
# Quick versions of every bpfguard benchmark (root). Results as JSON lines on stdout.
set -euo pipefail
cd "$(dirname "$0")/.."
node dist/bench/exec-storm.js "${BENCH_SECONDS:-5}" "${BENCH_WORKERS:-2}"
node dist/bench/setuid-storm.js "${BENCH_SECONDS:-2}" "${BENCH_WORKERS:-1}" "${BENCH_ROUNDS:-3}"
node dist/bench/open-storm.js "${BENCH_OPEN_ITER:-200000}" "${BENCH_WORKERS:-2}" "${BENCH_ROUNDS:-3}"
node dist/bench/connect-storm.js "${BENCH_SECONDS:-5}" 2
node dist/bench/webhook-outage.js "${BENCH_OUTAGE_S:-5}" 1000
