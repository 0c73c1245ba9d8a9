/** @module store/verify: walk the hash chain and name the first record that was edited, removed or moved. */
import type { AuditStore } from './store.js';
import { GENESIS, linkHash } from './chain.js';
import { anchorHash, type AnchorRow } from './anchor.js';

/** The first problem found: which table and id, and why. */
export interface Broken {
	table: 'records' | 'anchors';
	id: number;
	reason: string;
}

/** What verify saw; ok is false exactly when broken is set. */
export interface VerifyResult {
	ok: boolean;
	checked: number;
	firstId: number | null;
	lastId: number | null;
	head: string;
	anchors: number;
	broken?: Broken;
}

interface Row {
	id: number;
	kind: string;
	time_ms: number;
	data: string;
	prev_hash: string;
	hash: string;
}

// Anchors form their own chain; returns the last anchor, or a Broken.
function checkAnchors(store: AuditStore): { last?: AnchorRow; n: number; broken?: Broken } {
	const rows = store.db.prepare('SELECT * FROM anchors ORDER BY id').all() as AnchorRow[];
	let prev = GENESIS;
	let last: AnchorRow | undefined;
	for (const a of rows) {
		if (a.anchor_prev !== prev) return { n: rows.length, broken: { table: 'anchors', id: a.id, reason: 'link to the previous anchor broken (anchor removed or reordered)' } };
		if (anchorHash(a) !== a.hash) return { n: rows.length, broken: { table: 'anchors', id: a.id, reason: 'hash mismatch (anchor edited)' } };
		if (last && a.first_id < last.first_id) return { n: rows.length, broken: { table: 'anchors', id: a.id, reason: 'anchor moves the chain start backwards' } };
		prev = a.hash;
		last = a;
	}
	return { last, n: rows.length };
}

/** Walks every record in id order from the retention anchor (or genesis) and checks ids, links and hashes. */
export function verifyStore(store: AuditStore): VerifyResult {
	const an = checkAnchors(store);
	const res: VerifyResult = { ok: true, checked: 0, firstId: null, lastId: null, head: an.last?.prev_hash ?? GENESIS, anchors: an.n };
	const fail = (b: Broken): VerifyResult => ({ ...res, ok: false, broken: b });
	if (an.broken) return fail(an.broken);
	let wantId = an.last?.first_id ?? 1;
	let prevHash = res.head;
	for (const r of store.db.prepare('SELECT id, kind, time_ms, data, prev_hash, hash FROM records ORDER BY id').iterate() as IterableIterator<Row>) {
		if (r.id !== wantId) {
			const reason = r.id > wantId ? `record(s) ${wantId}..${r.id - 1} missing (deleted)` : `record before the expected id ${wantId} (reinserted or reordered)`;
			return fail({ table: 'records', id: r.id, reason });
		}
		if (r.prev_hash !== prevHash) return fail({ table: 'records', id: r.id, reason: 'link to the previous record broken (a record before it was edited, removed or moved)' });
		if (linkHash(r.prev_hash, { id: r.id, kind: r.kind, timeMs: r.time_ms, data: r.data }) !== r.hash) {
			return fail({ table: 'records', id: r.id, reason: 'hash mismatch (record edited)' });
		}
		res.firstId ??= r.id;
		res.lastId = r.id;
		res.checked++;
		res.head = r.hash;
		prevHash = r.hash;
		wantId++;
	}
	const seq = (store.db.prepare(`SELECT seq FROM sqlite_sequence WHERE name = 'records'`).pluck().get() as number | undefined) ?? 0;
	if (seq >= wantId) return fail({ table: 'records', id: wantId, reason: `record(s) ${wantId}..${seq} missing at the end (deleted)` });
	return res;
}
