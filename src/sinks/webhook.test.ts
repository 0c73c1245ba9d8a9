/** @module sinks/webhook.test: delivery through an outage and a restart, headers, spool bound, redirects, token sources, and the shared sink suite. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpReceiver } from '../../test/helpers/http-receiver.js';
import { runOutage } from '../../test/helpers/webhook-outage.js';
import { WebhookSink, idempotencyKey, type WebhookOptions } from './webhook.js';
import { sinkSuite, testAlert, waitFor } from '../../test/helpers/sink-suite.js';

const FAST = { backoffMs: 20, maxBackoffMs: 200, timeoutMs: 2000, flushTimeoutMs: 20_000 };

async function setup(over: Partial<WebhookOptions> = {}, receiverUp = true) {
	const dir = await mkdtemp(join(tmpdir(), 'bg-webhook-'));
	const rx = new HttpReceiver();
	await rx.up();
	if (!receiverUp) await rx.down();
	const make = (o: Partial<WebhookOptions> = {}): WebhookSink =>
		new WebhookSink({ url: rx.url, spoolDir: join(dir, 'spool'), ...FAST, ...over, ...o });
	const cleanup = async (): Promise<void> => {
		await rx.down();
		await rm(dir, { recursive: true, force: true });
	};
	return { dir, rx, make, cleanup };
}

sinkSuite('webhook', async () => {
	const { rx, make, cleanup } = await setup();
	return { sink: make(), received: async () => rx.ids, cleanup };
});

sinkSuite('webhook batch 7', async () => {
	const { rx, make, cleanup } = await setup({ batch: 7 });
	return { sink: make(), received: async () => rx.ids, cleanup };
});

test('outage during a burst: every alert arrives, in order, none lost (short outage; bench/webhook-outage runs 30 s)', async () => {
	const r = await runOutage({ outageMs: 2500, alerts: 300, backoffMs: 20, maxBackoffMs: 300 });
	assert.equal(r.delivered, r.sent);
	assert.equal(r.missing, 0);
	assert.equal(r.dropped, 0);
	assert.equal(r.inOrder, true);
	assert.ok(r.failedAttempts > 0, 'the receiver really was down');
});

test('restart while the receiver is down: a new sink on the same spool delivers the old alerts first', async () => {
	const { dir, rx, make, cleanup } = await setup({}, false);
	try {
		const first = make();
		await first.start();
		for (let i = 0; i < 30; i++) first.write(testAlert(i));
		await new Promise((r) => setTimeout(r, 200));
		await first.close();
		assert.equal(first.stats().queued, 30);
		assert.equal(rx.ids.length, 0);
		const spool = join(dir, 'spool');
		assert.equal((await stat(spool)).mode & 0o777, 0o700);
		for (const f of await readdir(spool)) assert.equal((await stat(join(spool, f))).mode & 0o777, 0o600, f);
		const second = make();
		await second.start();
		assert.equal(second.stats().recovered, 30);
		for (let i = 30; i < 40; i++) second.write(testAlert(i));
		await rx.up();
		await second.flush();
		await second.close();
		const want = Array.from({ length: 40 }, (_, i) => testAlert(i).id);
		assert.deepEqual([...new Set(rx.ids)], want);
		assert.equal(second.stats().written, 40);
	} finally {
		await cleanup();
	}
});

test('each request carries the alert id as Idempotency-Key and the bearer token', async () => {
	const { rx, make, cleanup } = await setup({ token: 's3cret' });
	const sink = make();
	try {
		await sink.start();
		sink.write(testAlert(1));
		await sink.flush();
		assert.deepEqual(rx.requests, [{ ids: [testAlert(1).id], key: testAlert(1).id, auth: 'Bearer s3cret' }]);
		assert.match(idempotencyKey(['a', 'b']), /^batch-[0-9a-f]{32}$/);
		assert.equal(idempotencyKey(['a', 'b']), idempotencyKey(['a', 'b']));
	} finally {
		await sink.close();
		await cleanup();
	}
});

test('spool bound while the receiver is down: the oldest are dropped and counted, the rest arrive in order', async () => {
	const { rx, make, cleanup } = await setup({ spoolMaxBytes: 8000 }, false);
	const sink = make();
	try {
		await sink.start();
		const n = 100;
		for (let i = 0; i < n; i++) {
			sink.write(testAlert(i));
			if (i % 10 === 9) await new Promise((r) => setTimeout(r, 60));
		}
		await rx.up();
		await sink.flush();
		const st = sink.stats();
		const got = [...new Set(rx.ids)];
		assert.ok(st.dropped > 0);
		assert.equal(got.length + st.dropped, n);
		assert.deepEqual(got, Array.from({ length: got.length }, (_, i) => testAlert(n - got.length + i).id));
	} finally {
		await sink.close();
		await cleanup();
	}
});

test('a 503 is retried until the receiver accepts', async () => {
	const { rx, make, cleanup } = await setup();
	const sink = make();
	try {
		rx.status = 503;
		await sink.start();
		sink.write(testAlert(1));
		assert.equal((await waitFor(() => (sink.stats().failed >= 2 ? [1] : []), 1)).length, 1);
		rx.status = 200;
		await sink.flush();
		assert.deepEqual(rx.ids, [testAlert(1).id]);
	} finally {
		await sink.close();
		await cleanup();
	}
});

test('a receiver that refuses the payload (400) does not block the queue: dropped and counted as rejected', async () => {
	const { rx, make, cleanup } = await setup();
	const sink = make();
	try {
		rx.status = 400;
		await sink.start();
		sink.write(testAlert(1));
		await sink.flush();
		rx.status = 200;
		sink.write(testAlert(2));
		await sink.flush();
		await waitFor(() => rx.ids, 1);
		assert.deepEqual(rx.ids, [testAlert(2).id]);
		const st = sink.stats();
		assert.deepEqual([st.written, st.dropped, st.rejected], [1, 1, 1]);
	} finally {
		await sink.close();
		await cleanup();
	}
});

test('a receiver that never answers times out and is retried', async () => {
	const { rx, make, cleanup } = await setup({ timeoutMs: 200 });
	const sink = make();
	try {
		rx.hang = true;
		await sink.start();
		sink.write(testAlert(1));
		assert.equal((await waitFor(() => (sink.stats().failed >= 2 ? [1] : []), 1)).length, 1);
		rx.hang = false;
		await sink.flush();
		assert.deepEqual(rx.ids, [testAlert(1).id]);
	} finally {
		await sink.close();
		await cleanup();
	}
});

test('a 3xx is a failure, retried with backoff; the redirect is never followed (POST or GET)', async () => {
	for (const status of [301, 302, 303, 307, 308]) {
		const { rx, make, cleanup } = await setup({ token: 's3cret' });
		const elsewhere = new HttpReceiver();
		await elsewhere.up();
		const sink = make();
		try {
			rx.status = status;
			rx.location = elsewhere.url;
			await sink.start();
			sink.write(testAlert(1));
			await waitFor(() => (sink.stats().failed >= 2 ? [1] : []), 1);
			assert.deepEqual(elsewhere.seen, [], `${status}: the redirect was followed`);
			assert.deepEqual([sink.stats().written, sink.stats().queued], [0, 1], `${status}`);
			assert.ok(sink.stats().failed >= 2, `${status}: failures counted`);
			rx.status = 200;
			await sink.flush();
			assert.deepEqual(rx.ids, [testAlert(1).id], `${status}: delivered once the receiver answers 2xx`);
		} finally {
			await sink.close();
			await elsewhere.down();
			await cleanup();
		}
	}
});

test('the token can come from a file (0600) or an environment variable', async () => {
	const { dir, rx, make, cleanup } = await setup();
	const tokenFile = join(dir, 'token');
	await writeFile(tokenFile, 'from-file\n', { mode: 0o600 });
	process.env.BG_TEST_WEBHOOK_TOKEN = 'from-env';
	const a = make({ tokenFile });
	const b = make({ tokenEnv: 'BG_TEST_WEBHOOK_TOKEN' });
	try {
		for (const [i, sink] of [a, b].entries()) {
			await sink.start();
			sink.write(testAlert(i));
			await sink.flush();
			await sink.close();
		}
		assert.deepEqual(rx.requests.map((r) => r.auth), ['Bearer from-file', 'Bearer from-env']);
	} finally {
		delete process.env.BG_TEST_WEBHOOK_TOKEN;
		await cleanup();
	}
});

test('a token file others can read, or an unset token variable, refuses to start with a clear error', async () => {
	const { dir, rx, make, cleanup } = await setup();
	const tokenFile = join(dir, 'token');
	await writeFile(tokenFile, 'leaked\n', { mode: 0o600 });
	await chmod(tokenFile, 0o640);
	try {
		await assert.rejects(make({ tokenFile }).start(), (e: Error) => {
			assert.equal(e.message.split('\n').length, 1);
			assert.match(e.message, new RegExp(`${tokenFile}.*readable by group or others \\(mode 0640\\).*chmod 600 ${tokenFile}`));
			return true;
		});
		delete process.env.BG_TEST_UNSET_TOKEN;
		await assert.rejects(make({ tokenEnv: 'BG_TEST_UNSET_TOKEN' }).start(), /BG_TEST_UNSET_TOKEN.*not set/);
		assert.deepEqual(rx.requests, []);
	} finally {
		await cleanup();
	}
});

// Spool segment files, oldest first.
const segments = async (spool: string): Promise<string[]> => (await readdir(spool)).filter((f) => f.endsWith('.seg')).sort();

test('a spool segment cut on disk (fewer records than counted) does not make the delivery loop spin: the lost records are counted, delivery goes on', async () => {
	const { dir, rx, make, cleanup } = await setup({ spoolMaxBytes: 32 * 1024, flushTimeoutMs: 100 }, false);
	try {
		const sink = make();
		await sink.start();
		for (let i = 0; i < 15; i++) sink.write(testAlert(i));
		await sink.flush(); // spooled; the receiver is down
		for (let i = 15; i < 30; i++) sink.write(testAlert(i));
		await sink.flush(); // the first segment is past its 4 KiB: these start a second one
		const spool = join(dir, 'spool');
		const segs = await segments(spool);
		assert.equal(segs.length, 2);
		await writeFile(join(spool, segs[1]), ''); // cut behind the spool's back
		await rx.up();
		await waitFor(async () => rx.ids, 15);
		const before = sink.stats().attempts;
		await new Promise((r) => setTimeout(r, 500));
		const st = sink.stats();
		// A spinning loop turns thousands of times in 500 ms; a waiting one at most a few (wake-ups, one per second idle).
		assert.ok(st.attempts - before <= 5, `delivery loop turns in 500 ms while idle: ${st.attempts - before}`);
		assert.deepEqual([st.written, st.dropped, st.queued], [15, 15, 0]);
		sink.write(testAlert(30));
		await sink.flush();
		assert.deepEqual(rx.ids, [...Array.from({ length: 15 }, (_, i) => testAlert(i).id), testAlert(30).id]);
		await sink.close();
	} finally {
		await cleanup();
	}
});

test('a spool segment that cannot be read is retried with backoff, not in a hot loop', async () => {
	const { dir, rx, make, cleanup } = await setup({ spoolMaxBytes: 32 * 1024, backoffMs: 50, maxBackoffMs: 100, flushTimeoutMs: 100 }, false);
	try {
		const sink = make();
		await sink.start();
		for (let i = 0; i < 15; i++) sink.write(testAlert(i));
		await sink.flush();
		for (let i = 15; i < 30; i++) sink.write(testAlert(i));
		await sink.flush();
		const spool = join(dir, 'spool');
		const segs = await segments(spool);
		assert.equal(segs.length, 2);
		// A read error even for root: the second segment becomes a directory (EISDIR).
		await rm(join(spool, segs[1]));
		await mkdir(join(spool, segs[1]));
		await rx.up();
		await waitFor(async () => rx.ids, 15);
		const before = sink.stats();
		await new Promise((r) => setTimeout(r, 1000));
		const st = sink.stats();
		// Backoff 50-100 ms doubling to a 100 ms cap: at most ~20 turns in a second; a hot loop makes thousands.
		assert.ok(st.attempts - before.attempts <= 25, `delivery loop turns in 1 s: ${st.attempts - before.attempts}`);
		assert.ok(st.failed - before.failed >= 3, 'the read error is counted as a failed attempt');
		assert.deepEqual([st.written, st.queued], [15, 15], 'the unreadable records stay queued');
		await rm(join(spool, segs[1]), { recursive: true });
		await sink.close();
	} finally {
		await cleanup();
	}
});
