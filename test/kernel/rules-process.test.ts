/** @module test/kernel/rules-process.test: every default process rule fires on the real action, and stays quiet on a close benign one. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { requireBpf } from '../helpers/bpf.js';
import { run } from '../helpers/collect.js';
import { withMonitor } from '../helpers/monitor.js';
import { repoPath } from '../../src/util/paths.js';
import type { Alert } from '../../src/alerts/alert.js';

const SPAWN = repoPath('build/progs/spawn');
const rulesFor = (alerts: Alert[], pid: number) => alerts.filter((a) => a.fields['proc.pid'] === pid).map((a) => a.rule);

function fakeBinary(dir: string, name: string): string {
	mkdirSync(dir, { recursive: true });
	const p = join(dir, name);
	copyFileSync(SPAWN, p);
	chmodSync(p, 0o755);
	return p;
}

test('executable run from /tmp alerts; the same binary from /usr/bin does not', async (t) => {
	if (!requireBpf(t, ['dispatch', 'process'])) return;
	const dir = mkdtempSync('/tmp/bg-rule-');
	const tmpTrue = join(dir, 'true');
	copyFileSync('/bin/true', tmpTrue);
	chmodSync(tmpTrue, 0o755);
	try {
		const pids: number[] = [];
		const { alerts } = await withMonitor(async () => {
			pids.push((await run(tmpTrue, ['x'])).pid);
			pids.push((await run('/bin/true', ['x'])).pid);
		});
		assert.deepEqual(rulesFor(alerts, pids[0]), ['Executable run from a temporary directory']);
		const a = alerts.find((x) => x.fields['proc.pid'] === pids[0])!;
		assert.equal(a.fields['proc.exepath'], tmpTrue);
		assert.equal(a.priority, 'warning');
		assert.ok(a.tags.includes('T1204'));
		assert.match(a.output, new RegExp(`exe=${tmpTrue} `));
		assert.deepEqual(rulesFor(alerts, pids[1]), []);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});

test('exec of an unlinked file and of a memfd alert; a normal exec does not', async (t) => {
	if (!requireBpf(t, ['dispatch', 'process'])) return;
	const dir = mkdtempSync('/var/lib/bg-rule-');
	const copy = join(dir, 'gone');
	copyFileSync('/bin/true', copy);
	chmodSync(copy, 0o755);
	const py = (code: string) => run('/usr/bin/python3', ['-c', code]);
	try {
		const pids: number[] = [];
		const { alerts } = await withMonitor(async () => {
			pids.push((await py(`import os\nfd = os.open(${JSON.stringify(copy)}, os.O_RDONLY)\nos.unlink(${JSON.stringify(copy)})\nos.execv('/proc/self/fd/%d' % fd, ['gone'])`)).pid);
			pids.push((await py(`import os\nfd = os.memfd_create('payload', 0)\nos.write(fd, open('/bin/true','rb').read())\nos.execv('/proc/self/fd/%d' % fd, ['payload'])`)).pid);
			pids.push((await py('import os\nos.execv("/bin/true", ["true"])')).pid);
		});
		assert.deepEqual(rulesFor(alerts, pids[0]), ['Deleted or memory-only executable run']);
		assert.deepEqual(rulesFor(alerts, pids[1]), ['Deleted or memory-only executable run']);
		assert.match(String(alerts.find((a) => a.fields['proc.pid'] === pids[1])?.fields['proc.exepath']), /^\/memfd:payload/);
		assert.deepEqual(rulesFor(alerts, pids[2]), []);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});

test('a shell spawned by nginx alerts; by make it does not', async (t) => {
	if (!requireBpf(t, ['dispatch', 'process'])) return;
	const dir = mkdtempSync('/var/lib/bg-rule-');
	try {
		const nginx = fakeBinary(dir, 'nginx');
		const make = fakeBinary(dir, 'make');
		const r: Alert[][] = [];
		const { alerts } = await withMonitor(async () => {
			await run(nginx, ['/bin/sh', '-c', 'true nginx-child']);
			await run(make, ['/bin/sh', '-c', 'true make-child']);
		});
		const hit = alerts.filter((a) => a.rule === 'Shell spawned by a network service');
		r.push(hit);
		assert.equal(hit.length, 1, JSON.stringify(alerts.map((a) => a.output)));
		assert.equal(hit[0].fields['proc.pname'], 'nginx');
		assert.match(String(hit[0].fields['proc.cmdline']), /nginx-child/);
		assert.equal(alerts.filter((a) => String(a.fields['proc.cmdline']).includes('make-child')).length, 0);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});

test('a /dev/tcp reverse shell command line alerts; a plain bash -c does not', async (t) => {
	if (!requireBpf(t, ['dispatch', 'process'])) return;
	const pids: number[] = [];
	const { alerts } = await withMonitor(async () => {
		pids.push((await run('/bin/bash', ['-c', 'exec 3<>/dev/tcp/127.0.0.1/9 || true'])).pid);
		pids.push((await run('/bin/bash', ['-c', 'echo /dev/null >/dev/null'])).pid);
	});
	// The exec matches the command line; its (refused) connect matches the network rule (rules/40-network.yaml).
	assert.deepEqual(rulesFor(alerts, pids[0]), ['Reverse shell command line', 'Shell or netcat connects out']);
	assert.deepEqual(rulesFor(alerts, pids[1]), []);
});

test('a reverse shell padded past the argv read limit still alerts (command line cut); a short one-liner does not', async (t) => {
	if (!requireBpf(t, ['dispatch', 'process'])) return;
	const pids: number[] = [];
	const { alerts } = await withMonitor(async () => {
		// 5000 bytes of padding first: the /dev/tcp part lies beyond the 4 KiB the kernel reads.
		pids.push((await run('/bin/bash', ['-c', 'true', 'x'.repeat(5000), 'exec 3<>/dev/tcp/127.0.0.1/9'])).pid);
		pids.push((await run('/bin/bash', ['-c', 'true', 'x'.repeat(100)])).pid);
	});
	assert.deepEqual(rulesFor(alerts, pids[0]), ['Command line too long to check']);
	const a = alerts.find((x) => x.fields['proc.pid'] === pids[0])!;
	assert.equal(a.priority, 'warning');
	assert.equal(a.fields['proc.argc'], 5);
	assert.deepEqual(rulesFor(alerts, pids[1]), []);
});

test('a shell whose stdin/stdout are a TCP socket alerts; the same shell on pipes does not', async (t) => {
	if (!requireBpf(t, ['dispatch', 'process'])) return;
	const { createServer, connect } = await import('node:net');
	const { spawn } = await import('node:child_process');
	const server = createServer((s) => s.end());
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
	const port = (server.address() as { port: number }).port;
	const pids: number[] = [];
	try {
		const { alerts } = await withMonitor(async () => {
			const sock = connect(port, '127.0.0.1');
			await new Promise((r) => sock.on('connect', r));
			const sh = spawn('/bin/sh', ['-c', 'true socket-shell'], { stdio: [sock, sock, 'ignore'] });
			pids.push(sh.pid!);
			await new Promise((r) => sh.on('close', r));
			sock.destroy();
			pids.push((await run('/bin/sh', ['-c', 'true pipe-shell'])).pid);
			// Node wires child stdio with unix socketpairs: not a network socket.
			const paired = spawn('/bin/sh', ['-c', 'true socketpair-shell'], { stdio: ['pipe', 'pipe', 'pipe'] });
			pids.push(paired.pid!);
			paired.stdin!.end();
			await new Promise((r) => paired.on('close', r));
		});
		assert.deepEqual(rulesFor(alerts, pids[0]), ['Shell with its standard streams on a socket']);
		assert.deepEqual(rulesFor(alerts, pids[1]), []);
		assert.deepEqual(rulesFor(alerts, pids[2]), [], 'unix socketpair stdio is not a reverse shell');
	} finally {
		server.close();
	}
});
