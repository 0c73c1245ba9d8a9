/** @module sinks/syslog.test: RFC 5424 over UDP (node:dgram listener), escaping, and the shared sink suite (the unix socket path, which needs the native addon: test/kernel/syslog-unix.test). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
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

const idOf = (m: string): string => unescapeSd(RFC5424.exec(m)?.[7] ?? `?${m}`);

sinkSuite('syslog udp', async () => {
	const l = await udpListener();
	return {
		sink: new SyslogSink({ target: l.target }),
		received: async (n) => (await waitFor(() => l.msgs, n, 3000)).map(idOf),
		cleanup: async () => l.close(),
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



test('a long message is cut at a UTF-8 boundary to maxMessageBytes and counted', () => {
	const { msg, truncated } = formatSyslog(testAlert(1, { output: 'é'.repeat(500) }), 10, 1, 301);
	assert.equal(truncated, true);
	assert.ok(msg.length <= 301);
	assert.equal(Buffer.from(msg.toString('utf8')).equals(msg), true);
});

test('a bad target is a SinkError at start, not at write', async () => {
	await assert.rejects(new SyslogSink({ target: 'tcp://x:1' }).start(), { code: 'EINVAL' });
});
