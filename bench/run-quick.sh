#!/usr/bin/env bash
# Quick versions of every bpfguard benchmark (root). Results as JSON lines on stdout.
set -euo pipefail
cd "$(dirname "$0")/.."
node dist/bench/exec-storm.js "${BENCH_SECONDS:-5}" "${BENCH_WORKERS:-2}"
node dist/bench/webhook-outage.js "${BENCH_OUTAGE_S:-5}" 1000
