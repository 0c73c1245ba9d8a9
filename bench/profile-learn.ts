/** @module bench/profile-learn: the cost of `bpfguard profile learn` (in-kernel syscall bitmap) on an open/close storm: bare, learned, bare while another tree is learned, and the floor (an empty sys_enter program, the storm under the launcher's allow-all filter as when learned); rotated rounds, medians. */
import { execFileSync, spawn } from 'node:child_process';
import { addon } from '../src/bridge/addon.js';
import { launch } from '../src/seccomp/launch.js';
import { bpfObjectPath } from '../src/util/paths.js';
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

/** The storm's wall time and its workers' CPU time (seconds), as openstorm prints them; argument arrays only. */
interface Took {
	s: number;
	cpu: number;
}
function seconds(out: string): Took {
	return { s: Number(/seconds=([\d.]+)/.exec(out)![1]), cpu: Number(/cpu=([\d.]+)/.exec(out)![1]) };
}
const bare = () => seconds(execFileSync(STORM, [String(iter), String(workers), target], { encoding: 'utf8' }));
const learned = () => seconds(execFileSync(process.execPath, [BIN, 'profile', 'learn', '-o', profile, '--', STORM, String(iter), String(workers), target], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
/** The storm, not followed, while `profile learn --pid` follows an idle process: what every other process pays. */
async function bystander(): Promise<Took> {
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
/**
 * The floor of any sys_enter program: an empty one (bpf/probe.bpf.c bg_p_tpbtf) attached while
 * the storm runs under the launcher's allow-all filter, exactly as `profile learn` runs it. What
 * learning costs beyond it is the learner's own code.
 */
async function floor(): Promise<Took> {
	const obj = new (addon().BpfObject)(bpfObjectPath('probe'));
	try {
		for (const p of obj.programs()) if (p.name !== 'bg_p_tpbtf') obj.setAutoload(p.name, false);
		obj.load();
		obj.attach('bg_p_tpbtf');
		const out = join(dir, 'floor.out');
		writeFileSync(out, '', { mode: 0o600 });
		const r = await launch({ text: 'default allow 0\n', places: [], skipped: 0 }, '/bin/sh', ['-c', 'exec "$0" "$1" "$2" "$3" >"$4"', STORM, String(iter), String(workers), target, out]);
		if (r.code !== 0) throw new Error(`floor storm exited ${r.code ?? r.signal}`);
		return seconds(readFileSync(out, 'utf8'));
	} finally {
		obj.detachAll();
		obj.close();
	}
}
const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const med = (a: Took[]) => median(a.map((t) => t.s));
const cpu = (a: Took[]) => median(a.map((t) => t.cpu));

const load0 = loadavg()[0];
bare(); // warm-up (page cache, dentry cache)
learned();
const b: Took[] = [];
const l: Took[] = [];
const o: Took[] = [];
const f: Took[] = [];
for (let r = 0; r < rounds; r++) {
	// rotate which arm goes first, so a drift in machine load hits all of them
	const arms = [() => b.push(bare()), () => l.push(learned()), async () => o.push(await bystander()), async () => f.push(await floor())];
	for (let i = 0; i < arms.length; i++) await arms[(i + r) % arms.length]();
}
const names: string[] = JSON.parse(readFileSync(profile, 'utf8')).syscalls[0].names;
const nsPerOpen = (s: number) => Math.round((s * 1e9) / (iter * workers));
console.log(
	JSON.stringify(
		{
			iter, workers, rounds, cpus: cpus().length, loadavgBefore: load0, loadavgAfter: loadavg()[0],
			bareS: b.map((t) => t.s), learnedS: l.map((t) => t.s), bystanderS: o.map((t) => t.s), floorS: f.map((t) => t.s),
			bareNsPerOpen: nsPerOpen(med(b)), learnedNsPerOpen: nsPerOpen(med(l)), bystanderNsPerOpen: nsPerOpen(med(o)), floorNsPerOpen: nsPerOpen(med(f)),
			speedRatio: Number((med(b) / med(l)).toFixed(3)),
			bystanderRatio: Number((med(b) / med(o)).toFixed(3)),
			floorRatio: Number((med(b) / med(f)).toFixed(3)),
			learnedVsFloor: Number((med(f) / med(l)).toFixed(3)),
			// the same from the workers' CPU time (user + system, BPF programs included), which other load moves far less
			cpuNsPerOpen: { bare: nsPerOpen(cpu(b)), learned: nsPerOpen(cpu(l)), bystander: nsPerOpen(cpu(o)), floor: nsPerOpen(cpu(f)) },
			cpuSpeedRatio: Number((cpu(b) / cpu(l)).toFixed(3)),
			cpuBystanderRatio: Number((cpu(b) / cpu(o)).toFixed(3)),
			cpuFloorRatio: Number((cpu(b) / cpu(f)).toFixed(3)),
			cpuLearnedVsFloor: Number((cpu(f) / cpu(l)).toFixed(3)),
			learnedSyscalls: names.length,
		},
		null,
		2,
	),
);
rmSync(dir, { recursive: true, force: true });
