/** @module store/link-format.test: records are linked in format 2; a store written in format 1 (schema 3) still verifies, upgraded in place, and edits, removals and swaps of its format 1 records are still caught. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { verifyStore } from './verify.js';
import { AuditStore } from './store.js';
import { SCHEMA_VERSION } from './schema.js';
import { linkHash, linkHashV1, linkValid } from './chain.js';
import { CHECKPOINT_KIND, checkpointData, headMac, writeHead } from './seal.js';
import { dropGuards, sampleAlert, tempStore, type TempStore } from '../../test/helpers/store-fixtures.js';

interface Row {
	id: number;
	kind: string;
	time_ms: number;
	data: string;
}

const fields = (r: Row) => ({ id: r.id, kind: r.kind, timeMs: r.time_ms, data: r.data });

/** Rewrites a keyed store as a bpfguard of schema 3 wrote it: every link in format 1, checkpoints and the head file made with the key over those links. */
function asFormat1(t: TempStore): void {
	const db = t.store.db;
	dropGuards(db);
	const storeId = db.prepare(`SELECT value FROM meta WHERE key = 'store_id'`).pluck().get() as string;
	const set = db.prepare('UPDATE records SET data = ?, prev_hash = ?, hash = ? WHERE id = ?');
	let prev = '0'.repeat(64);
	let last = { id: 0, hash: prev, timeMs: 0 };
	for (const r of db.prepare('SELECT id, kind, time_ms, data FROM records ORDER BY id').all() as Row[]) {
		const data = r.kind === CHECKPOINT_KIND ? checkpointData(t.key!, storeId, r.id, r.time_ms, prev) : r.data;
		const hash = linkHashV1(prev, { ...fields(r), data });
		set.run(data, prev, hash, r.id);
		if (r.kind === CHECKPOINT_KIND) last = { id: r.id, hash, timeMs: r.time_ms };
		prev = hash;
	}
	const h = { store: storeId, ...last };
	writeHead(t.headPath, { v: 1, ...h, mac: headMac(t.key!, h) });
	db.exec(`UPDATE meta SET value = '3' WHERE key = 'schema_version'`);
}

function format1Store(f: (t: TempStore) => void): void {
	const t = tempStore(30, { keyed: true });
	try {
		asFormat1(t);
		f(t);
	} finally {
		t.cleanup();
	}
}

const row = (t: TempStore, id: number) => t.store.db.prepare('SELECT id, kind, time_ms, data, prev_hash, hash FROM records WHERE id = ?').get(id) as Row & { prev_hash: string; hash: string };

test('format 2 is not format 1, and a link verifies in either format only with its own prev hash and fields', () => {
	const r = { id: 7, kind: 'event', timeMs: 1700000000000, data: '{"fields":{"fd.name":"/etc/\\"x\\""},"hostname":"h","source":"syscall"}' };
	const prev = 'a'.repeat(64);
	assert.notEqual(linkHash(prev, r), linkHashV1(prev, r));
	assert.equal(linkValid(prev, r, linkHash(prev, r)), true);
	assert.equal(linkValid(prev, r, linkHashV1(prev, r)), true);
	assert.equal(linkValid('b'.repeat(64), r, linkHash(prev, r)), false);
	assert.equal(linkValid(prev, { ...r, data: r.data.replace('x', 'y') }, linkHash(prev, r)), false);
	assert.equal(linkValid(prev, { ...r, kind: 'alert' }, linkHashV1(prev, r)), false);
	assert.equal(linkValid(prev, { ...r, id: 8 }, linkHash(prev, r)), false);
});

test('a keyed store written in format 1 verifies with the key, and after an upgrade in place its new records are format 2 and it still verifies', () => {
	format1Store((t) => {
		const r5 = row(t, 5);
		assert.equal(r5.hash, linkHashV1(r5.prev_hash, fields(r5))); // really format 1
		assert.equal(verifyStore(t.store, { key: t.key }).ok, true, JSON.stringify(verifyStore(t.store, { key: t.key }).broken));
		t.store.close();
		const s = AuditStore.open(t.path, { key: t.key });
		try {
			assert.equal(s.db.prepare(`SELECT value FROM meta WHERE key = 'schema_version'`).pluck().get(), String(SCHEMA_VERSION));
			s.appendAlerts([sampleAlert(40), sampleAlert(41)]);
			s.seal();
			const n = row({ ...t, store: s }, 33);
			assert.equal(n.hash, linkHash(n.prev_hash, fields(n)));
			const v = verifyStore(s, { key: t.key });
			assert.equal(v.ok, true, JSON.stringify(v.broken));
			assert.deepEqual([v.checked, v.keyed.checkpoints, v.keyed.unsealed], [35, 3, 0]);
		} finally {
			s.close();
		}
		t.store = AuditStore.open(t.path, { readonly: true });
	});
});

test('in a format 1 store an edited record, a removed one and two swapped ones are caught', () => {
	format1Store((t) => {
		t.store.db.exec(`UPDATE records SET data = replace(data, 'marker-7', 'marker-x') WHERE id = 9`);
		assert.deepEqual(verifyStore(t.store).broken, { kind: 'edited', table: 'records', id: 9, reason: 'hash mismatch (record edited)' });
	});
	format1Store((t) => {
		t.store.db.exec('DELETE FROM records WHERE id = 10');
		assert.deepEqual(verifyStore(t.store).broken, { kind: 'removed-middle', table: 'records', id: 11, reason: 'records 10..10 missing (removed)' });
	});
	format1Store((t) => {
		t.store.db.exec(`UPDATE records SET id = -1 WHERE id = 5; UPDATE records SET id = 5 WHERE id = 6; UPDATE records SET id = 6 WHERE id = -1;`);
		assert.deepEqual(verifyStore(t.store).broken?.id, 5);
		assert.equal(verifyStore(t.store).ok, false);
	});
});
