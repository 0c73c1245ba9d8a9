/** @module config/load.test: config defaults and positioned errors. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './load.js';

const dir = mkdtempSync(join(tmpdir(), 'bg-cfg-'));

test('no file: defaults (default rules, terminal, jsonl and store sinks)', () => {
	const c = loadConfig();
	assert.equal(c.default_rules, true);
	assert.equal(c.throttle_s, 10);
	assert.equal(c.sinks.jsonl?.path, '/var/lib/bpfguard/alerts.jsonl');
	assert.equal(c.sinks.terminal?.enabled, true);
	assert.equal(c.sinks.store?.path, '/var/lib/bpfguard/audit.db');
	assert.equal(c.sinks.store?.maxAgeDays, 90);
});

test('bad values and unknown keys: every problem with file:line:col', () => {
	const f = join(dir, 'bad.yaml');
	writeFileSync(f, 'priority: loud\nthrottle_s: "ten"\nsinks:\n  jsonl:\n    path: /tmp/x\n    maxBytes: -1\ncolour: red\n');
	assert.throws(
		() => loadConfig(f),
		(e: unknown) => {
			assert.ok(e instanceof ConfigError);
			const ps = e.problems.join('\n');
			assert.match(ps, new RegExp(`${f}:1:11: priority: `));
			assert.match(ps, new RegExp(`${f}:2:13: throttle_s: `));
			assert.match(ps, new RegExp(`${f}:6:15: sinks.jsonl.maxBytes: `));
			assert.match(ps, new RegExp(`${f}:1:1: \\(top\\): Unrecognized key\\(s\\) in object: 'colour'`));
			return true;
		},
	);
});

test('yaml syntax error and missing file are one clear line each', () => {
	const f = join(dir, 'syntax.yaml');
	writeFileSync(f, 'rules: [a\n');
	assert.throws(() => loadConfig(f), (e: unknown) => e instanceof ConfigError && /syntax.yaml:\d+:\d+: yaml: /.test(e.message));
	assert.throws(() => loadConfig(join(dir, 'nope.yaml')), (e: unknown) => e instanceof ConfigError && /read config: ENOENT/.test(e.message));
});
