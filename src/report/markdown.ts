/** @module report/markdown: the report as GitHub-flavoured Markdown tables (cells escaped: no raw HTML or pipes from event data). */
import { escapeText } from '../sinks/escape.js';
import type { Report } from './report.js';

/** A table cell: control characters escaped, HTML and Markdown specials neutralised, pipes escaped. */
export function mdCell(s: string): string {
	return escapeText(s)
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/([\\`*_[\]|])/g, '\\$1');
}

/** Summary list, one table per breakdown, and a table of time buckets. */
export function renderMarkdown(r: Report): string {
	const out: string[] = ['# bpfguard audit report', ''];
	out.push(`- store: \`${escapeText(r.db).replace(/`/g, "'")}\``, `- generated: ${r.generatedAt}`);
	for (const [k, v] of Object.entries(r.filter)) out.push(`- filter ${k}: ${mdCell(String(v))}`);
	out.push(`- range: ${r.range ? `${r.range.from} .. ${r.range.to}` : 'no records'}`);
	out.push(`- records: ${r.totals.records} (${r.totals.alerts} alerts, ${r.totals.logs} log matches), ${r.totals.matches} matches`);
	for (const b of r.breakdowns) {
		out.push('', `## ${b.title}`, '', `| ${b.name} | matches | records |`, '|---|---:|---:|');
		for (const g of b.rows) out.push(`| ${mdCell(g.key)} | ${g.matches} | ${g.records} |`);
		if (b.other.records) out.push(`| (others) | ${b.other.matches} | ${b.other.records} |`);
	}
	out.push('', `## Over time (buckets of ${r.overTime.bucketMs / 60_000} min)`, '', '| start | matches | records |', '|---|---:|---:|');
	for (const b of r.overTime.buckets) out.push(`| ${b.start} | ${b.matches} | ${b.records} |`);
	return `${out.join('\n')}\n`;
}
