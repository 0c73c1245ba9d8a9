/** @module bench/churn: agent memory over a process-churn run (short-lived processes): peak RSS and whether it stays flat. */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { STATUS_DIR } from '../src/cli/stats.js';
import { repoPath } from '../src/util/paths.js';

const seconds = Number(process.argv[2] ?? 60);
const workers = Number(process.argv[3] ?? 1);
/**
 * Warm-up not judged for growth: the monitor's RSS climbs for its first ~25 s here (JIT, pools,
 * the process table filling) before it levels off. Short runs skip 30 s (or half the run); long
 * runs a minute.
 */
const warmupS = Number(process.env.BENCH_CHURN_WARMUP_S ?? (seconds <= 120 ? Math.min(30, seconds / 2) : 60));
/** Below this many judged samples (1 per second) growth means nothing and is not judged. */
const MIN_JUDGED = 20;
const kb = (pid: number, key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const mon = spawn(repoPath('bin/bpfguard'), ['monitor', '--json', '--duration', String(seconds + 30), ...process.argv.slice(4)], { stdio: ['ignore', 'ignore', 'pipe'] });
let stderr = '';
await new Promise<void>((resolve, reject) => {
	mon.stderr.on('data', (d) => {
		stderr += d;
		if (stderr.includes('sensors attached')) resolve();
	});
	mon.on('exit', (c) => reject(new Error(`monitor exited (${c}): ${stderr}`)));
});
const rss: number[] = [];
const heap: number[] = []; // V8 heap in use (MiB), from the monitor's status file
const heapUsed = (): number | undefined => {
	try {
		return (JSON.parse(readFileSync(join(STATUS_DIR, `${mon.pid}.json`), 'utf8')) as { heapUsedBytes?: number }).heapUsedBytes;
	} catch {
		return undefined;
	}
};
const churn = spawn(repoPath('build/progs/execstorm'), [String(seconds), String(workers), 'churn'], { stdio: ['ignore', 'pipe', 'ignore'] });
let out = '';
churn.stdout.on('data', (d) => (out += d));
let done = false;
churn.on('close', () => (done = true));
while (!done) {
	rss.push(kb(mon.pid!, 'VmRSS'));
	const h = heapUsed();
	if (h !== undefined) heap.push(h / 1048576);
	await sleep(1000);
}
const peakKb = kb(mon.pid!, 'VmHWM');
mon.kill('SIGINT');
await new Promise((r) => mon.on('close', r));
// Flat = after the warm-up, the last third's floor (lowest sample: RSS right after collections)
// within 10 % of the first third's. A leak raises the floor; where in the GC sawtooth a third
// happens to end does not (means moved by ±8 % here with the same code).
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const judged = rss.slice(Math.round(warmupS));
const third = Math.max(1, Math.floor(judged.length / 3));
const early = mean(judged.slice(0, third));
const late = mean(judged.slice(-third));
const floor = (xs: number[]) => (xs.length ? Math.min(...xs) : 0);
const earlyFloor = floor(judged.slice(0, third));
const lateFloor = floor(judged.slice(-third));
const growthJudged = judged.length >= MIN_JUDGED;
const heapJudged = heap.slice(Math.round(warmupS));
const hThird = Math.max(1, Math.floor(heapJudged.length / 3));
const result = {
	bench: 'churn',
	seconds,
	workers,
	execs: Number(/execs=(\d+)/.exec(out)?.[1] ?? /(\d+)/.exec(out)?.[1] ?? 0),
	peakRssMiB: +(peakKb / 1024).toFixed(1),
	rssEarlyMiB: +(early / 1024).toFixed(1),
	rssLateMiB: +(late / 1024).toFixed(1),
	warmupS,
	rssEarlyFloorMiB: +(earlyFloor / 1024).toFixed(1),
	rssLateFloorMiB: +(lateFloor / 1024).toFixed(1),
	growthPct: +(((lateFloor - earlyFloor) / Math.max(1, earlyFloor)) * 100).toFixed(1),
	growthJudged,
	heapEarlyMiB: +mean(heapJudged.slice(0, hThird)).toFixed(1),
	heapLateMiB: +mean(heapJudged.slice(-hThird)).toFixed(1),
	heapMaxMiB: +Math.max(0, ...heap).toFixed(1),
	samplesMiB: rss.filter((_, i) => i % Math.max(1, Math.floor(rss.length / 12)) === 0).map((k) => +(k / 1024).toFixed(1)),
	monitorSummary: stderr.split('\n').filter((l) => / events /.test(l)).join(' '),
};
const problems: string[] = [];
if (result.peakRssMiB >= 150) problems.push(`peak RSS ${result.peakRssMiB} MiB >= 150 MiB`);
if (growthJudged && result.growthPct >= 10) problems.push(`RSS grew ${result.growthPct} % after the ${warmupS} s warm-up (>= 10 %)`);
if (!growthJudged) process.stderr.write(`churn: ${judged.length} s after the warm-up is too short to judge growth (needs ${MIN_JUDGED} s); peak only\n`);
process.stdout.write(`${JSON.stringify({ ...result, problems })}\n`);
for (const p of problems) process.stderr.write(`churn: ${p}\n`);
process.exitCode = problems.length ? 1 : 0;
