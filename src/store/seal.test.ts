/** @module store/seal.test: a keyed writer checkpoints in the batch transaction every N records, at close and after a crash; it will not vouch for a store its head file disagrees with. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { AuditStore, alertRecord } from './store.js';
import { SCHEMA_VERSION } from './schema.js';
import { verifyStore } from './verify.js';
import { pruneStore } from './retention.js';
import { CHECKPOINT_KIND } from './seal.js';
import { cutLast, sampleAlert, tempStore, type TempStore } from '../../test/helpers/store-fixtures.js';

const checkpoints = (t: TempStore): number[] => t.store.db.prepare('SELECT id FROM records WHERE kind = ? ORDER BY id').pluck().all(CHECKPOINT_KIND) as number[];
const alerts = (from: number, n: number) => Array.from({ length: n }, (_, i) => sampleAlert(from + i));

test('a batch that makes sealEvery unsealed records ends with one checkpoint, in the same transaction; the head file (0600) names it', () => {
	const t = tempStore(0, { keyed: true });
	try {
		t.store.close();
		const s = AuditStore.open(t.path, { key: t.key, sealEvery: 10 });
		for (let i = 0; i < 5; i++) s.appendAlerts(alerts(i * 4, 4)); // 4, 8, 12 → sealed, 4, 8
		const ids = s.db.prepare('SELECT id FROM records WHERE kind = ? ORDER BY id').pluck().all(CHECKPOINT_KIND);
		assert.deepEqual(ids, [1, 14]); // the store's first, then one after the third batch (records 2..13)
		const head = JSON.parse(readFileSync(s.headPath, 'utf8')) as Record<string, unknown>;
		assert.deepEqual([head.v, head.id, head.hash], [1, 14, s.db.prepare('SELECT hash FROM records WHERE id = 14').pluck().get()]);
		assert.equal(statSync(s.headPath).mode & 0o777, 0o600);
		s.close(); // seals the 8 after it
		const r = AuditStore.open(t.path, { readonly: true });
		const v = verifyStore(r, { key: t.key });
		r.close();
		assert.deepEqual([v.ok, v.keyed.checkpoints, v.keyed.sealedId, v.keyed.unsealed, v.keyed.headId], [true, 3, 23, 0, 23]);
	} finally {
		t.cleanup();
	}
});

test('a batch of events alone never checkpoints (they wait for the writer\'s interval); the next batch with an alert in it does, and seal() covers them', () => {
	const t = tempStore(0, { keyed: true });
	try {
		t.store.close();
		const s = AuditStore.open(t.path, { key: t.key, sealEvery: 10 });
		const events = (n: number) => Array.from({ length: n }, (_, i) => ({ kind: 'event', timeMs: 1_700_000_000_000 + i, data: `{"fields":{"proc.pid":${i}}}` }));
		s.append(events(25), 0); // 25 unsealed, no checkpoint
		assert.deepEqual(s.db.prepare('SELECT id FROM records WHERE kind = ? ORDER BY id').pluck().all(CHECKPOINT_KIND), [1]);
		s.append([...alerts(0, 1).map(alertRecord), ...events(2)], 1); // 28 unsealed with an alert: sealed
		assert.deepEqual(s.db.prepare('SELECT id FROM records WHERE kind = ? ORDER BY id').pluck().all(CHECKPOINT_KIND), [1, 30]);
		s.append(events(3), 0);
		assert.equal(s.seal(), true);
		assert.deepEqual(s.db.prepare('SELECT id FROM records WHERE kind = ? ORDER BY id').pluck().all(CHECKPOINT_KIND), [1, 30, 34]);
		assert.deepEqual([verifyStore(s, { key: t.key }).ok, verifyStore(s, { key: t.key }).keyed.unsealed], [true, 0]);
		s.close();
	} finally {
		t.cleanup();
	}
});

test('seal() with nothing new appends nothing; an unkeyed store never checkpoints', () => {
	const t = tempStore(5, { keyed: true });
	const u = tempStore(5);
	try {
		assert.deepEqual(checkpoints(t), [1, 7]);
		assert.equal(t.store.seal(), false);
		assert.deepEqual(checkpoints(t), [1, 7]);
		assert.equal(u.store.seal(), false);
		assert.deepEqual(checkpoints(u), []);
	} finally {
		t.cleanup();
		u.cleanup();
	}
});

test('after a crash (records never sealed), reopening with the key seals them before anything else', () => {
	const t = tempStore(0, { keyed: true });
	try {
		t.store.appendAlerts(alerts(0, 3));
		t.store.db.close(); // no close(): no checkpoint
		const s = AuditStore.open(t.path, { key: t.key });
		assert.deepEqual(s.db.prepare('SELECT kind FROM records ORDER BY id').pluck().all(), ['checkpoint', 'alert', 'alert', 'alert', 'checkpoint']);
		assert.deepEqual([verifyStore(s, { key: t.key }).ok, verifyStore(s, { key: t.key }).keyed.unsealed], [true, 0]);
		s.close();
	} finally {
		t.cleanup();
	}
});

test('a writer will not seal over a cut: no checkpoint, head file kept, counted; `seal --accept` makes a new start', () => {
	const t = tempStore(10, { keyed: true });
	try {
		const headBefore = readFileSync(t.headPath, 'utf8');
		cutLast(t.store.db, 3);
		t.store.appendAlerts(alerts(50, 2));
		assert.equal(t.store.seal(), false);
		assert.equal(t.store.sealBlocked?.kind, 'removed-last');
		assert.equal(t.store.sealFailures, 1);
		assert.equal(readFileSync(t.headPath, 'utf8'), headBefore);
		assert.equal(verifyStore(t.store, { key: t.key }).broken?.kind, 'removed-last'); // ids 10, 11 reused by new records; 12 is gone
		const reopened = AuditStore.open(t.path, { key: t.key });
		assert.equal(reopened.sealBlocked?.kind, 'removed-last'); // a restart does not bless it either
		assert.equal(reopened.seal({ accept: true }), true);
		assert.equal(reopened.sealBlocked, undefined);
		reopened.close();
		assert.equal(verifyStore(t.store, { key: t.key }).ok, true);
	} finally {
		t.cleanup();
	}
});

test('a store keyed with one key is not opened for writing with another, nor pruned without one', () => {
	const t = tempStore(3, { keyed: true });
	const other = tempStore(0, { keyed: true });
	try {
		assert.throws(() => AuditStore.open(t.path, { key: other.key }), { code: 'ESTOREKEY', message: /it is keyed with another key \(key id [0-9a-f]{16}; .* has [0-9a-f]{16}\)$/ });
		const unkeyed = AuditStore.open(t.path);
		assert.throws(() => pruneStore(unkeyed, { maxRows: 2 }), { code: 'ESTOREKEY', message: /the store is keyed; open it with its key$/ });
		unkeyed.close();
	} finally {
		t.cleanup();
		other.cleanup();
	}
});

test('a version 1 store (unkeyed, anchors without MACs) is migrated and keyed on first use with a key, and verifies', () => {
	const t = tempStore(30);
	try {
		pruneStore(t.store, { maxRows: 20 });
		t.store.close();
		const db = new Database(t.path);
		db.exec(`ALTER TABLE anchors DROP COLUMN mac; ALTER TABLE anchors DROP COLUMN prune_hash; ALTER TABLE anchors DROP COLUMN prune_id; UPDATE meta SET value = '1' WHERE key = 'schema_version'; DELETE FROM meta WHERE key = 'store_id'`);
		db.close();
		const keyed = tempStore(0, { keyed: true });
		try {
			const s = AuditStore.open(t.path, { key: keyed.key });
			const v = verifyStore(s, { key: keyed.key });
			assert.deepEqual([v.ok, v.anchors, v.keyed.checkpoints, v.keyed.unsealed], [true, 1, 1, 0], JSON.stringify(v.broken));
			assert.equal(s.db.prepare(`SELECT value FROM meta WHERE key = 'schema_version'`).pluck().get(), String(SCHEMA_VERSION));
			pruneStore(s, { maxRows: 10 });
			assert.equal(verifyStore(s, { key: keyed.key }).ok, true);
			s.close();
		} finally {
			keyed.cleanup();
		}
	} finally {
		t.cleanup();
	}
});
