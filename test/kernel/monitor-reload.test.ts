/** @module test/kernel/monitor-reload.test: hot reload swaps rules atomically; a broken file keeps the old rules. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireBpf } from '../helpers/bpf.js';
import { run, sleep } from '../helpers/collect.js';
import { Monitor } from '../../src/monitor/monitor.js';
import type { Alert } from '../../src/alerts/alert.js';

const rule = (name: string, marker: string) =>
	`- rule: ${name}\n  desc: test\n  condition: evt.type = execve and proc.args contains ${marker}\n  output: "%proc.args"\n  priority: notice\n`;

test('rules reload on file change and SIGHUP-style reload(); broken rules are rejected and the old set keeps running', async (t) => {
	if (!requireBpf(t, ['dispatch', 'process'])) return;
	const dir = mkdtempSync(join(tmpdir(), 'bg-reload-'));
	const file = join(dir, 'r.yaml');
	writeFileSync(file, rule('first', 'marker-one'));
	const alerts: Alert[] = [];
	const logs: string[] = [];
	const mon = new Monitor({
		rulePaths: [dir],
		throttleWindowMs: 0,
		watchFiles: true,
		log: (m) => logs.push(m),
		out: { write: (a) => alerts.push(a), flush: async () => {}, close: async () => {}, stats: () => ({ written: 0, failed: 0, dropped: 0, queued: 0 }) },
	});
	mon.start();
	try {
		await run('/bin/true', ['marker-one', 'marker-two']);
		await sleep(150);
		assert.deepEqual(alerts.map((a) => a.rule), ['first']);
		writeFileSync(file, rule('second', 'marker-two'));
		for (let i = 0; i < 50 && mon.engine.stats.reloads === 0; i++) await sleep(100);
		assert.equal(mon.engine.stats.reloads, 1, 'reloaded after the file changed');
		await run('/bin/true', ['marker-one', 'marker-two']);
		await sleep(150);
		assert.deepEqual(alerts.map((a) => a.rule), ['first', 'second']);
		writeFileSync(file, '- rule: broken\n  condition: evt.type = \n');
		await sleep(1000);
		assert.equal(mon.reload(), false, 'explicit reload of a broken file fails');
		assert.ok(logs.some((l) => /rules reload rejected, the previous rules keep running:\n.*r\.yaml:\d+:\d+: error: /s.test(l)), logs.join('\n'));
		await run('/bin/true', ['marker-two']);
		await sleep(150);
		assert.deepEqual(alerts.map((a) => a.rule), ['first', 'second', 'second'], 'old rules still running');
	} finally {
		await mon.stop();
		rmSync(dir, { recursive: true, force: true });
	}
});

test('a reload that adds a rule on accepts widens the net sensor in the kernel: accepts arrive after it, not before', async (t) => {
	if (!requireBpf(t, ['dispatch', 'process', 'net'])) return;
	const dir = mkdtempSync(join(tmpdir(), 'bg-reload-net-'));
	const file = join(dir, 'r.yaml');
	const netRule = (name: string, type: string) =>
		`- rule: ${name}\n  desc: test\n  condition: evt.type = ${type} and fd.sport = PORT\n  output: "%evt.type %fd.sport"\n  priority: notice\n`;
	const srv = await run('python3', ['-c', "import socket;s=socket.socket();s.bind(('127.0.0.1',0));print(s.getsockname()[1])"]);
	const port = Number(srv.stdout.trim());
	writeFileSync(file, netRule('conn', 'connect').replace('PORT', '1'));
	const alerts: Alert[] = [];
	const mon = new Monitor({
		rulePaths: [dir],
		throttleWindowMs: 0,
		watchFiles: false,
		log: () => {},
		out: { write: (a) => alerts.push(a), flush: async () => {}, close: async () => {}, stats: () => ({ written: 0, failed: 0, dropped: 0, queued: 0 }) },
	});
	const rt = mon.start();
	const accept = () =>
		run('python3', ['-c', `import socket\nl=socket.socket();l.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1);l.bind(('127.0.0.1',${port}));l.listen()\nc=socket.create_connection(('127.0.0.1',${port}));a,_=l.accept();a.close();c.close()`]);
	try {
		const f0 = rt.kernelStats().filtered;
		await accept();
		await sleep(150);
		assert.ok(rt.kernelStats().filtered > f0, 'the accept record died in the kernel');
		writeFileSync(file, netRule('acc', 'accept').replace('PORT', String(port)));
		assert.equal(mon.reload(), true);
		await accept();
		await sleep(150);
		assert.deepEqual(alerts.map((a) => a.rule), ['acc'], 'only the accept after the reload');
	} finally {
		await mon.stop();
		rmSync(dir, { recursive: true, force: true });
	}
});
