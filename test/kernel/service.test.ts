/** @module test/kernel/service.test: the monitor as systemd runs it: sd_notify over a real unix datagram NOTIFY_SOCKET (READY after attach, RELOADING/READY around SIGHUP, STOPPING), journald prefixes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireBpf } from '../helpers/bpf.js';
import { run, sleep } from '../helpers/collect.js';
import { repoPath } from '../../src/util/paths.js';
import { SdNotifier } from '../../src/service/notify.js';

const BIN = repoPath('bin/bpfguard');

/** A bound unix datagram socket (filesystem path, or "@name" abstract) whose datagrams come back as strings. */
function receiver(address: string): { datagrams: string[]; ready: Promise<void>; child: ChildProcess } {
	// python3 (scripts/setup.sh installs it) can bind abstract names; each datagram is printed as one JSON string.
	const py = 'import json,socket,sys\na=sys.argv[1]\ns=socket.socket(socket.AF_UNIX,socket.SOCK_DGRAM)\ns.bind("\\0"+a[1:] if a[0]=="@" else a)\nprint("ready",flush=True)\nwhile True:\n  print(json.dumps(s.recv(65536).decode()),flush=True)\n';
	const child = spawn('python3', ['-c', py, address], { stdio: ['ignore', 'pipe', 'inherit'] });
	const datagrams: string[] = [];
	let buf = '';
	let onReady: () => void = () => {};
	const ready = new Promise<void>((r) => (onReady = r));
	child.stdout!.on('data', (d: Buffer) => {
		buf += d.toString();
		let i;
		while ((i = buf.indexOf('\n')) >= 0) {
			const line = buf.slice(0, i);
			buf = buf.slice(i + 1);
			if (line === 'ready') onReady();
			else datagrams.push(JSON.parse(line) as string);
		}
	});
	return { datagrams, ready, child };
}

async function until<T>(f: () => T | undefined, what: string, ms = 10_000): Promise<T> {
	for (let t = 0; t < ms; t += 50) {
		const v = f();
		if (v !== undefined) return v;
		await sleep(50);
	}
	assert.fail(`timed out waiting for ${what}`);
}

test('sd_notify through the addon reaches a filesystem and an abstract NOTIFY_SOCKET', async () => {
	const dir = mkdtempSync(join(tmpdir(), 'bg-notify-'));
	const path = receiver(join(dir, 'notify'));
	const abstract = receiver(`@bg-notify-test-${process.pid}`);
	try {
		await path.ready;
		await abstract.ready;
		assert.equal(new SdNotifier(join(dir, 'notify')).notify({ READY: 1, STATUS: 'x' }), true);
		assert.equal(new SdNotifier(`@bg-notify-test-${process.pid}`).notify({ STOPPING: 1 }), true);
		assert.equal(await until(() => path.datagrams[0], 'path datagram'), 'READY=1\nSTATUS=x\n');
		assert.equal(await until(() => abstract.datagrams[0], 'abstract datagram'), 'STOPPING=1\n');
		const gone = new SdNotifier(join(dir, 'nobody'));
		assert.equal(gone.notify({ READY: 1 }), false);
		assert.match(gone.error ?? '', /^notify .*nobody: ENOENT$/);
	} finally {
		path.child.kill();
		abstract.child.kill();
		rmSync(dir, { recursive: true, force: true });
	}
});

test('monitor under systemd: READY=1 once sensors are attached, RELOADING=1 then READY=1 around SIGHUP, STOPPING=1 at stop; journald prefixes', async (t) => {
	if (!requireBpf(t, ['dispatch', 'process'])) return;
	const dir = mkdtempSync(join(tmpdir(), 'bg-service-'));
	const sock = join(dir, 'notify');
	const rec = receiver(sock);
	const cfg = join(dir, 'c.yaml');
	const rules = join(dir, 'r.yaml');
	writeFileSync(cfg, `default_rules: false\nthrottle_s: 0\nsinks:\n  jsonl: {path: ${join(dir, 'alerts.jsonl')}}\n`, { mode: 0o600 });
	writeFileSync(rules, '- rule: service marker\n  desc: test\n  condition: evt.type = execve and proc.args contains service-marker\n  output: "marker %proc.cmdline"\n  priority: warning\n', { mode: 0o600 });
	await rec.ready;
	const mon = spawn(process.execPath, [BIN, 'monitor', '-c', cfg, '-r', rules, '--json'], {
		stdio: ['ignore', 'pipe', 'pipe'],
		env: { ...process.env, NOTIFY_SOCKET: sock, JOURNAL_STREAM: '8:12345' },
	});
	let out = '';
	let err = '';
	mon.stdout!.on('data', (d) => (out += d));
	mon.stderr!.on('data', (d) => (err += d));
	try {
		const ready = await until(() => rec.datagrams[0], 'READY=1', 20_000);
		assert.match(ready, /^READY=1\nSTATUS=sensors attached \(process\); 1 rules enabled\n$/);
		// Ready means attached: an exec right after READY=1 is seen.
		await run('/bin/echo', ['service-marker']);
		await until(() => (out.includes('"rule":"service marker"') ? true : undefined), 'the alert after READY=1');
		mon.kill('SIGHUP');
		await until(() => rec.datagrams[2], 'READY=1 after the reload');
		assert.match(rec.datagrams[1], /^RELOADING=1\nMONOTONIC_USEC=\d+\nSTATUS=reloading rules\n$/);
		assert.equal(rec.datagrams[2], 'READY=1\nSTATUS=rules reloaded: 1 rules enabled\n');
		assert.equal(mon.exitCode, null, 'SIGHUP reloads, it does not stop');
		mon.kill('SIGTERM');
		const code = await new Promise((r) => mon.once('close', r));
		assert.equal(code, 0, err);
		assert.equal(await until(() => rec.datagrams[3], 'STOPPING=1'), 'STOPPING=1\nSTATUS=stopping (SIGTERM)\n');
		assert.equal(rec.datagrams.length, 4, JSON.stringify(rec.datagrams));
		assert.match(err, /^<6>monitor: sensors attached \(process\)/m);
		assert.match(err, /^<6>monitor: rules reloaded: 1 rules enabled$/m);
	} finally {
		if (mon.exitCode === null) mon.kill('SIGKILL');
		rec.child.kill();
		rmSync(dir, { recursive: true, force: true });
	}
});

/** The unit's CapabilityBoundingSet as setpriv wants it (-all,+bpf,…). */
function unitBoundingSet(): string {
	const line = /^CapabilityBoundingSet=(.+)$/m.exec(readFileSync(repoPath('packaging/bpfguard.service'), 'utf8'))?.[1];
	assert.ok(line, 'the unit has a CapabilityBoundingSet');
	return ['-all', ...line.trim().split(/\s+/).map((c) => `+${c.replace(/^CAP_/, '').toLowerCase()}`)].join(',');
}

test("the monitor loads, attaches and alerts with only the unit's capability bounding set and no new privileges", async (t) => {
	if (!requireBpf(t, ['dispatch', 'process'])) return;
	const dir = mkdtempSync(join(tmpdir(), 'bg-caps-'));
	const cfg = join(dir, 'c.yaml');
	const rules = join(dir, 'r.yaml');
	writeFileSync(cfg, `default_rules: false\nthrottle_s: 0\nsinks:\n  jsonl: {path: ${join(dir, 'alerts.jsonl')}}\n`, { mode: 0o600 });
	writeFileSync(rules, '- rule: caps marker\n  desc: test\n  condition: evt.type = execve and proc.args contains caps-marker\n  output: "marker %proc.cmdline"\n  priority: warning\n', { mode: 0o600 });
	// setpriv (util-linux): the bounding set limits what root's next exec gets, as systemd's CapabilityBoundingSet does.
	const mon = spawn('setpriv', ['--no-new-privs', '--bounding-set', unitBoundingSet(), '--', process.execPath, BIN, 'monitor', '-c', cfg, '-r', rules, '--json', '--duration', '30'], { stdio: ['ignore', 'pipe', 'pipe'] });
	let out = '';
	let err = '';
	mon.stdout!.on('data', (d) => (out += d));
	mon.stderr!.on('data', (d) => (err += d));
	try {
		await until(() => (err.includes('sensors attached') || mon.exitCode !== null ? true : undefined), 'sensors attached', 20_000);
		assert.match(err, /sensors attached \(process\)/);
		const status = readFileSync(`/proc/${mon.pid}/status`, 'utf8');
		assert.match(status, /^NoNewPrivs:\s+1$/m);
		assert.doesNotMatch(status, /^CapBnd:\s+000001ffffffffff$/m, 'the bounding set is really reduced');
		await run('/bin/echo', ['caps-marker']);
		await until(() => (out.includes('"rule":"caps marker"') ? true : undefined), 'the alert');
	} finally {
		if (mon.exitCode === null) mon.kill('SIGTERM');
		await new Promise((r) => (mon.exitCode === null ? mon.once('close', r) : r(null)));
		rmSync(dir, { recursive: true, force: true });
	}
});
