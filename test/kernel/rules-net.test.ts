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
