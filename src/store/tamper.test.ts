/** @module store/tamper.test: with the key, verify catches what the plain chain cannot: an edit re-hashed, the first or last K cut, a re-chained store, a forged anchor. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { verifyStore } from './verify.js';
import { pruneStore } from './retention.js';
import { loadKey } from './key.js';
import { anchorHash, type AnchorRow } from './anchor.js';
import {
	cutFirstWithAnchor,
	cutLast,
	dropGuards,
	editAndRechain,
	forgeAnchor,
	rechainFrom,
	removeAndRenumber,
	rewindSequence,
	sampleAlert,
	tempStore,
	type TempStore,
} from '../../test/helpers/store-fixtures.js';

// 30 alerts in a keyed store: checkpoint 1 (the store's first), alerts 2..31, checkpoint 32 (sealed).
const N = 30;
const LAST = N + 2;

function keyed(f: (t: TempStore) => void): void {
	const t = tempStore(N, { keyed: true });
	try {
		f(t);
	} finally {
		t.cleanup();
	}
}

const withKey = (t: TempStore) => verifyStore(t.store, { key: t.key });
const plain = (t: TempStore) => verifyStore(t.store);

test('an untouched keyed store verifies with the key: checkpoints, sealed through the last record, head file matches', () => {
	keyed((t) => {
		const r = withKey(t);
		assert.equal(r.ok, true, JSON.stringify(r.broken));
		assert.deepEqual([r.checked, r.firstId, r.lastId], [LAST, 1, LAST]);
		assert.deepEqual(r.keyed, { checked: true, skipped: undefined, checkpoints: 2, sealedId: LAST, unsealed: 0, headId: LAST });
	});
});

test('edit: a record edited and every later hash recomputed passes the plain chain, the next checkpoint catches it', () => {
	keyed((t) => {
		editAndRechain(t.store.db, 9, 'marker-7', 'marker-x');
		assert.equal(plain(t).ok, true); // what today's verify saw
		assert.deepEqual(withKey(t).broken, {
			kind: 'rechained',
			table: 'records',
			id: LAST,
			reason: 'checkpoint MAC mismatch: the records before it were changed and the chain re-hashed without the key',
		});
	});
});

test('edit without re-hashing is caught at the record itself, with or without the key', () => {
	keyed((t) => {
		dropGuards(t.store.db);
		t.store.db.exec(`UPDATE records SET data = replace(data, 'marker-7', 'marker-x') WHERE id = 9`);
		assert.deepEqual(withKey(t).broken, { kind: 'edited', table: 'records', id: 9, reason: 'hash mismatch (record edited)' });
		assert.equal(plain(t).broken?.kind, 'edited');
	});
});

test('delete first K: the oldest records cut and an anchor forged over the gap (no key, so no MAC)', () => {
	keyed((t) => {
		cutFirstWithAnchor(t.store.db, 5);
		assert.equal(plain(t).ok, true);
		assert.deepEqual(withKey(t).broken, { kind: 'forged-anchor', table: 'anchors', id: 1, reason: 'no MAC: forged anchor: records 1..5 were removed without retention' });
	});
	keyed((t) => {
		dropGuards(t.store.db);
		t.store.db.exec('DELETE FROM records WHERE id <= 5');
		assert.deepEqual(withKey(t).broken, { kind: 'removed-first', table: 'records', id: 6, reason: 'records 1..5 missing at the start (removed without retention)' });
	});
});

test('delete last K: the newest records cut and the id sequence rewound; the head file still names the last checkpoint', () => {
	keyed((t) => {
		cutLast(t.store.db, 3);
		assert.equal(plain(t).ok, true);
		assert.deepEqual(withKey(t).broken, {
			kind: 'removed-last',
			table: 'records',
			id: LAST - 2,
			reason: `records ${LAST - 2}..${LAST} missing at the end: ${t.headPath} names checkpoint ${LAST} (the newest records were removed)`,
		});
	});
	keyed((t) => {
		cutLast(t.store.db, 3);
		t.store.appendAlerts([sampleAlert(97), sampleAlert(98), sampleAlert(99)]); // the same ids again, new content
		rewindSequence(t.store.db);
		assert.deepEqual(withKey(t).broken?.kind, 'rechained');
		assert.match(withKey(t).broken?.reason ?? '', new RegExp(`^record ${LAST} is not the checkpoint .* names: the records before it were removed or rewritten without the key$`));
	});
	keyed((t) => {
		cutLast(t.store.db, 3);
		rmSync(t.headPath);
		assert.deepEqual(withKey(t).broken, {
			kind: 'head',
			table: 'head',
			id: null,
			reason: `${t.headPath} is missing: nothing vouches for the newest records (bpfguard store seal accepts the store as it is)`,
		});
	});
});

test('re-chain without the key: a record removed and the rest renumbered and re-hashed', () => {
	keyed((t) => {
		removeAndRenumber(t.store.db, 10);
		assert.equal(plain(t).ok, true);
		assert.deepEqual([withKey(t).broken?.kind, withKey(t).broken?.id], ['rechained', LAST - 1]);
	});
	keyed((t) => {
		// The whole chain rebuilt: checkpoints dropped, the rest renumbered from 1 and re-hashed, the key id kept or removed.
		const db = t.store.db;
		dropGuards(db);
		db.exec(`DELETE FROM records WHERE kind = 'checkpoint'; UPDATE records SET id = id - 1`);
		rewindSequence(db);
		rechainFrom(db, 1);
		assert.equal(plain(t).ok, true);
		assert.deepEqual(withKey(t).broken?.kind, 'removed-last'); // the head file names checkpoint 32; the rebuilt chain ends at 30
		rmSync(t.headPath);
		assert.deepEqual(withKey(t).broken?.kind, 'head');
		db.exec(`DELETE FROM meta WHERE key = 'key_id'`);
		assert.deepEqual(withKey(t).broken, { kind: 'unkeyed', table: 'meta', id: null, reason: 'the store carries no key id: it was rebuilt without the key, or never written by a keyed bpfguard' });
	});
});

test('forged anchor: after a real prune, more old records cut and an anchor added or the real one edited (no key, so no valid MAC)', () => {
	keyed((t) => {
		pruneStore(t.store, { maxRows: 20 });
		assert.equal(withKey(t).ok, true);
		const first = t.store.db.prepare('SELECT min(id) FROM records').pluck().get() as number;
		dropGuards(t.store.db);
		t.store.db.prepare('DELETE FROM records WHERE id < ?').run(first + 4);
		forgeAnchor(t.store.db, first + 3, 4);
		assert.equal(plain(t).ok, true);
		assert.deepEqual(withKey(t).broken, { kind: 'forged-anchor', table: 'anchors', id: 2, reason: `no MAC: forged anchor: records ${first}..${first + 3} were removed without retention` });
	});
	keyed((t) => {
		pruneStore(t.store, { maxRows: 20 });
		const db = t.store.db;
		const first = db.prepare('SELECT min(id) FROM records').pluck().get() as number;
		dropGuards(db);
		db.prepare('DELETE FROM records WHERE id < ?').run(first + 2);
		const a = db.prepare('SELECT * FROM anchors WHERE id = 1').get() as AnchorRow;
		const next = db.prepare('SELECT id, prev_hash FROM records ORDER BY id LIMIT 1').get() as { id: number; prev_hash: string };
		const forged = { ...a, first_id: next.id, prev_hash: next.prev_hash, through_id: next.id - 1, removed: a.removed + 2 };
		db.prepare('UPDATE anchors SET first_id = ?, prev_hash = ?, through_id = ?, removed = ?, hash = ? WHERE id = 1').run(forged.first_id, forged.prev_hash, forged.through_id, forged.removed, anchorHash(forged));
		assert.equal(plain(t).ok, true);
		assert.deepEqual(withKey(t).broken, { kind: 'forged-anchor', table: 'anchors', id: 1, reason: `MAC mismatch: forged anchor: records 1..${first + 1} were removed without retention` });
	});
});

test('a wrong key is named as such, not as tampering of each record', () => {
	keyed((t) => {
		const other = tempStore(0, { keyed: true });
		try {
			const r = verifyStore(t.store, { key: other.key });
			assert.deepEqual([r.broken?.kind, r.broken?.table], ['wrong-key', 'meta']);
			assert.match(r.broken?.reason ?? '', /^the store was keyed with key id [0-9a-f]{16}, .* is [0-9a-f]{16}: wrong key, or the store was rebuilt$/);
		} finally {
			other.cleanup();
		}
	});
});

test('the head file is MACed: edited, or copied from another store, it is refused', () => {
	keyed((t) => {
		const other = tempStore(3, { keyed: true });
		try {
			const own = JSON.parse(readFileSync(t.headPath, 'utf8')) as { id: number };
			writeFileSync(t.headPath, JSON.stringify({ ...own, id: own.id - 1 }));
			assert.deepEqual(withKey(t).broken, { kind: 'head', table: 'head', id: LAST - 1, reason: `${t.headPath} is forged (MAC mismatch)` });
			copyFileSync(other.headPath, t.headPath);
			assert.deepEqual([withKey(t).broken?.kind, withKey(t).broken?.reason.includes('belongs to another store')], ['head', true]);
		} finally {
			other.cleanup();
		}
	});
});

test('the remaining windows: records after the last checkpoint can be cut unseen (verify says how many there are); an old head file put back hides a cut to it', () => {
	keyed((t) => {
		t.store.appendAlerts([sampleAlert(40), sampleAlert(41)]);
		assert.deepEqual([withKey(t).ok, withKey(t).keyed.unsealed], [true, 2]);
		cutLast(t.store.db, 2);
		assert.deepEqual([withKey(t).ok, withKey(t).keyed.unsealed], [true, 0]);
	});
	keyed((t) => {
		const saved = `${t.headPath}.saved`;
		copyFileSync(t.headPath, saved);
		t.store.appendAlerts([sampleAlert(40)]);
		t.store.seal();
		cutLast(t.store.db, 2);
		assert.equal(withKey(t).broken?.kind, 'removed-last');
		copyFileSync(saved, t.headPath);
		assert.equal(withKey(t).ok, true); // replay of an older head file: the window a head file outside the attacker's reach would close
	});
});

test('a key file read back gives the same key id as the one that sealed the store', () => {
	keyed((t) => {
		assert.equal(verifyStore(t.store, { key: loadKey(t.keyPath) }).ok, true);
	});
});
