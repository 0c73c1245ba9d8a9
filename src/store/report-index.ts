/**
 * @module store/report-index: the report's indexes and its WHERE clause: partial indexes on the search columns' JSON
 * expressions, so the report's GROUP BY queries read index entries instead of parsing every record's JSON.
 */
import type Database from 'better-sqlite3';
import { SEARCH_COLUMNS } from './schema.js';

const C = SEARCH_COLUMNS;

/**
 * What the report groups and sums on, as the search columns' own expressions. SQLite serves an expression from an index
 * on that same expression, but never a VIRTUAL column's value (measured: an index on the column still parses the JSON).
 */
export const REPORT_EXPR = {
	rule: C.rule,
	priority: C.prio,
	user: `coalesce(${C.user}, 'uid ' || ${C.uid})`,
	exe: `coalesce(${C.exe}, ${C.comm})`,
	host: C.host,
	/** The container's name and id ("web (1a2b3c4d5e6f)"), the id alone when no name is known, 'host' on the host. */
	container: `CASE WHEN ${C.cname} IS NOT NULL AND ${C.cname} NOT IN ('host', '<NA>', '<unresolved>') THEN ${C.cname} || ' (' || ${C.container} || ')' ELSE ${C.container} END`,
	image: C.image,
	count: C.count,
} as const;

/** Record kinds of rule matches (Alert.action), the ones the indexes hold: search's MATCH_KINDS (not imported: search imports the store). */
export const REPORT_KINDS: readonly string[] = ['alert', 'log'];

/**
 * The indexes cover rule matches only: the partial-index term a query must contain (literally) to use them. The audit
 * trail's events are never indexed here, so storing them costs no JSON parse for these indexes.
 */
export const REPORT_SCOPE = `kind IN (${REPORT_KINDS.map((k) => `'${k}'`).join(', ')})`;

const E = REPORT_EXPR;
// Each index leads with what one query groups or ranges on (priority and host: then time, for the per-bucket counts)
// and covers the filters the report pushes (time, priority).
const INDEXES: Readonly<Record<string, string>> = {
	records_rep_time: `time_ms, ${E.priority}, ${E.host}, ${E.count}, kind`,
	records_rep_rule: `${E.rule}, ${E.host}, ${E.priority}, time_ms, ${E.count}, kind`,
	records_rep_prio: `${E.priority}, time_ms, ${E.count}, kind`,
	records_rep_user: `${E.user}, time_ms, ${E.priority}, ${E.count}, kind`,
	records_rep_exe: `${E.exe}, time_ms, ${E.priority}, ${E.count}, kind`,
	records_rep_host: `${E.host}, time_ms, ${E.priority}, ${E.count}, kind`,
	records_rep_ctr: `${E.container}, time_ms, ${E.priority}, ${E.count}, kind`,
	records_rep_image: `${E.image}, time_ms, ${E.priority}, ${E.count}, kind`,
};

/** Names of the report's indexes. */
export const REPORT_INDEXES: readonly string[] = Object.keys(INDEXES);

/** The report's indexes the store does not have (yet). */
export function missingReportIndexes(db: Database.Database): string[] {
	const have = new Set(db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'records'`).pluck().all() as string[]);
	return REPORT_INDEXES.filter((n) => !have.has(n));
}

/** Creates the report's indexes that are missing (a writer does this at open; once, on a store made before them). */
export function ensureReportIndexes(db: Database.Database): void {
	const missing = missingReportIndexes(db);
	if (!missing.length) return;
	db.transaction(() => {
		for (const n of missing) db.exec(`CREATE INDEX IF NOT EXISTS ${n} ON records(${INDEXES[n]}) WHERE ${REPORT_SCOPE}`);
	}).immediate();
}
