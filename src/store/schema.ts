/** @module store/schema: the audit database's tables (created, checked and migrated at open); the search expressions over each record's JSON, declared once here. */
import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import { PRIORITIES } from '../alerts/alert.js';
import { StoreError } from './errors.js';

/** Bumped on any change to the tables below; a store with a newer version is refused, an older one is migrated when opened for writing. */
export const SCHEMA_VERSION = 5;

/** Marks a database as a bpfguard audit store (meta.app). */
export const APP_ID = 'bpfguard-audit';

const prio = `CASE json_extract(data, '$.priority') ${PRIORITIES.map((p, i) => `WHEN '${p}' THEN ${i}`).join(' ')} END`;
const field = (name: string): string => `json_extract(data, '$.fields."${name}"')`;

/**
 * Search expressions: what search, --where and the report read from a record, computed from `data` when a query asks, so
 * they can never disagree with what the hash covers. Alerts and log matches carry the Alert shape; the audit trail's
 * event records use the same `fields` names. Until schema 5 these were VIRTUAL generated columns of the same names; SQLite
 * computes every generated column, VIRTUAL too, on each INSERT (measured: 2-3 us of a ~8 us insert of an 800-byte
 * event record), so the audit trail paid the JSON parse on every event. A query reads the expression; an index on the
 * same expression serves it.
 */
export const SEARCH_COLUMNS: Readonly<Record<string, string>> = {
	ref: `json_extract(data, '$.id')`,
	rule: `json_extract(data, '$.rule')`,
	prio,
	host: `json_extract(data, '$.hostname')`,
	source: `json_extract(data, '$.source')`,
	tags: `json_extract(data, '$.tags')`,
	output: `json_extract(data, '$.output')`,
	count: `coalesce(json_extract(data, '$.count'), 1)`,
	pid: field('proc.pid'),
	uid: field('user.uid'),
	user: field('user.name'),
	exe: `coalesce(${field('proc.exepath')}, ${field('proc.exe')})`,
	comm: field('proc.name'),
	etype: field('evt.type'),
	container: field('container.id'),
	cname: field('container.name'),
	image: field('container.image'),
};

// Each index parses the JSON on insert (measured: five indexes halve the batched insert rate); time and rule narrow most
// searches. The rule index leaves out the audit trail's event records (they have no rule), so storing one costs no parse;
// a query uses it only when it says `kind <> 'event'` too (RULE_INDEXED) and names the rule by SEARCH_COLUMNS.rule.
const INDEXED: Readonly<Record<string, string>> = { rule: `WHERE kind <> 'event'` };

/** The term a query on the rule expression adds so that SQLite can use the (partial) rule index. */
export const RULE_INDEXED = `kind <> 'event'`;

/** Record kind of an event kept by the audit trail (sinks.store.events, monitor --audit). */
export const EVENT_KIND = 'event';

// Version 2: the keyed columns of an anchor (the prune record it was made with, and its MAC; null in an unkeyed store).
const ANCHOR_KEYED = ['prune_id INTEGER', 'prune_hash TEXT', 'mac TEXT'];

const indexSql = (): string => Object.entries(INDEXED).map(([c, where]) => `CREATE INDEX records_${c} ON records(${SEARCH_COLUMNS[c]}) ${where};`).join('\n');

/** DDL that brings a store of version `from` to SCHEMA_VERSION (run in one transaction, with meta.schema_version updated by the caller). */
export function migrationSql(from: number, recordColumns: ReadonlySet<string> = new Set()): string {
	const out: string[] = [];
	if (from < 2) out.push(...ANCHOR_KEYED.map((c) => `ALTER TABLE anchors ADD COLUMN ${c};`));
	// Version 3 added the evt.type search column and the rule index without event records. Version 4: records are linked in
	// format 2 (store/chain linkHash); format 1 records still verify, and the version tells an older bpfguard, which knows only
	// format 1, to refuse the store rather than report its new records as edited. Version 5: no generated columns (see
	// SEARCH_COLUMNS); dropping a VIRTUAL column rewrites no row, so this is quick on any store.
	if (from < 5) {
		out.push('DROP INDEX IF EXISTS records_rule;');
		for (const c of Object.keys(SEARCH_COLUMNS)) if (recordColumns.has(c)) out.push(`ALTER TABLE records DROP COLUMN ${c};`);
		out.push(indexSql());
	}
	return out.join('\n');
}

/** DDL of a new store (one transaction). STRICT tables; triggers keep records append-only outside retention. */
export function schemaSql(): string {
	return `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
CREATE TABLE records (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	kind TEXT NOT NULL,
	time_ms INTEGER NOT NULL,
	data TEXT NOT NULL,
	prev_hash TEXT NOT NULL,
	hash TEXT NOT NULL
) STRICT;
CREATE INDEX records_time ON records(time_ms);
${indexSql()}
CREATE TABLE anchors (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	at_ms INTEGER NOT NULL,
	first_id INTEGER NOT NULL,
	prev_hash TEXT NOT NULL,
	through_id INTEGER NOT NULL,
	removed INTEGER NOT NULL,
	anchor_prev TEXT NOT NULL,
	hash TEXT NOT NULL,
${ANCHOR_KEYED.map((c) => `\t${c}`).join(',\n')}
) STRICT;
CREATE TABLE prune_window (through_id INTEGER NOT NULL) STRICT;
CREATE TRIGGER records_append_only BEFORE UPDATE ON records
BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;
CREATE TRIGGER records_retention_only BEFORE DELETE ON records
WHEN NOT EXISTS (SELECT 1 FROM prune_window WHERE OLD.id <= through_id)
BEGIN SELECT RAISE(ABORT, 'audit records are removed only by retention'); END;
CREATE TRIGGER anchors_append_only BEFORE UPDATE ON anchors
BEGIN SELECT RAISE(ABORT, 'anchors are append-only'); END;
CREATE TRIGGER anchors_keep BEFORE DELETE ON anchors
BEGIN SELECT RAISE(ABORT, 'anchors are append-only'); END;
`;
}

/** Creates the tables of a new store (opts.create, writable), refuses a foreign or newer one, and migrates an older one opened for writing. */
export function checkSchema(db: Database.Database, path: string, opts: { readonly?: boolean; create?: boolean }): void {
	const tables = db.prepare(`SELECT count(*) FROM sqlite_master`).pluck().get() as number;
	if (tables === 0 && opts.create && !opts.readonly) {
		db.transaction(() => {
			db.exec(schemaSql());
			const meta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
			meta.run('app', APP_ID);
			meta.run('schema_version', String(SCHEMA_VERSION));
			meta.run('created_ms', String(Date.now()));
			meta.run('store_id', randomBytes(16).toString('hex'));
		}).immediate();
		return;
	}
	const has = db.prepare(`SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('meta', 'records', 'anchors')`).pluck().get() as number;
	const app = has === 3 ? (db.prepare(`SELECT value FROM meta WHERE key = 'app'`).pluck().get() as string | undefined) : undefined;
	if (app !== APP_ID) throw new StoreError(`open audit store ${path}: not a bpfguard audit store`, 'ESTORECORRUPT');
	const v = Number(db.prepare(`SELECT value FROM meta WHERE key = 'schema_version'`).pluck().get());
	if (v > SCHEMA_VERSION) throw new StoreError(`open audit store ${path}: schema version ${v} is newer than this bpfguard (${SCHEMA_VERSION})`, 'ESTORESCHEMA');
	if (v < SCHEMA_VERSION && !opts.readonly) {
		db.transaction(() => {
			const now = Number(db.prepare(`SELECT value FROM meta WHERE key = 'schema_version'`).pluck().get());
			if (now >= SCHEMA_VERSION) return; // another writer migrated it first
			const cols = new Set((db.prepare('SELECT name FROM pragma_table_xinfo(?)').pluck().all('records') as string[]));
			db.exec(migrationSql(now, cols));
			db.prepare(`UPDATE meta SET value = ? WHERE key = 'schema_version'`).run(String(SCHEMA_VERSION));
		}).immediate();
	}
}
