/** @module bench/latency: alert latency, syscall → alert line on the monitor's JSON sink, idle and under an open storm (p50/p99). */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { performance } from 'node:perf_hooks';
import { repoPath } from '../src/util/paths.js';

const probes = Number(process.argv[2] ?? 100);
const gapMs = Number(process.argv[3] ?? 20);
const stormWorkers = Number(process.argv[4] ?? 2);
const dir = mkdtempSync('/tmp/bg-latency.');
const marker = join(dir, 'bg-latency-probe');
copyFileSync('/bin/true', marker); // exec from /tmp: the default rule "Executable run from a temporary directory"

const mon = spawn(repoPath('bin/bpfguard'), ['monitor', '--json', '--throttle', '0', '--duration', '600', ...process.argv.slice(5)], { stdio: ['ignore', 'pipe', 'pipe'] });
let stderr = '';
const arrived = new Map<number, number>(); // probe → latency ms (sink write seen − kernel event time)
const ready = new Promise<void>((resolve, reject) => {
	mon.stderr.on('data', (d) => {
		stderr += d;
		if (stderr.includes('sensors attached')) resolve();
	});
	mon.on('exit', (c) => reject(new Error(`monitor exited (${c}): ${stderr}`)));
});
createInterface({ input: mon.stdout }).on('line', (line) => {
	const now = performance.timeOrigin + performance.now();
	const m = /bg-latency\.[^"]*probe-(\d+)/.exec(line);
	if (!m) return;
	const a = JSON.parse(line) as { timeMs: number };
	arrived.set(Number(m[1]), now - a.timeMs);
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number) => (xs.length ? +[...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))].toFixed(2) : null);

async function phase(name: string, first: number): Promise<Record<string, unknown>> {
	for (let i = first; i < first + probes; i++) {
		spawn(marker, [`probe-${i}`], { stdio: 'ignore' }); // async: the bench's loop stays free to read alerts
		await sleep(gapMs);
	}
	await sleep(1000);
	const lat = [...arrived].filter(([i]) => i >= first && i < first + probes).map(([, ms]) => ms);
	return { phase: name, probes, alerts: lat.length, p50Ms: pct(lat, 50), p99Ms: pct(lat, 99), maxMs: pct(lat, 100) };
}

try {
	await ready;
	await sleep(500);
	const idle = await phase('idle', 0);
	const storm = spawn(repoPath('build/progs/openstorm'), ['100000000', String(stormWorkers), join(dir, 'bg-latency-probe')], { stdio: 'ignore' });
	await sleep(300);
	const loaded = await phase(`open storm (${stormWorkers} workers)`, probes);
	storm.kill('SIGKILL');
	process.stdout.write(`${JSON.stringify({ bench: 'latency', gapMs, results: [idle, loaded] })}\n`);
	// A probe without its alert is an error (the monitor must alert on every one; throttling is off).
	process.exitCode = idle.alerts === probes && loaded.alerts === probes ? 0 : 1;
} finally {
	mon.kill('SIGINT');
	await new Promise((r) => mon.on('close', r));
	rmSync(dir, { recursive: true, force: true });
}
