/** @module store/schema: the audit database's tables; search columns are generated from each record's JSON, declared once here. */
import { PRIORITIES } from '../alerts/alert.js';

/** Bumped on any change to the tables below; a store with a newer version is refused. */
export const SCHEMA_VERSION = 1;

/** Marks a database as a bpfguard audit store (meta.app). */
export const APP_ID = 'bpfguard-audit';

const prio = `CASE json_extract(data, '$.priority') ${PRIORITIES.map((p, i) => `WHEN '${p}' THEN ${i}`).join(' ')} END`;
const field = (name: string): string => `json_extract(data, '$.fields."${name}"')`;

/**
 * Search columns: generated (virtual) from `data`, so they can never disagree with what the hash covers.
 * Alerts and log matches carry the Alert shape; raw events stored later use the same `fields` names.
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
};

// Each index re-reads the JSON on insert (measured: five indexes halve the batched insert rate); time and rule narrow most searches.
const INDEXED = ['rule'];

/** DDL of a new store (one transaction). STRICT tables; triggers keep records append-only outside retention. */
export function schemaSql(): string {
	const gen = Object.entries(SEARCH_COLUMNS).map(([c, expr]) => `\t${c} ANY GENERATED ALWAYS AS (${expr}) VIRTUAL`);
	return `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
CREATE TABLE records (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	kind TEXT NOT NULL,
	time_ms INTEGER NOT NULL,
	data TEXT NOT NULL,
	prev_hash TEXT NOT NULL,
	hash TEXT NOT NULL,
${gen.join(',\n')}
) STRICT;
CREATE INDEX records_time ON records(time_ms);
${INDEXED.map((c) => `CREATE INDEX records_${c} ON records(${c});`).join('\n')}
CREATE TABLE anchors (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	at_ms INTEGER NOT NULL,
	first_id INTEGER NOT NULL,
	prev_hash TEXT NOT NULL,
	through_id INTEGER NOT NULL,
	removed INTEGER NOT NULL,
	anchor_prev TEXT NOT NULL,
	hash TEXT NOT NULL
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
