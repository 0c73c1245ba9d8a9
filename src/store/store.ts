/** @module store/store: the embedded audit store (SQLite, WAL): open with safe file modes, append batches to the hash chain. */
import { chmodSync, closeSync, constants, lstatSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import type { Alert } from '../alerts/alert.js';
import { GENESIS, canonicalJson, linkHash } from './chain.js';
import { StoreError } from './errors.js';
import { APP_ID, SCHEMA_VERSION, schemaSql } from './schema.js';

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
	private readonly insert: Database.Statement;
	private readonly appendTx: (records: readonly NewRecord[]) => ChainTail;

	private constructor(
		readonly path: string,
		db: Database.Database,
	) {
		this.db = db;
		this.insert = db.prepare('INSERT INTO records (id, kind, time_ms, data, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?)');
		const tx = db.transaction((records: readonly NewRecord[]): ChainTail => {
			let { id, hash } = this.tail();
			for (const r of records) {
				id++;
				const h = linkHash(hash, { id, kind: r.kind, timeMs: r.timeMs, data: r.data });
				this.insert.run(id, r.kind, r.timeMs, r.data, hash, h);
				hash = h;
			}
			return { id, hash };
		});
		this.appendTx = (records) => tx.immediate(records);
	}

	/** Opens (or creates) the store at path; a missing, non-SQLite or foreign database is a StoreError. */
	static open(path: string, opts: OpenOptions = {}): AuditStore {
		const abs = resolve(path);
		prepareFile(abs, opts);
		let db: Database.Database | undefined;
		try {
			db = new Database(abs, { readonly: opts.readonly ?? false, fileMustExist: true });
			db.pragma('busy_timeout = 5000');
			if (!opts.readonly) {
				db.pragma('journal_mode = WAL');
				db.pragma('synchronous = NORMAL');
			}
			checkSchema(db, abs, opts);
			return new AuditStore(abs, db);
		} catch (e) {
			db?.close();
			if (e instanceof StoreError) throw e;
			throw new StoreError(`open audit store ${abs}: ${describeSqlite(e)}`, 'ESTORECORRUPT');
		}
	}

	/** Appends records in one transaction, each linked to the one before; returns the new tail. */
	append(records: readonly NewRecord[]): ChainTail {
		return this.appendTx(records);
	}

	/** Appends alerts (and log matches) as records. */
	appendAlerts(alerts: readonly Alert[]): ChainTail {
		return this.append(alerts.map(alertRecord));
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

	close(): void {
		if (this.db.open) this.db.close();
	}
}

function checkSchema(db: Database.Database, path: string, opts: OpenOptions): void {
	const tables = db.prepare(`SELECT count(*) FROM sqlite_master`).pluck().get() as number;
	if (tables === 0 && opts.create && !opts.readonly) {
		db.transaction(() => {
			db.exec(schemaSql());
			const meta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
			meta.run('app', APP_ID);
			meta.run('schema_version', String(SCHEMA_VERSION));
			meta.run('created_ms', String(Date.now()));
		}).immediate();
		return;
	}
	const has = db.prepare(`SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('meta', 'records', 'anchors')`).pluck().get() as number;
	const app = has === 3 ? (db.prepare(`SELECT value FROM meta WHERE key = 'app'`).pluck().get() as string | undefined) : undefined;
	if (app !== APP_ID) throw new StoreError(`open audit store ${path}: not a bpfguard audit store`, 'ESTORECORRUPT');
	const v = Number(db.prepare(`SELECT value FROM meta WHERE key = 'schema_version'`).pluck().get());
	if (v > SCHEMA_VERSION) throw new StoreError(`open audit store ${path}: schema version ${v} is newer than this bpfguard (${SCHEMA_VERSION})`, 'ESTORESCHEMA');
}

/** SQLite's message in words ('file is not a database' for SQLITE_NOTADB). */
export function describeSqlite(e: unknown): string {
	const code = (e as { code?: string }).code;
	const msg = e instanceof Error ? e.message : String(e);
	return code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT' ? `corrupt or not an SQLite database (${msg})` : msg;
}
