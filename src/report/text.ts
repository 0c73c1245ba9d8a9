/** @module report/text: the report as plain text for a terminal (event data escaped). */
import { escapeText } from '../sinks/escape.js';
import type { Report } from './report.js';

const BAR = 40;

/** Columns `MATCHES RECORDS KEY` per breakdown and a `#` bar per time bucket. */
export function renderText(r: Report): string {
	const out: string[] = ['bpfguard audit report', `store:     ${escapeText(r.db)}`, `generated: ${r.generatedAt}`];
	const f = Object.entries(r.filter);
	if (f.length) out.push(`filter:    ${f.map(([k, v]) => `${k}=${escapeText(String(v))}`).join(' ')}`);
	out.push(`range:     ${r.range ? `${r.range.from} .. ${r.range.to}` : 'no records'}`);
	out.push(`records:   ${r.totals.records} (${r.totals.alerts} alerts, ${r.totals.logs} log matches), ${r.totals.matches} matches`);
	for (const b of r.breakdowns) {
		out.push('', b.title, `${'MATCHES'.padStart(9)} ${'RECORDS'.padStart(9)}  ${b.name.toUpperCase()}`);
		for (const g of b.rows) out.push(`${String(g.matches).padStart(9)} ${String(g.records).padStart(9)}  ${escapeText(g.key)}`);
		if (b.other.records) out.push(`${String(b.other.matches).padStart(9)} ${String(b.other.records).padStart(9)}  (others)`);
	}
	const max = Math.max(1, ...r.overTime.buckets.map((b) => b.matches));
	out.push('', `Over time (buckets of ${r.overTime.bucketMs / 60_000} min)`);
	for (const b of r.overTime.buckets) out.push(`${b.start}  ${String(b.matches).padStart(7)}  ${'#'.repeat(Math.ceil((b.matches / max) * BAR))}`);
	return `${out.join('\n')}\n`;
}
