/** @module test/kernel/net.test: the network sensor on the real kernel, loopback only (attribution, outcomes, close, UDP/DNS, listen). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { requireBpf } from '../helpers/bpf.js';
import { tcpServer } from '../helpers/tcpserver.js';
import { collect, run } from '../helpers/collect.js';
import { netSensor } from '../../src/sensors/net.js';
import { BgNetFlag } from '../../src/events/generated/layouts.js';
import type { BgEvent, NetEvent, NetKind } from '../../src/events/types.js';
import { repoPath } from '../../src/util/paths.js';

const CLIENT = repoPath('build/progs/tcpclient');
const OBJS = ['dispatch', 'net'];
const net = (evs: BgEvent[], kind: NetKind, pid: number) => evs.filter((e): e is NetEvent => e.kind === kind && e.pid === pid);

/** A closed port: bind one, close it. */
async function closedPort(): Promise<number> {
	const r = await run('python3', ['-c', "import socket;s=socket.socket();s.bind(('127.0.0.1',0));print(s.getsockname()[1])"]);
	return Number(r.stdout.trim());
}

async function attribution(t: import('node:test').TestContext, addr: string, family: 'ip' | 'ip6'): Promise<void> {
	if (!requireBpf(t, OBJS)) return;
	const N = 100;
	let srv = { pid: 0, port: 0 };
	let cli = 0;
	const { events, kernel } = await collect([netSensor], {}, async () => {
		const s = await tcpServer(addr, N);
		srv = s;
		const c = await run(CLIENT, [addr, String(s.port), String(N)]);
		assert.equal(c.stdout.trim(), `ok=${N}`);
		cli = c.pid;
		await s.done;
	}, 300);
	const conns = net(events, 'net_connect', cli);
	const accepts = net(events, 'net_accept', srv.pid);
	assert.equal(conns.length, N, 'one connect per connection, all with the client pid');
	assert.equal(accepts.length, N, 'one accept per connection, all with the server pid');
	assert.equal(net(events, 'net_connect', srv.pid).length + net(events, 'net_accept', cli).length, 0, 'never swapped');
	for (const c of conns) {
		assert.deepEqual([c.comm, c.tid, c.uid, c.proto, c.family, c.dip, c.sip, c.dport, c.ret, c.state, c.dir], [
			'tcpclient', cli, 0, 'tcp', family, addr, addr, srv.port, 0, 'established', 'out',
		]);
		assert.ok(c.sport > 0 && c.fd >= 3 && c.connId > 0n && c.startNs > 0n && c.cgroupId > 0n);
		assert.deepEqual([c.durationMs, c.bytesSent, c.bytesReceived, c.dnsQuery, c.v4mapped, c.flags], [0, 0, 0, null, false, 0]);
	}
	const ports = new Set(conns.map((c) => c.sport));
	assert.equal(ports.size, N, 'distinct client ports');
	for (const a of accepts) {
		assert.deepEqual([a.comm, a.proto, a.family, a.sip, a.dip, a.sport, a.state, a.ret, a.dir], ['tcpserver', 'tcp', family, addr, addr, srv.port, 'established', a.fd, 'in']);
		assert.ok(ports.has(a.dport), 'accepted peer is one of the client sockets');
	}
	const cc = net(events, 'net_close', cli);
	const sc = net(events, 'net_close', srv.pid);
	assert.equal(cc.length, N, 'client closes carry the client, whatever task ran the state change');
	assert.equal(sc.length, N, 'server closes carry the server');
	for (const x of cc) {
		assert.equal(x.comm, 'tcpclient');
		assert.equal(x.dir, 'out');
		assert.ok(x.bytesSent >= 5 && x.bytesSent <= 7, `sent ${x.bytesSent}`);
		assert.ok(x.bytesReceived >= 3 && x.bytesReceived <= 4, `received ${x.bytesReceived}`);
		assert.ok(x.durationMs > 0 && x.durationMs < 10_000);
		assert.equal(x.state, 'closed');
		assert.equal(x.fd, -1);
		assert.ok(conns.some((c) => c.connId === x.connId && c.sport === x.sport), 'close matches its connect');
	}
	for (const x of sc) {
		assert.equal(x.comm, 'tcpserver');
		assert.equal(x.dir, 'in');
		assert.ok(x.bytesSent >= 3 && x.bytesSent <= 5 && x.bytesReceived >= 5 && x.bytesReceived <= 6);
		assert.ok(accepts.some((a) => a.connId === x.connId));
	}
	const [listen] = net(events, 'net_listen', srv.pid);
	assert.deepEqual([listen?.sip, listen?.sport, listen?.state, listen?.proto, listen?.comm], [addr, srv.port, 'listen', 'tcp', 'tcpserver']);
	assert.equal(net(events, 'net_bind', srv.pid)[0]?.sport, srv.port);
	assert.equal(kernel.rb_full, 0);
	assert.equal(kernel.net_track_fail, 0);
}

test('TCP over 127.0.0.1: connect belongs to the client, accept to the server, 100 times; close with bytes', (t) => attribution(t, '127.0.0.1', 'ip'));

test('TCP over ::1: the same', (t) => attribution(t, '::1', 'ip6'));

for (const [label, filter] of [
	['', {}],
	[' (connects of this name only: the owner is still tracked)', { net: { needs: { kinds: ['net_connect'], comms: ['tcpclient'] } } }],
] as const)
test(`connect to a closed port: refused with ECONNREFUSED and the full address${label}`, async (t) => {
	if (!requireBpf(t, OBJS)) return;
	const port = await closedPort();
	let pid = 0;
	const { events } = await collect([netSensor], filter, async () => {
		const c = await run(CLIENT, ['127.0.0.1', String(port), '1']);
		assert.equal(c.stdout.trim(), 'err=111');
		pid = c.pid;
	});
	const [c] = net(events, 'net_connect', pid);
	assert.ok(c, 'connect event');
	assert.deepEqual([c.ret, c.state, c.dip, c.dport, c.proto, c.comm], [-111, 'refused', '127.0.0.1', port, 'tcp', 'tcpclient']);
	assert.ok(c.sport > 0, 'source port kept from the handshake');
	assert.equal(net(events, 'net_outcome', pid).length, 0, 'reported once, by connect()');
	assert.equal(net(events, 'net_close', pid).length, 0, 'a refused socket is not a closed connection');
});

test('non-blocking connect whose SYN is answered later: outcome record carries the connecting process', async (t) => {
	if (!requireBpf(t, OBJS)) return;
	// backlog 0: the first connection fills the accept queue; the second SYN is dropped and retried ~1 s later.
	const py = `
import socket, select, time
l = socket.socket(); l.bind(('127.0.0.1', 0)); l.listen(0); p = l.getsockname()[1]
a = socket.create_connection(('127.0.0.1', p))
b = socket.socket(); b.setblocking(False)
print('err', b.connect_ex(('127.0.0.1', p)), 'port', p, flush=True)
time.sleep(0.2); c, _ = l.accept()
select.select([], [b], [], 5)
print('so_error', b.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR))
`;
	let r = { pid: 0, stdout: '' };
	const { events } = await collect([netSensor], {}, async () => {
		r = await run('python3', ['-c', py]);
	});
	const m = /err (\d+) port (\d+)/.exec(r.stdout);
	assert.ok(m, r.stdout);
	if (m[1] !== '115') {
		t.skip(`the kernel completed the handshake inside connect() (err ${m[1]})`);
		return;
	}
	assert.match(r.stdout, /so_error 0/);
	const conns = net(events, 'net_connect', r.pid);
	const pending = conns.find((c) => c.ret === -115);
	assert.ok(pending, 'EINPROGRESS connect');
	assert.equal(pending.state, 'in_progress');
	const [o] = net(events, 'net_outcome', r.pid);
	assert.ok(o, 'outcome record');
	assert.deepEqual([o.state, o.ret, o.comm, o.tid, o.connId, o.sport, o.dport, o.fd, o.dir], ['established', 0, 'python3', r.pid, pending.connId, pending.sport, Number(m[2]), -1, 'out']);
});

test('UDP datagram to 127.0.0.1:53 from python3: first send per destination with the query name', async (t) => {
	if (!requireBpf(t, OBJS)) return;
	const py = `
import socket, struct
q = struct.pack('>HHHHHH', 0x1234, 0x0100, 1, 0, 0, 0) + b''.join(bytes([len(x)]) + x for x in [b'bpfguard', b'example', b'org']) + b'\\0' + struct.pack('>HH', 1, 1)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(3): s.sendto(q, ('127.0.0.1', 53))
s.sendto(b'x', ('127.0.0.1', 9))
print(s.getsockname()[1])
`;
	let r = { pid: 0, stdout: '' };
	const { events } = await collect([netSensor], {}, async () => {
		r = await run('python3', ['-c', py]);
	});
	const sends = net(events, 'net_send', r.pid);
	assert.equal(sends.length, 2, 'one record per (socket, destination), not per datagram');
	const [dns, other] = sends;
	assert.deepEqual([dns.dnsQuery, dns.dip, dns.dport, dns.sip, dns.sport, dns.proto, dns.family, dns.ret, dns.comm, dns.state, dns.dir], [
		'bpfguard.example.org', '127.0.0.1', 53, '127.0.0.1', Number(r.stdout.trim()), 'udp', 'ip', 38, 'python3', '', 'out',
	]);
	assert.ok(dns.flags & BgNetFlag.BG_F_NET_DST_FROM_SKB, 'destination from the datagram, not user memory');
	assert.deepEqual([other.dport, other.dnsQuery, other.ret], [9, null, 1]);
});

test('--port is decided in the kernel: other ports are filtered and counted', async (t) => {
	if (!requireBpf(t, OBJS)) return;
	let cli = 0;
	const { events, kernel } = await collect([netSensor], { net: { ports: [1] } }, async () => {
		const s = await tcpServer('127.0.0.1', 1);
		cli = (await run(CLIENT, ['127.0.0.1', String(s.port), '1'])).pid;
		await s.done;
	});
	assert.equal(events.filter((e) => e.pid === cli).length, 0);
	assert.ok(kernel.filtered >= 1);
});

test('record kinds the rules do not need die in the kernel: only connects when only connects are wanted', async (t) => {
	if (!requireBpf(t, OBJS)) return;
	let cli = 0;
	let srv = 0;
	const { events, kernel } = await collect([netSensor], { net: { needs: { kinds: ['net_connect'] } } }, async () => {
		const s = await tcpServer('127.0.0.1', 3);
		srv = s.pid;
		cli = (await run(CLIENT, ['127.0.0.1', String(s.port), '3'])).pid;
		await s.done;
	});
	assert.equal(net(events, 'net_connect', cli).length, 3, 'every connect');
	assert.equal(events.filter((e) => e.kind !== 'net_connect' && (e.pid === cli || e.pid === srv)).length, 0, 'no accept, outcome or close');
	assert.ok(kernel.filtered >= 3, 'the skipped records are counted');
});

test('process names the rules cannot match die in the kernel; the name is the one exec set, not a later prctl rename', async (t) => {
	if (!requireBpf(t, OBJS)) return;
	const pids: Record<string, number> = {};
	const py = (rename: string, port: number) =>
		run('python3', ['-c', `import ctypes,socket\nif "${rename}": ctypes.CDLL(None).prctl(15, b"${rename}", 0, 0, 0)\ntry: socket.create_connection(("127.0.0.1", ${port}), timeout=2).close()\nexcept OSError: pass`]);
	const { events, kernel } = await collect([netSensor], { net: { needs: { kinds: ['net_connect'], comms: ['tcpclient', 'python3'] } } }, async () => {
		const s = await tcpServer('127.0.0.1', 3);
		pids.client = (await run(CLIENT, ['127.0.0.1', String(s.port), '1'])).pid;
		pids.renamed = (await py('innocent', s.port)).pid;
		pids.plain = (await py('', s.port)).pid;
		await s.done;
		pids.perl = (await run('perl', ['-MIO::Socket::INET', '-e', `IO::Socket::INET->new(PeerAddr => "127.0.0.1:${s.port}", Timeout => 1)`])).pid;
	});
	assert.equal(net(events, 'net_connect', pids.client).length, 1, 'tcpclient is in the set');
	assert.equal(net(events, 'net_connect', pids.plain).length, 1, 'python3 is in the set');
	const renamed = net(events, 'net_connect', pids.renamed);
	assert.equal(renamed.length, 1, 'a prctl rename does not hide python3');
	assert.equal(renamed[0].comm, 'innocent', 'the record still carries the current comm');
	assert.equal(net(events, 'net_connect', pids.perl).length, 0, 'perl is not in the set');
	assert.ok(kernel.filtered >= 1);
});

test('a socket fd passed with garbage in the upper half of the register (the kernel takes an int) is still attributed', async (t) => {
	if (!requireBpf(t, OBJS)) return;
	let pid = 0;
	let port = 0;
	const { events } = await collect([netSensor], {}, async () => {
		const s = await tcpServer('127.0.0.1', 1);
		port = s.port;
		const py = [
			'import ctypes, os, socket, struct',
			'libc = ctypes.CDLL(None, use_errno=True)',
			"nr = {'x86_64': 42, 'aarch64': 203}[os.uname().machine]",
			's = socket.socket()',
			`a = struct.pack('=H', socket.AF_INET) + struct.pack('!H', ${port}) + socket.inet_aton('127.0.0.1') + bytes(8)`,
			'r = libc.syscall(ctypes.c_long(nr), ctypes.c_long((1 << 32) | s.fileno()), a, ctypes.c_long(len(a)))',
			'print(r, ctypes.get_errno())',
		].join('\n');
		const r = await run('python3', ['-c', py]);
		assert.equal(r.stdout.trim(), '0 0', `connect through the syscall: ${r.stdout}${r.stderr}`);
		pid = r.pid;
		await s.done;
	});
	const [c] = net(events, 'net_connect', pid);
	assert.ok(c, 'connect event');
	assert.deepEqual([c.dip, c.dport, c.state], ['127.0.0.1', port, 'established']);
});

test('TCP Fast Open: sendto(MSG_FASTOPEN) and sendmsg(MSG_FASTOPEN) open connections that are reported as connects, with their outcome and close', async (t) => {
	if (!requireBpf(t, OBJS)) return;
	const py = `
import socket
l = socket.socket(); l.bind(('127.0.0.1', 0)); l.listen(8); p = l.getsockname()[1]
a = socket.socket(); a.sendto(b'hello', socket.MSG_FASTOPEN, ('127.0.0.1', p))
b = socket.socket(); b.sendmsg([b'hi'], [], socket.MSG_FASTOPEN, ('127.0.0.1', p))
x, _ = l.accept(); y, _ = l.accept()
print(p, a.getsockname()[1], b.getsockname()[1], a.fileno(), b.fileno(), x.recv(10), y.recv(10), flush=True)
a.close(); b.close(); x.close(); y.close()
`;
	let r = { pid: 0, stdout: '' };
	const { events } = await collect([netSensor], {}, async () => {
		r = await run('python3', ['-c', py]);
	});
	const [port, sa, sb, fa, fb] = r.stdout.trim().split(' ').map(Number);
	assert.ok(port > 0 && sa > 0 && sb > 0, r.stdout);
	const conns = net(events, 'net_connect', r.pid);
	assert.deepEqual(
		conns.map((c) => [c.dip, c.dport, c.sport, c.fd, c.ret, c.state, c.proto, c.comm]),
		[
			['127.0.0.1', port, sa, fa, 5, 'established', 'tcp', 'python3'],
			['127.0.0.1', port, sb, fb, 2, 'established', 'tcp', 'python3'],
		],
	);
	const closes = net(events, 'net_close', r.pid).filter((c) => c.dir === 'out');
	assert.deepEqual(closes.map((c) => [c.sport, c.connId]).sort(), conns.map((c) => [c.sport, c.connId]).sort(), 'the connections are tracked to their close');
});

test('sendmmsg: every new destination of one call is a send record (DNS name included), as with sendto', async (t) => {
	if (!requireBpf(t, OBJS)) return;
	let r = { pid: 0, stdout: '' };
	const { events } = await collect([netSensor], {}, async () => {
		r = await run(repoPath('build/progs/mmsg'), ['9']);
	});
	const [sent, sport] = r.stdout.trim().split(' ').map(Number);
	assert.equal(sent, 3, r.stdout);
	const sends = net(events, 'net_send', r.pid);
	assert.deepEqual(
		sends.map((s) => [s.dip, s.dport, s.sport, s.proto, s.comm, s.dnsQuery]),
		[
			['127.0.0.1', 53, sport, 'udp', 'mmsg', 'bpfguard.example.org'],
			['127.0.0.1', 9, sport, 'udp', 'mmsg', null],
		],
		'one record per (socket, destination)',
	);
});
