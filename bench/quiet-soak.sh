#!/usr/bin/env bash
# Quiet-system soak (root): `bpfguard monitor --json` with the default rules while ordinary mixed
# activity runs (a C build, dpkg/apt-cache queries, shell use, git, reads of /etc files, python
# scripts). Prints one JSON line: duration, rounds of activity, alerts, and every alert's rule,
# process and file or destination. Exit 1 when an alert came from the soak's own activity (a false
# alert of the default rules); alerts from other processes on the host are listed apart. The soak's
# processes are known through one extra tracer rule (every exec below this script's pid); an alert
# is the soak's when its pid and command line are a traced pair (pids are reused within minutes).
# Usage: bench/quiet-soak.sh [SECONDS]   (default 600)
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${1:-600}"
# In the home directory, where builds normally happen (a binary run from /tmp alerts by design).
WORK="$(mktemp -d "${HOME:-/root}/bg-soak.XXXXXX")"
OUT="$WORK/alerts.jsonl"
trap 'kill "$MON" 2>/dev/null || true; rm -rf "$WORK"' EXIT

# A small C project: three files and a Makefile.
project() {
	mkdir -p "$WORK/proj"
	printf 'int add(int a, int b) { return a + b; }\n' >"$WORK/proj/add.c"
	printf 'int mul(int a, int b) { int r = 0; while (b--) r += a; return r; }\n' >"$WORK/proj/mul.c"
	printf '#include <stdio.h>\nint add(int, int); int mul(int, int);\nint main(void) { printf("%%d\\n", mul(add(2, 3), 4)); return 0; }\n' >"$WORK/proj/main.c"
	printf 'app: add.o mul.o main.o\n\tcc -o $@ $^\n%%.o: %%.c\n\tcc -O2 -Wall -c -o $@ $<\nclean:\n\trm -f *.o app\n' >"$WORK/proj/Makefile"
}

# One round of ordinary activity, all below $WORK or read-only elsewhere.
round() {
	make -s -C "$WORK/proj" clean app >/dev/null && "$WORK/proj/app" >/dev/null
	dpkg -l >/dev/null
	dpkg -S /bin/ls >/dev/null
	apt-cache policy bash coreutils >/dev/null
	apt-cache show make >/dev/null 2>&1
	bash -c 'for i in $(seq 1 20); do echo "$i" | sed s/1/x/ | grep -c x; done' >/dev/null
	sh -c 'ls -la /etc /usr/bin | wc -l; find /usr/share/doc -maxdepth 1 | head -5; ps aux | sort | tail -3' >/dev/null
	cat /etc/os-release /etc/hostname /etc/passwd /etc/group /etc/resolv.conf /etc/hosts >/dev/null 2>&1
	grep -r "nameserver" /etc/resolv.conf >/dev/null 2>&1 || true
	id >/dev/null; whoami >/dev/null; getent passwd root >/dev/null; uname -a >/dev/null
	git -C "$WORK/repo" commit -q --allow-empty -m "round $1"
	echo "$1" >>"$WORK/repo/log.txt" && git -C "$WORK/repo" add log.txt && git -C "$WORK/repo" commit -qm "log $1"
	git -C "$WORK/repo" log --oneline | head -3 >/dev/null; git -C "$WORK/repo" status --short >/dev/null
	/usr/bin/python3 -c 'import json, os, hashlib; d = {k: len(v) for k, v in os.environ.items()}; print(hashlib.sha256(json.dumps(d).encode()).hexdigest())' >/dev/null
	/usr/bin/python3 -c 'import subprocess; subprocess.run(["ls", "/tmp"], capture_output=True)' >/dev/null
	tar -C "$WORK" -czf "$WORK/proj.tgz" proj && tar -tzf "$WORK/proj.tgz" >/dev/null && rm -f "$WORK/proj.tgz"
}

project
git init -q "$WORK/repo"
git -C "$WORK/repo" config user.email soak@localhost
git -C "$WORK/repo" config user.name soak

cat >"$WORK/tracer.yaml" <<TRACER
- rule: soak tracer
  desc: marks the soak's own processes (not an alert)
  condition: evt.type in (execve, execveat, clone) and (proc.apid = $$ or proc.pid = $$)
  output: "soak process %proc.pid %proc.cmdline"
  priority: debug
TRACER
./bin/bpfguard monitor --json --throttle 0 --rules "$WORK/tracer.yaml" >"$OUT" 2>"$WORK/monitor.err" &
MON=$!
sleep 5
START=$(date +%s)
ROUNDS=0
while (($(date +%s) - START < DURATION)); do
	ROUNDS=$((ROUNDS + 1))
	(
		set +e +o pipefail # activity, not a check: a grep without a match or a closed pipe is fine
		round "$ROUNDS"
	)
	sleep 1
done
kill -INT "$MON"
wait "$MON" || true

node - "$OUT" "$DURATION" "$ROUNDS" "$WORK/monitor.err" <<'EOF'
// Classify every alert: from the soak's activity (descendants of this script) or another process.
const fs = require('node:fs');
const [out, duration, rounds, errFile] = process.argv.slice(2);
const all = fs.readFileSync(out, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const key = (a) => `${a.fields?.['proc.pid']} ${a.fields?.['proc.cmdline']}`;
const soakPids = new Set(all.filter((a) => a.rule === 'soak tracer').map(key));
const alerts = all.filter((a) => a.rule !== 'soak tracer');
const ours = (a) => soakPids.has(key(a));
const brief = (a) => ({ rule: a.rule, proc: a.fields?.['proc.name'], pid: a.fields?.['proc.pid'], file: a.fields?.['fd.name'], dest: a.fields?.['fd.dip'] ? `${a.fields['fd.dip']}:${a.fields['fd.dport']}` : undefined, cmdline: a.fields?.['proc.cmdline'] });
const own = alerts.filter(ours);
const stats = fs.readFileSync(errFile, 'utf8').split('\n').filter((l) => /events|kernel|lost/.test(l)).map((l) => l.trim());
console.log(JSON.stringify({ bench: 'quiet-soak', seconds: Number(duration), rounds: Number(rounds), soakProcesses: soakPids.size, alerts: alerts.length, falseAlertsFromSoak: own.length, soak: own.map(brief), otherProcesses: alerts.filter((a) => !ours(a)).map(brief), monitor: stats }));
process.exitCode = own.length ? 1 : 0;
EOF
