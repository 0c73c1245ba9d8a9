/** @module test/kernel/net-scratch.test: the net sensor's softirq state handler and its syscall handlers build records in separate buffers (issue #14 part 5): every record exact under a mixed storm. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { requireBpf } from '../helpers/bpf.js';
import { tcpServer } from '../helpers/tcpserver.js';
import { collect, run } from '../helpers/collect.js';
import { netSensor } from '../../src/sensors/net.js';
import type { BgEvent, NetEvent } from '../../src/events/types.js';
import { repoPath } from '../../src/util/paths.js';

const CLIENTS = 4;
const PER_CLIENT = 150;

test('concurrent loopback clients while a connect/RST storm runs: every connect, outcome and close record is exact (its own kind, owner and tuple)', async (t) => {
	if (!requireBpf(t, ['dispatch', 'net'])) return;
	const clients: number[] = [];
	let port = 0;
	let storm = 0;
	const { events, kernel } = await collect([netSensor], {}, async () => {
		const s = await tcpServer('127.0.0.1', CLIENTS * PER_CLIENT);
		port = s.port;
		// process-context connects and closes (connstorm: RST closes, state changes in softirq) alongside
		const st = run(repoPath('build/progs/connstorm'), ['3']);
		const cs = await Promise.all(Array.from({ length: CLIENTS }, () => run(repoPath('build/progs/tcpclient'), ['127.0.0.1', String(port), String(PER_CLIENT)])));
		for (const c of cs) {
			assert.equal(c.stdout.trim(), `ok=${PER_CLIENT}`);
			clients.push(c.pid);
		}
		const r = await st;
		assert.match(r.stdout, /connects=\d+/);
		storm = r.pid;
		await s.done;
	}, 500);
	assert.equal(kernel.rb_full ?? 0, 0, 'nothing lost to a full ring buffer (the counts below would not hold)');
	assert.equal(kernel.no_scratch ?? 0, 0);
	const of = (pid: number) => events.filter((e: BgEvent): e is NetEvent => e.kind.startsWith('net_') && e.pid === pid);
	for (const pid of clients) {
		const evs = of(pid);
		const conns = evs.filter((e) => e.kind === 'net_connect');
		assert.equal(conns.length, PER_CLIENT, `client ${pid}: one connect record per connect`);
		for (const c of conns) {
			assert.deepEqual([c.comm, c.tid, c.dip, c.dport, c.sip, c.ret, c.state, c.proto, c.family, c.fd, c.dir, c.durationMs, c.bytesSent], ['tcpclient', pid, '127.0.0.1', port, '127.0.0.1', 0, 'established', 'tcp', 'ip', 3, 'out', 0, 0]);
			assert.ok(c.connId > 0n && c.sport > 0);
		}
		const ids = new Set(conns.map((c) => c.connId));
		assert.equal(ids.size, PER_CLIENT, 'a connection id each');
		for (const e of evs.filter((x) => x.kind !== 'net_connect')) {
			assert.equal(e.kind, 'net_close', `client ${pid}: only closes follow (${e.kind})`);
			assert.deepEqual([e.comm, e.tid, e.dip, e.dport, e.state, e.fd, e.dir], ['tcpclient', pid, '127.0.0.1', port, 'closed', -1, 'out']);
			assert.ok(ids.has(e.connId), 'the close of one of its own connections');
		}
	}
	const st = of(storm);
	assert.ok(st.length > 0, 'the storm was seen');
	const stormPort = st.find((e) => e.kind === 'net_connect' && e.dport !== 0)!.dport;
	for (const e of st) {
		assert.deepEqual([e.comm, e.proto], ['connstorm', 'tcp'], `storm record ${e.kind}`);
		// its RST closes have lost their ports by CLOSE; its accepts face the client's port
		if (e.kind === 'net_connect' && e.ret === 0 && e.dport !== 0) assert.deepEqual([e.tid, e.dip, e.dport, e.dir], [storm, '127.0.0.1', stormPort, 'out']);
	}
});
