#!/usr/bin/env bash
# Installs what bpfguard needs on a Debian/Ubuntu host (idempotent), then builds it.
#   --test   also what the tests need (a real Prometheus server, systemd-analyze, the containers' seccomp profile, openssl, chromium)
#   --bench  also the shared yardstick's reference tools (bench/compare.sh)
set -euo pipefail
cd "$(dirname "$0")/.."

# Build and run: libseccomp-dev for the sandbox launcher (bpfguard sandbox).
PKGS=(clang llvm libbpf-dev bpftool libelf-dev zlib1g-dev make g++ pkg-config python3 iproute2 libcap2-bin sudo libseccomp-dev)
# prometheus: test/kernel/metrics.test.ts scrapes the monitor with a real server; systemd: systemd-analyze verify of
# packaging/bpfguard.service; golang-github-containers-common: /usr/share/containers/seccomp.json for the sandbox tests;
# openssl: the webhook TLS tests make their certificates; kmod: insmod/rmmod/modinfo for test/kernel/kernel-sensor.test.ts;
# gdb, strace: test/kernel/inject.test.ts attaches them to a running process and runs its own program under them;
# curl: test/kernel/exec-story.test.ts pipes a download from a loopback python3 http.server into sh;
# procps: sysctl -w in test/kernel/rules-file.test.ts; chromium: test/browser/ opens the HTML report in it (driven by
# playwright-core, which never downloads a browser); podman, runc, busybox-static: real containers for the container tests
# (test/helpers/podman.ts imports a busybox rootfs offline); iptables: podman's default network; auditd: auditctl for
# test/kernel/audit-ctl.test.ts (it deletes and disables audit rules and restores them; it may start the auditd daemon
# where systemd runs, which the test does not depend on).
TEST_PKGS=(prometheus systemd golang-github-containers-common openssl chromium kmod gdb strace curl procps podman runc busybox-static iptables auditd)
BENCH_PKGS=(bpftrace auditd stress-ng liburing-dev)
for arg in "$@"; do
	case "$arg" in
	--test) PKGS+=("${TEST_PKGS[@]}") ;;
	--bench) PKGS+=("${BENCH_PKGS[@]}") ;;
	*) echo "setup: unknown option '$arg' (expected --test or --bench)" >&2; exit 2 ;;
	esac
done
missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "setup: missing packages (${missing[*]}); run as root to install them" >&2
		exit 1
	fi
	echo "setup: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Classic tracepoints (doctor's probe, the shared bench) need tracefs; bpfguard's sensors use tp_btf and do not.
if [ "$(id -u)" -eq 0 ] && [ -d /sys/kernel/tracing ] && [ ! -e /sys/kernel/tracing/events ]; then
	mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null || echo "setup: could not mount tracefs (classic tracepoints unavailable; bpfguard still works)" >&2
fi

# Deny rules pinned past the monitor (--pin, enforce list/remove; test/kernel/enforce.test.ts) need
# the BPF filesystem, which systemd mounts at boot; a bare host or container may lack it.
if [ "$(id -u)" -eq 0 ] && [ -d /sys/fs/bpf ] && [ "$(stat -f -c %T /sys/fs/bpf 2>/dev/null)" != bpf_fs ]; then
	mount -t bpf bpf /sys/fs/bpf 2>/dev/null || echo "setup: could not mount the BPF filesystem at /sys/fs/bpf (--pin unavailable; bpfguard still works)" >&2
fi

# better-sqlite3 falls back to node-gyp when no prebuilt binary can be fetched: build it against the
# system's Node headers when they are installed (works offline), as the Makefile does for the addon.
if [ -z "${npm_config_nodedir:-}" ] && [ -f /usr/include/node/common.gypi ]; then
	export npm_config_nodedir=/usr
fi
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
	npm ci --no-audit --no-fund
fi
make -s all
