/** @module store/search: ausearch-like filters over the audit store, as one SQL WHERE clause. */
import { PRIORITIES, type Priority } from '../alerts/alert.js';
import type { AuditStore } from './store.js';
import { EVENT_KIND, RULE_INDEXED, SEARCH_COLUMNS as C } from './schema.js';
import type { WhereFilter } from './where.js';

/** Filters; each one set narrows the result (AND). Times in ms since the epoch. */
export interface SearchQuery {
	sinceMs?: number;
	untilMs?: number;
	/** Exact rule name, or a glob with * ? [ ]. */
	rule?: string;
	/** This priority or more severe. */
	minPriority?: Priority;
	pid?: number;
	uid?: number;
	user?: string;
	/** Absolute path (exact) or a file name (any directory). */
	exe?: string;
	comm?: string;
	/** A container: its id (12 or 64 hex digits, or a prefix of at least 4) or its name. */
	container?: string;
	/** Only records of processes in a container (container.id set and not 'host'). */
	containersOnly?: boolean;
	/** Only records of host processes (container.id 'host'). */
	hostOnly?: boolean;
	tag?: string;
	/** Case-insensitive substring of the rendered output. */
	text?: string;
	/** Record kinds (default alert and log). */
	kinds?: string[];
}

/** A stored record: its place in the chain and the parsed record JSON. */
export interface StoredRecord {
	id: number;
	kind: string;
	timeMs: number;
	hash: string;
	data: Record<string, unknown>;
}

/** Default kinds searched and reported: rule matches, not the store's own prune and checkpoint records. */
export const MATCH_KINDS = ['alert', 'log'];

/** Default kinds of `--where` and `store export`: rule matches and the audit trail's events. */
export const RECORD_KINDS = [...MATCH_KINDS, EVENT_KIND];

/** The WHERE clause (without the keyword) and its parameters for a query. */
export function whereClause(q: SearchQuery): { sql: string; params: unknown[] } {
	const c: string[] = [];
	const p: unknown[] = [];
	const add = (sql: string, ...v: unknown[]): void => {
		c.push(sql);
		p.push(...v);
	};
	const kinds = q.kinds ?? MATCH_KINDS;
	add(`kind IN (${kinds.map(() => '?').join(',')})`, ...kinds);
	if (q.sinceMs !== undefined) add('time_ms >= ?', q.sinceMs);
	if (q.untilMs !== undefined) add('time_ms < ?', q.untilMs);
	if (q.rule !== undefined) add(`${RULE_INDEXED} AND ${C.rule} ${/[*?[]/.test(q.rule) ? 'GLOB' : '='} ?`, q.rule);
	if (q.minPriority !== undefined) add(`${C.prio} <= ?`, PRIORITIES.indexOf(q.minPriority));
	if (q.pid !== undefined) add(`${C.pid} = ?`, q.pid);
	if (q.uid !== undefined) add(`${C.uid} = ?`, q.uid);
	if (q.user !== undefined) add(`${C.user} = ?`, q.user);
	if (q.exe !== undefined) add(q.exe.includes('/') ? `${C.exe} = ?` : `substr(${C.exe}, -length(?) - 1) = '/' || ?`, ...(q.exe.includes('/') ? [q.exe] : [q.exe, q.exe]));
	if (q.comm !== undefined) add(`${C.comm} = ?`, q.comm);
	if (q.container !== undefined) {
		// ids are stored as 12 hex digits (Falco's container.id): a full id or a prefix matches them by prefix
		const hex = /^[0-9a-f]{4,64}$/.test(q.container) ? q.container.slice(0, 12) : null;
		if (hex) add(`(${C.cname} = ? OR substr(${C.container}, 1, length(?)) = ?)`, q.container, hex, hex);
		else add(`${C.cname} = ?`, q.container);
	}
	if (q.containersOnly) add(`${C.container} IS NOT NULL AND ${C.container} <> 'host'`);
	if (q.hostOnly) add(`${C.container} = 'host'`);
	if (q.tag !== undefined) add(`EXISTS (SELECT 1 FROM json_each(records.data, '$.tags') WHERE value = ?)`, q.tag);
	if (q.text !== undefined) add(`instr(lower(${C.output}), lower(?)) > 0`, q.text);
	return { sql: c.join(' AND '), params: p };
}

/** The newest `limit` matching records (default 1000), oldest first. */
export function searchStore(store: AuditStore, q: SearchQuery, limit = 1000): StoredRecord[] {
	const w = whereClause(q);
	const rows = store.db
		.prepare(`SELECT id, kind, time_ms, hash, data FROM records WHERE ${w.sql} ORDER BY id DESC LIMIT ?`)
		.all(...w.params, limit) as { id: number; kind: string; time_ms: number; hash: string; data: string }[];
	return rows.reverse().map((r) => ({ id: r.id, kind: r.kind, timeMs: r.time_ms, hash: r.hash, data: JSON.parse(r.data) as Record<string, unknown> }));
}

/** How scanStore walks: a --where condition, ids after (ascending) or before (descending) a point, and rows per page. */
export interface ScanOptions {
	where?: WhereFilter;
	afterId?: number;
	beforeId?: number;
	desc?: boolean;
	/** Rows read per query (default 4096); each page is decoded and tested as one batch. */
	page?: number;
}

interface Row {
	id: number;
	kind: string;
	time_ms: number;
	hash: string;
	data: string;
}

/**
 * Matching records page by page (keyset: never an OFFSET, never the whole result in memory): the filters and the SQL
 * part of --where narrow the rows in SQLite, the whole condition is tested on each decoded row. In id order; with
 * --since or --until in time order (then id), read through the time index, so a time range reads only its records.
 */
export function* scanStore(store: AuditStore, q: SearchQuery, o: ScanOptions = {}): Generator<StoredRecord> {
	const w = whereClause(q);
	const timed = q.sinceMs !== undefined || q.untilMs !== undefined;
	const dir = o.desc ? 'DESC' : 'ASC';
	const after = o.desc ? '<' : '>';
	const key = timed ? `(time_ms, id) ${after} (?, ?)` : `id ${after} ?`;
	const conds = [w.sql, ...(o.where?.sql ? [o.where.sql] : []), key];
	const params = [...w.params, ...(o.where?.params ?? [])];
	const from = `records${timed ? ' INDEXED BY records_time' : ''}`;
	const stmt = store.db.prepare(`SELECT id, kind, time_ms, hash, data FROM ${from} WHERE ${conds.join(' AND ')} ORDER BY ${timed ? `time_ms ${dir}, ` : ''}id ${dir} LIMIT ?`);
	const page = o.page ?? 4096;
	const MAX = Number.MAX_SAFE_INTEGER;
	let at: number[] = o.desc ? [MAX, o.beforeId ?? MAX] : [-MAX, o.afterId ?? 0];
	for (;;) {
		const rows = stmt.all(...params, ...(timed ? at : [at[1]]), page) as Row[];
		for (const r of rows) {
			const data = JSON.parse(r.data) as Record<string, unknown>;
			if (o.where && !o.where.test(data, r.time_ms)) continue;
			yield { id: r.id, kind: r.kind, timeMs: r.time_ms, hash: r.hash, data };
		}
		if (rows.length < page) return;
		const last = rows[rows.length - 1];
		at = [last.time_ms, last.id];
	}
}

/** The newest `limit` records that match the filters and the --where condition, oldest first. */
export function searchWhere(store: AuditStore, q: SearchQuery, where: WhereFilter, limit = 1000): StoredRecord[] {
	const out: StoredRecord[] = [];
	if (limit <= 0) return out;
	for (const r of scanStore(store, q, { where, desc: true })) if (out.push(r) >= limit) break;
	return out.reverse();
}
