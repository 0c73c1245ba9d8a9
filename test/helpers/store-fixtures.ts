/** @module test/helpers/store-fixtures: sample alerts and temporary stores for the store, report and CLI tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Alert, Priority } from '../../src/alerts/alert.js';
import type Database from 'better-sqlite3';
import { AuditStore } from '../../src/store/store.js';
import { loadKey, type StoreKey } from '../../src/store/key.js';
import { GENESIS, linkHash } from '../../src/store/chain.js';
import { anchorHash } from '../../src/store/anchor.js';

/** Base time of sample alerts: 2025-01-02T03:00:00Z. */
export const T0 = Date.UTC(2025, 0, 2, 3, 0, 0);

interface Who {
	rule: string;
	priority: Priority;
	user: string;
	uid: number;
	exe: string;
	tags: string[];
	host: string;
}

const WHO: readonly Who[] = [
	{ rule: 'Read sensitive file', priority: 'warning', user: 'alice', uid: 1000, exe: '/usr/bin/cat', tags: ['T1003', 'filesystem'], host: 'web-1' },
	{ rule: 'Shell spawned by web server', priority: 'critical', user: 'www-data', uid: 33, exe: '/bin/bash', tags: ['T1059', 'process'], host: 'web-1' },
	{ rule: 'Privilege escalation', priority: 'error', user: 'root', uid: 0, exe: '/usr/bin/sudo', tags: ['T1548'], host: 'db-1' },
	{ rule: 'Outbound connection', priority: 'notice', user: 'alice', uid: 1000, exe: '/usr/bin/curl', tags: ['network'], host: 'db-1' },
];

/** Sample alert i: kind i % 4 (rule, user, exe, host above), one minute apart from T0, pid 1000 + i. */
export function sampleAlert(i: number, over: Partial<Alert> = {}): Alert {
	const w = WHO[i % WHO.length];
	const timeMs = T0 + i * 60_000;
	return {
		id: `rec-${i}`,
		time: new Date(timeMs).toISOString(),
		timeMs,
		rule: w.rule,
		priority: w.priority,
		tags: w.tags,
		output: `${w.exe} by ${w.user} pid=${1000 + i} marker-${i}`,
		fields: { 'proc.pid': 1000 + i, 'user.uid': w.uid, 'user.name': w.user, 'proc.exepath': w.exe, 'proc.name': w.exe.slice(w.exe.lastIndexOf('/') + 1) },
		action: i % 10 === 9 ? 'log' : 'alert',
		count: 1,
		source: 'syscall',
		hostname: w.host,
		...over,
	};
}

/** A temporary store: its directory, database, key file (under dir/etc) and head file (next to the database). */
export interface TempStore {
	store: AuditStore;
	dir: string;
	path: string;
	keyPath: string;
	headPath: string;
	key?: StoreKey;
	cleanup: () => void;
}

/**
 * A new store in a fresh temporary directory holding sample alerts 0..n-1; cleanup() closes and removes it.
 * keyed: written with a new key (the store's first checkpoint is record 1, the alerts follow, and a checkpoint seals them).
 */
export function tempStore(n: number, opts: { keyed?: boolean } = {}): TempStore {
	const dir = mkdtempSync(join(tmpdir(), 'bg-store-'));
	const path = join(dir, 'db', 'audit.db');
	const keyPath = join(dir, 'etc', 'store.key');
	const key = opts.keyed ? loadKey(keyPath, { create: true }) : undefined;
	const store = AuditStore.open(path, { create: true, key });
	if (n > 0) store.appendAlerts(Array.from({ length: n }, (_, i) => sampleAlert(i)));
	store.seal();
	return {
		store,
		dir,
		path,
		keyPath,
		headPath: store.headPath,
		key,
		cleanup: () => {
			store.close();
			rmSync(dir, { recursive: true, force: true });
		},
	};
}

// ---- An attacker with write access to the database file (not to the key): raw SQL, hashes recomputed. ----

interface RawRow {
	id: number;
	kind: string;
	time_ms: number;
	data: string;
}

/** Drops the append-only triggers, as anyone who can write the file can. */
export function dropGuards(db: Database.Database): void {
	db.exec('DROP TRIGGER IF EXISTS records_append_only; DROP TRIGGER IF EXISTS records_retention_only; DROP TRIGGER IF EXISTS anchors_append_only; DROP TRIGGER IF EXISTS anchors_keep;');
}

/** Sets the id sequence to the highest id left, so it no longer remembers removed records. */
export function rewindSequence(db: Database.Database): void {
	db.exec(`UPDATE sqlite_sequence SET seq = coalesce((SELECT max(id) FROM records), 0) WHERE name = 'records'`);
}

/** Recomputes prev_hash and hash of every record from id `from` on (what anyone can do without the key). */
export function rechainFrom(db: Database.Database, from: number): void {
	dropGuards(db);
	const before = db.prepare('SELECT hash FROM records WHERE id < ? ORDER BY id DESC LIMIT 1').pluck().get(from) as string | undefined;
	let prev = before ?? (db.prepare('SELECT prev_hash FROM anchors ORDER BY id DESC LIMIT 1').pluck().get() as string | undefined) ?? GENESIS;
	const set = db.prepare('UPDATE records SET prev_hash = ?, hash = ? WHERE id = ?');
	for (const r of db.prepare('SELECT id, kind, time_ms, data FROM records WHERE id >= ? ORDER BY id').all(from) as RawRow[]) {
		const h = linkHash(prev, { id: r.id, kind: r.kind, timeMs: r.time_ms, data: r.data });
		set.run(prev, h, r.id);
		prev = h;
	}
}

/** Edits record id's data (replace `from` by `to`) and recomputes the hashes from it on. */
export function editAndRechain(db: Database.Database, id: number, from: string, to: string): void {
	dropGuards(db);
	db.prepare('UPDATE records SET data = replace(data, ?, ?) WHERE id = ?').run(from, to, id);
	rechainFrom(db, id);
}

/** Deletes the oldest k records, then appends an anchor (unkeyed: the attacker has no key) that makes the plain chain start at the first kept one. */
export function cutFirstWithAnchor(db: Database.Database, k: number): void {
	dropGuards(db);
	const ids = db.prepare('SELECT id FROM records ORDER BY id LIMIT ?').pluck().all(k) as number[];
	const through = ids[ids.length - 1];
	db.prepare('DELETE FROM records WHERE id <= ?').run(through);
	forgeAnchor(db, through, k);
}

/** Appends an anchor chained to the last one, claiming retention removed records up to throughId (an attacker's anchor: no key). */
export function forgeAnchor(db: Database.Database, throughId: number, removed: number): void {
	const next = db.prepare('SELECT id, prev_hash FROM records WHERE id > ? ORDER BY id LIMIT 1').get(throughId) as { id: number; prev_hash: string };
	const last = db.prepare('SELECT id, hash FROM anchors ORDER BY id DESC LIMIT 1').get() as { id: number; hash: string } | undefined;
	const a = { id: (last?.id ?? 0) + 1, at_ms: T0, first_id: next.id, prev_hash: next.prev_hash, through_id: throughId, removed, anchor_prev: last?.hash ?? GENESIS };
	db.prepare('INSERT INTO anchors (id, at_ms, first_id, prev_hash, through_id, removed, anchor_prev, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(a.id, a.at_ms, a.first_id, a.prev_hash, a.through_id, a.removed, a.anchor_prev, anchorHash(a));
}

/** Deletes the newest k records and rewinds the id sequence. */
export function cutLast(db: Database.Database, k: number): void {
	dropGuards(db);
	db.prepare('DELETE FROM records WHERE id IN (SELECT id FROM records ORDER BY id DESC LIMIT ?)').run(k);
	rewindSequence(db);
}

/** Deletes record id and renumbers every later record down by one, recomputing all hashes from there: a rebuilt chain with no gap. */
export function removeAndRenumber(db: Database.Database, id: number): void {
	dropGuards(db);
	db.prepare('DELETE FROM records WHERE id = ?').run(id);
	const later = db.prepare('SELECT id FROM records WHERE id > ? ORDER BY id').pluck().all(id) as number[];
	const move = db.prepare('UPDATE records SET id = ? WHERE id = ?');
	for (const x of later) move.run(x - 1, x);
	rewindSequence(db);
	rechainFrom(db, id);
}
