/** @module test/kernel/connsnoop.test: bpfguard connsnoop end to end: table, --json, kernel filters. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { repoPath } from '../../src/util/paths.js';
import { requireBpf } from '../helpers/bpf.js';
import { traceAround } from '../helpers/cli.js';
import { run } from '../helpers/collect.js';

const BIN = repoPath('bin/bpfguard');
const SERVER = repoPath('build/progs/tcpserver');
const CLIENT = repoPath('build/progs/tcpclient');

/** Run connsnoop with args around action; returns stdout, stderr and exit code. */
const snoop = (args: string[], action: () => Promise<void>) => traceAround('connsnoop', args, action);

/** One loopback connection between a tcpserver and a tcpclient process; returns both pids and the port. */
async function connection(): Promise<{ srv: number; cli: number; port: number }> {
	const s = spawn(SERVER, ['127.0.0.1', '1'], { stdio: ['ignore', 'pipe', 'inherit'] });
	const done = new Promise((r) => s.on('close', r));
	const port = await new Promise<number>((resolve) => s.stdout.once('data', (d) => resolve(Number(/port=(\d+)/.exec(String(d))![1]))));
	const c = await run(CLIENT, ['127.0.0.1', String(port), '1']);
	await done;
	return { srv: s.pid!, cli: c.pid, port };
}

test('connsnoop --help and bad flags are one-line errors', () => {
	const h = spawnSync(process.execPath, [BIN, 'connsnoop', '--help'], { encoding: 'utf8' });
	assert.equal(h.status, 0);
	assert.match(h.stdout, /Usage: bpfguard connsnoop/);
	const bad = spawnSync(process.execPath, [BIN, 'connsnoop', '--port', '70000'], { encoding: 'utf8' });
	assert.equal(bad.status, 2);
	assert.equal(bad.stderr.trim().split('\n').length, 1);
	assert.match(bad.stderr, /invalid port '70000'/);
});

test('connsnoop table: a connection as client and server rows, escaped', async (t) => {
	if (!requireBpf(t, ['dispatch', 'net'])) return;
	let c = { srv: 0, cli: 0, port: 0 };
	const dns = "import socket; socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(bytes.fromhex('abcd01000001000000000000') + b'\\x03a\\nb\\x01x\\x00' + bytes.fromhex('00010001'), ('127.0.0.1', 53))";
	const { out, err, code } = await snoop(['-n', '^(tcp(client|server)|python3)$'], async () => {
		c = await connection();
		assert.equal((await run('python3', ['-c', dns])).code, 0);
	});
	assert.equal(code, 0);
	const lines = out.trimEnd().split('\n');
	assert.match(lines[0], /^TIME\s+PID\s+UID\s+COMM\s+SRC\s+DST\s+PROTO DIR STATE$/);
	const row = (pid: number, re: RegExp) => lines.find((l) => l.split(/\s+/)[1] === String(pid) && re.test(l));
	const p = c.port;
	assert.ok(row(c.cli, new RegExp(`^\\d\\d:\\d\\d:\\d\\d \\d+\\s+0\\s+tcpclient\\s+127\\.0\\.0\\.1:\\d+\\s+127\\.0\\.0\\.1:${p}\\s+tcp\\s+out established$`)), out);
	assert.ok(row(c.srv, new RegExp(`tcpserver\\s+127\\.0\\.0\\.1:${p}\\s+127\\.0\\.0\\.1:\\d+\\s+tcp\\s+in\\s+established$`)), out);
	assert.ok(row(c.srv, new RegExp(`tcpserver\\s+127\\.0\\.0\\.1:${p}\\s+0\\.0\\.0\\.0:0\\s+tcp\\s+in\\s+listen$`)), out);
	assert.ok(row(c.cli, /tcpclient .* out closed\(\d+ms,tx=[5-7],rx=[34]\)$/), out);
	assert.ok(lines.some((l) => / python3 .* udp\s+out sendto dns=a\\nb\.x$/.test(l)), `DNS name escaped on one line: ${out}`);
	assert.ok(lines.slice(1).every((l) => / (tcp(client|server)|python3) /.test(l)), '-n keeps only matching names');
	assert.match(err, /connsnoop: \d+ events .* lost 0 /);
});

test('connsnoop --json -p: kernel pid filter, rule field names', async (t) => {
	if (!requireBpf(t, ['dispatch', 'net'])) return;
	const py = spawn('python3', ['-c', `
import socket, sys
sys.stdin.readline()
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
q = bytes.fromhex('abcd01000001000000000000') + b'\\x04json\\x04test\\x00' + bytes.fromhex('00010001')
s.sendto(q, ('127.0.0.1', 53))
`], { stdio: ['pipe', 'ignore', 'inherit'] });
	const pyDone = new Promise((r) => py.on('close', r));
	let c = { srv: 0, cli: 0, port: 0 };
	const { out, code } = await snoop(['--json', '-p', String(py.pid)], async () => {
		c = await connection();
		py.stdin!.write('go\n');
		await pyDone;
	});
	assert.equal(code, 0);
	const evs = out.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
	assert.ok(evs.every((e) => e['proc.pid'] === py.pid), 'only the -p process');
	assert.ok(!evs.some((e) => e['proc.pid'] === c.cli), 'tcpclient filtered in the kernel');
	assert.equal(evs.length, 1, out);
	const [e] = evs;
	assert.deepEqual(
		[e['evt.type'], e['evt.dir'], e['evt.res'], e['evt.rawres'], e['evt.failed'], e['fd.l4proto'], e['fd.sockfamily'], e['fd.dip'], e['fd.dport'], e['fd.sip']],
		['sendto', 'out', 'SUCCESS', 27, false, 'udp', 'ip', '127.0.0.1', 53, '127.0.0.1'],
	);
	assert.deepEqual([e['net.dns_query'], e['net.state'], e['proc.name'], e['user.uid'], e['net.bytes_sent']], ['json.test', '', 'python3', 0, 0]);
	assert.ok(e['fd.sport'] > 0);
	assert.deepEqual([e['net.conn_id'], typeof e['container.cgroup_id']], [0, 'number'], 'UDP: not a tracked connection');
	assert.ok(e['fd.num'] >= 3, 'the socket fd');
});
