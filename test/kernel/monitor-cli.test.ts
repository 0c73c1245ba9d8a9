/** @module test/kernel/monitor-cli.test: `bpfguard monitor` end to end: config, sinks, JSON alerts, clean stop, clear errors. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireBpf } from '../helpers/bpf.js';
import { run, sleep } from '../helpers/collect.js';
import { repoPath } from '../../src/util/paths.js';

const BIN = repoPath('bin/bpfguard');

test('bad config and bad rules: clear errors with file:line:col, non-zero exit, no stack', () => {
	const dir = mkdtempSync(join(tmpdir(), 'bg-moncli-'));
	try {
		const cfg = join(dir, 'c.yaml');
		writeFileSync(cfg, 'priority: loud\n');
		const r = spawnSync(process.execPath, [BIN, 'monitor', '-c', cfg], { encoding: 'utf8' });
		assert.equal(r.status, 2);
		assert.match(r.stderr, new RegExp(`^bpfguard: monitor: bad config:\\n${cfg}:1:11: priority: `));
		assert.doesNotMatch(r.stderr, /\n\s+at /);
		const rules = join(dir, 'r.yaml');
		writeFileSync(rules, '- rule: x\n  desc: d\n  condition: proc.nmae = a\n  output: o\n  priority: info\n');
		const r2 = spawnSync(process.execPath, [BIN, 'monitor', '--no-default-rules', '-r', rules], { encoding: 'utf8' });
		if (process.geteuid?.() === 0) {
			assert.equal(r2.status, 1);
			assert.match(r2.stderr, new RegExp(`${rules}:3:14: error: rule x: unknown field 'proc.nmae'; did you mean proc.name\\?`));
		}
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});

test('monitor --json sends alerts to stdout and the JSONL audit file (0600), then stops cleanly on SIGTERM', async (t) => {
	if (!requireBpf(t, ['dispatch', 'process'])) return;
	const dir = mkdtempSync(join(tmpdir(), 'bg-moncli-'));
	const audit = join(dir, 'audit', 'alerts.jsonl');
	const cfg = join(dir, 'c.yaml');
	const rules = join(dir, 'r.yaml');
	writeFileSync(cfg, `default_rules: false\nthrottle_s: 0\nsinks:\n  jsonl: {path: ${audit}}\n`);
	writeFileSync(rules, '- rule: marker exec\n  desc: test\n  condition: evt.type = execve and proc.args contains moncli-marker\n  output: "marker run by %proc.pname: %proc.cmdline"\n  priority: warning\n  tags: [T0000]\n');
	const mon = spawn(process.execPath, [BIN, 'monitor', '-c', cfg, '-r', rules, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
	let out = '';
	let err = '';
	mon.stdout.on('data', (d) => (out += d));
	mon.stderr.on('data', (d) => (err += d));
	try {
		for (let i = 0; i < 100 && !err.includes('sensors attached'); i++) await sleep(100);
		assert.match(err, /sensors attached \(process\); 1 rules enabled; sinks: jsonl/);
		const pid = (await run('/bin/echo', ['moncli-marker', 'x\ny'])).pid;
		await sleep(300);
		mon.kill('SIGTERM');
		const code = await new Promise((r) => mon.on('close', r));
		assert.equal(code, 0);
		const alerts = out.trim().split('\n').map((l) => JSON.parse(l));
		assert.equal(alerts.length, 1, out);
		const a = alerts[0];
		assert.equal(a.rule, 'marker exec');
		assert.equal(a.priority, 'warning');
		assert.deepEqual(a.tags, ['T0000']);
		assert.equal(a.fields['proc.pid'], pid, 'context fields on every alert');
		assert.equal(a.fields['proc.name'], 'echo');
		assert.equal(a.fields['user.name'], 'root');
		assert.equal(a.fields['evt.type'], 'execve');
		assert.equal(a.fields['proc.args'], 'moncli-marker x\ny');
		assert.equal(a.output, 'marker run by node: echo moncli-marker x\ny');
		assert.match(a.id, /^[0-9a-f-]{36}$/);
		const file = readFileSync(audit, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
		assert.deepEqual(file.map((x) => x.id), [a.id]);
		assert.equal(statSync(audit).mode & 0o777, 0o600);
		assert.equal(statSync(join(dir, 'audit')).mode & 0o777, 0o700);
		assert.match(err, /monitor: \d+ events .* lost 0 /);
		assert.match(err, /1 rule matches; alerts by rule: \{"marker exec":1\}/);
	} finally {
		mon.kill('SIGKILL');
		rmSync(dir, { recursive: true, force: true });
	}
});
