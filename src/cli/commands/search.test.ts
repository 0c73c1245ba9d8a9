/** @module cli/commands/search.test: `bpfguard search` end to end: each filter, table escaping, JSON lines, and one-line errors. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sampleAlert, tempStore } from '../../../test/helpers/store-fixtures.js';
import { assertOneLineError, bpfguard } from '../../../test/helpers/cli.js';

const t = tempStore(40);
t.store.appendAlerts([sampleAlert(40, { output: 'evil\nFAKE 99 line\u001b[31m', rule: 'Read sensitive file' })]);
t.store.close();
test.after(() => t.cleanup());

/** Alert ids (rec-N) that `search --json` returns for the flags. */
function ids(...flags: string[]): string[] {
	const r = bpfguard(['search', '--db', t.path, '--json', ...flags]);
	if (r.status === 1 && r.stderr === '<no matches>\n') return [];
	assert.equal(r.status, 0, r.stderr);
	return r.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { id: string }).id);
}

const range = (from: number, to: number, step: number): string[] => Array.from({ length: Math.floor((to - from) / step) + 1 }, (_, i) => `rec-${from + i * step}`);

test('filters: rule, priority, pid, uid, user, exe (path and name), comm, tag, text, kind, time, limit', () => {
	assert.deepEqual(ids('--rule', 'Privilege escalation'), range(2, 38, 4));
	assert.deepEqual(ids('--rule', '*connection', '--kind', 'log'), ['rec-19', 'rec-39']);
	assert.deepEqual(ids('--priority', 'critical', '--kind', 'alert'), range(1, 37, 4).filter((x) => x !== 'rec-9' && x !== 'rec-29'));
	assert.deepEqual(ids('--pid', '1005'), ['rec-5']);
	assert.deepEqual(ids('--uid', '0', '--limit', '2'), ['rec-34', 'rec-38']);
	assert.deepEqual(ids('--user', 'www-data', '--until', '2025-01-02T03:06:00Z'), ['rec-1', 'rec-5']);
	assert.deepEqual(ids('--exe', '/usr/bin/curl', '--since', '2025-01-02T03:30:00Z'), ['rec-31', 'rec-35', 'rec-39']);
	assert.deepEqual(ids('--exe', 'curl', '--since', '2025-01-02T03:30:00Z', '--kind', 'log'), ['rec-39']);
	assert.deepEqual(ids('--comm', 'sudo', '--limit', '1'), ['rec-38']);
	assert.deepEqual(ids('--tag', 'T1548', '--limit', '1'), ['rec-38']);
	assert.deepEqual(ids('--text', 'MARKER-12'), ['rec-12']);
	assert.deepEqual(ids('--user', 'nobody'), []);
});

test('table: header, one escaped line per record, log matches marked', () => {
	const r = bpfguard(['search', '--db', t.path, '--rule', 'Read sensitive file', '--since', '2025-01-02T03:35:00Z', '--kind', 'alert', '--kind', 'log']);
	assert.equal(r.status, 0, r.stderr);
	const lines = r.stdout.trimEnd().split('\n');
	assert.match(lines[0], /^ID +TIME +PRIORITY +RULE +PID +USER +EXE +OUTPUT$/);
	assert.equal(lines.length, 3);
	assert.match(lines[1], /^37 +2025-01-02 03:36:00 +warning +Read sensitive file +1036 +alice +\/usr\/bin\/cat +\/usr\/bin\/cat by alice pid=1036 marker-36$/);
	assert.match(lines[2], /^41 .* evil\\nFAKE 99 line\\e\[31m$/);
	assert.doesNotMatch(r.stdout, /\u001b/);
	const logs = bpfguard(['search', '--db', t.path, '--kind', 'log', '--limit', '1']);
	assert.match(logs.stdout, /Outbound connection \(log\)/);
});

test('no match: <no matches> on stderr, exit 1', () => {
	const r = bpfguard(['search', '--db', t.path, '--pid', '1']);
	assert.deepEqual([r.status, r.stdout, r.stderr], [1, '', '<no matches>\n']);
});

test('errors: missing db, corrupt db, bad --since, bad --priority are one line each', () => {
	assertOneLineError(bpfguard(['search', '--db', '/nonexistent/audit.db']), 1, /^bpfguard: open audit store \/nonexistent\/audit.db: no such file/);
	assertOneLineError(bpfguard(['search', '--db', '/etc/passwd']), 1, /^bpfguard: open audit store \/etc\/passwd: corrupt or not an SQLite database/);
	assertOneLineError(bpfguard(['search', '--db', t.path, '--since', 'last tuesday']), 2, /argument 'last tuesday' is invalid\. parse time 'last tuesday': expected ISO 8601/);
	assertOneLineError(bpfguard(['search', '--db', t.path, '--priority', 'loud']), 2, /invalid priority 'loud'/);
});

test('container filters: --container by name, 12-hex id, full id or prefix; --containers-only; --host-only; both at once is an error', () => {
	const c = tempStore(0);
	const ID = 'a5e807bb03c608123a969e3968b206b6a44a26cc5d3b278609d407f12276fcad';
	const ctr = (i: number, id: string, name: string, image: string) => sampleAlert(i, { id: `ctr-${i}`, fields: { ...sampleAlert(i).fields, 'container.id': id, 'container.name': name, 'container.image': image } });
	c.store.appendAlerts([
		ctr(0, ID.slice(0, 12), 'web', 'docker.io/library/nginx:1.25'),
		ctr(1, 'host', 'host', 'host'),
		ctr(2, '0123456789ab', 'db', 'docker.io/library/postgres:16'),
		ctr(3, ID.slice(0, 12), 'web', 'docker.io/library/nginx:1.25'),
		sampleAlert(4, { id: 'ctr-4' }),
	]);
	c.store.close();
	try {
		const got = (...flags: string[]): string[] => {
			const r = bpfguard(['search', '--db', c.path, '--json', ...flags]);
			if (r.status === 1 && r.stderr === '<no matches>\n') return [];
			assert.equal(r.status, 0, r.stderr);
			return r.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { id: string }).id);
		};
		assert.deepEqual(got('--container', 'web'), ['ctr-0', 'ctr-3']);
		assert.deepEqual(got('--container', ID), ['ctr-0', 'ctr-3']);
		assert.deepEqual(got('--container', ID.slice(0, 12)), ['ctr-0', 'ctr-3']);
		assert.deepEqual(got('--container', '0123'), ['ctr-2']);
		assert.deepEqual(got('--container', 'nope'), []);
		assert.deepEqual(got('--containers-only'), ['ctr-0', 'ctr-2', 'ctr-3']);
		assert.deepEqual(got('--host-only'), ['ctr-1']);
		assertOneLineError(bpfguard(['search', '--db', c.path, '--host-only', '--containers-only']), 2, /--containers-only and --host-only exclude each other/);
	} finally {
		c.cleanup();
	}
});
