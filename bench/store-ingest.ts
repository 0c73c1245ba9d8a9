/**
 * @module bench/store-ingest: the audit trail's ingest rate and `search --where` over a large store, no root.
 * Usage: node dist/bench/store-ingest.js ingest [SECONDS] [DIR]   events/s the store sink keeps (encode on this thread, chain + SQLite in its worker)
 *        node dist/bench/store-ingest.js build N DB               a store of N events over the last 7 days (search figures), with needles
 *        node dist/bench/store-ingest.js search DB [RUNS]         `bpfguard search --where` on that store, wall time per query (median of RUNS)
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import type { BgEvent } from '../src/events/types.js';
import { EvalCtx } from '../src/rules/context.js';
import { ProcessTable } from '../src/process/table.js';
import { EventEncoder } from '../src/store/event-record.js';
import { StoreSink } from '../src/sinks/store.js';
import { repoPath } from '../src/util/paths.js';
import { sampleEvents } from '../test/helpers/events.js';

const DAY_MS = 86_400_000;
const NEEDLE_EVERY = 100_000;
const COMMS = Array.from({ length: 50 }, (_, i) => `proc${i}`);

/** The audit stream's mix: opens (most of it), execs, exits and connects, each a template from the test fixtures. */
function templates(): BgEvent[] {
	const s = sampleEvents();
	const pick = (k: string) => s.find((e) => e.kind === k)!;
	return [pick('open'), pick('open'), pick('open'), pick('open'), pick('open'), pick('exec'), pick('exit'), pick('net_connect')];
}

/** Event i of the stream at time t: its template with a varying pid, comm and (opens) path; every NEEDLE_EVERY-th is a needle. */
function eventAt(tpl: BgEvent[], i: number, t: number): BgEvent {
	const base = tpl[i % tpl.length];
	const needle = i % NEEDLE_EVERY === 0; // an open: NEEDLE_EVERY is a multiple of the template count
	const comm = needle ? 'needle' : COMMS[i % COMMS.length];
	const e = { ...base, timeMs: t, pid: 1000 + (i % 30_000), tid: 1000 + (i % 30_000), comm } as BgEvent & { name?: string };
	if (e.kind === 'open') e.name = needle ? `/tmp/needle-dir/file-${i}` : `/usr/lib/x86_64-linux-gnu/lib${i % 997}.so.6`;
	return e;
}

function sinkAt(dir: string, db: string): StoreSink {
	return new StoreSink({ path: db, keyPath: join(dir, 'store.key'), events: true, maxAgeDays: 0, maxPendingEvents: 200_000 });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The producer waits while this many events are queued: about one transaction's worth, as a monitor that keeps up has. */
const HOLD_AT = Number(process.env.BENCH_HOLD_AT ?? 20_000);

/** CPU seconds so far of the main thread (this one) and of the whole process (the store's worker, GC and libuv threads too), from /proc. */
function cpu(): { main: number; all: number } {
	const ticks = (path: string): number => {
		const f = readFileSync(path, 'utf8').split(') ')[1].split(' ');
		return Number(f[11]) + Number(f[12]); // utime, stime (fields 14 and 15 of stat)
	};
	return { main: ticks(`/proc/self/task/${process.pid}/stat`) / 100, all: ticks('/proc/self/stat') / 100 };
}

/**
 * Writes events as fast as the sink takes them: batches of 1024 encoded on this thread (as the monitor does after
 * its rules), held back while HOLD_AT (20 000) wait, so the figure is what the store keeps up with, with nothing dropped.
 */
async function pump(sink: StoreSink, total: number, timeAt: (i: number) => number, seconds?: number): Promise<{ encodeNsPerEvent: number; produced: number }> {
	const tpl = templates();
	const table = new ProcessTable();
	const ctx = new EvalCtx(table);
	const enc = new EventEncoder('bench-host');
	const stopAt = seconds ? Date.now() + seconds * 1000 : Infinity;
	let encodeNs = 0n;
	let i = 0;
	while (i < total && Date.now() < stopAt) {
		while (sink.eventStats().queued >= HOLD_AT) await sleep(1);
		const t0 = process.hrtime.bigint();
		for (let k = 0; k < 1024 && i < total; k++, i++) {
			const e = eventAt(tpl, i, timeAt(i));
			table.apply(e);
			enc.add(ctx.set(e));
		}
		sink.writeEvents(enc.take()!);
		encodeNs += process.hrtime.bigint() - t0;
		await new Promise((r) => setImmediate(r));
	}
	return { encodeNsPerEvent: Number(encodeNs) / Math.max(1, i), produced: i };
}

async function ingest(seconds: number, parent: string): Promise<void> {
	const dir = mkdtempSync(join(parent, 'bg-ingest-'));
	const db = join(dir, 'audit.db');
	try {
		const sink = sinkAt(dir, db);
		await sink.start();
		const load = loadavg()[0];
		const warm = await pump(sink, 200_000, () => Date.now());
		await sink.flush();
		const w0 = sink.eventStats().written;
		const t0 = performance.now();
		const c0 = cpu();
		const run = await pump(sink, Number.MAX_SAFE_INTEGER, () => Date.now(), seconds);
		await sink.flush();
		const c1 = cpu();
		const dt = (performance.now() - t0) / 1000;
		const s = sink.eventStats();
		await sink.close();
		const bytes = statSync(db).size;
		const n = s.written - w0;
		// CPU µs per event: the event thread (generating and encoding the events) and every other thread (the store's worker: chain + SQLite; GC).
		const mainUs = ((c1.main - c0.main) * 1e6) / n;
		const otherUs = ((c1.all - c0.all - (c1.main - c0.main)) * 1e6) / n;
		const out = {
			seconds: Math.round(dt * 10) / 10,
			eventsPerS: Math.round(n / dt),
			written: s.written,
			produced: warm.produced + run.produced,
			dropped: s.dropped,
			encodeNsPerEvent: Math.round(run.encodeNsPerEvent),
			cpuUsPerEvent: { eventThread: Math.round(mainUs * 10) / 10, otherThreads: Math.round(otherUs * 10) / 10 },
			// What two free cores would sustain: the busier of the two threads sets the pace.
			twoCoreEventsPerS: Math.round(1e6 / Math.max(mainUs, otherUs)),
			bytesPerEvent: Math.round(bytes / s.written),
			loadBefore: load,
			loadAfter: loadavg()[0],
		};
		process.stdout.write(`${JSON.stringify(out)}\n`);
		if (s.dropped !== 0 || s.written !== out.produced) process.exitCode = 1;
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

async function build(n: number, db: string): Promise<void> {
	const dir = mkdtempSync('/var/tmp/bg-build-');
	const end = Date.now();
	const step = (7 * DAY_MS) / n;
	const sink = sinkAt(dir, db);
	await sink.start();
	const t0 = performance.now();
	const r = await pump(sink, n, (i) => Math.round(end - 7 * DAY_MS + i * step));
	await sink.close();
	const s = sink.eventStats();
	const dt = (performance.now() - t0) / 1000;
	process.stdout.write(`${JSON.stringify({ db, events: s.written, dropped: s.dropped, needles: Math.floor(n / NEEDLE_EVERY), seconds: Math.round(dt), eventsPerS: Math.round(s.written / dt), encodeNsPerEvent: Math.round(r.encodeNsPerEvent), bytes: statSync(db).size })}\n`);
	rmSync(dir, { recursive: true, force: true });
}

const QUERIES: [string, string[]][] = [
	['needle, whole store (comm column + text scan, then the full condition)', ['--where', 'proc.name = "needle" and fd.name startswith "/tmp/needle-dir/"']],
	['needle, last day (time index)', ['--since', '1d', '--where', 'proc.name = "needle" and fd.name startswith "/tmp/needle-dir/"']],
	['pid and type, whole store (columns only)', ['--where', 'proc.pid = 2000 and evt.type = openat', '--limit', '100']],
	['icontains, last day (nothing for SQL: every row decoded)', ['--since', '1d', '--where', 'fd.name icontains "NEEDLE-DIR"']],
];

function search(db: string, runs: number): void {
	const bin = repoPath('bin/bpfguard');
	for (const [name, args] of QUERIES) {
		const ms: number[] = [];
		let matches = 0;
		for (let k = 0; k < runs; k++) {
			const t0 = performance.now();
			const r = spawnSync(process.execPath, [bin, 'search', '--db', db, '--json', ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
			ms.push(performance.now() - t0);
			matches = r.stdout.split('\n').filter(Boolean).length;
			if (r.status !== 0 && r.status !== 1) throw new Error(`search ${args.join(' ')}: ${r.stderr}`);
		}
		ms.sort((a, b) => a - b);
		process.stdout.write(`${JSON.stringify({ query: name, args, matches, medianMs: Math.round(ms[Math.floor(ms.length / 2)]), runsMs: ms.map(Math.round), load: loadavg()[0] })}\n`);
	}
}

const [mode, a, b] = process.argv.slice(2);
if (mode === 'build') await build(Number(a), b);
else if (mode === 'search') search(a, Number(b ?? 3));
else await ingest(Number(a ?? 20), b ?? '/var/tmp');
