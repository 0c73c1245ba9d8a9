/** @module sinks/webhook-tls.test: https receivers with a CA made for the test: server verification against `ca`, client certificates, key file permissions. */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpReceiver } from '../../test/helpers/http-receiver.js';
import { makePki } from '../../test/helpers/tls-certs.js';
import { sinkSuite, testAlert, waitFor } from '../../test/helpers/sink-suite.js';
import { WebhookSink, type WebhookOptions } from './webhook.js';

const FAST = { backoffMs: 20, maxBackoffMs: 200, timeoutMs: 2000, flushTimeoutMs: 20_000 };
const dir = mkdtempSync(join(tmpdir(), 'bg-webhook-tls-'));
const pki = makePki(dir);
chmodSync(pki.client.keyFile, 0o600);
after(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
function sinkFor(rx: HttpReceiver, o: Partial<WebhookOptions> = {}): WebhookSink {
	return new WebhookSink({ url: rx.url, spoolDir: join(dir, `spool-${n++}`), ca: pki.caFile, ...FAST, ...o });
}

sinkSuite('webhook https', async () => {
	const rx = new HttpReceiver({ key: pki.server.key, cert: pki.server.cert });
	await rx.up();
	return { sink: sinkFor(rx), received: async () => rx.ids, cleanup: () => rx.down() };
});

test('https with ca: a server whose certificate the CA did not sign is refused (failure counted, retried); one it signed is accepted', async () => {
	const rx = new HttpReceiver({ key: pki.rogue.key, cert: pki.rogue.cert });
	await rx.up();
	const sink = sinkFor(rx);
	try {
		await sink.start();
		sink.write(testAlert(1));
		await waitFor(() => (sink.stats().failed >= 2 ? [1] : []), 1);
		assert.ok(sink.stats().failed >= 2, 'the rogue server was refused, and retried');
		assert.deepEqual(rx.requests, [], 'no request body reached the rogue server');
		await rx.down();
		rx.tls = { key: pki.server.key, cert: pki.server.cert };
		await rx.up();
		await sink.flush();
		assert.deepEqual(rx.ids, [testAlert(1).id]);
		assert.deepEqual([sink.stats().written, sink.stats().queued], [1, 0]);
	} finally {
		await sink.close();
		await rx.down();
	}
});

test('client certificate: a receiver that requires one accepts cert+key signed by its CA, and refuses a sink without them', async () => {
	const rx = new HttpReceiver({ key: pki.server.key, cert: pki.server.cert, ca: pki.ca, requestCert: true });
	await rx.up();
	const anonymous = sinkFor(rx);
	const authed = sinkFor(rx, { cert: pki.client.certFile, key: pki.client.keyFile });
	try {
		await anonymous.start();
		anonymous.write(testAlert(1));
		await waitFor(() => (anonymous.stats().failed >= 2 ? [1] : []), 1);
		assert.ok(anonymous.stats().failed >= 2, 'refused without a client certificate');
		assert.deepEqual([anonymous.stats().written, rx.requests.length], [0, 0]);
		await authed.start();
		authed.write(testAlert(2));
		await authed.flush();
		assert.deepEqual(rx.requests.map((r) => [r.ids, r.peer]), [[[testAlert(2).id], 'bpfguard-test-client']]);
	} finally {
		await anonymous.close();
		await authed.close();
		await rx.down();
	}
});

test('a client key file others can read, or a missing ca file, refuses to start with one clear line', async () => {
	const rx = new HttpReceiver({ key: pki.server.key, cert: pki.server.cert });
	await rx.up();
	try {
		chmodSync(pki.client.keyFile, 0o644);
		await assert.rejects(sinkFor(rx, { cert: pki.client.certFile, key: pki.client.keyFile }).start(), (e: Error) => {
			assert.match(e.message, new RegExp(`^read webhook key ${pki.client.keyFile}: readable by group or others \\(mode 0644\\); fix: chmod 600 ${pki.client.keyFile}$`));
			return true;
		});
		await assert.rejects(sinkFor(rx, { ca: join(dir, 'nope.crt') }).start(), (e: Error) => e.message === `read webhook ca ${join(dir, 'nope.crt')}: ENOENT`);
		assert.deepEqual(rx.requests, []);
	} finally {
		chmodSync(pki.client.keyFile, 0o600);
		await rx.down();
	}
});
