/** @module store/retention: remove the oldest records by age and/or count, keeping the rest verifiable through a keyed anchor. */
import type { AuditStore } from './store.js';
import { GENESIS, canonicalJson } from './chain.js';
import { anchorHash, anchorMac } from './anchor.js';
import { StoreError } from './errors.js';
import { CHECKPOINT_KIND } from './seal.js';

/** What to keep: records younger than maxAgeMs and at most maxRows of them (the prune record and its checkpoint included). */
export interface RetentionPolicy {
	maxAgeMs?: number;
	maxRows?: number;
}

/** What a prune did: records removed (ids up to throughId), or 0 and null when nothing was old enough. */
export interface PruneResult {
	removed: number;
	throughId: number | null;
}

const NONE: PruneResult = { removed: 0, throughId: null };

// The last id to remove: the prefix older than the cutoff (stopping at the first newer record) or past maxRows.
function cutPoint(store: AuditStore, p: RetentionPolicy, now: number): number | null {
	const db = store.db;
	let through: number | null = null;
	if (p.maxAgeMs !== undefined) {
		// Checkpoints carry the time they were written, not an event's: they neither keep a record nor go by age on their own.
		const keep = db.prepare(`SELECT id FROM records WHERE time_ms >= ? AND kind != '${CHECKPOINT_KIND}' ORDER BY id LIMIT 1`).pluck().get(now - p.maxAgeMs) as number | undefined;
		through = db.prepare(`SELECT max(id) FROM records WHERE id < ? AND kind != '${CHECKPOINT_KIND}'`).pluck().get(keep ?? Number.MAX_SAFE_INTEGER) as number | null;
	}
	if (p.maxRows !== undefined) {
		const n = db.prepare('SELECT count(*) FROM records').pluck().get() as number;
		const room = store.keyed ? 2 : 1; // the prune record itself (and, keyed, its checkpoint)
		const max = Math.max(p.maxRows, room);
		if (n > max) {
			const drop = n - max + room;
			const id = db.prepare('SELECT id FROM records ORDER BY id LIMIT 1 OFFSET ?').pluck().get(drop - 1) as number;
			through = Math.max(through ?? 0, id);
		}
	}
	return through;
}

// Appends the prune record, the anchor (keyed: tied to that prune record), and removes the prefix.
function cut(store: AuditStore, p: RetentionPolicy, now: number, through: number): PruneResult {
	const db = store.db;
	const removed = db.prepare('SELECT count(*) FROM records WHERE id <= ?').pluck().get(through) as number;
	const throughHash = db.prepare('SELECT hash FROM records WHERE id <= ? ORDER BY id DESC LIMIT 1').pluck().get(through) as string;
	const prune = store.appendInTransaction([{ kind: 'prune', timeMs: now, data: canonicalJson({ removed, throughId: through, throughHash, policy: p }) }]);
	const next = db.prepare('SELECT id, prev_hash FROM records WHERE id > ? ORDER BY id LIMIT 1').get(through) as { id: number; prev_hash: string };
	const last = db.prepare('SELECT id, hash FROM anchors ORDER BY id DESC LIMIT 1').get() as { id: number; hash: string } | undefined;
	const seq = (db.prepare(`SELECT seq FROM sqlite_sequence WHERE name = 'anchors'`).pluck().get() as number | undefined) ?? 0;
	const fields = { id: Math.max(seq, last?.id ?? 0) + 1, at_ms: now, first_id: next.id, prev_hash: next.prev_hash, through_id: through, removed, anchor_prev: last?.hash ?? GENESIS };
	const a = { ...fields, hash: anchorHash(fields), prune_id: prune.id, prune_hash: prune.hash };
	const k = store.keyed;
	const mac = k ? anchorMac(k.key, k.storeId, a) : null;
	db.prepare('INSERT INTO anchors (id, at_ms, first_id, prev_hash, through_id, removed, anchor_prev, hash, prune_id, prune_hash, mac) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
		a.id, a.at_ms, a.first_id, a.prev_hash, a.through_id, a.removed, a.anchor_prev, a.hash, a.prune_id, a.prune_hash, mac,
	);
	db.prepare('INSERT INTO prune_window (through_id) VALUES (?)').run(through);
	db.prepare('DELETE FROM records WHERE id <= ?').run(through);
	db.prepare('DELETE FROM prune_window').run();
	return { removed, throughId: through };
}

/**
 * Applies the policy in one transaction: appends a `prune` record (what went, and the hash it ended on), removes ids up
 * to the cut, appends an anchor naming the first kept record, the hash it links to and the prune record (MACed with the
 * key), and, with the key, ends with a checkpoint. A keyed store is pruned only with its key.
 */
export function pruneStore(store: AuditStore, p: RetentionPolicy, now = Date.now()): PruneResult {
	const db = store.db;
	if (!store.keyed && db.prepare(`SELECT 1 FROM meta WHERE key = 'key_id'`).get()) {
		throw new StoreError(`prune audit store ${store.path}: the store is keyed; open it with its key`, 'ESTOREKEY');
	}
	return store.transact(
		(): PruneResult => {
			const through = cutPoint(store, p, now);
			const first = db.prepare('SELECT min(id) FROM records').pluck().get() as number | null;
			if (through === null || first === null || through < first) return NONE;
			return cut(store, p, now, through);
		},
		(r) => r.removed > 0,
	);
}
