/** @module store/verify.test: without the key, verify still walks the plain chain and names the first edit, removal (start, middle, end), swap or edited anchor. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type Database from 'better-sqlite3';
import { verifyStore } from './verify.js';
import { pruneStore } from './retention.js';
import { dropGuards, tempStore } from '../../test/helpers/store-fixtures.js';
import { linkHash } from './chain.js';

/** Runs raw SQL as an attacker with write access would: the append-only triggers dropped first. */
function tamper(db: Database.Database, sql: string): void {
	dropGuards(db);
	db.exec(sql);
}

test('an untouched chain verifies: every record checked, head is the last hash, keyed checks skipped without a key', () => {
	const t = tempStore(50);
	try {
		const r = verifyStore(t.store);
		assert.equal(r.ok, true);
		assert.deepEqual([r.checked, r.firstId, r.lastId, r.broken], [50, 1, 50, undefined]);
		assert.equal(r.head, t.store.tail().hash);
		assert.deepEqual(r.keyed, { checked: false, skipped: 'no key given', checkpoints: 0, sealedId: null, unsealed: 50, headId: null });
	} finally {
		t.cleanup();
	}
});

test('an empty store verifies', () => {
	const t = tempStore(0);
	try {
		assert.deepEqual([verifyStore(t.store).ok, verifyStore(t.store).checked], [true, 0]);
	} finally {
		t.cleanup();
	}
});

test('editing one record (raw SQL) is caught at that record', () => {
	const t = tempStore(20);
	try {
		tamper(t.store.db, `UPDATE records SET data = replace(data, 'marker-7', 'marker-x') WHERE id = 8`);
		assert.deepEqual(verifyStore(t.store).broken, { kind: 'edited', table: 'records', id: 8, reason: 'hash mismatch (record edited)' });
	} finally {
		t.cleanup();
	}
});

test('editing a record and recomputing its own hash is caught at the next record', () => {
	const t = tempStore(20);
	try {
		const r = t.store.db.prepare('SELECT id, kind, time_ms, data, prev_hash FROM records WHERE id = 8').get() as { id: number; kind: string; time_ms: number; data: string; prev_hash: string };
		const data = r.data.replace('marker-7', 'marker-x');
		const hash = linkHash(r.prev_hash, { id: 8, kind: r.kind, timeMs: r.time_ms, data });
		tamper(t.store.db, '');
		t.store.db.prepare('UPDATE records SET data = ?, hash = ? WHERE id = 8').run(data, hash);
		assert.deepEqual(verifyStore(t.store).broken, { kind: 'edited', table: 'records', id: 9, reason: 'link to the previous record broken (a record before it was edited, removed or moved)' });
	} finally {
		t.cleanup();
	}
});

test('deleting a record in the middle is caught at the record after it', () => {
	const t = tempStore(20);
	try {
		tamper(t.store.db, 'DELETE FROM records WHERE id = 10');
		assert.deepEqual(verifyStore(t.store).broken, { kind: 'removed-middle', table: 'records', id: 11, reason: 'records 10..10 missing (removed)' });
	} finally {
		t.cleanup();
	}
});

test('swapping the contents of two records is caught at the first of them', () => {
	const t = tempStore(20);
	try {
		tamper(
			t.store.db,
			`UPDATE records SET id = -1 WHERE id = 5; UPDATE records SET id = 5 WHERE id = 6; UPDATE records SET id = 6 WHERE id = -1;`,
		);
		const r = verifyStore(t.store);
		assert.equal(r.ok, false);
		assert.deepEqual([r.broken?.kind, r.broken?.id], ['edited', 5]);
	} finally {
		t.cleanup();
	}
});

test('cutting the newest records off is caught (the id sequence remembers them)', () => {
	const t = tempStore(20);
	try {
		tamper(t.store.db, 'DELETE FROM records WHERE id > 17');
		assert.deepEqual(verifyStore(t.store).broken, { kind: 'removed-last', table: 'records', id: 18, reason: 'records 18..20 missing at the end (removed)' });
	} finally {
		t.cleanup();
	}
});

test('deleting the oldest records without retention is caught at the first kept one', () => {
	const t = tempStore(20);
	try {
		tamper(t.store.db, 'DELETE FROM records WHERE id <= 3');
		assert.deepEqual(verifyStore(t.store).broken, { kind: 'removed-first', table: 'records', id: 4, reason: 'records 1..3 missing at the start (removed without retention)' });
	} finally {
		t.cleanup();
	}
});

test('after a prune, deleting more old records or editing the anchor is caught', () => {
	const t = tempStore(30);
	try {
		pruneStore(t.store, { maxRows: 20 });
		assert.equal(verifyStore(t.store).ok, true);
		const first = t.store.db.prepare('SELECT min(id) FROM records').pluck().get() as number;
		tamper(t.store.db, `DELETE FROM records WHERE id = ${first}`);
		assert.deepEqual([verifyStore(t.store).broken?.kind, verifyStore(t.store).broken?.id], ['removed-first', first + 1]);
	} finally {
		t.cleanup();
	}
	const u = tempStore(30);
	try {
		pruneStore(u.store, { maxRows: 20 });
		tamper(u.store.db, 'UPDATE anchors SET first_id = first_id + 1');
		assert.deepEqual(verifyStore(u.store).broken, { kind: 'forged-anchor', table: 'anchors', id: 1, reason: 'hash mismatch (anchor edited)' });
	} finally {
		u.cleanup();
	}
});
