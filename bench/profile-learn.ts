/** @module bench/profile-learn: the cost of `bpfguard profile learn` (in-kernel syscall bitmap) on an open/close storm: bare, learned, and bare while another tree is learned; interleaved rounds, medians. */
import { execFileSync, spawn } from 'node:child_process';
import { cpus, loadavg, tmpdir } from 'node:os';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoPath } from '../src/util/paths.js';

const iter = Number(process.argv[2] ?? 200000);
const workers = Number(process.argv[3] ?? 2);
const rounds = Number(process.argv[4] ?? 7);
const STORM = repoPath('build/progs/openstorm');
const BIN = repoPath('bin/bpfguard');
const dir = mkdtempSync(join(tmpdir(), 'bg-learnbench-'));
chmodSync(dir, 0o700);
const target = join(dir, 'file');
const profile = join(dir, 'learned.json');
writeFileSync(target, 'x');

/** The storm's own wall time (seconds), as openstorm prints it; argument arrays only. */
function seconds(out: string): number {
	return Number(/seconds=([\d.]+)/.exec(out)![1]);
}
const bare = () => seconds(execFileSync(STORM, [String(iter), String(workers), target], { encoding: 'utf8' }));
const learned = () => seconds(execFileSync(process.execPath, [BIN, 'profile', 'learn', '-o', profile, '--', STORM, String(iter), String(workers), target], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
/** The storm, not followed, while `profile learn --pid` follows an idle process: what every other process pays. */
async function bystander(): Promise<number> {
	const idle = spawn('sleep', ['600'], { stdio: 'ignore' });
	const l = spawn(process.execPath, [BIN, 'profile', 'learn', '-o', join(dir, 'idle.json'), '--pid', String(idle.pid)], { stdio: ['ignore', 'ignore', 'pipe'] });
	let err = '';
	l.stderr.on('data', (d) => (err += d));
	for (let i = 0; i < 200 && !err.includes('following pid'); i++) await new Promise((r) => setTimeout(r, 50));
	if (!err.includes('following pid')) throw new Error(`profile learn --pid did not start: ${err}`);
	const s = bare();
	l.kill('SIGINT');
	await new Promise((r) => l.on('close', r));
	idle.kill();
	return s;
}
const med = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];

const load0 = loadavg()[0];
bare(); // warm-up (page cache, dentry cache)
learned();
const b: number[] = [];
const l: number[] = [];
const o: number[] = [];
for (let r = 0; r < rounds; r++) {
	// rotate which arm goes first, so a drift in machine load hits all three
	const arms = [() => b.push(bare()), () => l.push(learned()), async () => o.push(await bystander())];
	for (let i = 0; i < arms.length; i++) await arms[(i + r) % arms.length]();
}
const names: string[] = JSON.parse(readFileSync(profile, 'utf8')).syscalls[0].names;
const nsPerOpen = (s: number) => Math.round((s * 1e9) / (iter * workers));
console.log(
	JSON.stringify(
		{
			iter, workers, rounds, cpus: cpus().length, loadavgBefore: load0, loadavgAfter: loadavg()[0],
			bareS: b, learnedS: l, bystanderS: o,
			bareNsPerOpen: nsPerOpen(med(b)), learnedNsPerOpen: nsPerOpen(med(l)), bystanderNsPerOpen: nsPerOpen(med(o)),
			speedRatio: Number((med(b) / med(l)).toFixed(3)),
			bystanderRatio: Number((med(b) / med(o)).toFixed(3)),
			learnedSyscalls: names.length,
		},
		null,
		2,
	),
);
rmSync(dir, { recursive: true, force: true });
