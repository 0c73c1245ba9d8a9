/** @module store/retention.test: pruning by rows and by age removes the oldest prefix, records itself, and keeps verify green, with the key too. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pruneStore } from './retention.js';
import { verifyStore } from './verify.js';
import { AuditStore } from './store.js';
import { T0, sampleAlert, tempStore } from '../../test/helpers/store-fixtures.js';

const ids = (t: ReturnType<typeof tempStore>): number[] => t.store.db.prepare('SELECT id FROM records ORDER BY id').pluck().all() as number[];

test('maxRows keeps the newest rows (the prune record counts), anchors the first kept record, verify stays green', () => {
	const t = tempStore(100);
	try {
		assert.deepEqual(pruneStore(t.store, { maxRows: 10 }), { removed: 91, throughId: 91 });
		assert.deepEqual(ids(t), [92, 93, 94, 95, 96, 97, 98, 99, 100, 101]);
		const prune = t.store.db.prepare(`SELECT data FROM records WHERE kind = 'prune'`).pluck().get() as string;
		assert.deepEqual(JSON.parse(prune).removed, 91);
		const a = t.store.db.prepare('SELECT first_id, through_id, removed FROM anchors').all();
		assert.deepEqual(a, [{ first_id: 92, through_id: 91, removed: 91 }]);
		const v = verifyStore(t.store);
		assert.deepEqual([v.ok, v.checked, v.firstId, v.lastId, v.anchors], [true, 10, 92, 101, 1]);
		assert.deepEqual(pruneStore(t.store, { maxRows: 10 }), { removed: 0, throughId: null }); // at the limit: nothing to do
	} finally {
		t.cleanup();
	}
});

test('maxAgeMs removes records older than the cutoff; repeated prunes and later appends keep verify green', () => {
	const t = tempStore(60); // one a minute from T0
	try {
		const now = T0 + 60 * 60_000;
		assert.deepEqual(pruneStore(t.store, { maxAgeMs: 30 * 60_000 }, now), { removed: 30, throughId: 30 });
		assert.equal(ids(t)[0], 31);
		assert.deepEqual(pruneStore(t.store, { maxAgeMs: 30 * 60_000 }, now), { removed: 0, throughId: null });
		t.store.appendAlerts([sampleAlert(60), sampleAlert(61)]);
		assert.deepEqual(pruneStore(t.store, { maxAgeMs: 20 * 60_000 }, now), { removed: 10, throughId: 40 });
		const v = verifyStore(t.store);
		assert.deepEqual([v.ok, v.anchors, v.firstId], [true, 2, 41]);
	} finally {
		t.cleanup();
	}
});

test('pruning everything old still leaves the prune record, and appends continue the chain', () => {
	const t = tempStore(5);
	try {
		pruneStore(t.store, { maxAgeMs: 1000 }, T0 + 86_400_000);
		assert.deepEqual(ids(t), [6]);
		t.store.appendAlerts([sampleAlert(9)]);
		assert.equal(verifyStore(t.store).ok, true);
		assert.deepEqual(ids(t), [6, 7]);
	} finally {
		t.cleanup();
	}
});

test('nothing to remove: no prune record, no anchor', () => {
	const t = tempStore(5);
	try {
		assert.deepEqual(pruneStore(t.store, { maxRows: 100, maxAgeMs: 1e12 }, T0), { removed: 0, throughId: null });
		assert.deepEqual(ids(t), [1, 2, 3, 4, 5]);
		assert.equal(t.store.db.prepare('SELECT count(*) FROM anchors').pluck().get(), 0);
	} finally {
		t.cleanup();
	}
});

test('keyed: the anchor is MACed and tied to its prune record, a checkpoint follows, maxRows counts both; verify with the key stays green', () => {
	const t = tempStore(100, { keyed: true }); // checkpoint 1, alerts 2..101, checkpoint 102
	try {
		assert.deepEqual(pruneStore(t.store, { maxRows: 10 }), { removed: 94, throughId: 94 });
		const kinds = t.store.db.prepare('SELECT id, kind FROM records ORDER BY id').all() as { id: number; kind: string }[];
		assert.equal(kinds.length, 10);
		assert.deepEqual(kinds.slice(-3), [{ id: 102, kind: 'checkpoint' }, { id: 103, kind: 'prune' }, { id: 104, kind: 'checkpoint' }]);
		const a = t.store.db.prepare('SELECT first_id, through_id, prune_id, prune_hash, mac FROM anchors').get() as Record<string, unknown>;
		assert.deepEqual([a.first_id, a.through_id, a.prune_id], [95, 94, 103]);
		assert.equal(a.prune_hash, t.store.db.prepare('SELECT hash FROM records WHERE id = 103').pluck().get());
		assert.match(String(a.mac), /^[0-9a-f]{64}$/);
		const v = verifyStore(t.store, { key: t.key });
		assert.deepEqual([v.ok, v.checked, v.firstId, v.anchors, v.keyed.sealedId, v.keyed.headId, v.keyed.unsealed], [true, 10, 95, 1, 104, 104, 0]);
		assert.deepEqual(pruneStore(t.store, { maxRows: 10 }), { removed: 0, throughId: null });
		assert.equal(t.store.db.prepare('SELECT max(id) FROM records').pluck().get(), 104); // nothing to do: no checkpoint either
	} finally {
		t.cleanup();
	}
});

test('keyed: pruning by age again and again, with appends between, keeps verify with the key green', () => {
	const t = tempStore(60, { keyed: true });
	try {
		const now = T0 + 60 * 60_000;
		assert.equal(pruneStore(t.store, { maxAgeMs: 30 * 60_000 }, now).removed, 31); // checkpoint 1 and alerts 0..29
		t.store.appendAlerts([sampleAlert(60), sampleAlert(61)]);
		t.store.seal();
		assert.equal(pruneStore(t.store, { maxAgeMs: 20 * 60_000 }, now).removed, 10);
		assert.equal(pruneStore(t.store, { maxAgeMs: 1 }, now + 86_400_000).removed > 0, true); // every record with an event time
		t.store.appendAlerts([sampleAlert(62)]);
		t.store.close();
		const r = AuditStore.open(t.path, { readonly: true });
		const v = verifyStore(r, { key: t.key });
		r.close();
		assert.deepEqual([v.ok, v.anchors, v.keyed.unsealed], [true, 3, 0], JSON.stringify(v.broken));
	} finally {
		t.cleanup();
	}
});
