/** @module store/seal: keyed checkpoints of the chain's head: a `checkpoint` record in the chain, and the side file (audit.head) naming the newest one. */
import { closeSync, constants, fstatSync, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { timingSafeEqual } from 'node:crypto';
import type Database from 'better-sqlite3';
import { canonicalJson } from './chain.js';
import type { StoreKey } from './key.js';
import type { Broken } from './broken.js';

/** The kind of a checkpoint record. */
export const CHECKPOINT_KIND = 'checkpoint';

/** The side file: the newest checkpoint record (id and its hash) of one store, MACed with the key. */
export interface HeadFile {
	v: 1;
	store: string;
	id: number;
	hash: string;
	timeMs: number;
	mac: string;
}

/** What reading the side file gave: the head, or why there is none. */
export type HeadRead = { head: HeadFile } | { missing: true } | { problem: string };

/** The side file of a database: audit.db → audit.head (next to it), any other name + '.head'. */
export function headPathFor(dbPath: string): string {
	return dbPath.endsWith('.db') ? `${dbPath.slice(0, -3)}.head` : `${dbPath}.head`;
}

/** True when two hex MACs are equal (constant time). */
export function macEqual(a: unknown, b: string): boolean {
	return typeof a === 'string' && a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

/** The MAC of checkpoint record id: it vouches that record id - 1 has hash prevHash, so for the whole chain before it. */
export function checkpointMac(key: StoreKey, storeId: string, id: number, timeMs: number, prevHash: string): string {
	return key.mac(['bpfguard-checkpoint', storeId, id, timeMs, prevHash]);
}

/** The data of checkpoint record id (canonical JSON): the key id, the sealed id and the MAC. */
export function checkpointData(key: StoreKey, storeId: string, id: number, timeMs: number, prevHash: string): string {
	return canonicalJson({ keyId: key.id, sealed: id - 1, mac: checkpointMac(key, storeId, id, timeMs, prevHash) });
}

/** True when a stored checkpoint record carries the MAC of its own id, time and link. */
export function checkpointValid(key: StoreKey, storeId: string, r: { id: number; time_ms: number; prev_hash: string; data: string }): boolean {
	let mac: unknown;
	try {
		mac = (JSON.parse(r.data) as { mac?: unknown }).mac;
	} catch {
		return false;
	}
	return macEqual(mac, checkpointMac(key, storeId, r.id, r.time_ms, r.prev_hash));
}

/** The MAC of a head file's fields. */
export function headMac(key: StoreKey, h: Omit<HeadFile, 'mac' | 'v'>): string {
	return key.mac(['bpfguard-head', h.store, h.id, h.hash, h.timeMs]);
}

const isHead = (h: Partial<HeadFile>): h is HeadFile =>
	h.v === 1 && typeof h.store === 'string' && Number.isSafeInteger(h.id) && typeof h.hash === 'string' && Number.isSafeInteger(h.timeMs) && typeof h.mac === 'string';

/** Reads the side file (a regular file, not a symlink). */
export function readHead(path: string): HeadRead {
	let fd: number;
	try {
		fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
	} catch (e) {
		const code = (e as NodeJS.ErrnoException).code;
		return code === 'ENOENT' ? { missing: true } : { problem: code === 'ELOOP' ? 'is a symbolic link' : (e as Error).message };
	}
	try {
		const st = fstatSync(fd);
		if (!st.isFile() || st.size > 4096) return { problem: 'not a head file' };
		const h = JSON.parse(readFileSync(fd, 'utf8')) as Partial<HeadFile>;
		return isHead(h) ? { head: h } : { problem: 'not a head file' };
	} catch {
		return { problem: 'not a head file (unreadable JSON)' };
	} finally {
		closeSync(fd);
	}
}

/** Replaces the side file atomically (0600 temporary file, fsync, rename). */
export function writeHead(path: string, h: HeadFile): void {
	const tmp = `${path}.${process.pid}.tmp`;
	const fd = openSync(tmp, constants.O_CREAT | constants.O_TRUNC | constants.O_WRONLY | constants.O_NOFOLLOW, 0o600);
	try {
		writeSync(fd, `${JSON.stringify(h)}\n`);
		fsyncSync(fd);
	} finally {
		closeSync(fd);
	}
	try {
		renameSync(tmp, path);
	} catch (e) {
		unlinkSync(tmp);
		throw e;
	}
}

const broken = (kind: Broken['kind'], id: number | null, reason: string, table: Broken['table'] = 'head'): Broken => ({ kind, table, id, reason });

/**
 * Checks the side file against the database: its MAC, its store, and that the checkpoint it names is in the chain with
 * that hash (or was removed by retention: the last anchor's cut reaches past it). Returns the problem, or undefined.
 */
export function headProblem(db: Database.Database, key: StoreKey, storeId: string, path: string, r: HeadRead): Broken | undefined {
	if ('missing' in r) return broken('head', null, `${path} is missing: nothing vouches for the newest records (bpfguard store seal accepts the store as it is)`);
	if ('problem' in r) return broken('head', null, `${path}: ${r.problem}`);
	const h = r.head;
	if (h.store !== storeId) return broken('head', h.id, `${path} belongs to another store (${h.store})`);
	if (!macEqual(h.mac, headMac(key, h))) return broken('head', h.id, `${path} is forged (MAC mismatch)`);
	const hash = db.prepare('SELECT hash FROM records WHERE id = ?').pluck().get(h.id) as string | undefined;
	if (hash === h.hash) return undefined;
	if (hash !== undefined) return broken('rechained', h.id, `record ${h.id} is not the checkpoint ${path} names: the records before it were removed or rewritten without the key`, 'records');
	const { lo, hi } = db.prepare('SELECT min(id) AS lo, max(id) AS hi FROM records').get() as { lo: number | null; hi: number | null };
	if (hi === null || h.id > hi) return broken('removed-last', (hi ?? 0) + 1, `records ${(hi ?? 0) + 1}..${h.id} missing at the end: ${path} names checkpoint ${h.id} (the newest records were removed)`, 'records');
	const through = db.prepare('SELECT through_id FROM anchors ORDER BY id DESC LIMIT 1').pluck().get() as number | undefined;
	if (lo !== null && h.id < lo && through !== undefined && through >= h.id) return undefined;
	if (lo !== null && h.id < lo) return broken('head', h.id, `${path} names record ${h.id}, before the chain start ${lo}, and no retention anchor removed it (stale or replayed)`);
	return broken('removed-middle', h.id, `record ${h.id} (the checkpoint ${path} names) is missing`, 'records');
}
