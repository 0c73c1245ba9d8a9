#!/usr/bin/env bash
# Installs what bpfguard needs (scripts/setup.sh), then runs every test: unit, BPF and real-kernel.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
make test
