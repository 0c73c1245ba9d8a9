/** @module sinks/syslog.test: RFC 5424 over UDP (node:dgram listener) and a unix datagram socket (native send), escaping, and the shared sink suite. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { repoPath } from '../util/paths.js';
import { SyslogSink, formatSyslog } from './syslog.js';
import { sinkSuite, testAlert, waitFor } from '../../test/helpers/sink-suite.js';

// <PRI>1 TIMESTAMP HOSTNAME APP PROCID MSGID [SD-ID rule="" priority="" id=""( count="")?] MSG
const RFC5424 = /^<(\d+)>1 (\S+) (\S+) bpfguard (\d+) - \[bpfguard@32473 rule="((?:[^"\\\]]|\\["\\\]])*)" priority="(\w+)" id="((?:[^"\\\]]|\\["\\\]])*)"(?: count="(\d+)")?\] (.*)$/s;
const unescapeSd = (v: string): string => v.replace(/\\(["\\\]])/g, '$1');

/** A UDP listener on 127.0.0.1 collecting messages. */
async function udpListener(): Promise<{ target: string; msgs: string[]; close: () => void }> {
	const sock = createSocket('udp4');
	const msgs: string[] = [];
	sock.on('message', (m) => msgs.push(m.toString('utf8')));
	await new Promise<void>((r) => sock.bind(0, '127.0.0.1', r));
	return { target: `udp://127.0.0.1:${(sock.address() as AddressInfo).port}`, msgs, close: () => sock.close() };
}

/** The C receiver (test/progs/dgramrecv.c) bound to a socket in a temp dir; one line per datagram. */
async function unixListener(count: number): Promise<{ target: string; msgs: string[]; close: () => Promise<void> }> {
	const dir = await mkdtemp(join(tmpdir(), 'bg-syslog-'));
	const target = join(dir, 'log.sock');
	const child = spawn(repoPath('build/progs/dgramrecv'), [target, String(count), '5'], { stdio: ['ignore', 'pipe', 'inherit'] });
	let out = '';
	child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
	await waitFor(() => (out.startsWith('ready\n') ? [1] : []), 1, 5000);
	const msgs: string[] = [];
	const lines = (): string[] => out.split('\n').slice(1, -1);
	return {
		target,
		get msgs() {
			msgs.splice(0, msgs.length, ...lines());
			return msgs;
		},
		close: async () => {
			child.kill();
			await rm(dir, { recursive: true, force: true });
		},
	};
}

const idOf = (m: string): string => unescapeSd(RFC5424.exec(m)?.[7] ?? `?${m}`);

sinkSuite('syslog udp', async () => {
	const l = await udpListener();
	return {
		sink: new SyslogSink({ target: l.target }),
		received: async (n) => (await waitFor(() => l.msgs, n, 3000)).map(idOf),
		cleanup: async () => l.close(),
	};
});

sinkSuite('syslog unix', async () => {
	const l = await unixListener(1000);
	return {
		sink: new SyslogSink({ target: l.target }),
		received: async (n) => (await waitFor(() => l.msgs, n, 3000)).map(idOf),
		cleanup: () => l.close(),
	};
});

test('udp: an RFC 5424 message per alert; newline, quote and ] in data escaped; severity and facility in PRI', async () => {
	const l = await udpListener();
	const sink = new SyslogSink({ target: l.target, facility: 'local0' });
	try {
		await sink.start();
		const a = testAlert(3, { rule: 'Rule "x" [y]\nz', priority: 'critical', count: 4 });
		sink.write(a);
		await sink.flush();
		const [m] = await waitFor(() => l.msgs, 1, 3000);
		const f = RFC5424.exec(m);
		assert.ok(f, m);
		assert.equal(Number(f[1]), 16 * 8 + 2);
		assert.equal(f[2], '2025-01-02T03:04:05.003Z');
		assert.equal(f[3], 'host-1');
		assert.equal(Number(f[4]), process.pid);
		assert.equal(f[5], 'Rule \\"x\\" [y\\]\\\\nz');
		assert.equal(unescapeSd(f[5]), 'Rule "x" [y]\\nz');
		assert.equal(f[6], 'critical');
		assert.equal(f[7], a.id);
		assert.equal(f[8], '4');
		assert.equal(f[9], `cat opened /etc/sh"a]dow\\nforged\\e[2J line héllo id=${a.id}`);
		assert.doesNotMatch(m, /[\n\r\u001b]/);
	} finally {
		await sink.close();
		l.close();
	}
});

test('unix socket: messages arrive through the native sendUnixDgram, one line each, default facility authpriv', async () => {
	const l = await unixListener(3);
	const sink = new SyslogSink({ target: l.target });
	try {
		await sink.start();
		for (let i = 0; i < 3; i++) sink.write(testAlert(i, { priority: 'debug' }));
		await sink.flush();
		const msgs = await waitFor(() => l.msgs, 3, 3000);
		assert.deepEqual(msgs.map(idOf), [0, 1, 2].map((i) => testAlert(i).id));
		for (const m of msgs) assert.equal(RFC5424.exec(m)?.[1], String(10 * 8 + 7));
	} finally {
		await sink.close();
		await l.close();
	}
});

test('no receiver: failures are retried, then dropped and counted; nothing is thrown', async () => {
	const sink = new SyslogSink({ target: join(tmpdir(), `bg-none-${process.pid}.sock`) });
	await sink.start();
	assert.doesNotThrow(() => sink.write(testAlert(1)));
	await sink.flush();
	const st = sink.stats();
	assert.deepEqual([st.written, st.dropped, st.queued], [0, 1, 0]);
	assert.equal(st.failed, 4);
	await sink.close();
});

test('a long message is cut at a UTF-8 boundary to maxMessageBytes and counted', () => {
	const { msg, truncated } = formatSyslog(testAlert(1, { output: 'é'.repeat(500) }), 10, 1, 301);
	assert.equal(truncated, true);
	assert.ok(msg.length <= 301);
	assert.equal(Buffer.from(msg.toString('utf8')).equals(msg), true);
});

test('a bad target is a SinkError at start, not at write', async () => {
	await assert.rejects(new SyslogSink({ target: 'tcp://x:1' }).start(), { code: 'EINVAL' });
});
