/** @module report/html: the report as one self-contained HTML file: inline CSS and SVG bar charts, no script, no network. */
import { escapeText } from '../sinks/escape.js';
import type { Breakdown, Bucket, Report } from './report.js';

/** Text for HTML content or attributes: control characters escaped, then & < > " ' as entities. */
export function htmlEscape(s: string): string {
	return escapeText(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const CSS = `body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222;max-width:60em}
h1{font-size:1.5em}h2{font-size:1.15em;margin-top:2em}table{border-collapse:collapse;margin:.5em 0}
td,th{border:1px solid #ccc;padding:2px 8px;text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums}
svg text{font:12px system-ui,sans-serif;fill:#222}.bar{fill:#3b6ea8}.muted{color:#666}`;

const LABEL_W = 260;
const BAR_W = 320;
const ROW_H = 20;

const clip = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

// Horizontal bars, one per row, labelled with the key and its match count.
function barChart(b: Breakdown): string {
	const max = Math.max(1, ...b.rows.map((g) => g.matches));
	const h = b.rows.length * ROW_H + 4;
	const bars = b.rows.map((g, i) => {
		const y = i * ROW_H + 2;
		const w = Math.max(1, Math.round((g.matches / max) * BAR_W));
		return `<text x="${LABEL_W - 6}" y="${y + 14}" text-anchor="end">${htmlEscape(clip(g.key, 40))}</text><rect class="bar" x="${LABEL_W}" y="${y + 3}" width="${w}" height="${ROW_H - 6}"/><text x="${LABEL_W + w + 4}" y="${y + 14}">${g.matches}</text>`;
	});
	return `<svg role="img" aria-label="${htmlEscape(b.title)}" width="${LABEL_W + BAR_W + 60}" height="${h}" viewBox="0 0 ${LABEL_W + BAR_W + 60} ${h}">${bars.join('')}</svg>`;
}

// Vertical bars over time, with the first and last bucket start as axis labels.
function timeChart(bs: Bucket[]): string {
	if (!bs.length) return '<p class="muted">no records</p>';
	const W = 720;
	const H = 160;
	const max = Math.max(1, ...bs.map((b) => b.matches));
	const bw = W / bs.length;
	const bars = bs.map((b, i) => {
		const h = Math.round((b.matches / max) * (H - 20));
		return `<rect class="bar" x="${(i * bw).toFixed(2)}" y="${H - 20 - h}" width="${Math.max(1, bw - 1).toFixed(2)}" height="${h}"><title>${b.start}: ${b.matches}</title></rect>`;
	});
	const axis = `<text x="0" y="${H - 4}">${bs[0].start}</text><text x="${W}" y="${H - 4}" text-anchor="end">${bs[bs.length - 1].start}</text><text x="${W}" y="12" text-anchor="end">max ${max}</text>`;
	return `<svg role="img" aria-label="matches over time" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">${bars.join('')}${axis}</svg>`;
}

function table(b: Breakdown): string {
	const rows = b.rows.map((g) => `<tr><td>${htmlEscape(g.key)}</td><td class="n">${g.matches}</td><td class="n">${g.records}</td></tr>`);
	if (b.other.records) rows.push(`<tr><td class="muted">(others)</td><td class="n">${b.other.matches}</td><td class="n">${b.other.records}</td></tr>`);
	return `<table><tr><th>${htmlEscape(b.name)}</th><th>matches</th><th>records</th></tr>${rows.join('')}</table>`;
}

/** A complete HTML document; every piece of event data escaped; nothing loaded from elsewhere. */
export function renderHtml(r: Report): string {
	const filter = Object.entries(r.filter).map(([k, v]) => `<li>filter ${htmlEscape(k)}: ${htmlEscape(String(v))}</li>`);
	const sections = r.breakdowns.map((b) => `<h2>${htmlEscape(b.title)}</h2>${b.rows.length ? barChart(b) + table(b) : '<p class="muted">no records</p>'}`);
	return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>bpfguard audit report</title><style>${CSS}</style></head><body>
<h1>bpfguard audit report</h1>
<ul><li>store: <code>${htmlEscape(r.db)}</code></li><li>generated: ${r.generatedAt}</li>${filter.join('')}
<li>range: ${r.range ? `${r.range.from} .. ${r.range.to}` : 'no records'}</li>
<li>records: <b id="records">${r.totals.records}</b> (${r.totals.alerts} alerts, ${r.totals.logs} log matches), <b id="matches">${r.totals.matches}</b> matches</li></ul>
<h2>Over time (buckets of ${r.overTime.bucketMs / 60_000} min)</h2>${timeChart(r.overTime.buckets)}
${sections.join('\n')}
</body></html>
`;
}
