/** @module cli/commands/store.test: `bpfguard store verify | stats | prune` end to end, including a tampered store. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { tempStore } from '../../../test/helpers/store-fixtures.js';
import { EXIT_BROKEN } from './store.js';
import { assertOneLineError, bpfguard } from '../../../test/helpers/cli.js';

test('verify ok, stats, prune by rows, verify still ok', () => {
	const t = tempStore(30);
	t.store.close();
	try {
		const v = bpfguard(['store', 'verify', '--db', t.path]);
		assert.equal(v.status, 0, v.stderr);
		assert.match(v.stdout, /^ok: 30 records verified \(ids 1\.\.30\), 0 retention anchor\(s\), head [0-9a-f]{64}\n$/);
		const s = JSON.parse(bpfguard(['store', 'stats', '--db', t.path, '--json']).stdout) as Record<string, unknown>;
		assert.deepEqual([s.records, s.kinds, s.firstId, s.lastId, s.anchors, s.schemaVersion], [30, { alert: 27, log: 3 }, 1, 30, 0, 1]);
		const p = bpfguard(['store', 'prune', '--db', t.path, '--max-rows', '10']);
		assert.deepEqual([p.status, p.stdout], [0, 'removed 21 records (ids up to 21); the chain now starts at a retention anchor\n']);
		const v2 = bpfguard(['store', 'verify', '--db', t.path, '--json']);
		assert.equal(v2.status, 0, v2.stderr);
		assert.deepEqual(JSON.parse(v2.stdout).checked, 10);
		assert.equal(bpfguard(['store', 'prune', '--db', t.path, '--max-rows', '10']).stdout, 'nothing to remove\n');
	} finally {
		t.cleanup();
	}
});

test('verify on a tampered store: exit 3 and one line naming the first broken record', () => {
	const t = tempStore(30);
	t.store.close();
	try {
		const db = new Database(t.path);
		db.exec(`DROP TRIGGER records_retention_only; DELETE FROM records WHERE id = 12`);
		db.close();
		assertOneLineError(bpfguard(['store', 'verify', '--db', t.path]), EXIT_BROKEN, /^bpfguard: store verify: record 13 broken: record\(s\) 12\.\.12 missing \(deleted\) \(11 records verified before it\)$/);
	} finally {
		t.cleanup();
	}
});

test('errors: missing db, not a store, bad --max-age', () => {
	assertOneLineError(bpfguard(['store', 'verify', '--db', '/nonexistent/audit.db']), 1, /no such file/);
	assertOneLineError(bpfguard(['store', 'stats', '--db', '/etc/hostname']), 1, /corrupt or not an SQLite database/);
	assertOneLineError(bpfguard(['store', 'prune', '--max-age', 'forever']), 2, /invalid max-age 'forever'/);
});
