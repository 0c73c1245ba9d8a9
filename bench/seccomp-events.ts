/**
 * @module bench/seccomp-events: what the seccomp violation sensor costs: `openstorm ITER`
 * (openat + close) unfiltered and under an allow-all seccomp filter, each with no sensor, with the
 * file sensor (the dispatcher attached, the seccomp check off) and with the file and seccomp
 * sensors (the check on: one load per syscall for an unfiltered thread; two tail calls and a task
 * storage access per syscall for a filtered one). Rounds rotate the arms; medians, each round's
 * figure and the load average. Fails on a false violation. Root. JSON lines.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileProfile } from '../src/seccomp/compile.js';
import { currentHost } from '../src/seccomp/host.js';
import { launch } from '../src/seccomp/launch.js';
import { parseProfile } from '../src/seccomp/profile.js';
import { SensorRuntime } from '../src/sensors/runtime.js';
import { fileSensor } from '../src/sensors/file.js';
import { seccompSensor } from '../src/sensors/seccomp.js';
import type { Sensor } from '../src/sensors/sensor.js';
import { repoPath } from '../src/util/paths.js';

const ITER = Number(process.argv[2] ?? 200000);
const ROUNDS = Number(process.argv[3] ?? 5);
const STORM = repoPath('build/progs/openstorm');
const out = (o: Record<string, unknown>) => process.stdout.write(`${JSON.stringify({ bench: 'seccomp-events', ...o })}\n`);
const rate = (s: string) => {
	const m = /opens=(\d+) seconds=([\d.]+)/.exec(s);
	if (!m) throw new Error(`bench seccomp-events: openstorm said ${JSON.stringify(s)}`);
	return Number(m[1]) / Number(m[2]);
};
const dir = mkdtempSync(join(tmpdir(), 'bg-bench-'));
chmodSync(dir, 0o700);
const spec = compileProfile(parseProfile('{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["keyctl"],"action":"SCMP_ACT_ERRNO"}]}', 'bench'), currentHost());

async function filtered(): Promise<number> {
	const file = join(dir, 'out');
	writeFileSync(file, '', { mode: 0o600 });
	// the storm's stdout goes to a file (launch() hands the command this process's stdio)
	const r = await launch(spec, '/bin/sh', ['-c', `exec "$0" "$1" 1 >"$2"`, STORM, String(ITER), file], () => {});
	if (r.code !== 0) throw new Error(`bench seccomp-events: storm exited ${r.code ?? r.signal}`);
	return rate(readFileSync(file, 'utf8'));
}

const bare = async (): Promise<number> => rate(spawnSync(STORM, [String(ITER), '1'], { encoding: 'utf8' }).stdout);

const ARMS: { name: string; sensors: Sensor[]; run: () => Promise<number> }[] = [
	{ name: 'bare', sensors: [], run: bare },
	{ name: 'bare_file', sensors: [fileSensor], run: bare },
	{ name: 'bare_file_seccomp', sensors: [fileSensor, seccompSensor], run: bare },
	{ name: 'filter', sensors: [], run: filtered },
	{ name: 'filter_file', sensors: [fileSensor], run: filtered },
	{ name: 'filter_file_seccomp', sensors: [fileSensor, seccompSensor], run: filtered },
];

async function main(): Promise<void> {
	const load0 = loadavg();
	const got: Record<string, number[]> = Object.fromEntries(ARMS.map((a) => [a.name, []]));
	let violations = 0;
	await bare(); // warm-up (page cache, dentry cache)
	for (let i = 0; i < ROUNDS; i++) {
		for (let j = 0; j < ARMS.length; j++) {
			const arm = ARMS[(i + j) % ARMS.length]; // rotate the order each round
			const rt = arm.sensors.length ? SensorRuntime.start(arm.sensors, {}, (evs) => (violations += evs.filter((e) => e.kind === 'seccomp' && e.comm === 'openstorm').length)) : null;
			got[arm.name].push(await arm.run());
			await rt?.stop();
		}
	}
	if (violations) throw new Error(`bench seccomp-events: ${violations} false violations`);
	const med = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1];
	const ratio = (a: string, b: string) => Number((med(got[a]) / med(got[b])).toFixed(3));
	for (const arm of ARMS) out({ arm: arm.name, opens_per_s: Math.round(med(got[arm.name])), vs_bare: ratio(arm.name, 'bare'), rounds: got[arm.name].map(Math.round) });
	out({ check_unfiltered: ratio('bare_file_seccomp', 'bare_file'), check_filtered: ratio('filter_file_seccomp', 'filter_file') });
	out({ iter: ITER, rounds: ROUNDS, cpus: cpus().length, loadavg_before: load0.map((x) => Number(x.toFixed(2))), loadavg_after: loadavg().map((x) => Number(x.toFixed(2))) });
}

await main();
