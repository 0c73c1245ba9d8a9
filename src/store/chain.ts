/** @module store/chain: the hash chain: serialization of a record and its sha256 link to the one before (written in link format 2; format 1 still verifies). */
import * as crypto from 'node:crypto';

/** The previous hash of the very first record (64 zeros). */
export const GENESIS = '0'.repeat(64);

/** What a link covers: every stored column of a record except its own hash. */
export interface ChainedFields {
	id: number;
	kind: string;
	timeMs: number;
	data: string;
}

/** JSON with object keys sorted at every level (arrays keep their order); undefined members are left out. */
export function canonicalJson(v: unknown): string {
	if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
	if (Array.isArray(v)) return `[${v.map((x) => (x === undefined ? 'null' : canonicalJson(x))).join(',')}]`;
	const o = v as Record<string, unknown>;
	const keys = Object.keys(o).filter((k) => o[k] !== undefined).sort();
	return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
}

/** Link format 1 (schema version 3 and before; anchors still): the JSON array [id, kind, time_ms, data], which escapes every quote of data again. */
export function canonicalRecord(r: ChainedFields): string {
	return JSON.stringify([r.id, r.kind, r.timeMs, r.data]);
}

// One-shot hashing (Node 20.12+) costs a third less than a Hash object per record: the audit trail hashes every event.
const oneShot = (crypto as { hash?: (alg: string, data: string) => string }).hash;
const sha256 = (text: string): string => (oneShot ? oneShot('sha256', text) : crypto.createHash('sha256').update(text).digest('hex'));

/** Link format 1: sha256 hex of prevHash, a newline, and canonicalRecord. Anchors are hashed this way; records of older stores were. */
export function linkHashV1(prevHash: string, r: ChainedFields): string {
	return sha256(`${prevHash}\n${canonicalRecord(r)}`);
}

/**
 * Link format 2, what records are written with: sha256 hex of `prevHash \n id SP JSON(kind) SP time_ms \n data`, data as
 * stored (no second escape). Unambiguous: data comes last, kind is a JSON string, id and time are integers; and never the
 * text of a format 1 link, whose part after the first newline starts with `[` where this one starts with a digit.
 */
export function linkHash(prevHash: string, r: ChainedFields): string {
	return sha256(`${prevHash}\n${r.id} ${JSON.stringify(r.kind)} ${r.timeMs}\n${r.data}`);
}

/** True when hash is the link of r to prevHash in either format (a store upgraded in place holds format 1 records, then format 2). */
export function linkValid(prevHash: string, r: ChainedFields, hash: string): boolean {
	return linkHash(prevHash, r) === hash || linkHashV1(prevHash, r) === hash;
}
