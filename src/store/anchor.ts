/** @module store/anchor: retention anchors: where the kept chain starts after old records were removed, chained themselves and keyed. */
import { canonicalJson, linkHashV1 } from './chain.js';
import type { StoreKey } from './key.js';

/** One anchor row: the first kept record (id and the hash it links to) after a prune, and the prune record that made it. */
export interface AnchorRow {
	id: number;
	at_ms: number;
	first_id: number;
	prev_hash: string;
	through_id: number;
	removed: number;
	anchor_prev: string;
	hash: string;
	/** The prune record appended with this anchor (null: made before the store was keyed). */
	prune_id: number | null;
	prune_hash: string | null;
	/** anchorMac() with the store key; null in an unkeyed store. */
	mac: string | null;
}

/** The hash of an anchor: its fields linked to the previous anchor's hash, like a record. */
export function anchorHash(a: Pick<AnchorRow, 'id' | 'at_ms' | 'first_id' | 'prev_hash' | 'through_id' | 'removed' | 'anchor_prev'>): string {
	const data = canonicalJson({ firstId: a.first_id, prevHash: a.prev_hash, throughId: a.through_id, removed: a.removed });
	return linkHashV1(a.anchor_prev, { id: a.id, kind: 'anchor', timeMs: a.at_ms, data });
}

/**
 * The keyed MAC of an anchor: the store, every anchor field (its link to the previous anchor included), the first kept id
 * and the hash it links to, and the id and hash of the prune record made in the same transaction.
 */
export function anchorMac(key: StoreKey, storeId: string, a: Omit<AnchorRow, 'mac'>): string {
	return key.mac(['bpfguard-anchor', storeId, a.id, a.at_ms, a.first_id, a.prev_hash, a.through_id, a.removed, a.anchor_prev, a.hash, a.prune_id, a.prune_hash]);
}
