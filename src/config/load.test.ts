/** @module config/load.test: config defaults, positioned errors, and config files others could write. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './load.js';
import { requireRoot } from '../../test/helpers/bpf.js';

const dir = mkdtempSync(join(tmpdir(), 'bg-cfg-'));

test('no file: defaults (default rules, terminal, jsonl and store sinks)', () => {
	const c = loadConfig();
	assert.equal(c.default_rules, true);
	assert.equal(c.throttle_s, 10);
	assert.equal(c.sinks.jsonl?.path, '/var/lib/bpfguard/alerts.jsonl');
	assert.equal(c.sinks.terminal?.enabled, true);
	assert.equal(c.sinks.store?.path, '/var/lib/bpfguard/audit.db');
	assert.equal(c.sinks.store?.maxAgeDays, 90);
	assert.deepEqual(c.exec_env, ['LD_PRELOAD', 'LD_LIBRARY_PATH', 'LD_AUDIT']);
});

test('exec_env: up to 8 variable names; a name that is not one is an error at its position', () => {
	const f = join(dir, 'env.yaml');
	writeFileSync(f, 'exec_env: [LD_PRELOAD, BG_X]\n');
	assert.deepEqual(loadConfig(f).exec_env, ['LD_PRELOAD', 'BG_X']);
	writeFileSync(f, 'exec_env: [LD_PRELOAD, "A=B"]\n');
	assert.throws(() => loadConfig(f), (e: ConfigError) => /exec_env\.1: a variable name/.test(e.message));
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

test('a webhook bearer token over plain http to another host: refused at load, with its position', () => {
	const f = join(dir, 'insecure.yaml');
	writeFileSync(f, 'sinks:\n  webhook:\n    url: http://alerts.example.com/in\n    token: t\n    spoolDir: /var/lib/bpfguard/spool\n');
	assert.throws(() => loadConfig(f), (e: unknown) => {
		assert.ok(e instanceof ConfigError);
		assert.deepEqual(e.problems, [`${f}:3:10: sinks.webhook.url: refuse to send the bearer token over plain http to a non-loopback host: use https, or set allowInsecure: true`]);
		return true;
	});
	writeFileSync(f, 'sinks:\n  webhook:\n    url: http://alerts.example.com/in\n    token: t\n    allowInsecure: true\n    spoolDir: /var/lib/bpfguard/spool\n');
	assert.equal(loadConfig(f).sinks.webhook?.allowInsecure, true);
});

function unsafe(f: string): string {
	try {
		loadConfig(f);
	} catch (e) {
		assert.ok(e instanceof ConfigError);
		assert.equal(e.problems.length, 1);
		return e.problems[0];
	}
	return 'accepted';
}

test('a config file others can write is refused: one line with the path, what is wrong and the fix', (t) => {
	if (!requireRoot(t)) return; // chown needs root
	const f = join(dir, 'perm.yaml');
	writeFileSync(f, 'throttle_s: 5\n');
	chmodSync(f, 0o666);
	assert.equal(unsafe(f), `${f}: refuse config: writable by others (mode 0666); fix: chmod go-w ${f}`);
	chmodSync(f, 0o664);
	chownSync(f, 0, 4242);
	assert.equal(unsafe(f), `${f}: refuse config: writable by group 4242 (mode 0664); fix: chmod go-w ${f}`);
	chownSync(f, 0, 0);
	assert.equal(unsafe(f), 'accepted', 'group-writable by root\'s group');
	chmodSync(f, 0o644);
	chownSync(f, 4242, 0);
	assert.equal(unsafe(f), `${f}: refuse config: owned by uid 4242, not root or the invoking user; fix: chown root ${f}`);
	chownSync(f, 0, 0);
	assert.equal(unsafe(f), 'accepted');
});

test('a config symlink is resolved: the target is checked and named, and so is a directory others can write', () => {
	const open = join(dir, 'open');
	mkdirSync(open);
	const target = join(open, 'real.yaml');
	writeFileSync(target, 'throttle_s: 5\n');
	chmodSync(target, 0o646);
	const link = join(dir, 'link.yaml');
	symlinkSync(target, link);
	assert.equal(unsafe(link), `${link}: refuse config: ${target} is writable by others (mode 0646); fix: chmod go-w ${target}`);
	chmodSync(target, 0o644);
	chmodSync(open, 0o777);
	assert.equal(unsafe(link), `${link}: refuse config: directory ${open} is writable by others (mode 0777); fix: chmod go-w ${open}`);
	chmodSync(open, 0o1777);
	assert.equal(unsafe(link), 'accepted', 'a sticky directory (like /tmp): others cannot replace the file');
});
