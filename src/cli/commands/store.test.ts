/** @module cli/commands/store.test: `bpfguard store verify | stats | prune | seal` end to end: with and without the key, on stores tampered each way. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { cutFirstWithAnchor, cutLast, dropGuards, editAndRechain, forgeAnchor, removeAndRenumber, tempStore, type TempStore } from '../../../test/helpers/store-fixtures.js';
import { pruneStore } from '../../../src/store/retention.js';
import { SCHEMA_VERSION } from '../../../src/store/schema.js';
import { EXIT_BROKEN, EXIT_UNKEYED } from './store.js';
import { assertOneLineError, bpfguard } from '../../../test/helpers/cli.js';

/** A keyed store of 30 alerts (records 1..32 with its two checkpoints), closed, for the CLI to open. */
function closedKeyed(n = 30, before?: (t: TempStore) => void): TempStore {
	const t = tempStore(n, { keyed: true });
	before?.(t);
	t.store.close();
	return t;
}

/** Raw write access to the database file, as an attacker without the key has. */
function asAttacker(t: TempStore, f: (db: Database.Database) => void): void {
	const db = new Database(t.path);
	try {
		f(db);
	} finally {
		db.close();
	}
}

const verify = (t: TempStore, ...more: string[]) => bpfguard(['store', 'verify', '--db', t.path, '--key', t.keyPath, ...more]);

test('verify with the key, stats, prune by rows with the key, verify still ok', () => {
	const t = closedKeyed();
	try {
		const v = verify(t);
		assert.equal(v.status, 0, v.stderr);
		assert.match(
			v.stdout,
			/^ok: 32 records verified \(ids 1\.\.32\), 0 retention anchor\(s\), 2 checkpoint\(s\) \(key\), sealed through record 32 \(head file: checkpoint 32\), 0 record\(s\) after the last checkpoint, head [0-9a-f]{64}\n$/,
		);
		const s = JSON.parse(bpfguard(['store', 'stats', '--db', t.path, '--json']).stdout) as Record<string, unknown>;
		assert.deepEqual([s.records, s.kinds, s.firstId, s.lastId, s.anchors, s.schemaVersion, s.unsealed], [32, { alert: 27, checkpoint: 2, log: 3 }, 1, 32, 0, SCHEMA_VERSION, 0]);
		assert.deepEqual([(s.lastCheckpoint as { id: number }).id, (s.headFile as { id: number }).id], [32, 32]);
		assert.match(String(s.keyId), /^[0-9a-f]{16}$/);
		const p = bpfguard(['store', 'prune', '--db', t.path, '--key', t.keyPath, '--max-rows', '10']);
		assert.deepEqual([p.status, p.stdout], [0, 'removed 24 records (ids up to 24); the chain now starts at a keyed retention anchor\n']);
		const v2 = verify(t, '--json');
		assert.equal(v2.status, 0, v2.stderr);
		const j = JSON.parse(v2.stdout) as { checked: number; anchors: number; keyed: { sealedId: number; headId: number } };
		assert.deepEqual([j.checked, j.anchors, j.keyed.sealedId, j.keyed.headId], [10, 1, 34, 34]);
		assert.equal(bpfguard(['store', 'prune', '--db', t.path, '--key', t.keyPath, '--max-rows', '10']).stdout, 'nothing to remove\n');
	} finally {
		t.cleanup();
	}
});

test('verify without the key: the plain chain is checked, the skipped keyed checks are said on stderr, exit 4', () => {
	const t = closedKeyed();
	try {
		const r = bpfguard(['store', 'verify', '--db', t.path, '--key', `${t.dir}/no-such.key`]);
		assert.equal(r.status, EXIT_UNKEYED, r.stderr);
		assert.match(r.stdout, /^ok \(plain chain only\): 32 records verified \(ids 1\.\.32\), 0 retention anchor\(s\), head [0-9a-f]{64}\n$/);
		assert.equal(
			r.stderr,
			`bpfguard: store verify: keyed checks skipped (read store key ${t.dir}/no-such.key: no such file (the monitor's store sink creates it)): removals at either end and re-chaining are not detected without the key\n`,
		);
		asAttacker(t, (db) => cutLast(db, 3));
		assert.equal(bpfguard(['store', 'verify', '--db', t.path, '--key', `${t.dir}/no-such.key`]).status, EXIT_UNKEYED); // what the key is for
	} finally {
		t.cleanup();
	}
});

test('a key file others can read is refused (exit 1, one line), by verify, prune and seal', () => {
	const t = closedKeyed(3);
	try {
		chmodSync(t.keyPath, 0o644);
		const msg = new RegExp(`^bpfguard: read store key ${t.keyPath}: mode 0644 lets group or others read or write it \\(chmod 600 ${t.keyPath}\\)$`);
		assertOneLineError(verify(t), 1, msg);
		assertOneLineError(bpfguard(['store', 'prune', '--db', t.path, '--key', t.keyPath]), 1, msg);
		assertOneLineError(bpfguard(['store', 'seal', '--db', t.path, '--key', t.keyPath]), 1, msg);
		chmodSync(t.keyPath, 0o600);
		assertOneLineError(bpfguard(['store', 'prune', '--db', t.path, '--key', `${t.dir}/none.key`]), 1, /^bpfguard: read store key .*none\.key: no such file/);
	} finally {
		t.cleanup();
	}
});

const TAMPER: [string, (t: TempStore) => void, RegExp][] = [
	[
		'edit (record 9, later hashes recomputed)',
		(t) => asAttacker(t, (db) => editAndRechain(db, 9, 'marker-7', 'marker-x')),
		/^bpfguard: store verify: re-chained without the key \(record 32\): checkpoint MAC mismatch: the records before it were changed and the chain re-hashed without the key; 31 records verified before it$/,
	],
	[
		'delete first 5 (an anchor forged over them)',
		(t) => asAttacker(t, (db) => cutFirstWithAnchor(db, 5)),
		/^bpfguard: store verify: forged retention anchor \(anchor 1\): no MAC: forged anchor: records 1\.\.5 were removed without retention; 0 records verified before it$/,
	],
	[
		'delete first 5 (no anchor)',
		(t) => asAttacker(t, (db) => (dropGuards(db), db.exec('DELETE FROM records WHERE id <= 5'))),
		/^bpfguard: store verify: oldest records removed without retention \(record 6\): records 1\.\.5 missing at the start \(removed without retention\); 0 records verified before it$/,
	],
	[
		'delete middle',
		(t) => asAttacker(t, (db) => (dropGuards(db), db.exec('DELETE FROM records WHERE id = 12'))),
		/^bpfguard: store verify: records removed from the middle \(record 13\): records 12\.\.12 missing \(removed\); 11 records verified before it$/,
	],
	[
		'delete last 3 (sequence rewound)',
		(t) => asAttacker(t, (db) => cutLast(db, 3)),
		/^bpfguard: store verify: newest records removed \(record 30\): records 30\.\.32 missing at the end: .*audit\.head names checkpoint 32 \(the newest records were removed\); 29 records verified before it$/,
	],
	[
		're-chain without the key (record 10 removed, the rest renumbered)',
		(t) => asAttacker(t, (db) => removeAndRenumber(db, 10)),
		/^bpfguard: store verify: re-chained without the key \(record 31\): checkpoint MAC mismatch: .*; 30 records verified before it$/,
	],
	[
		'forged anchor (after a real prune, 4 more cut)',
		(t) =>
			asAttacker(t, (db) => {
				dropGuards(db);
				const first = db.prepare('SELECT min(id) FROM records').pluck().get() as number;
				db.prepare('DELETE FROM records WHERE id < ?').run(first + 4);
				forgeAnchor(db, first + 3, 4);
			}),
		/^bpfguard: store verify: forged retention anchor \(anchor 2\): no MAC: forged anchor: records 15\.\.18 were removed without retention; 0 records verified before it$/,
	],
];

for (const [name, tamper, line] of TAMPER) {
	test(`verify with the key on a tampered store, exit 3 and one line: ${name}`, () => {
		const t = closedKeyed(30, name.startsWith('forged') ? (s) => pruneStore(s.store, { maxRows: 20 }) : undefined);
		try {
			assert.equal(verify(t).status, 0);
			tamper(t);
			assertOneLineError(verify(t), EXIT_BROKEN, line);
		} finally {
			t.cleanup();
		}
	});
}

test('seal accepts a store as it is after a cut (the operator decides), and verify is green again', () => {
	const t = closedKeyed();
	try {
		asAttacker(t, (db) => cutLast(db, 3));
		assert.equal(verify(t).status, EXIT_BROKEN);
		const s = bpfguard(['store', 'seal', '--db', t.path, '--key', t.keyPath]);
		assert.equal(s.status, 0, s.stderr);
		assert.match(s.stdout, /^sealed: checkpoint record 30, .*audit\.head rewritten; it did not match before: records 30\.\.32 missing at the end: /);
		assert.equal(verify(t).status, 0);
		rmSync(t.headPath);
		assertOneLineError(verify(t), EXIT_BROKEN, /^bpfguard: store verify: head file missing, forged or stale \(head file\): .*audit\.head is missing: nothing vouches for the newest records/);
	} finally {
		t.cleanup();
	}
});

test('errors: missing db, not a store, bad --max-age', () => {
	assertOneLineError(bpfguard(['store', 'verify', '--db', '/nonexistent/audit.db', '--key', '/nonexistent/store.key']), 1, /no such file/);
	assertOneLineError(bpfguard(['store', 'stats', '--db', '/etc/hostname']), 1, /corrupt or not an SQLite database/);
	assertOneLineError(bpfguard(['store', 'prune', '--max-age', 'forever']), 2, /invalid max-age 'forever'/);
});
