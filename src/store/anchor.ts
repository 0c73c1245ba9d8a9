/** @module store/anchor: retention anchors: where the kept chain starts after old records were removed, chained themselves. */
import { canonicalJson, linkHash } from './chain.js';

/** One anchor row: the first kept record (id and the hash it links to) after a prune. */
export interface AnchorRow {
	id: number;
	at_ms: number;
	first_id: number;
	prev_hash: string;
	through_id: number;
	removed: number;
	anchor_prev: string;
	hash: string;
}

/** The hash of an anchor: its fields linked to the previous anchor's hash, like a record. */
export function anchorHash(a: Omit<AnchorRow, 'hash'>): string {
	const data = canonicalJson({ firstId: a.first_id, prevHash: a.prev_hash, throughId: a.through_id, removed: a.removed });
	return linkHash(a.anchor_prev, { id: a.id, kind: 'anchor', timeMs: a.at_ms, data });
}
