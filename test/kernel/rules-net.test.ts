/** @module test/kernel/rules-net.test: the default network rules on the real kernel (loopback only), positive and negative. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireBpf } from '../helpers/bpf.js';
import { run } from '../helpers/collect.js';
import { withMonitor } from '../helpers/monitor.js';
import { repoPath } from '../../src/util/paths.js';
import type { Alert } from '../../src/alerts/alert.js';

const OBJECTS = ['dispatch', 'process', 'net'];
const TCPCLIENT = repoPath('build/progs/tcpclient');
const rulesFor = (alerts: Alert[], pid: number) => alerts.filter((a) => a.fields['proc.pid'] === pid).map((a) => a.rule);

/** A loopback TCP listener on an ephemeral (unusual) port that answers every connection. */
async function listener(): Promise<{ server: Server; port: number }> {
	const server = createServer((s) => {
		s.on('error', () => {});
		s.end('ok\n');
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	const addr = server.address();
	assert.ok(addr && typeof addr === 'object');
	return { server, port: addr.port };
}

const pyConnect = (port: number) => `import socket\ns = socket.socket()\ntry:\n    s.connect(("127.0.0.1", ${port}))\nexcept OSError:\n    pass\ns.close()`;

// The /dev/tcp redirect sits in a script, not on the command line (that is the process rule
// 'Reverse shell command line'): only the connect shows it.
test('bash connecting out through /dev/tcp alerts; a plain TCP client to the same port does not', async (t) => {
	if (!requireBpf(t, OBJECTS)) return;
	const { server, port } = await listener();
	// not below /tmp: a script run from there raises the temporary-directory rule as well
	const dir = mkdtempSync('/var/lib/bg-net-');
	const script = join(dir, 'job.sh');
	writeFileSync(script, `exec 3<>/dev/tcp/127.0.0.1/${port}\necho hi >&3\nexec 3>&-\n`);
	try {
		const pids: number[] = [];
		const { alerts } = await withMonitor(async () => {
			const sh = await run('/bin/bash', [script]);
			assert.equal(sh.code, 0, sh.stderr);
			pids.push(sh.pid);
			const c = await run(TCPCLIENT, ['127.0.0.1', String(port), '1']);
			assert.match(c.stdout, /ok=1/);
			pids.push(c.pid);
		});
		const dump = JSON.stringify(alerts.map((a) => a.output));
		assert.deepEqual(rulesFor(alerts, pids[0]), ['Shell or netcat connects out'], dump);
		assert.deepEqual(rulesFor(alerts, pids[1]), [], dump);
		const a = alerts.find((x) => x.fields['proc.pid'] === pids[0])!;
		assert.equal(a.fields['fd.dport'], port);
		assert.equal(a.fields['fd.dip'], '127.0.0.1');
		assert.equal(a.fields['proc.name'], 'bash');
		assert.equal(a.priority, 'critical');
		assert.ok(a.tags.includes('T1059.004'));
	} finally {
		server.close();
		rmSync(dir, { recursive: true, force: true });
	}
});

test('python connecting to an unusual port alerts; python connecting to port 80 does not', async (t) => {
	if (!requireBpf(t, OBJECTS)) return;
	const { server, port } = await listener();
	try {
		const pids: number[] = [];
		const { alerts } = await withMonitor(async () => {
			pids.push((await run('/usr/bin/python3', ['-c', pyConnect(port)])).pid);
			pids.push((await run('/usr/bin/python3', ['-c', pyConnect(80)])).pid);
		});
		const dump = JSON.stringify(alerts.map((a) => a.output));
		assert.deepEqual(rulesFor(alerts, pids[0]), ['Interpreter connects out to an unusual port'], dump);
		assert.deepEqual(rulesFor(alerts, pids[1]), [], dump);
		const a = alerts.find((x) => x.fields['proc.pid'] === pids[0])!;
		assert.equal(a.fields['fd.dport'], port);
		assert.equal(a.fields['proc.name'], 'python3');
		assert.ok(a.tags.includes('T1571'));
	} finally {
		server.close();
	}
});

for (const mode of ['blocking', 'non-blocking'] as const) {
test(`a 1000-port ${mode} connect scan by one process: at most 3 alert lines whose counts add up to its refused connects; nothing lost`, async (t) => {
	if (!requireBpf(t, OBJECTS)) return;
	const { server, port: open } = await listener();
	let pid = 0;
	let refused = 0;
	try {
		const { alerts, mon } = await withMonitor(async () => {
			// 1000 ports around a listener of ours: one answers, the rest are refused (unless another test listens there)
			const from = Math.max(1025, Math.min(open - 500, 64535));
			const r = await run(repoPath('build/progs/portscan'), ['127.0.0.1', String(from), '1000', ...(mode === 'non-blocking' ? ['nb'] : [])]);
			const m = /refused=(\d+) open=(\d+) other=(\d+)/.exec(r.stdout);
			assert.ok(m, r.stdout + r.stderr);
			refused = Number(m[1]);
			assert.ok(refused >= 900, r.stdout);
			pid = r.pid;
		});
		const mine = alerts.filter((a) => a.fields['proc.pid'] === pid);
		const dump = JSON.stringify(mine.map((a) => [a.rule, a.count, a.output]));
		assert.deepEqual([...new Set(mine.map((a) => a.rule))], ['Port scan by one process'], dump);
		assert.ok(mine.length >= 1 && mine.length <= 3, dump);
		assert.equal(mine.reduce((n, a) => n + a.count, 0), refused, `every refused connect is in a count: ${dump}`);
		const first = mine[0];
		assert.equal(first.agg?.summary, false);
		assert.equal(first.count, 25, 'sent when the 25th distinct port was refused');
		const last = mine[mine.length - 1];
		assert.equal(last.agg?.distinct['fd.dport'], refused);
		assert.equal(last.agg?.values['fd.dport'].length, 32);
		assert.deepEqual(last.agg?.values['fd.dip'], ['127.0.0.1']);
		assert.ok(first.tags.includes('T1046'));
		assert.deepEqual(mon.aggregator.stats.held, 0, 'no scan-rule match below the threshold');
	} finally {
		server.close();
	}
});
}

/** A network namespace behind a veth pair whose replies are rate-limited (tbf, 64 kbit/s: ~7 ms a reset): a reset comes back after a non-blocking connect() returned. */
async function delayedPeer(name: string, net: string): Promise<{ addr: string; cleanup: () => Promise<void> }> {
	const ip = async (...args: string[]) => {
		const r = await run('/usr/sbin/ip', args);
		assert.equal(r.code, 0, `ip ${args.join(' ')}: ${r.stderr}`);
	};
	const host = `${name}h`;
	await ip('netns', 'add', name);
	const cleanup = async () => {
		await run('/usr/sbin/ip', ['link', 'del', host]);
		await run('/usr/sbin/ip', ['netns', 'del', name]);
	};
	try {
		await ip('link', 'add', host, 'type', 'veth', 'peer', 'name', `${name}p`, 'netns', name);
		await ip('addr', 'add', `${net}.1/30`, 'dev', host);
		await ip('link', 'set', host, 'up');
		await ip('-n', name, 'addr', 'add', `${net}.2/30`, 'dev', `${name}p`);
		await ip('-n', name, 'link', 'set', `${name}p`, 'up');
		await ip('-n', name, 'link', 'set', 'lo', 'up');
		const tc = await run('/usr/sbin/ip', ['netns', 'exec', name, '/usr/sbin/tc', 'qdisc', 'add', 'dev', `${name}p`, 'root', 'tbf', 'rate', '64kbit', 'burst', '100', 'latency', '5s']);
		assert.equal(tc.code, 0, tc.stderr);
	} catch (e) {
		await cleanup();
		throw e;
	}
	return { addr: `${net}.2`, cleanup };
}

test('a non-blocking scan whose resets come after connect() returned (a peer whose resets are queued) is seen through connect_result records', async (t) => {
	if (!requireBpf(t, OBJECTS)) return;
	const peer = await delayedPeer(`bgsc${process.pid % 10000}`, '10.213.7');
	let pid = 0;
	let refused = 0;
	try {
		const { alerts } = await withMonitor(async () => {
			const r = await run(repoPath('build/progs/portscan'), [peer.addr, '20000', '200', 'nb']);
			const m = /refused=(\d+)/.exec(r.stdout);
			assert.ok(m, r.stdout + r.stderr);
			refused = Number(m[1]);
			assert.equal(refused, 200, r.stdout);
			pid = r.pid;
		});
		const mine = alerts.filter((a) => a.fields['proc.pid'] === pid);
		const dump = JSON.stringify(mine.map((a) => [a.rule, a.count, a.fields['evt.type'], a.output]));
		assert.deepEqual([...new Set(mine.map((a) => a.rule))], ['Port scan by one process'], dump);
		assert.ok(mine.length <= 3, dump);
		// Known gap (README, "How it is built"): the net sensor misses, uncounted, about 1 in 400 such late
		// refusals (its owner record is gone at connect() exit; the same with a process-name rule).
		const counted = mine.reduce((n, a) => n + a.count, 0);
		assert.ok(counted >= refused - 5 && counted <= refused, `${counted} of ${refused}: ${dump}`);
		assert.equal(mine[0].fields['evt.type'], 'connect_result', 'the refusal came after connect() returned');
		assert.deepEqual(mine[mine.length - 1].agg?.values['fd.dip'], [peer.addr]);
	} finally {
		await peer.cleanup();
	}
});

test('an interpreter fetching from a development port (8000) on loopback is silent; to an arbitrary high port it alerts', async (t) => {
	if (!requireBpf(t, OBJECTS)) return;
	const web = createServer((s) => {
		s.on('error', () => {});
		s.end('HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok');
	});
	const bound = await new Promise<boolean>((r) => {
		web.once('error', () => r(false));
		web.listen(8000, '127.0.0.1', () => r(true));
	});
	assert.ok(bound, 'port 8000 on loopback is free');
	const { server, port } = await listener();
	const pids: number[] = [];
	try {
		const { alerts } = await withMonitor(async () => {
			const get = await run('/usr/bin/python3', ['-c', 'import urllib.request; print(urllib.request.urlopen("http://127.0.0.1:8000/").read().decode())']);
			assert.match(get.stdout, /ok/, get.stderr);
			pids.push(get.pid);
			pids.push((await run('/usr/bin/python3', ['-c', pyConnect(port)])).pid);
		});
		const dump = JSON.stringify(alerts.map((a) => a.output));
		assert.deepEqual(rulesFor(alerts, pids[0]), [], dump);
		assert.deepEqual(rulesFor(alerts, pids[1]), ['Interpreter connects out to an unusual port'], dump);
	} finally {
		web.close();
		server.close();
	}
});
