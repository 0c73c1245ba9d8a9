/** @module test/kernel/disk-full.test: a full disk under the jsonl sink, the webhook spool and the audit store: only whole records count as written, the rest are dropped or queued (counted), and processing goes on. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { requireRoot } from '../helpers/bpf.js';
import { testAlert, waitFor } from '../helpers/sink-suite.js';
import { HttpReceiver } from '../helpers/http-receiver.js';
import { JsonlSink } from '../../src/sinks/jsonl.js';
import { WebhookSink } from '../../src/sinks/webhook.js';
import { Spool } from '../../src/sinks/spool.js';
import { StoreSink } from '../../src/sinks/store.js';
import { AuditStore } from '../../src/store/store.js';

const N = 3000;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const idNum = (id: string): number => Number(/^al-(\d+)-/.exec(id)![1]);

// Ids of the whole lines of a file, asserting the file holds nothing else (no torn last line, nothing unparseable).
function wholeLines(text: string): string[] {
	assert.ok(text === '' || text.endsWith('\n'), 'the file ends with a whole line');
	return text.split('\n').slice(0, -1).map((l) => (JSON.parse(l) as { id: string }).id);
}

function assertIncreasing(ids: string[], what: string): void {
	for (let i = 1; i < ids.length; i++) assert.ok(idNum(ids[i]) > idNum(ids[i - 1]), `${what}: in order, no duplicate at ${i}`);
}

function mountTmpfs(dir: string, size: string): void {
	mkdirSync(dir);
	const m = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0700`, 'tmpfs', dir], { encoding: 'utf8' });
	assert.equal(m.status, 0, `mount a small tmpfs: ${m.stderr}`);
}

test('a 256k tmpfs fills under the jsonl sink and the webhook spool: nothing counted written that is not whole on disk, drops counted, writing resumes once space is back', async (t) => {
	if (!requireRoot(t)) return;
	const dir = mkdtempSync('/var/tmp/bg-full-');
	const full = join(dir, 'full');
	mountTmpfs(full, '256k');
	const rx = new HttpReceiver();
	let jsonl: JsonlSink | undefined;
	let hook: WebhookSink | undefined;
	try {
		const ballast = join(full, 'ballast');
		writeFileSync(ballast, Buffer.alloc(32 * 1024), { mode: 0o600 });
		const path = join(full, 'alerts.jsonl');
		jsonl = new JsonlSink({ path, flushIntervalMs: 5 });
		await rx.up();
		await rx.down(); // the receiver stays down: every webhook alert stays in the spool
		const spoolDir = join(full, 'spool');
		hook = new WebhookSink({ url: rx.url, spoolDir, backoffMs: 20, maxBackoffMs: 100, persistIntervalMs: 5, flushTimeoutMs: 100 });
		await jsonl.start();
		await hook.start();
		const delay = monitorEventLoopDelay({ resolution: 10 });
		delay.enable();
		let ticks = 0;
		const ticker = setInterval(() => ticks++, 10);
		let evaluated = 0;
		for (let b = 0; b < N / 50; b++) {
			for (let i = b * 50; i < (b + 1) * 50; i++) {
				const a = testAlert(i);
				jsonl.write(a);
				hook.write(a);
				evaluated++;
			}
			await sleep(5);
		}
		await jsonl.flush();
		await hook.flush();
		clearInterval(ticker);
		delay.disable();
		assert.equal(evaluated, N, 'every alert was handed to both sinks');
		assert.ok(ticks >= 10, `timers kept firing while the disk was full (${ticks})`);
		assert.ok(delay.max < 1e9, `event-loop delay stayed below 1 s (max ${delay.max / 1e6} ms)`);

		const js = jsonl.stats();
		const onDisk = wholeLines(readFileSync(path, 'utf8'));
		assert.equal(onDisk.length, js.written, 'jsonl: written = whole lines on disk');
		assertIncreasing(onDisk, 'jsonl');
		assert.ok(js.dropped > 0 && js.failed > 0, `jsonl: the full disk cost counted drops (${JSON.stringify(js)})`);
		assert.equal(js.written + js.dropped + js.queued, N, 'jsonl: every alert accounted for');

		// Space comes back: the sink writes again, after the last whole line, without repeating any.
		rmSync(ballast);
		for (let i = N; i < N + 20; i++) jsonl.write(testAlert(i));
		await jsonl.close();
		const after = wholeLines(readFileSync(path, 'utf8'));
		assert.deepEqual(after.slice(0, onDisk.length), onDisk, 'jsonl: what was written stays');
		assert.deepEqual(after.slice(onDisk.length).map(idNum), Array.from({ length: 20 }, (_, i) => N + i), 'jsonl: the new alerts follow');
		assert.equal(jsonl.stats().written, after.length);

		await hook.close();
		const hs = hook.stats();
		assert.equal(hs.written, 0);
		assert.ok(hs.dropped > 0, `webhook: the full disk cost counted drops (${JSON.stringify(hs)})`);
		assert.equal(hs.queued + hs.dropped, N, 'webhook: every alert is spooled or dropped, counted');
		rmSync(path); // room for the spool's cursor
		const sp = await Spool.open(spoolDir, { maxBytes: 64 * 1024 * 1024 });
		assert.equal(sp.dropped, 0, 'spool: no torn or unreadable record on disk');
		assert.equal(sp.recovered, hs.queued, 'spool: counted as spooled = whole records on disk');
		const ids: string[] = [];
		while (sp.pending > 0) {
			const { records, end } = await sp.peek(500);
			ids.push(...records.map((r) => (JSON.parse(r) as { id: string }).id));
			await sp.ack(end);
		}
		assertIncreasing(ids, 'spool');
		await sp.close();
	} finally {
		await jsonl?.close().catch(() => {});
		await hook?.close().catch(() => {});
		await rx.down().catch(() => {});
		spawnSync('umount', ['-l', full]);
		rmSync(dir, { recursive: true, force: true });
	}
});

test('the audit store on a full tmpfs: refused batches are dropped and counted, what is counted written is in the store, the event loop stays free', async (t) => {
	if (!requireRoot(t)) return;
	const dir = mkdtempSync('/var/tmp/bg-full-');
	const full = join(dir, 'full');
	mountTmpfs(full, '4m'); // room for 200 alerts: the database, its nine B-trees (16 KiB pages) and the WAL
	const path = join(full, 'audit.db');
	let sink: StoreSink | undefined;
	try {
		sink = new StoreSink({ path, keyPath: join(dir, 'store.key'), batch: 50, flushIntervalMs: 5 });
		await sink.start();
		for (let i = 0; i < 200; i++) sink.write(testAlert(i));
		await sink.flush();
		assert.equal(sink.stats().written, 200, 'written while there was room');
		const fill = spawnSync('dd', ['if=/dev/zero', `of=${join(full, 'filler')}`, 'bs=4k'], { encoding: 'utf8' });
		assert.match(fill.stderr, /No space left on device/, 'the tmpfs is full');
		const delay = monitorEventLoopDelay({ resolution: 10 });
		delay.enable();
		const n = 1000;
		for (let b = 200 / 50; b < n / 50; b++) {
			for (let i = b * 50; i < (b + 1) * 50; i++) sink.write(testAlert(i));
			await sleep(5);
		}
		await sink.flush();
		delay.disable();
		const st = sink.stats();
		assert.ok(st.dropped > 0 && st.failed > 0, `the full disk cost counted drops (${JSON.stringify(st)})`);
		assert.equal(st.written + st.dropped + st.queued, n, 'every alert accounted for');
		assert.equal(st.queued, 0);
		assert.ok(delay.max < 1e9, `event-loop delay stayed below 1 s (max ${delay.max / 1e6} ms)`);
		await sink.close();
		rmSync(join(full, 'filler'));
		const s = AuditStore.open(path, { readonly: true });
		try {
			const ids = s.db.prepare(`SELECT json_extract(data, '$.id') FROM records WHERE kind = 'alert' ORDER BY id`).pluck().all() as string[];
			assert.deepEqual(ids, Array.from({ length: st.written }, (_, i) => testAlert(i).id), 'counted written = alerts in the store, in order');
		} finally {
			s.close();
		}
	} finally {
		await sink?.close().catch(() => {});
		spawnSync('umount', ['-l', full]);
		rmSync(dir, { recursive: true, force: true });
	}
});

test('webhook alerts the full spool disk refused reach the spool and the receiver once space is back, with no further alert to prompt it', async (t) => {
	if (!requireRoot(t)) return;
	const dir = mkdtempSync('/var/tmp/bg-full-');
	const full = join(dir, 'full');
	mountTmpfs(full, '128k');
	const rx = new HttpReceiver();
	let hook: WebhookSink | undefined;
	try {
		await rx.up();
		hook = new WebhookSink({ url: rx.url, spoolDir: join(full, 'spool'), backoffMs: 20, maxBackoffMs: 100, persistIntervalMs: 5 });
		await hook.start();
		const filler = join(full, 'filler');
		const fill = spawnSync('dd', ['if=/dev/zero', `of=${filler}`, 'bs=4k'], { encoding: 'utf8' });
		assert.match(fill.stderr, /No space left on device/, 'the tmpfs is full');
		for (let i = 0; i < 20; i++) hook.write(testAlert(i));
		await sleep(300);
		const st = hook.stats();
		assert.ok(st.failed > 0, 'the spool refused the alerts');
		assert.deepEqual([rx.ids.length, st.queued, st.dropped], [0, 20, 0], 'kept in memory, not lost');
		rmSync(filler);
		const got = await waitFor(async () => rx.ids, 20, 5000);
		assert.deepEqual(got, Array.from({ length: 20 }, (_, i) => testAlert(i).id));
	} finally {
		await hook?.close().catch(() => {});
		await rx.down().catch(() => {});
		spawnSync('umount', ['-l', full]);
		rmSync(dir, { recursive: true, force: true });
	}
});
