/** @module sinks/store.test: the shared sink suite, batching off write(), log matches, retention at start, and failures counted. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { AuditStore } from '../store/store.js';
import { verifyStore } from '../store/verify.js';
import { loadKey } from '../store/key.js';
import { StoreSink } from './store.js';
import { createSinks } from './registry.js';
import { sinkSuite, testAlert } from '../../test/helpers/sink-suite.js';
import { sampleEvents } from '../../test/helpers/events.js';
import { EventEncoder } from '../store/event-record.js';
import { EvalCtx } from '../rules/context.js';
import { eventJson } from '../rules/fields/json.js';
import type { EventBatch } from './sink.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Alert ids in the store at path, in chain order (a separate read-only connection). */
function storedIds(path: string): string[] {
	const s = AuditStore.open(path, { readonly: true });
	try {
		return s.db.prepare(`SELECT json_extract(data, '$.id') FROM records WHERE kind IN ('alert', 'log') ORDER BY id`).pluck().all() as string[];
	} finally {
		s.close();
	}
}

async function tempDir(): Promise<{ dir: string; path: string; keyPath: string; cleanup: () => Promise<void> }> {
	const dir = await mkdtemp(join(tmpdir(), 'bg-storesink-'));
	return { dir, path: join(dir, 'state', 'audit.db'), keyPath: join(dir, 'etc', 'store.key'), cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** verify with the key the sink created. */
function verifyWithKey(path: string, keyPath: string): ReturnType<typeof verifyStore> {
	const s = AuditStore.open(path, { readonly: true });
	try {
		return verifyStore(s, { key: loadKey(keyPath) });
	} finally {
		s.close();
	}
}

sinkSuite('store', async () => {
	const t = await tempDir();
	return { sink: new StoreSink({ path: t.path, keyPath: t.keyPath }), received: async () => storedIds(t.path), cleanup: t.cleanup };
});

test('the store sink comes from the sinks config, accepts log matches, and creates the file 0600 in a 0700 directory', async () => {
	const t = await tempDir();
	try {
		const set = createSinks({ store: { path: t.path, keyPath: t.keyPath } });
		assert.deepEqual(set.sinks.map((s) => [s.name, s.acceptsLogs]), [['store', true]]);
		await set.start();
		set.write(testAlert(1, { action: 'log' }));
		set.write(testAlert(2));
		await set.close();
		assert.deepEqual(storedIds(t.path), [testAlert(1).id, testAlert(2).id]);
		assert.equal((await stat(t.path)).mode & 0o777, 0o600);
		assert.equal((await stat(join(t.dir, 'state'))).mode & 0o777, 0o700);
		assert.equal((await stat(t.keyPath)).mode & 0o777, 0o600);
		assert.equal((await stat(join(t.dir, 'etc'))).mode & 0o777, 0o700);
		assert.equal((await stat(join(t.dir, 'state', 'audit.head'))).mode & 0o777, 0o600);
		const v = verifyWithKey(t.path, t.keyPath);
		assert.deepEqual([v.ok, v.keyed.checked, v.keyed.unsealed], [true, true, 0]); // sealed at close
	} finally {
		await t.cleanup();
	}
});

test('write() only buffers; a full batch is written on a later tick, in one chain that verifies', async () => {
	const t = await tempDir();
	const sink = new StoreSink({ path: t.path, keyPath: t.keyPath, batch: 50, flushIntervalMs: 60_000 });
	try {
		await sink.start();
		for (let i = 0; i < 120; i++) sink.write(testAlert(i));
		assert.equal(storedIds(t.path).length, 0);
		// Written on later ticks, three batches one after another (flushIntervalMs is a minute): wait for them, not for a fixed time (a loaded machine is slow).
		// (the worker's answer that counts a batch written arrives after its rows are visible in the database: wait for both)
		for (let i = 0; i < 500 && (storedIds(t.path).length < 120 || sink.stats().written < 120); i++) await new Promise((r) => setTimeout(r, 10));
		assert.equal(storedIds(t.path).length, 120);
		assert.deepEqual(sink.stats(), { written: 120, failed: 0, dropped: 0, queued: 0 });
		const v = verifyWithKey(t.path, t.keyPath);
		assert.deepEqual([v.ok, v.checked, v.keyed.checkpoints, v.keyed.unsealed], [true, 121, 1, 120]); // the store's first checkpoint, then 120 not yet sealed
	} finally {
		await sink.close();
		await t.cleanup();
	}
});

test('retention runs at start: records older than maxAgeDays go, the chain still verifies', async () => {
	const t = await tempDir();
	try {
		const old = new StoreSink({ path: t.path, keyPath: t.keyPath, maxAgeDays: 0 });
		await old.start();
		old.write(testAlert(1, { timeMs: Date.now() - 10 * 86_400_000 }));
		old.write(testAlert(2, { timeMs: Date.now() }));
		await old.close();
		const sink = new StoreSink({ path: t.path, keyPath: t.keyPath, maxAgeDays: 5 });
		await sink.start();
		await sink.close();
		assert.deepEqual(storedIds(t.path), [testAlert(2).id]);
		const v = verifyWithKey(t.path, t.keyPath);
		assert.deepEqual([v.ok, v.anchors, v.keyed.unsealed], [true, 1, 0]);
	} finally {
		await t.cleanup();
	}
});

test('a failing store counts the batch as failed and dropped; start fails on a file that is not a store', async () => {
	const t = await tempDir();
	const sink = new StoreSink({ path: t.path, keyPath: t.keyPath });
	try {
		await sink.start();
		const other = AuditStore.open(t.path);
		other.db.exec(`CREATE TRIGGER refuse BEFORE INSERT ON records BEGIN SELECT RAISE(ABORT, 'disk says no'); END`);
		other.close();
		sink.write(testAlert(1));
		sink.write(testAlert(2));
		await sink.flush();
		assert.deepEqual(sink.stats(), { written: 0, failed: 1, dropped: 2, queued: 0 });
		await assert.rejects(new StoreSink({ path: t.dir, keyPath: t.keyPath }).start(), { name: 'SinkError', message: /^open audit store .*not a regular file/ });
	} finally {
		await sink.close();
		await t.cleanup();
	}
});

// better-sqlite3 as a file URL for the lock holder (run with -e, it resolves nothing itself).
const SQLITE = pathToFileURL(createRequire(import.meta.url).resolve('better-sqlite3')).href;

// A second process that takes the store's write lock (BEGIN IMMEDIATE), says "locked", holds it for ms, then commits.
const HOLD_LOCK = `
const { default: Database } = await import(process.argv[3]);
const db = new Database(process.argv[1]);
db.pragma('busy_timeout = 5000');
db.exec('BEGIN IMMEDIATE');
process.stdout.write('locked\\n');
setTimeout(() => { db.exec('COMMIT'); db.close(); }, Number(process.argv[2]));
`;

test('another process holding the write lock for 10 s during a burst: the event loop stays responsive, alerts wait queued and are all written after', async () => {
	const t = await tempDir();
	const sink = new StoreSink({ path: t.path, keyPath: t.keyPath, batch: 100, flushIntervalMs: 50, flushTimeoutMs: 20_000 });
	try {
		await sink.start();
		const holder = spawn(process.execPath, ['--input-type=module', '-e', HOLD_LOCK, t.path, '10000', SQLITE], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] });
		const exited = new Promise((r) => holder.once('exit', r));
		await new Promise<void>((resolve, reject) => {
			holder.stdout.once('data', () => resolve());
			holder.once('exit', (c) => reject(new Error(`lock holder exited ${c}`)));
		});
		const delay = monitorEventLoopDelay({ resolution: 10 });
		delay.enable();
		const n = 2000;
		for (let b = 0; b < n / 100; b++) {
			for (let i = b * 100; i < (b + 1) * 100; i++) sink.write(testAlert(i));
			await sleep(100);
		}
		const held = sink.stats();
		assert.deepEqual([held.written, held.dropped, held.queued], [0, 0, n], 'the lock is held: everything waits queued');
		await exited;
		delay.disable();
		// A store on the event thread waits out busy_timeout (5 s) per try; the worker keeps the loop free.
		assert.ok(delay.max < 1e9, `max event-loop delay ${(delay.max / 1e6).toFixed(0)} ms while the lock was held 10 s`);
		await sink.flush();
		const st = sink.stats();
		assert.deepEqual([st.written, st.dropped, st.queued], [n, 0, 0]);
		assert.ok(st.failed > 0, 'the busy store was counted as failed attempts');
		assert.deepEqual(storedIds(t.path), Array.from({ length: n }, (_, i) => testAlert(i).id));
	} finally {
		await sink.close();
		await t.cleanup();
	}
});

test('a held write lock with more alerts than maxPending: the excess is dropped and counted, the rest written after', async () => {
	const t = await tempDir();
	const sink = new StoreSink({ path: t.path, keyPath: t.keyPath, batch: 10, flushIntervalMs: 20, maxPending: 50 });
	try {
		await sink.start();
		const holder = spawn(process.execPath, ['--input-type=module', '-e', HOLD_LOCK, t.path, '1500', SQLITE], { stdio: ['ignore', 'pipe', 'inherit'] });
		const exited = new Promise((r) => holder.once('exit', r));
		await new Promise((r) => holder.stdout.once('data', r));
		for (let i = 0; i < 80; i++) sink.write(testAlert(i));
		const held = sink.stats();
		assert.deepEqual([held.written, held.dropped, held.queued], [0, 30, 50]);
		await exited;
		await sink.flush();
		const st = sink.stats();
		assert.deepEqual([st.written, st.dropped, st.queued], [50, 30, 0]);
		assert.deepEqual(storedIds(t.path), Array.from({ length: 50 }, (_, i) => testAlert(i).id));
	} finally {
		await sink.close();
		await t.cleanup();
	}
});

/** n events of the sample set (cycled), encoded as the monitor encodes them. */
function eventBatch(n: number, from = 0): EventBatch {
	const enc = new EventEncoder('test-host');
	const ctx = new EvalCtx();
	const evs = sampleEvents();
	for (let i = 0; i < n; i++) enc.add(ctx.set({ ...evs[(from + i) % evs.length], pid: 70_000 + from + i }));
	return enc.take()!;
}

test('events (events: true): batches go in the chain with the alerts; past maxPendingEvents while the lock is held a batch is dropped and counted; the chain verifies', async () => {
	const t = await tempDir();
	const sink = new StoreSink({ path: t.path, keyPath: t.keyPath, events: true, flushIntervalMs: 20, maxPendingEvents: 250 });
	try {
		await sink.start();
		assert.ok(sink.keepsEvents);
		sink.writeEvents(eventBatch(100));
		sink.write(testAlert(1));
		await sink.flush();
		assert.deepEqual(sink.eventStats(), { written: 100, dropped: 0, queued: 0 });
		const holder = spawn(process.execPath, ['--input-type=module', '-e', HOLD_LOCK, t.path, '1500', SQLITE], { stdio: ['ignore', 'pipe', 'inherit'] });
		const exited = new Promise((r) => holder.once('exit', r));
		await new Promise((r) => holder.stdout.once('data', r));
		for (let i = 0; i < 4; i++) sink.writeEvents(eventBatch(100, 100 * (i + 1)));
		assert.deepEqual(sink.eventStats(), { written: 100, dropped: 200, queued: 200 }, 'the third and fourth batch do not fit: dropped whole, counted');
		await exited;
		await sink.flush();
		assert.deepEqual(sink.eventStats(), { written: 300, dropped: 200, queued: 0 });
		await sink.close();
		const s = AuditStore.open(t.path, { readonly: true });
		try {
			const pids = s.db.prepare(`SELECT json_extract(data, '$.fields."proc.pid"') FROM records WHERE kind = 'event' ORDER BY id`).pluck().all() as number[];
			assert.deepEqual(pids, Array.from({ length: 300 }, (_, i) => 70_000 + i), 'in order, nothing lost but what was counted');
			const one = JSON.parse(s.db.prepare(`SELECT data FROM records WHERE kind = 'event' AND json_extract(data, '$.fields."proc.pid"') = 70012`).pluck().get() as string) as { fields: unknown; hostname: string };
			assert.deepEqual(one.fields, eventJson(new EvalCtx().set({ ...sampleEvents()[12], pid: 70_012 })));
			assert.equal(one.hostname, 'test-host');
		} finally {
			s.close();
		}
		assert.equal(verifyWithKey(t.path, t.keyPath).ok, true);
	} finally {
		await sink.close();
		await t.cleanup();
	}
});

test('events: a sink without events: true keeps none; a closed one counts what it is handed as dropped', async () => {
	const t = await tempDir();
	const plain = new StoreSink({ path: t.path, keyPath: t.keyPath });
	assert.equal(plain.keepsEvents, false);
	const sink = new StoreSink({ path: t.path, keyPath: t.keyPath, events: true });
	try {
		await sink.start();
		await sink.close();
		sink.writeEvents(eventBatch(7));
		assert.deepEqual(sink.eventStats(), { written: 0, dropped: 7, queued: 0 });
		assert.deepEqual(createSinks({ store: { path: t.path, events: true } }).eventSinks.map((s) => s.name), ['store']);
		assert.deepEqual(createSinks({ store: { path: t.path } }).eventSinks, []);
	} finally {
		await t.cleanup();
	}
});
