/** @module report/report: aureport-like counts from the audit store: totals, by rule, priority, user, executable, host, container and image, over time by priority, and per host. */
import { PRIORITIES } from '../alerts/alert.js';
import type { AuditStore } from '../store/store.js';
import type { SearchQuery } from '../store/search.js';
import { REPORT_EXPR } from '../store/report-index.js';
import { reportWhere, type ReportWhere } from './where.js';

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
	{ name: 'container', title: 'By container', expr: REPORT_EXPR.container },
	{ name: 'image', title: 'By container image', expr: REPORT_EXPR.image },
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
 * indexes (store/report-index); JavaScript only sees grouped rows. opts.rangeRows: see RANGE_ROWS (tests set it).
 */
export function buildReport(store: AuditStore, q: SearchQuery, opts: { top?: number; bucketMs?: number; filter?: Record<string, string | number>; rangeRows?: number } = {}): Report {
	const w = reportWhere(q);
	const db = store.db;
	const top = opts.top ?? 10;
	const first = (dir: string): string => `(SELECT time_ms FROM records WHERE ${w.sql} ORDER BY time_ms ${dir} LIMIT 1)`;
	const { lo, hi } = db.prepare(`SELECT ${first('ASC')} AS lo, ${first('DESC')} AS hi`).get(...w.params, ...w.params) as { lo: number | null; hi: number | null };
	// The time filter kept off the time index: the buckets' own ranges use it instead, and the breakdowns and the per-host
	// view count a wide time range by scanning each of their indexes whole, not through the time index (which leaves
	// every record in range to parse).
	const wt = reportWhere(q, { timeIndex: false });
	const wg = lo !== null && wideRange(store, q, w, opts.rangeRows ?? RANGE_ROWS) ? wt : w;
	const raw: Record<string, Row[]> = {};
	for (const d of DIMENSIONS) {
		// every priority present (at most 9 rows) is counted over time; the breakdown shows the top ones
		const [order, limit] = d.name === 'priority' ? ['k', PRIORITIES.length + 1] : ['matches DESC, k', top];
		raw[d.name] = lo === null ? [] : (db.prepare(`SELECT ${d.expr} AS k, count(*) AS records, sum(${X.count}) AS matches FROM records WHERE ${wg.sql} GROUP BY k ORDER BY ${order} LIMIT ?`).all(...wg.params, limit) as Row[]);
	}
	const bucketMs = Math.max(opts.bucketMs ?? autoBucket((hi ?? 0) - (lo ?? 0)), Math.ceil(((hi ?? 0) - (lo ?? 0) + 1) / MAX_BUCKETS));
	const hostKeys = raw.host.filter((r) => typeof r.k === 'string').slice(0, MAX_HOSTS).map((r) => r.k as string);
	const prios = raw.priority.map((r) => r.k as number | null);
	const series = lo === null || hi === null ? EMPTY : buckets(store, w, wt, { lo, hi, b: bucketMs }, prios, hostKeys);
	const totals = series.totals;
	const breakdowns = DIMENSIONS.map((d): Breakdown => {
		const rows = raw[d.name].slice(0, top);
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
		hosts: hostViews(store, wg, raw.host, hostKeys, series.byHost),
	};
}

/**
 * Records in a time range above which the report scans its indexes whole rather than search the time index. Measured
 * over 1M records (one breakdown): a whole index 80-130 ms, the time index 116 ms for 33k records in range, 295 ms for
 * 100k, 1.35 s for 333k (each record's JSON parsed).
 */
const RANGE_ROWS = 25_000;

/** Whether only time and priority narrow the report, time among them, and more than limit records are in its range (counted from the time index, up to limit + 1). */
function wideRange(store: AuditStore, q: SearchQuery, w: ReportWhere, limit: number): boolean {
	if (!w.indexed || (q.sinceMs === undefined && q.untilMs === undefined)) return false;
	const n = store.db.prepare(`SELECT count(*) FROM (SELECT 1 FROM records WHERE ${w.sql} LIMIT ?)`).pluck().get(...w.params, limit + 1) as number;
	return n > limit;
}

interface Series {
	totals: Report['totals'];
	buckets: Bucket[];
	byHost: number[][];
}

const EMPTY: Series = { totals: { records: 0, matches: 0, alerts: 0, logs: 0 }, buckets: [], byHost: [] };

const byPriority = (values: number[]): Record<string, number> => {
	const out: Record<string, number> = {};
	values.forEach((v, i) => {
		if (v) out[PRIORITIES[i]] = v;
	});
	return out;
};

// One bucket's counts: records, matches, alerts, logs; matches by priority (PRIORITIES order) and for each host.
interface Cell {
	n: number[];
	prio: number[];
	hosts: number[];
}

/**
 * Counts per bucket, by priority and for each of the hosts, with empty buckets filled in so charts show quiet periods;
 * the totals are their sums.
 */
function buckets(store: AuditStore, w: ReportWhere, wt: Where, span: { lo: number; hi: number; b: number }, prios: (number | null)[], hosts: string[]): Series {
	const { lo, hi, b } = span;
	const cellAt = w.indexed ? rangeCells(store, wt, b, prios, hosts) : groupedCells(store, w, b, hosts);
	const totals = { records: 0, matches: 0, alerts: 0, logs: 0 };
	const out: Bucket[] = [];
	const byHost: number[][] = hosts.map(() => []);
	for (let s = Math.floor(lo / b) * b; s <= hi; s += b) {
		const { n, prio, hosts: h } = cellAt(s);
		totals.records += n[0];
		totals.matches += n[1];
		totals.alerts += n[2];
		totals.logs += n[3];
		out.push({ startMs: s, start: new Date(s).toISOString(), records: n[0], matches: n[1], byPriority: byPriority(prio) });
		h.forEach((v, i) => byHost[i].push(v));
	}
	return { totals, buckets: out, byHost };
}

/**
 * Only time and priority narrow the report: one small query per bucket and priority, and per bucket and host, each a
 * range of the priority or host index (priority or host, then time) summed without a sort (over 1M records: 0.35 s
 * for 30 buckets against 1.2-1.9 s for groupedCells, which sorts every record by bucket). w writes the time filter as
 * `+time_ms` (reportWhere timeIndex false): with two ranges on time_ms, SQLite searches one of them, and it picked the
 * filter's, so every bucket re-read the whole filtered range (40 buckets of a 10-day range: 213 ms a host, not 3 ms).
 */
function rangeCells(store: AuditStore, w: Where, b: number, prios: (number | null)[], hosts: string[]): (s: number) => Cell {
	const range = 'time_ms >= ? AND time_ms < ?';
	const byPrio = store.db.prepare(`SELECT count(*), coalesce(sum(${X.count}), 0), sum(kind = 'alert'), sum(kind = 'log') FROM records WHERE ${w.sql} AND ${X.priority} IS ? AND ${range}`).raw();
	const byHost = store.db.prepare(`SELECT coalesce(sum(${X.count}), 0) FROM records WHERE ${w.sql} AND ${X.host} = ? AND ${range}`).pluck();
	return (s) => {
		const c: Cell = { n: [0, 0, 0, 0], prio: PRIORITIES.map(() => 0), hosts: hosts.map((h) => byHost.get(...w.params, h, s, s + b) as number) };
		for (const p of prios) {
			const r = byPrio.get(...w.params, p, s, s + b) as number[];
			if (!r[0]) continue;
			r.forEach((v, i) => (c.n[i] += v));
			if (p !== null && p in c.prio) c.prio[p] = r[1];
		}
		return c;
	};
}

/**
 * Other filters: one GROUP BY bucket over the records they select (through whichever index narrows them best). `%`
 * makes its operands integers (a bound JS number is a REAL: `time_ms / ?` would not round down to the bucket). The
 * inner SELECT stays a co-routine (LIMIT -1): grouped directly, SQLite would re-read priority and host from the JSON of
 * every record instead of the index (measured over 1M records: 3.6 s against 0.9 s).
 */
function groupedCells(store: AuditStore, w: Where, b: number, hosts: string[]): (s: number) => Cell {
	const prio = PRIORITIES.map((_, i) => `sum(CASE WHEN p = ${i} THEN c END)`);
	const host = hosts.map(() => 'sum(CASE WHEN h = ? THEN c END)');
	const sql = `SELECT t, count(*), sum(c), sum(k = 'alert'), sum(k = 'log'), ${[...prio, ...host].join(', ')} FROM (SELECT time_ms - time_ms % ? AS t, kind AS k, ${X.priority} AS p, ${X.host} AS h, ${X.count} AS c FROM records WHERE ${w.sql} LIMIT -1) GROUP BY t`;
	const rows = store.db.prepare(sql).raw().all(...hosts, b, ...w.params) as (number | null)[][];
	const at = new Map(rows.map((r) => [r[0] as number, r.slice(1).map((v) => v ?? 0)]));
	const np = PRIORITIES.length;
	return (s) => {
		const r = at.get(s);
		return r ? { n: r.slice(0, 4), prio: r.slice(4, 4 + np), hosts: r.slice(4 + np) } : { n: [0, 0, 0, 0], prio: PRIORITIES.map(() => 0), hosts: hosts.map(() => 0) };
	};
}

// The per-host view of the top hosts: matches by priority and the top rules, from one GROUP BY rule, host, priority in the
// rule index's order (the unary + keeps SQLite from searching the host index instead, which would sort every row).
function hostViews(store: AuditStore, w: Where, hostRows: Row[], hosts: string[], byHost: number[][]): HostView[] {
	if (!hosts.length) return [];
	const rows = store.db
		.prepare(`SELECT ${X.host} AS h, ${X.rule} AS r, ${X.priority} AS p, count(*) AS records, sum(${X.count}) AS matches FROM records WHERE ${w.sql} AND +${X.host} IN (${hosts.map(() => '?').join(', ')}) GROUP BY r, h, p`)
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
