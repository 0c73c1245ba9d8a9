/** @module store/verify: walk the hash chain and, with the key, its checkpoints, anchors and side file; name the first thing edited, removed, re-chained or forged. */
import type { AuditStore } from './store.js';
import { GENESIS, linkValid } from './chain.js';
import { anchorHash, anchorMac, type AnchorRow } from './anchor.js';
import type { StoreKey } from './key.js';
import type { Broken } from './broken.js';
import { CHECKPOINT_KIND, checkpointValid, headPathFor, headProblem, macEqual, readHead } from './seal.js';

export type { Broken, TamperKind } from './broken.js';

/** What to verify with: the key (without it only the plain chain is checked), the side file, and why there is no key. */
export interface VerifyOptions {
	key?: StoreKey;
	/** Default: headPathFor(store.path). */
	headPath?: string;
	/** Shown when key is missing (default 'no key given'). */
	keySkipped?: string;
}

/** The keyed part of a verify: done (checked) or skipped with the reason; checkpoints seen, the last one, records after it, and the side file's checkpoint. */
export interface KeyedResult {
	checked: boolean;
	skipped?: string;
	checkpoints: number;
	sealedId: number | null;
	unsealed: number;
	headId: number | null;
}

/** What verify saw; ok is false exactly when broken is set (ok with keyed.checked false: the plain chain only). */
export interface VerifyResult {
	ok: boolean;
	checked: number;
	firstId: number | null;
	lastId: number | null;
	head: string;
	anchors: number;
	keyed: KeyedResult;
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

interface Keyed {
	key: StoreKey;
	storeId: string;
}

const bad = (kind: Broken['kind'], table: Broken['table'], id: number | null, reason: string): Broken => ({ kind, table, id, reason });

// With the key: the store must carry its key id (a store rebuilt without the key lost it, or carries another).
function checkMeta(store: AuditStore, key: StoreKey): Keyed | Broken {
	const meta = (k: string): string | undefined => store.db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(k) as string | undefined;
	const keyId = meta('key_id');
	const storeId = meta('store_id');
	if (keyId === undefined || storeId === undefined) return bad('unkeyed', 'meta', null, 'the store carries no key id: it was rebuilt without the key, or never written by a keyed bpfguard');
	if (keyId !== key.id) return bad('wrong-key', 'meta', null, `the store was keyed with key id ${keyId}, ${key.path} is ${key.id}: wrong key, or the store was rebuilt`);
	return { key, storeId };
}

// Anchors form their own chain, and with the key each carries a MAC; returns the last anchor, or a Broken.
function checkAnchors(rows: AnchorRow[], k: Keyed | undefined): { last?: AnchorRow; broken?: Broken } {
	let prev = GENESIS;
	let last: AnchorRow | undefined;
	for (const a of rows) {
		if (a.anchor_prev !== prev) return { broken: bad('forged-anchor', 'anchors', a.id, 'link to the previous anchor broken (anchor removed or reordered)') };
		if (anchorHash(a) !== a.hash) return { broken: bad('forged-anchor', 'anchors', a.id, 'hash mismatch (anchor edited)') };
		if (last && a.first_id < last.first_id) return { broken: bad('forged-anchor', 'anchors', a.id, 'anchor moves the chain start backwards') };
		if (k) {
			const mac = anchorMac(k.key, k.storeId, { ...a, prune_id: a.prune_id ?? null, prune_hash: a.prune_hash ?? null });
			if (!macEqual(a.mac, mac)) {
				const from = last?.first_id ?? 1;
				const hides = a.first_id > from ? `: records ${from}..${a.first_id - 1} were removed without retention` : '';
				return { broken: bad('forged-anchor', 'anchors', a.id, `${a.mac ? 'MAC mismatch' : 'no MAC'}: forged anchor${hides}`) };
			}
		}
		prev = a.hash;
		last = a;
	}
	return { last };
}

// One record against the expected id and link (and, keyed, a checkpoint's MAC and a prune record's anchor).
function checkRecord(r: Row, wantId: number, prevHash: string, first: boolean, k: Keyed | undefined, prunes: Map<number, AnchorRow>): Broken | undefined {
	if (r.id > wantId) {
		return first
			? bad('removed-first', 'records', r.id, `records ${wantId}..${r.id - 1} missing at the start (removed without retention)`)
			: bad('removed-middle', 'records', r.id, `records ${wantId}..${r.id - 1} missing (removed)`);
	}
	if (r.id < wantId) return bad('reordered', 'records', r.id, `record before the expected id ${wantId} (reinserted or reordered)`);
	if (r.prev_hash !== prevHash) return bad('edited', 'records', r.id, 'link to the previous record broken (a record before it was edited, removed or moved)');
	if (!linkValid(r.prev_hash, { id: r.id, kind: r.kind, timeMs: r.time_ms, data: r.data }, r.hash)) return bad('edited', 'records', r.id, 'hash mismatch (record edited)');
	if (!k) return undefined;
	if (r.kind === CHECKPOINT_KIND && !checkpointValid(k.key, k.storeId, r)) {
		return bad('rechained', 'records', r.id, `checkpoint MAC mismatch: the records before it were changed and the chain re-hashed without the key`);
	}
	const a = prunes.get(r.id);
	if (a && (r.hash !== a.prune_hash || r.kind !== 'prune')) return bad('rechained', 'records', r.id, `not the prune record anchor ${a.id} was made with (re-chained without the key)`);
	return undefined;
}

/**
 * Walks every record in id order from the retention anchor (or genesis) and checks ids, links and hashes; with the key,
 * also the key id, every anchor's MAC and prune record, every checkpoint's MAC, and the side file.
 */
export function verifyStore(store: AuditStore, opts: VerifyOptions = {}): VerifyResult {
	const keyed: KeyedResult = { checked: opts.key !== undefined, skipped: opts.key ? undefined : (opts.keySkipped ?? 'no key given'), checkpoints: 0, sealedId: null, unsealed: 0, headId: null };
	const res: VerifyResult = { ok: true, checked: 0, firstId: null, lastId: null, head: GENESIS, anchors: 0, keyed };
	const fail = (b: Broken): VerifyResult => ({ ...res, ok: false, broken: b });
	let k: Keyed | undefined;
	if (opts.key) {
		const m = checkMeta(store, opts.key);
		if ('kind' in m) return fail(m);
		k = m;
	}
	const rows = store.db.prepare('SELECT * FROM anchors ORDER BY id').all() as AnchorRow[];
	res.anchors = rows.length;
	const an = checkAnchors(rows, k);
	if (an.broken) return fail(an.broken);
	res.head = an.last?.prev_hash ?? GENESIS;
	let wantId = an.last?.first_id ?? 1;
	const prunes = new Map(rows.filter((a) => a.prune_id != null && a.prune_id >= wantId).map((a) => [a.prune_id as number, a]));
	for (const r of store.db.prepare('SELECT id, kind, time_ms, data, prev_hash, hash FROM records ORDER BY id').iterate() as IterableIterator<Row>) {
		const b = checkRecord(r, wantId, res.head, res.firstId === null, k, prunes);
		if (b) return fail(b);
		prunes.delete(r.id);
		if (r.kind === CHECKPOINT_KIND) {
			keyed.checkpoints++;
			keyed.sealedId = r.id;
		}
		res.firstId ??= r.id;
		res.lastId = r.id;
		res.checked++;
		res.head = r.hash;
		wantId++;
	}
	const seq = (store.db.prepare(`SELECT seq FROM sqlite_sequence WHERE name = 'records'`).pluck().get() as number | undefined) ?? 0;
	if (seq >= wantId) return fail(bad('removed-last', 'records', wantId, `records ${wantId}..${seq} missing at the end (removed)`));
	keyed.unsealed = res.lastId === null ? 0 : res.lastId - (keyed.sealedId ?? (res.firstId ?? 1) - 1);
	if (!k) return res;
	for (const a of prunes.values()) return fail(bad('removed-last', 'records', a.prune_id, `record ${a.prune_id}, the prune record of anchor ${a.id}, is missing at the end (removed)`));
	const headPath = opts.headPath ?? headPathFor(store.path);
	const head = readHead(headPath);
	if ('head' in head) keyed.headId = head.head.id;
	const hb = headProblem(store.db, k.key, k.storeId, headPath, head);
	if (hb) return fail(hb);
	if (keyed.checkpoints === 0) return fail(bad('rechained', 'records', null, 'no checkpoint in the chain: it was rebuilt without the key'));
	return res;
}
