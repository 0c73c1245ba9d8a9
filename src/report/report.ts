/** @module report/report: aureport-like counts from the audit store: totals, by rule, priority, user, executable, host, and over time. */
import { PRIORITIES } from '../alerts/alert.js';
import type { AuditStore } from '../store/store.js';
import { whereClause, type SearchQuery } from '../store/search.js';

/** One row of a breakdown: records stored and matches they stand for (throttled groups count each match). */
export interface Group {
	key: string;
	records: number;
	matches: number;
}

/** A breakdown by one dimension: the top rows, and what the rest add up to. */
export interface Breakdown {
	name: string;
	title: string;
	rows: Group[];
	other: { records: number; matches: number };
}

/** One time bucket, starting at startMs. */
export interface Bucket {
	startMs: number;
	start: string;
	records: number;
	matches: number;
}

/** Everything a renderer needs; also the --format json output. */
export interface Report {
	generatedAt: string;
	db: string;
	filter: Record<string, string | number>;
	range: { from: string; to: string } | null;
	totals: { records: number; matches: number; alerts: number; logs: number };
	breakdowns: Breakdown[];
	overTime: { bucketMs: number; buckets: Bucket[] };
}

/** Breakdowns in report order: name, title and the SQL expression grouped on (declared once; renderers loop). */
export const DIMENSIONS: readonly { name: string; title: string; expr: string }[] = [
	{ name: 'rule', title: 'By rule', expr: 'rule' },
	{ name: 'priority', title: 'By priority', expr: 'prio' },
	{ name: 'user', title: 'By user', expr: `coalesce(user, 'uid ' || uid)` },
	{ name: 'exe', title: 'By executable', expr: 'coalesce(exe, comm)' },
	{ name: 'host', title: 'By host', expr: 'host' },
];

const BUCKETS_MS = [60_000, 300_000, 900_000, 3_600_000, 21_600_000, 86_400_000, 604_800_000];
const MAX_BUCKETS = 2000;

/** The smallest of 1m, 5m, 15m, 1h, 6h, 1d, 7d giving at most 48 buckets over spanMs. */
export function autoBucket(spanMs: number): number {
	return BUCKETS_MS.find((b) => spanMs / b <= 48) ?? BUCKETS_MS[BUCKETS_MS.length - 1];
}

const keyOf = (name: string, v: unknown): string => (v === null || v === undefined ? '(unknown)' : name === 'priority' ? (PRIORITIES[Number(v)] ?? String(v)) : String(v));

/** Runs the report's queries over the records matching q. */
export function buildReport(store: AuditStore, q: SearchQuery, opts: { top?: number; bucketMs?: number; filter?: Record<string, string | number> } = {}): Report {
	const w = whereClause(q);
	const db = store.db;
	const top = opts.top ?? 10;
	const t = db.prepare(`SELECT count(*) AS records, coalesce(sum(count), 0) AS matches, sum(kind = 'alert') AS alerts, sum(kind = 'log') AS logs, min(time_ms) AS lo, max(time_ms) AS hi FROM records WHERE ${w.sql}`).get(...w.params) as Record<string, number | null>;
	const totals = { records: t.records ?? 0, matches: t.matches ?? 0, alerts: t.alerts ?? 0, logs: t.logs ?? 0 };
	const breakdowns = DIMENSIONS.map((d): Breakdown => {
		const order = d.name === 'priority' ? 'k' : 'matches DESC, k';
		const rows = db.prepare(`SELECT ${d.expr} AS k, count(*) AS records, sum(count) AS matches FROM records WHERE ${w.sql} GROUP BY k ORDER BY ${order} LIMIT ?`).all(...w.params, top) as { k: unknown; records: number; matches: number }[];
		const shown = rows.reduce((a, r) => ({ records: a.records + r.records, matches: a.matches + r.matches }), { records: 0, matches: 0 });
		return { name: d.name, title: d.title, rows: rows.map((r) => ({ key: keyOf(d.name, r.k), records: r.records, matches: r.matches })), other: { records: totals.records - shown.records, matches: totals.matches - shown.matches } };
	});
	const lo = t.lo ?? 0;
	const hi = t.hi ?? 0;
	const bucketMs = Math.max(opts.bucketMs ?? autoBucket(hi - lo), Math.ceil((hi - lo + 1) / MAX_BUCKETS));
	return {
		generatedAt: new Date().toISOString(),
		db: store.path,
		filter: opts.filter ?? {},
		range: totals.records ? { from: new Date(lo).toISOString(), to: new Date(hi).toISOString() } : null,
		totals,
		breakdowns,
		overTime: { bucketMs, buckets: totals.records ? buckets(store, w, lo, hi, bucketMs) : [] },
	};
}

// Counts per bucket, with empty buckets filled in so charts show quiet periods.
function buckets(store: AuditStore, w: { sql: string; params: unknown[] }, lo: number, hi: number, b: number): Bucket[] {
	const rows = store.db.prepare(`SELECT (time_ms / ?) * ? AS t, count(*) AS records, sum(count) AS matches FROM records WHERE ${w.sql} GROUP BY t`).all(b, b, ...w.params) as { t: number; records: number; matches: number }[];
	const at = new Map(rows.map((r) => [r.t, r]));
	const out: Bucket[] = [];
	for (let s = Math.floor(lo / b) * b; s <= hi; s += b) {
		const r = at.get(s);
		out.push({ startMs: s, start: new Date(s).toISOString(), records: r?.records ?? 0, matches: r?.matches ?? 0 });
	}
	return out;
}
