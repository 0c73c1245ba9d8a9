/** @module store/search: ausearch-like filters over the audit store, as one SQL WHERE clause. */
import { PRIORITIES, type Priority } from '../alerts/alert.js';
import type { AuditStore } from './store.js';

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
	if (q.rule !== undefined) add(/[*?[]/.test(q.rule) ? 'rule GLOB ?' : 'rule = ?', q.rule);
	if (q.minPriority !== undefined) add('prio <= ?', PRIORITIES.indexOf(q.minPriority));
	if (q.pid !== undefined) add('pid = ?', q.pid);
	if (q.uid !== undefined) add('uid = ?', q.uid);
	if (q.user !== undefined) add('user = ?', q.user);
	if (q.exe !== undefined) add(q.exe.includes('/') ? 'exe = ?' : `substr(exe, -length(?) - 1) = '/' || ?`, ...(q.exe.includes('/') ? [q.exe] : [q.exe, q.exe]));
	if (q.comm !== undefined) add('comm = ?', q.comm);
	if (q.tag !== undefined) add('EXISTS (SELECT 1 FROM json_each(records.tags) WHERE value = ?)', q.tag);
	if (q.text !== undefined) add('instr(lower(output), lower(?)) > 0', q.text);
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
