/** @module test/kernel/syslog-unix.test: the syslog sink over a unix datagram socket: messages sent by the native addon (sendUnixDgram) to the C receiver test/progs/dgramrecv, and the shared sink suite. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoPath } from '../../src/util/paths.js';
import { SyslogSink } from '../../src/sinks/syslog.js';
import { sinkSuite, testAlert, waitFor } from '../helpers/sink-suite.js';

// <PRI>1 TIMESTAMP HOSTNAME APP PROCID MSGID [SD-ID rule="" priority="" id=""( count="")?] MSG (as in src/sinks/syslog.test)
const RFC5424 = /^<(\d+)>1 (\S+) (\S+) bpfguard (\d+) - \[bpfguard@32473 rule="((?:[^"\\\]]|\\["\\\]])*)" priority="(\w+)" id="((?:[^"\\\]]|\\["\\\]])*)"(?: count="(\d+)")?\] (.*)$/s;
const unescapeSd = (v: string): string => v.replace(/\\(["\\\]])/g, '$1');
const idOf = (m: string): string => unescapeSd(RFC5424.exec(m)?.[7] ?? `?${m}`);

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

sinkSuite('syslog unix', async () => {
	const l = await unixListener(1000);
	return {
		sink: new SyslogSink({ target: l.target }),
		received: async (n) => (await waitFor(() => l.msgs, n, 3000)).map(idOf),
		cleanup: () => l.close(),
	};
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
