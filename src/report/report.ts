/** @module report/report: aureport-like counts from the audit store: totals, by rule, priority, user, executable, host, over time by priority, and per host. */
import { PRIORITIES } from '../alerts/alert.js';
import type { AuditStore } from '../store/store.js';
import type { SearchQuery } from '../store/search.js';
import { REPORT_EXPR } from '../store/report-index.js';
import { reportWhere } from './where.js';

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

/** One time bucket, starting at startMs; byPriority: its matches by priority (priorities with none left out). */
export interface Bucket {
	startMs: number;
	start: string;
	records: number;
	matches: number;
	byPriority: Record<string, number>;
}

/** One host of the per-host view: its counts, matches by priority, top rules, and matches per bucket of overTime. */
export interface HostView {
	host: string;
	records: number;
	matches: number;
	byPriority: Record<string, number>;
	rules: Group[];
	buckets: number[];
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
	hosts: HostView[];
}

/** Breakdowns in report order: name, title and the SQL expression grouped on (the report indexes' expressions; renderers loop). */
export const DIMENSIONS: readonly { name: string; title: string; expr: string }[] = [
	{ name: 'rule', title: 'By rule', expr: REPORT_EXPR.rule },
	{ name: 'priority', title: 'By priority', expr: REPORT_EXPR.priority },
	{ name: 'user', title: 'By user', expr: REPORT_EXPR.user },
	{ name: 'exe', title: 'By executable', expr: REPORT_EXPR.exe },
	{ name: 'host', title: 'By host', expr: REPORT_EXPR.host },
];

const BUCKETS_MS = [60_000, 300_000, 900_000, 3_600_000, 21_600_000, 86_400_000, 604_800_000];
const MAX_BUCKETS = 2000;
/** Hosts in the per-host view at most (the top ones by matches). */
export const MAX_HOSTS = 20;
/** Rules listed per host. */
const HOST_RULES = 3;
const X = REPORT_EXPR;

/** The smallest of 1m, 5m, 15m, 1h, 6h, 1d, 7d giving at most 48 buckets over spanMs. */
export function autoBucket(spanMs: number): number {
	return BUCKETS_MS.find((b) => spanMs / b <= 48) ?? BUCKETS_MS[BUCKETS_MS.length - 1];
}

const keyOf = (name: string, v: unknown): string => (v === null || v === undefined ? '(unknown)' : name === 'priority' ? (PRIORITIES[Number(v)] ?? String(v)) : String(v));

type Where = { sql: string; params: unknown[] };
type Row = { k: unknown; records: number; matches: number };

/**
 * Runs the report's queries over the records matching q. Every count is a GROUP BY in SQLite over the report's
 * indexes (store/report-index); JavaScript only sees grouped rows.
 */
export function buildReport(store: AuditStore, q: SearchQuery, opts: { top?: number; bucketMs?: number; filter?: Record<string, string | number> } = {}): Report {
	const w = reportWhere(q);
	const db = store.db;
	const top = opts.top ?? 10;
	const first = (dir: string): string => `(SELECT time_ms FROM records WHERE ${w.sql} ORDER BY time_ms ${dir} LIMIT 1)`;
	const { lo, hi } = db.prepare(`SELECT ${first('ASC')} AS lo, ${first('DESC')} AS hi`).get(...w.params, ...w.params) as { lo: number | null; hi: number | null };
	const raw: Record<string, Row[]> = {};
	for (const d of DIMENSIONS) {
		const order = d.name === 'priority' ? 'k' : 'matches DESC, k';
		raw[d.name] = lo === null ? [] : (db.prepare(`SELECT ${d.expr} AS k, count(*) AS records, sum(${X.count}) AS matches FROM records WHERE ${w.sql} GROUP BY k ORDER BY ${order} LIMIT ?`).all(...w.params, top) as Row[]);
	}
	const bucketMs = Math.max(opts.bucketMs ?? autoBucket((hi ?? 0) - (lo ?? 0)), Math.ceil(((hi ?? 0) - (lo ?? 0) + 1) / MAX_BUCKETS));
	const hostKeys = raw.host.filter((r) => typeof r.k === 'string').slice(0, MAX_HOSTS).map((r) => r.k as string);
	const series = lo === null || hi === null ? EMPTY : buckets(store, w, lo, hi, bucketMs, hostKeys);
	const totals = series.totals;
	const breakdowns = DIMENSIONS.map((d): Breakdown => {
		const rows = raw[d.name];
		const shown = rows.reduce((a, r) => ({ records: a.records + r.records, matches: a.matches + r.matches }), { records: 0, matches: 0 });
		return { name: d.name, title: d.title, rows: rows.map((r) => ({ key: keyOf(d.name, r.k), records: r.records, matches: r.matches })), other: { records: totals.records - shown.records, matches: totals.matches - shown.matches } };
	});
	return {
		generatedAt: new Date().toISOString(),
		db: store.path,
		filter: opts.filter ?? {},
		range: lo !== null && hi !== null ? { from: new Date(lo).toISOString(), to: new Date(hi).toISOString() } : null,
		totals,
		breakdowns,
		overTime: { bucketMs, buckets: series.buckets },
		hosts: hostViews(store, w, raw.host, hostKeys, series.byHost),
	};
}

interface Series {
	totals: Report['totals'];
	buckets: Bucket[];
	byHost: number[][];
}

const EMPTY: Series = { totals: { records: 0, matches: 0, alerts: 0, logs: 0 }, buckets: [], byHost: [] };

const byPriority = (values: (number | null)[]): Record<string, number> => {
	const out: Record<string, number> = {};
	values.forEach((v, i) => {
		if (v) out[PRIORITIES[i]] = v;
	});
	return out;
};

/**
 * Counts per bucket, by priority and for each of the hosts, with empty buckets filled in so charts show quiet periods;
 * the totals are their sums. `%` makes its operands integers (a bound JS number is a REAL: `time_ms / ?` would not round
 * down to the bucket). The inner SELECT stays a co-routine (LIMIT -1): grouped directly, SQLite would re-read priority
 * and host from the JSON of every record instead of the index (measured over 1M records: 3.6 s against 0.9 s).
 */
function buckets(store: AuditStore, w: Where, lo: number, hi: number, b: number, hosts: string[]): Series {
	const prio = PRIORITIES.map((_, i) => `sum(CASE WHEN p = ${i} THEN c END)`);
	const host = hosts.map(() => 'sum(CASE WHEN h = ? THEN c END)');
	const sql = `SELECT t, count(*), sum(c), sum(k = 'alert'), sum(k = 'log'), ${[...prio, ...host].join(', ')} FROM (SELECT time_ms - time_ms % ? AS t, kind AS k, ${X.priority} AS p, ${X.host} AS h, ${X.count} AS c FROM records WHERE ${w.sql} LIMIT -1) GROUP BY t`;
	const rows = store.db.prepare(sql).raw().all(...hosts, b, ...w.params) as (number | null)[][];
	const at = new Map(rows.map((r) => [r[0] as number, r]));
	const totals = { records: 0, matches: 0, alerts: 0, logs: 0 };
	const out: Bucket[] = [];
	const byHost: number[][] = hosts.map(() => []);
	const np = PRIORITIES.length;
	for (let s = Math.floor(lo / b) * b; s <= hi; s += b) {
		const r = at.get(s) ?? [s, 0, 0, 0, 0];
		const [records, matches, alerts, logs] = r.slice(1, 5) as number[];
		totals.records += records;
		totals.matches += matches;
		totals.alerts += alerts;
		totals.logs += logs;
		out.push({ startMs: s, start: new Date(s).toISOString(), records, matches, byPriority: byPriority(r.slice(5, 5 + np)) });
		hosts.forEach((_, i) => byHost[i].push(r[5 + np + i] ?? 0));
	}
	return { totals, buckets: out, byHost };
}

// The per-host view of the top hosts: matches by priority and the top rules, from one GROUP BY host, rule, priority.
function hostViews(store: AuditStore, w: Where, hostRows: Row[], hosts: string[], byHost: number[][]): HostView[] {
	if (!hosts.length) return [];
	const rows = store.db
		.prepare(`SELECT ${X.host} AS h, ${X.rule} AS r, ${X.priority} AS p, count(*) AS records, sum(${X.count}) AS matches FROM records WHERE ${w.sql} AND ${X.host} IN (${hosts.map(() => '?').join(', ')}) GROUP BY h, r, p`)
		.all(...w.params, ...hosts) as { h: string; r: string | null; p: number | null; records: number; matches: number }[];
	return hosts.map((host, i) => {
		const prio: Record<string, number> = {};
		const rules = new Map<string, Group>();
		for (const x of rows.filter((y) => y.h === host)) {
			const p = keyOf('priority', x.p);
			prio[p] = (prio[p] ?? 0) + x.matches;
			const k = keyOf('rule', x.r);
			const g = rules.get(k) ?? { key: k, records: 0, matches: 0 };
			g.records += x.records;
			g.matches += x.matches;
			rules.set(k, g);
		}
		const own = hostRows.find((r) => r.k === host)!;
		const ranked = [...rules.values()].sort((a, b) => b.matches - a.matches || (a.key < b.key ? -1 : 1)).slice(0, HOST_RULES);
		const ordered = Object.fromEntries(PRIORITIES.filter((p) => prio[p]).map((p) => [p, prio[p]]));
		return { host, records: own.records, matches: own.matches, byPriority: ordered, rules: ranked, buckets: byHost[i] };
	});
}
