/** @module test/kernel/monitor-health.test: the monitor reports its start, its losses (a sink on a full disk) and its stop to every other sink and the audit store. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireBpf } from '../helpers/bpf.js';
import { run, sleep } from '../helpers/collect.js';
import { repoPath } from '../../src/util/paths.js';
import type { Alert } from '../../src/alerts/alert.js';

const BIN = repoPath('bin/bpfguard');

test('a JSONL sink on a full disk: its drops become a "bpfguard lost events" alert on the other sinks; start and stop (SIGTERM) reach stdout and the store', async (t) => {
	if (!requireBpf(t, ['dispatch', 'process'])) return;
	const dir = mkdtempSync('/var/tmp/bg-health-');
	const full = join(dir, 'full');
	mkdirSync(full);
	const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k,mode=0700', 'tmpfs', full], { encoding: 'utf8' });
	assert.equal(mount.status, 0, `mount a small tmpfs: ${mount.stderr}`);
	try {
		const fill = spawnSync('dd', ['if=/dev/zero', `of=${join(full, 'filler')}`, 'bs=4k'], { encoding: 'utf8' });
		assert.match(fill.stderr, /No space left on device/, 'the tmpfs is full');
		const db = join(dir, 'audit.db');
		const cfg = join(dir, 'c.yaml');
		const rules = join(dir, 'r.yaml');
		writeFileSync(cfg, `throttle_s: 0\nhealth: {loss_interval_s: 1, heartbeat_s: 1}\nsinks:\n  jsonl: {path: ${join(full, 'alerts.jsonl')}}\n  store: {path: ${db}}\n`, { mode: 0o600 });
		writeFileSync(rules, '- rule: health marker\n  desc: test\n  condition: evt.type = execve and proc.args contains health-marker\n  output: "marker %proc.cmdline"\n  priority: warning\n  tags: [T0000]\n', { mode: 0o600 });
		const mon = spawn(process.execPath, [BIN, 'monitor', '-c', cfg, '-r', rules, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
		let out = '';
		let err = '';
		mon.stdout.on('data', (d) => (out += d));
		mon.stderr.on('data', (d) => (err += d));
		for (let i = 0; i < 150 && !err.includes('sensors attached'); i++) await sleep(100);
		assert.match(err, /sensors attached/);
		for (let i = 0; i < 5; i++) await run('/bin/echo', ['health-marker', String(i)]);
		await sleep(3000);
		mon.kill('SIGTERM');
		const code = await new Promise((r) => mon.on('close', r));
		assert.equal(code, 0, err);
		const alerts = out.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Alert);
		const by = (rule: string) => alerts.filter((a) => a.rule === rule);
		assert.equal(by('health marker').length, 5);
		assert.equal(by('bpfguard started').length, 1);
		assert.equal(by('bpfguard started')[0].fields['proc.pid'], mon.pid);
		const lost = by('bpfguard lost events');
		assert.ok(lost.length >= 1, err);
		assert.equal(lost[0].priority, 'critical');
		assert.equal(lost[0].source, 'internal');
		assert.match(lost[0].output, /causes=(")?sink_dropped=\d+/);
		assert.ok(Number(lost[0].fields['bpfguard.lost']) >= 1);
		assert.ok(by('bpfguard heartbeat').length >= 1, 'a heartbeat a second');
		assert.ok(by('bpfguard heartbeat').every((a) => a.action === 'log'), 'heartbeats are log-action records (audit sinks)');
		const stop = by('bpfguard stopped');
		assert.equal(stop.length, 1);
		assert.match(stop[0].output, /reason=SIGTERM /);
		const s = spawnSync(process.execPath, [BIN, 'search', '--db', db, '--rule', 'bpfguard*', '--kind', 'alert', '--kind', 'log', '--json'], { encoding: 'utf8' });
		assert.equal(s.status, 0, s.stderr);
		const stored = s.stdout.trim().split('\n').map((l) => (JSON.parse(l) as Alert).rule);
		for (const r of ['bpfguard started', 'bpfguard lost events', 'bpfguard heartbeat', 'bpfguard stopped']) assert.ok(stored.includes(r), `${r} in the store: ${stored.join(', ')}`);
	} finally {
		spawnSync('umount', [full]);
		rmSync(dir, { recursive: true, force: true });
	}
});
