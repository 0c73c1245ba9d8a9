/** @module bench/disk-full: webhook receiver down for 30 s while the spool's disk is full for most of it, and the audit store locked by another writer: alerts lost and the longest event-loop stall. */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { WebhookSink } from '../src/sinks/webhook.js';
import { JsonlSink } from '../src/sinks/jsonl.js';
import { StoreSink } from '../src/sinks/store.js';
import { testAlert } from '../test/helpers/sink-suite.js';
import { HttpReceiver } from '../test/helpers/http-receiver.js';

const outageS = Number(process.argv[2] ?? 30);
const alerts = Number(process.argv[3] ?? 5000);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

// better-sqlite3 as a file URL for the lock holder (run with -e, it resolves nothing itself).
const SQLITE = pathToFileURL(createRequire(import.meta.url).resolve('better-sqlite3')).href;

// Holds the store's write lock (BEGIN IMMEDIATE) from another process for ms.
const HOLD_LOCK = `const { default: Database } = await import(process.argv[3]);
const db = new Database(process.argv[1]); db.exec('BEGIN IMMEDIATE'); process.stdout.write('locked\\n');
setTimeout(() => { db.exec('COMMIT'); db.close(); }, Number(process.argv[2]));`;

if (process.geteuid?.() !== 0) {
	process.stderr.write('bench/disk-full: needs root (mounts a tmpfs)\n');
	process.exit(2);
}
const dir = mkdtempSync('/var/tmp/bg-bench-full-');
const full = join(dir, 'full');
mkdirSync(full);
const m = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=8m,mode=0700', 'tmpfs', full], { encoding: 'utf8' });
if (m.status !== 0) {
	process.stderr.write(`bench/disk-full: mount tmpfs: ${m.stderr.trim()}\n`);
	process.exit(1);
}
const rx = new HttpReceiver();
try {
	await rx.up();
	const hook = new WebhookSink({ url: rx.url, spoolDir: join(full, 'spool'), backoffMs: 500, maxBackoffMs: 5000, timeoutMs: 2000, flushTimeoutMs: 60_000 });
	const jsonl = new JsonlSink({ path: join(full, 'alerts.jsonl') });
	const db = join(dir, 'audit.db');
	const store = new StoreSink({ path: db, keyPath: join(dir, 'store.key'), flushTimeoutMs: 60_000 });
	for (const s of [hook, jsonl, store]) await s.start();
	const delay = monitorEventLoopDelay({ resolution: 10 });
	delay.enable();
	const sent = Array.from({ length: alerts }, (_, i) => testAlert(i));
	const writeAll = (a: (typeof sent)[number]): void => {
		hook.write(a);
		jsonl.write(a);
		store.write(a);
	};
	const before = Math.floor(alerts / 10);
	for (const a of sent.slice(0, before)) writeAll(a);
	await rx.down();
	const holder = spawn(process.execPath, ['--input-type=module', '-e', HOLD_LOCK, db, String(outageS * 500), SQLITE], { stdio: ['ignore', 'pipe', 'inherit'] });
	await new Promise((r) => holder.stdout.once('data', r));
	const during = sent.slice(before);
	const steps = 20;
	let filler = '';
	for (let s = 0; s < steps; s++) {
		// The disk fills after the first 10 % of the outage and frees up for its last 10 %.
		if (s === 2) spawnSync('dd', ['if=/dev/zero', `of=${(filler = join(full, 'filler'))}`, 'bs=4k'], { encoding: 'utf8' });
		if (s === steps - 2) rmSync(filler, { force: true });
		for (const a of during.slice(Math.floor((s * during.length) / steps), Math.floor(((s + 1) * during.length) / steps))) writeAll(a);
		await sleep((outageS * 1000) / steps);
	}
	await rx.up();
	const t0 = Date.now();
	await hook.flush();
	await store.flush();
	const drainMs = Date.now() - t0;
	delay.disable();
	for (const s of [hook, jsonl, store]) await s.close();
	const firstSeen = new Set(rx.ids);
	const r = {
		bench: 'disk-full',
		outageS,
		sent: alerts,
		webhookDelivered: firstSeen.size,
		webhookLost: sent.filter((a) => !firstSeen.has(a.id)).length,
		webhook: hook.stats(),
		jsonl: jsonl.stats(),
		store: store.stats(),
		maxEventLoopDelayMs: Math.round(delay.max / 1e6),
		p99EventLoopDelayMs: Math.round(delay.percentile(99) / 1e6),
		drainMs,
	};
	process.stdout.write(`${JSON.stringify(r)}\n`);
	const jsonlAccounted = r.jsonl.written + r.jsonl.dropped === alerts;
	process.exitCode = r.webhookLost === 0 && r.store.written === alerts && jsonlAccounted && r.maxEventLoopDelayMs < 1000 ? 0 : 1;
} finally {
	await rx.down().catch(() => {});
	spawnSync('umount', ['-l', full]);
	rmSync(dir, { recursive: true, force: true });
}
