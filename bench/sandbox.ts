/**
 * @module bench/sandbox: what `bpfguard sandbox` costs a syscall-heavy command: openat+close
 * storms (test/progs/openstorm) bare, under an allow-all seccomp filter, and under that filter with
 * the kernel denial counter following the command (as `sandbox` runs it); and what the counter
 * costs other processes while it is loaded. Rounds interleave the modes. Root.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileProfile } from '../src/seccomp/compile.js';
import { currentHost } from '../src/seccomp/host.js';
import { launch } from '../src/seccomp/launch.js';
import { parseProfile } from '../src/seccomp/profile.js';
import { DenialWatch } from '../src/seccomp/denials.js';
import { repoPath } from '../src/util/paths.js';

const ITER = Number(process.argv[2] ?? 200000);
const ROUNDS = Number(process.argv[3] ?? 3);
const STORM = repoPath('build/progs/openstorm');
const out = (o: Record<string, unknown>) => process.stdout.write(`${JSON.stringify({ bench: 'sandbox', ...o })}\n`);
const rate = (s: string) => {
	const m = /opens=(\d+) seconds=([\d.]+)/.exec(s);
	if (!m) throw new Error(`bench sandbox: openstorm said ${JSON.stringify(s)}`);
	return Number(m[1]) / Number(m[2]);
};

async function underFilter(follow: boolean): Promise<number> {
	const dir = mkdtempSync(join(tmpdir(), 'bg-bench-'));
	chmodSync(dir, 0o700);
	const file = join(dir, 'out');
	writeFileSync(file, '', { mode: 0o600 });
	const spec = compileProfile(parseProfile('{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["keyctl"],"action":"SCMP_ACT_ERRNO"}]}', 'bench'), currentHost());
	const w = follow ? DenialWatch.open() : null;
	// the storm's stdout goes to a file (launch() hands the command this process's stdio)
	const r = await launch(spec, '/bin/sh', ['-c', `exec "$0" "$1" 1 >"$2"`, STORM, String(ITER), file], (pid) => w?.follow(pid));
	const denials = w?.read();
	w?.close();
	if (r.code !== 0) throw new Error(`bench sandbox: storm exited ${r.code ?? r.signal}`);
	if (denials && denials.denials.length) throw new Error(`bench sandbox: false denials ${JSON.stringify(denials)}`);
	return rate(readFileSync(file, 'utf8'));
}

function bare(): number {
	return rate(spawnSync(STORM, [String(ITER), '1'], { encoding: 'utf8' }).stdout);
}

async function main(): Promise<void> {
	const modes: Record<string, number[]> = { bare: [], filter: [], filter_counter: [], bare_counter_loaded: [] };
	for (let i = 0; i < ROUNDS; i++) {
		modes.bare.push(bare());
		modes.filter.push(await underFilter(false));
		modes.filter_counter.push(await underFilter(true));
		const w = DenialWatch.open(); // loaded, following nobody: what every other process pays
		modes.bare_counter_loaded.push(bare());
		w.close();
	}
	const med = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1];
	const base = med(modes.bare);
	for (const [mode, v] of Object.entries(modes)) out({ mode, opens_per_s: Math.round(med(v)), vs_bare: Number((med(v) / base).toFixed(3)), rounds: v.map(Math.round) });
	out({ iter: ITER, cpus: cpus().length, loadavg: loadavg().map((x) => Number(x.toFixed(2))) });
}

await main();
