/** @module bench/open-storm: file sensor under an open/close storm: --all rate and loss, default-mode overhead vs no monitoring. */
import { execFileSync } from 'node:child_process';
import { loadavg, cpus } from 'node:os';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SensorRuntime } from '../src/sensors/runtime.js';
import { fileSensor } from '../src/sensors/file.js';
import { repoPath } from '../src/util/paths.js';

const iter = Number(process.argv[2] ?? 200000);
const workers = Number(process.argv[3] ?? 2);
const rounds = Number(process.argv[4] ?? 3);
const STORM = repoPath('build/progs/openstorm');
const dir = mkdtempSync(join(tmpdir(), 'bg-openstorm-'));
const target = join(dir, 'unwatched-file');
writeFileSync(target, 'x');

/** Run the storm synchronously; returns opens and seconds. */
function storm(): { opens: number; seconds: number } {
	const out = execFileSync(STORM, [String(iter), String(workers), target], { encoding: 'utf8' });
	return { opens: Number(/opens=(\d+)/.exec(out)![1]), seconds: Number(/seconds=([\d.]+)/.exec(out)![1]) };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** --all: every open is an event; count the storm's events seen vs opens made. */
async function allMode() {
	let seen = 0;
	let all = 0;
	const cpu0 = process.cpuUsage();
	const rt = SensorRuntime.start([fileSensor], { file: { all: true } }, (evs) => {
		for (const e of evs) {
			all++;
			if (e.kind === 'open' && e.name === target && e.comm === 'openstorm') seen++;
		}
	});
	// The storm runs in a child while this process drains: run it asynchronously.
	const { spawn } = await import('node:child_process');
	const c = spawn(STORM, [String(iter), String(workers), target], { stdio: ['ignore', 'pipe', 'inherit'] });
	let out = '';
	c.stdout.on('data', (d) => (out += d));
	await new Promise((r) => c.on('close', r));
	await sleep(300);
	await rt.stop();
	const cpu = process.cpuUsage(cpu0);
	const opens = Number(/opens=(\d+)/.exec(out)![1]);
	const seconds = Number(/seconds=([\d.]+)/.exec(out)![1]);
	const k = rt.kernelStats();
	return { opens, seconds, opensPerS: Math.round(opens / seconds), eventsSeen: seen, missing: opens - seen, allEvents: all, kernelLost: k.rb_full + k.no_scratch, agentCpuS: (cpu.user + cpu.system) / 1e6, kernel: k };
}

/** Default mode: the storm's file is not watched; interleave monitored and unmonitored runs. */
async function overhead() {
	const base: number[] = [];
	const mon: number[] = [];
	let filtered = 0;
	let emitted = 0;
	storm(); // warm-up (page cache, dentry cache)
	for (let r = 0; r < rounds; r++) {
		base.push(storm().seconds);
		const rt = SensorRuntime.start([fileSensor], {}, (evs) => (emitted += evs.length));
		mon.push(storm().seconds);
		await rt.stop();
		filtered += rt.kernelStats().filtered;
	}
	const med = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
	const nsPerOpen = (s: number) => (s * 1e9) / (iter * workers);
	return {
		rounds,
		baselineS: base,
		monitoredS: mon,
		baselineNsPerOpen: Math.round(nsPerOpen(med(base))),
		monitoredNsPerOpen: Math.round(nsPerOpen(med(mon))),
		speedRatio: Number((med(base) / med(mon)).toFixed(3)),
		kernelFiltered: filtered,
		eventsEmitted: emitted,
	};
}

try {
	const load = loadavg()[0];
	const all = await allMode();
	const ovh = await overhead();
	const result = { bench: 'open-storm', iterPerWorker: iter, workers, cpus: cpus().length, load1: load, allMode: all, defaultMode: ovh };
	process.stdout.write(`${JSON.stringify(result)}\n`);
	// Loss the kernel counted is reported, not a failure; only opens neither seen nor counted are.
	process.exitCode = Math.max(0, all.missing - all.kernelLost) === 0 ? 0 : 1;
} finally {
	rmSync(dir, { recursive: true, force: true });
}
