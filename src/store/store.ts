/** @module store/store: the embedded audit store (SQLite, WAL): open with safe file modes, append batches to the hash chain. */
import { chmodSync, closeSync, constants, lstatSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import type { Alert } from '../alerts/alert.js';
import { GENESIS, canonicalJson, linkHash } from './chain.js';
import { StoreError } from './errors.js';
import { checkSchema } from './schema.js';
import { ensureReportIndexes } from './report-index.js';
import type { StoreKey } from './key.js';
import type { Broken } from './broken.js';
import { anchorMac, type AnchorRow } from './anchor.js';
import { CHECKPOINT_KIND, checkpointData, headMac, headPathFor, headProblem, readHead, writeHead, type HeadFile } from './seal.js';

/** Where the monitor keeps its audit store unless configured otherwise. */
export const DEFAULT_DB = '/var/lib/bpfguard/audit.db';

/** One record to append; data is the record's canonical JSON (what search columns and the hash read). */
export interface NewRecord {
	kind: string;
	timeMs: number;
	data: string;
}

/** How to open a store: read-only (search, report, verify) or read-write, creating it when missing (sink, prune). */
export interface OpenOptions {
	readonly?: boolean;
	create?: boolean;
	/** A writer with the key seals the chain (keying the store on first use); a store keyed with another key is refused. */
	key?: StoreKey;
	/** The side file naming the newest checkpoint (default: headPathFor(path), next to the database). */
	headPath?: string;
	/** A batch that brings this many records since the last checkpoint ends with one (default 1000). */
	sealEvery?: number;
}

/** Records per multi-row INSERT: one statement run (one bind call, one id-sequence update) per 64 records. */
const ROWS = 64;
const COLS = 6;

/**
 * A writer copies the WAL into the database once it holds this many bytes of pages (SQLite's default is 1000 pages).
 * 1000 4-KiB pages hold about 4000 audit-trail events, so the default copied and synced the WAL after nearly every
 * transaction of the trail.
 */
export const WAL_CHECKPOINT_BYTES = 64 << 20;

/**
 * Page size of a new store (SQLite's default is 4 KiB). The audit trail appends ~840-byte records in transactions of a
 * thousand: bigger pages mean a quarter of the WAL frames, B-tree pages and copies per commit (measured: about 0.5 us
 * of a ~5.5 us insert). An existing store keeps its page size.
 */
export const PAGE_SIZE = 16_384;

/** Seals after this many records unless told otherwise. */
export const DEFAULT_SEAL_EVERY = 1000;

// A writer's sealing state: its key, the store's id, records appended since its last checkpoint, and why sealing stopped.
interface Sealing {
	key: StoreKey;
	storeId: string;
	unsealed: number;
	blocked?: Broken;
	/** The next checkpoint may replace a side file that does not match (set while keying a store). */
	acceptOnce?: boolean;
}

/** The last link of the chain: the next record gets id + 1 and prevHash = hash. */
export interface ChainTail {
	id: number;
	hash: string;
}

const CREATE = constants.O_CREAT | constants.O_WRONLY | constants.O_NOFOLLOW;

/** A record from an Alert (kind: its action); the alert as canonical JSON. */
export function alertRecord(a: Alert): NewRecord {
	const t = Number.isFinite(a.timeMs) ? Math.round(a.timeMs) : Date.now();
	return { kind: a.action, timeMs: t, data: canonicalJson(a) };
}

// Creates the database file 0600 (and a new directory 0700) without following a symlink; tightens an existing file.
function prepareFile(path: string, opts: OpenOptions): void {
	let st;
	try {
		st = lstatSync(path);
	} catch (e) {
		if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new StoreError(`open audit store ${path}: ${(e as Error).message}`, 'ESTOREPATH');
		if (!opts.create) throw new StoreError(`open audit store ${path}: no such file (the monitor's store sink creates it)`, 'ESTORENOENT');
		mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
		closeSync(openSync(path, CREATE, 0o600));
		chmodSync(path, 0o600);
		return;
	}
	if (st.isSymbolicLink() || !st.isFile()) throw new StoreError(`open audit store ${path}: not a regular file`, 'ESTOREPATH');
	if (!opts.readonly && (st.mode & 0o077) !== 0) chmodSync(path, 0o600);
}

/** An open audit store. Not shared between threads; several processes may use one file (WAL, busy timeout). */
export class AuditStore {
	readonly db: Database.Database;
	/** The side file next to the database (audit.head). */
	readonly headPath: string;
	/** Times sealing was skipped (the side file no longer matches) or the side file could not be written. */
	sealFailures = 0;
	private readonly insert: Database.Statement;
	private readonly insertRows: Database.Statement;
	private readonly rowArgs: unknown[] = new Array(ROWS * COLS);
	private readonly txRun: (fn: () => unknown) => unknown;
	private readonly sealEvery: number;
	private sealing?: Sealing;

	private constructor(
		readonly path: string,
		db: Database.Database,
		opts: OpenOptions,
	) {
		this.db = db;
		this.headPath = resolve(opts.headPath ?? headPathFor(path));
		this.sealEvery = Math.max(1, opts.sealEvery ?? DEFAULT_SEAL_EVERY);
		const cols = 'INSERT INTO records (id, kind, time_ms, data, prev_hash, hash) VALUES ';
		this.insert = db.prepare(`${cols}(?, ?, ?, ?, ?, ?)`);
		this.insertRows = db.prepare(cols + Array.from({ length: ROWS }, () => '(?, ?, ?, ?, ?, ?)').join(', '));
		const tx = db.transaction((fn: () => unknown) => fn());
		this.txRun = (fn) => tx.immediate(fn);
	}

	/** Opens (or creates) the store at path; a missing, non-SQLite or foreign database, or a store keyed with another key, is a StoreError. */
	static open(path: string, opts: OpenOptions = {}): AuditStore {
		const abs = resolve(path);
		prepareFile(abs, opts);
		let db: Database.Database | undefined;
		try {
			db = new Database(abs, { readonly: opts.readonly ?? false, fileMustExist: true });
			db.pragma('busy_timeout = 5000');
			if (!opts.readonly) {
				if (statSync(abs).size === 0) db.pragma(`page_size = ${PAGE_SIZE}`); // a new file: only before its first table and WAL mode
				db.pragma('journal_mode = WAL');
				db.pragma('synchronous = NORMAL');
				db.pragma(`wal_autocheckpoint = ${Math.ceil(WAL_CHECKPOINT_BYTES / (db.pragma('page_size', { simple: true }) as number))}`);
			}
			checkSchema(db, abs, opts);
			if (!opts.readonly) ensureReportIndexes(db);
			const store = new AuditStore(abs, db, opts);
			if (opts.key && !opts.readonly) store.startSealing(opts.key);
			return store;
		} catch (e) {
			db?.close();
			if (e instanceof StoreError) throw e;
			throw new StoreError(`open audit store ${abs}: ${describeSqlite(e)}`, 'ESTORECORRUPT');
		}
	}

	/** The key and store id when this connection seals (opened for writing with the key). */
	get keyed(): { key: StoreKey; storeId: string } | undefined {
		return this.sealing && { key: this.sealing.key, storeId: this.sealing.storeId };
	}

	/** Why the last seal was skipped: the side file no longer matches the database (verify tells the rest). */
	get sealBlocked(): Broken | undefined {
		return this.sealing?.blocked;
	}

	/**
	 * Appends records in one transaction, each linked to the one before; a batch that makes sealEvery unsealed records ends with a checkpoint
	 * (counting only the first `sealing` records: the audit trail's events are sealed by the writer's interval, not one synced commit per batch). Returns the new tail.
	 */
	append(records: readonly NewRecord[], sealing = records.length): ChainTail {
		const s = this.sealing;
		const due = s !== undefined && !s.blocked && sealing > 0 && s.unsealed + records.length >= this.sealEvery;
		return this.transact(() => this.appendInTransaction(records), due);
	}

	/** Appends alerts (and log matches) as records. */
	appendAlerts(alerts: readonly Alert[]): ChainTail {
		return this.append(alerts.map(alertRecord));
	}

	/** Appends records; only inside transact() (retention uses it). */
	appendInTransaction(records: readonly NewRecord[]): ChainTail {
		let { id, hash } = this.tail();
		const a = this.rowArgs;
		const whole = records.length - (records.length % ROWS);
		// Hot loop (every audit-trail event): ROWS records per statement, linked into one reused argument array.
		for (let i = 0; i < records.length; i++) {
			const r = records[i];
			id++;
			const h = linkHash(hash, { id, kind: r.kind, timeMs: r.timeMs, data: r.data });
			if (i >= whole) this.insert.run(id, r.kind, r.timeMs, r.data, hash, h);
			else {
				const o = (i % ROWS) * COLS;
				a[o] = id;
				a[o + 1] = r.kind;
				a[o + 2] = r.timeMs;
				a[o + 3] = r.data;
				a[o + 4] = hash;
				a[o + 5] = h;
				if (o === (ROWS - 1) * COLS) this.insertRows.run(a);
			}
			hash = h;
		}
		a.fill(undefined); // holds no record past its batch
		if (this.sealing) this.sealing.unsealed += records.length;
		return { id, hash };
	}

	/**
	 * Runs fn in one IMMEDIATE transaction. With seal (true, or a test of fn's result) and a key, a checkpoint of the tail ends it, the commit is synced
	 * (the side file must never name a record a power cut could take back), and the side file is rewritten after the commit.
	 * accept: seal even when the side file does not match the database (an operator's `store seal`).
	 */
	transact<T>(fn: () => T, seal: boolean | ((result: T) => boolean) = false, accept = false): T {
		const s = seal ? this.sealing : undefined;
		if (s) this.db.pragma('synchronous = FULL');
		try {
			let head: HeadFile | undefined;
			const out = this.txRun(() => {
				const v = fn();
				if (s && (seal === true || (typeof seal === 'function' && seal(v)))) head = this.checkpoint(s, accept);
				return v;
			}) as T;
			if (head) this.publish(head, accept);
			return out;
		} finally {
			if (s) this.db.pragma('synchronous = NORMAL');
		}
	}

	/** Appends a checkpoint if this connection appended records since its last one (accept: always, replacing a side file that does not match). True when one was written. */
	seal(opts: { accept?: boolean } = {}): boolean {
		const s = this.sealing;
		if (!s || (s.unsealed === 0 && !opts.accept)) return false;
		const before = this.tail().id;
		this.transact(() => undefined, true, opts.accept ?? false);
		return this.tail().id > before;
	}

	// In the transaction: refuse to vouch for a database the side file disagrees with (unless accepted); else append the checkpoint.
	private checkpoint(s: Sealing, accept: boolean): HeadFile | undefined {
		accept ||= s.acceptOnce === true;
		s.acceptOnce = undefined;
		const last = this.db.prepare('SELECT kind FROM records ORDER BY id DESC LIMIT 1').pluck().get() as string | undefined;
		if (last === CHECKPOINT_KIND && !accept) {
			s.unsealed = 0;
			return undefined;
		}
		const problem = accept ? undefined : headProblem(this.db, s.key, s.storeId, this.headPath, readHead(this.headPath));
		s.blocked = problem;
		if (problem) {
			this.sealFailures++;
			return undefined;
		}
		const t = this.tail();
		const id = t.id + 1;
		const now = Date.now();
		const data = checkpointData(s.key, s.storeId, id, now, t.hash);
		const hash = linkHash(t.hash, { id, kind: CHECKPOINT_KIND, timeMs: now, data });
		this.insert.run(id, CHECKPOINT_KIND, now, data, t.hash, hash);
		s.unsealed = 0;
		const h = { store: s.storeId, id, hash, timeMs: now };
		return { v: 1, ...h, mac: headMac(s.key, h) };
	}

	// After the commit: the side file moves forward only (another process may have sealed further meanwhile), unless accepted.
	private publish(h: HeadFile, accept: boolean): void {
		try {
			const cur = readHead(this.headPath);
			if (!accept && 'head' in cur && cur.head.store === h.store && cur.head.id > h.id) return;
			writeHead(this.headPath, h);
		} catch {
			this.sealFailures++; // the side file stays one checkpoint behind: weaker, never a false alarm
		}
	}

	// Keys the store on first use (store id, key id, MACs of anchors made before; a first checkpoint and side file), else refuses another key and seals what a crash left unsealed.
	private startSealing(key: StoreKey): void {
		const s: Sealing = { key, storeId: '', unsealed: 0 };
		const meta = (k: string): string | undefined => this.db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(k) as string | undefined;
		this.sealing = s;
		try {
			// One transaction: keyed, checkpointed and synced together, or not at all.
			this.transact(() => {
				const keyId = meta('key_id');
				if (keyId !== undefined && keyId !== key.id) {
					throw new StoreError(`open audit store ${this.path}: it is keyed with another key (key id ${keyId}; ${key.path} has ${key.id})`, 'ESTOREKEY');
				}
				s.storeId = meta('store_id') ?? randomBytes(16).toString('hex');
				if (keyId !== undefined) return;
				const set = this.db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)');
				set.run('store_id', s.storeId);
				set.run('key_id', key.id);
				macOldAnchors(this.db, key, s.storeId);
				s.acceptOnce = true;
			}, true);
		} catch (e) {
			this.sealing = undefined;
			throw e;
		}
	}

	/** The chain's last link, read from the database (another process may have appended or pruned). */
	tail(): ChainTail {
		const seq = this.db.prepare(`SELECT seq FROM sqlite_sequence WHERE name = 'records'`).pluck().get() as number | undefined;
		const last = this.db.prepare('SELECT id, hash FROM records ORDER BY id DESC LIMIT 1').get() as ChainTail | undefined;
		const anchor = this.db.prepare('SELECT prev_hash FROM anchors ORDER BY id DESC LIMIT 1').pluck().get() as string | undefined;
		return { id: Math.max(seq ?? 0, last?.id ?? 0), hash: last?.hash ?? anchor ?? GENESIS };
	}

	/** Bytes on disk: the database and its WAL. */
	sizeBytes(): number {
		let n = 0;
		for (const f of [this.path, `${this.path}-wal`]) {
			try {
				n += statSync(f).size;
			} catch {
				/* no WAL right now */
			}
		}
		return n;
	}

	/** Seals what this connection appended since its last checkpoint, then closes. */
	close(): void {
		if (!this.db.open) return;
		try {
			this.seal();
		} catch {
			this.sealFailures++;
		}
		this.db.close();
	}
}

// When a store is first keyed, its anchors (made unkeyed) get MACs: trust on first use, like the records before the first checkpoint.
function macOldAnchors(db: Database.Database, key: StoreKey, storeId: string): void {
	const rows = db.prepare('SELECT * FROM anchors WHERE mac IS NULL ORDER BY id').all() as AnchorRow[];
	if (rows.length === 0) return;
	const trigger = db.prepare(`SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'anchors_append_only'`).pluck().get() as string | undefined;
	db.exec('DROP TRIGGER IF EXISTS anchors_append_only');
	const set = db.prepare('UPDATE anchors SET mac = ? WHERE id = ?');
	for (const a of rows) set.run(anchorMac(key, storeId, { ...a, prune_id: a.prune_id ?? null, prune_hash: a.prune_hash ?? null }), a.id);
	if (trigger) db.exec(trigger);
}

/** SQLite's message in words ('file is not a database' for SQLITE_NOTADB). */
export function describeSqlite(e: unknown): string {
	const code = (e as { code?: string }).code;
	const msg = e instanceof Error ? e.message : String(e);
	return code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT' ? `corrupt or not an SQLite database (${msg})` : msg;
}
