/**
 * @module bench/metrics: what Prometheus metrics cost the monitor, no root: the per-batch work added
 * to the event path (two clock reads and a histogram sample) against an empty loop, interleaved, and
 * one scrape of a registry with many alert series. Usage: node dist/bench/metrics.js [ROUNDS] [ITER] [RULES]
 */
import { performance } from 'node:perf_hooks';
import { MonitorMetrics } from '../src/monitor/metrics.js';
import type { Alert } from '../src/alerts/alert.js';
import { PRIORITIES } from '../src/alerts/alert.js';

const ROUNDS = Number(process.argv[2] ?? 7);
const ITER = Number(process.argv[3] ?? 1_000_000);
const RULES = Number(process.argv[4] ?? 200);

/** CPU µs of f (user + system), so other load stretches the figure less than wall time. */
function cpuUs(f: () => void): number {
	const t = process.cpuUsage();
	f();
	const d = process.cpuUsage(t);
	return d.user + d.system;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
	const m = new MonitorMetrics();
	m.bind({
		eventsByKind: () => ({ exec: 1, fork: 2, exit: 3, open: 4, file_change: 5, net_connect: 6 }),
		kernel: () => ({ filtered: 7 }),
		losses: () => ({ ringbuf_full: 0, no_scratch: 0, sink_dropped: 0 }),
		sinks: () => ({ written: 1, failed: 0, dropped: 0, queued: 0 }),
		processes: () => 700,
		programs: () => [],
	});
	let sink = 0;
	const withMetrics = () => {
		for (let i = 0; i < ITER; i++) {
			const t0 = performance.now();
			sink += i;
			m.evaluated((performance.now() - t0) / 1000);
		}
	};
	const without = () => {
		for (let i = 0; i < ITER; i++) sink += i;
	};
	withMetrics(); // warm-up
	without();
	const on: number[] = [];
	const off: number[] = [];
	for (let r = 0; r < ROUNDS; r++) {
		off.push(cpuUs(without));
		on.push(cpuUs(withMetrics));
	}
	const added = ((median(on) - median(off)) * 1000) / ITER;
	process.stdout.write(`${JSON.stringify({ bench: 'metrics-batch', rounds: ROUNDS, iter: ITER, nsPerBatchAdded: Math.round(added) })}\n`);

	const alert = (i: number): Alert => ({ id: '', time: '', timeMs: 0, rule: `rule ${i}`, priority: PRIORITIES[i % PRIORITIES.length], tags: [], output: '', fields: {}, action: 'alert', count: 1, source: 'syscall', hostname: 'h' });
	for (let i = 0; i < RULES; i++) m.alerted(alert(i));
	let bytes = 0;
	bytes += (await m.text()).length; // warm-up
	const scrapes: number[] = [];
	for (let r = 0; r < ROUNDS; r++) {
		const t = process.cpuUsage();
		bytes += (await m.text()).length;
		const d = process.cpuUsage(t);
		scrapes.push((d.user + d.system) / 1000);
	}
	process.stdout.write(`${JSON.stringify({ bench: 'metrics-scrape', rounds: ROUNDS, alertSeries: RULES, cpuMsPerScrape: Math.round(median(scrapes) * 100) / 100, bytes: Math.round(bytes / (ROUNDS + 1)), sink: sink > 0 })}\n`);
}

await main();
