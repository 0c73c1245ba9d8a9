/** @module report/where: the report's WHERE clause, written for the report's indexes (store/report-index). */
import { PRIORITIES } from '../alerts/alert.js';
import { REPORT_EXPR, REPORT_KINDS, REPORT_SCOPE } from '../store/report-index.js';
import { MATCH_KINDS, whereClause, type SearchQuery } from '../store/search.js';

/** A WHERE clause (without the keyword) and its parameters; indexed: only time and priority narrow it (the report indexes cover it). */
export interface ReportWhere {
	sql: string;
	params: unknown[];
	indexed: boolean;
}

/**
 * The query's WHERE clause: the indexes' scope term when only rule matches are asked for (SQLite uses a partial index
 * only when the query repeats its condition), time, rule and priority on the indexed expressions; every other filter as
 * search writes it (those read the record itself). timeIndex false writes time as `+time_ms`, which keeps SQLite from
 * searching the time index for it (time is then checked in whichever index the query reads).
 */
export function reportWhere(q: SearchQuery, opts: { timeIndex?: boolean } = {}): ReportWhere {
	const time = opts.timeIndex === false ? '+time_ms' : 'time_ms';
	const c: string[] = [];
	const p: unknown[] = [];
	const add = (sql: string, v?: unknown): void => {
		c.push(sql);
		if (v !== undefined) p.push(v);
	};
	const kinds = q.kinds ?? MATCH_KINDS;
	const scoped = kinds.every((k) => REPORT_KINDS.includes(k));
	if (scoped) add(REPORT_SCOPE);
	if (q.sinceMs !== undefined) add(`${time} >= ?`, q.sinceMs);
	if (q.untilMs !== undefined) add(`${time} < ?`, q.untilMs);
	if (q.rule !== undefined) add(`${REPORT_EXPR.rule} ${/[*?[]/.test(q.rule) ? 'GLOB' : '='} ?`, q.rule);
	if (q.minPriority !== undefined) add(`${REPORT_EXPR.priority} <= ?`, PRIORITIES.indexOf(q.minPriority));
	// A user name or an executable path also narrows through its index (the filter as search writes it, below, still
	// decides: the indexed expressions fall back to the uid and the process name).
	if (q.user !== undefined) add(`${REPORT_EXPR.user} = ?`, q.user);
	if (q.exe?.includes('/')) add(`${REPORT_EXPR.exe} = ?`, q.exe);
	const others = { pid: q.pid, uid: q.uid, user: q.user, exe: q.exe, comm: q.comm, tag: q.tag, text: q.text };
	const rest = whereClause({ kinds, ...others });
	const indexed = scoped && q.rule === undefined && Object.values(others).every((v) => v === undefined);
	return { sql: [...c, rest.sql].join(' AND '), params: [...p, ...rest.params], indexed };
}
