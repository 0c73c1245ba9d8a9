/** @module store/when: times for --since/--until: ISO 8601, ausearch's words (today, this-week …) or a duration ago (30m, 1h, 7d). */
import { StoreError } from './errors.js';

const UNIT_MS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const DAY = UNIT_MS.d;

const startOfDay = (t: number): number => {
	const d = new Date(t);
	return new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
};

// Local calendar words, like ausearch's -ts keywords (weeks start on Monday).
const WORDS: Readonly<Record<string, (now: number) => number>> = {
	now: (n) => n,
	recent: (n) => n - 10 * UNIT_MS.m,
	today: (n) => startOfDay(n),
	yesterday: (n) => startOfDay(startOfDay(n) - 1),
	'this-week': (n) => startOfDay(n) - ((new Date(n).getDay() + 6) % 7) * DAY,
	'week-ago': (n) => n - 7 * DAY,
	'this-month': (n) => new Date(new Date(n).getFullYear(), new Date(n).getMonth(), 1).getTime(),
	'this-year': (n) => new Date(new Date(n).getFullYear(), 0, 1).getTime(),
};

/** A duration like 90s, 30m, 1h, 7d, 2w in ms, or null when s is not one. */
export function parseDuration(s: string): number | null {
	const m = /^(\d+)([smhdw])$/.exec(s.trim());
	return m ? Number(m[1]) * UNIT_MS[m[2]] : null;
}

/** Ms since the epoch for a --since/--until value; a date without a zone is local time. Throws StoreError EBADTIME. */
export function parseWhen(s: string, now = Date.now()): number {
	const v = s.trim().toLowerCase();
	const word = WORDS[v];
	if (word) return word(now);
	const ago = parseDuration(v);
	if (ago !== null) return now - ago;
	const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
	if (day) return new Date(Number(day[1]), Number(day[2]) - 1, Number(day[3])).getTime();
	if (/^\d{4}-\d{2}-\d{2}[t ]\d{2}:\d{2}/.test(v)) {
		const t = Date.parse(s.trim().replace(' ', 'T'));
		if (Number.isFinite(t)) return t;
	}
	throw new StoreError(`parse time '${s}': expected ISO 8601 (2025-01-02, 2025-01-02T03:04:05Z), a duration ago (30m, 1h, 7d) or one of ${Object.keys(WORDS).join(', ')}`, 'EBADTIME');
}
