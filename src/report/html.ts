/**
 * @module report/html: the report as one self-contained HTML page: inline CSS and server-drawn SVG charts (report/svg),
 * no script, nothing fetched (its Content-Security-Policy allows inline style only), readable from phone width up.
 */
import { PRIORITIES } from '../alerts/alert.js';
import { escapeText } from '../sinks/escape.js';
import type { Breakdown, HostView, Report } from './report.js';
import { barChart, num, prioritiesIn, priorityBar, shortTime, sparkline, timeChart } from './svg.js';

/** Text for HTML content or attributes: control characters escaped, then & < > " ' as entities. */
export function htmlEscape(s: string): string {
	return escapeText(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Fill colour of each priority (most severe darkest red, debug grey). */
export const PRIORITY_COLOURS: Readonly<Record<string, string>> = {
	emergency: '#67000d',
	alert: '#a50f15',
	critical: '#d7301f',
	error: '#f16913',
	warning: '#e6a700',
	notice: '#2b8cbe',
	informational: '#74a9cf',
	debug: '#969696',
};

const CSS = `*{box-sizing:border-box}html{-webkit-text-size-adjust:100%}
body{font:15px/1.45 system-ui,sans-serif;margin:0 auto;padding:1em;color:#1d1d1f;max-width:68em;overflow-wrap:anywhere}
h1{font-size:1.45em;margin:.2em 0 .6em}h2{font-size:1.15em;margin:1.8em 0 .5em}h3{font-size:1em;margin:0 0 .3em}
.summary{display:grid;grid-template-columns:repeat(auto-fit,minmax(9em,1fr));gap:.5em;margin:0;padding:0;list-style:none}
.summary li{background:#f3f5f8;border-radius:6px;padding:.5em .7em}.summary b{display:block;font-size:1.3em}
.meta{color:#555;font-size:.9em;padding-left:1.2em}
svg.chart{display:block;overflow:hidden;margin:.4em 0}svg text{font:12px system-ui,sans-serif;fill:#1d1d1f}
.axis{stroke:#999;stroke-width:1}.bar{fill:#3b6ea8}
.legend{list-style:none;padding:0;margin:.3em 0;display:flex;flex-wrap:wrap;gap:.3em 1em;font-size:.9em}
.legend i{display:inline-block;width:.9em;height:.9em;margin-right:.3em;vertical-align:-.1em;border-radius:2px}
table{border-collapse:collapse;margin:.5em 0;width:100%;table-layout:fixed}
td,th{border:1px solid #d0d5dc;padding:3px 8px;text-align:left;vertical-align:top}th{background:#f3f5f8}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;width:6.5em}th{overflow-wrap:normal}
.hosts{display:grid;grid-template-columns:repeat(auto-fill,minmax(17em,1fr));gap:.8em}
.host{border:1px solid #d0d5dc;border-radius:6px;padding:.6em .8em;min-width:0}.host ol{margin:.3em 0 0;padding-left:1.3em;font-size:.9em}
.muted{color:#666}code{font-size:.9em}
@media (max-width:30em){body{padding:.6em;font-size:14px}td.n,th.n{width:5.6em;padding:3px 4px}th{font-size:.85em}}
${PRIORITIES.map((p) => `.p-${p}{fill:${PRIORITY_COLOURS[p]};background:${PRIORITY_COLOURS[p]}}`).join('')}`;

const legend = (ps: string[]): string => `<ul class="legend">${ps.map((p) => `<li><i class="p-${p}"></i>${p}</li>`).join('')}</ul>`;

/** Characters of a key shown in a table cell; a longer one ends in … and shows whole as the cell's tooltip. */
const CELL_MAX = 200;

const cell = (k: string): string => (k.length > CELL_MAX ? `<td title="${htmlEscape(k)}">${htmlEscape(`${k.slice(0, CELL_MAX - 1)}…`)}</td>` : `<td>${htmlEscape(k)}</td>`);

function table(b: Breakdown): string {
	const rows = b.rows.map((g) => `<tr>${cell(g.key)}<td class="n">${num(g.matches)}</td><td class="n">${num(g.records)}</td></tr>`);
	if (b.other.records) rows.push(`<tr><td class="muted">(others)</td><td class="n">${num(b.other.matches)}</td><td class="n">${num(b.other.records)}</td></tr>`);
	return `<table><tr><th>${htmlEscape(b.name)}</th><th class="n">matches</th><th class="n">records</th></tr>${rows.join('')}</table>`;
}

function hostCard(h: HostView, r: Report): string {
	const rules = h.rules.map((g) => `<li>${htmlEscape(g.key.length > CELL_MAX ? `${g.key.slice(0, CELL_MAX - 1)}…` : g.key)} <span class="muted">(${num(g.matches)})</span></li>`);
	return `<article class="host"><h3>${htmlEscape(h.host)}</h3><div class="muted">${num(h.matches)} matches, ${num(h.records)} records</div>${priorityBar(h.byPriority)}${sparkline(h.buckets, r.overTime.buckets)}<ol>${rules.join('')}</ol></article>`;
}

function hostsSection(r: Report): string {
	if (!r.hosts.length) return '<p class="muted">no records</p>';
	const host = r.breakdowns.find((b) => b.name === 'host');
	const more = host && host.rows.length > r.hosts.length ? `<p class="muted">${host.rows.length - r.hosts.length} more hosts in the table above</p>` : '';
	return `${legend(prioritiesIn(r.hosts.map((h) => h.byPriority)))}<div class="hosts">${r.hosts.map((h) => hostCard(h, r)).join('')}</div>${more}`;
}

function header(r: Report): string {
	const filter = Object.entries(r.filter).map(([k, v]) => `<li>filter ${htmlEscape(k)}: ${htmlEscape(String(v))}</li>`);
	const t = r.totals;
	return `<h1>bpfguard audit report</h1>
<ul class="summary"><li>records<b id="records">${num(t.records)}</b></li><li>matches<b id="matches">${num(t.matches)}</b></li><li>alerts<b id="alerts">${num(t.alerts)}</b></li><li>log matches<b id="logs">${num(t.logs)}</b></li></ul>
<ul class="meta"><li>store: <code>${htmlEscape(r.db)}</code></li><li>generated: ${r.generatedAt}</li>${filter.join('')}
<li>range: ${r.range ? `${r.range.from} .. ${r.range.to}` : 'no records'}</li></ul>`;
}

// A bucket size in the largest whole unit: 7 d, 6 h, 15 min.
const bucketSize = (ms: number): string => (ms % 86_400_000 === 0 ? `${ms / 86_400_000} d` : ms % 3_600_000 === 0 ? `${ms / 3_600_000} h` : `${Number((ms / 60_000).toFixed(2))} min`);

/** A complete HTML document; every piece of event data escaped; nothing loaded from elsewhere. */
export function renderHtml(r: Report): string {
	const bs = r.overTime.buckets;
	const time = bs.length ? `${legend(prioritiesIn(bs.map((b) => b.byPriority)))}${timeChart(bs, htmlEscape)}` : '<p class="muted">no records</p>';
	const sections = r.breakdowns.map((b) => `<h2>${htmlEscape(b.title)}</h2>${b.rows.length ? barChart(b, htmlEscape) + table(b) : '<p class="muted">no records</p>'}`);
	const span = bs.length ? `${shortTime(bs[0].startMs)} to ${shortTime(bs[bs.length - 1].startMs)} UTC, buckets of ${bucketSize(r.overTime.bucketMs)}` : '';
	return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>bpfguard audit report</title><style>${CSS}</style></head><body>
${header(r)}
<h2>Matches over time by priority</h2><p class="muted">${span}</p>${time}
${sections.join('\n')}
<h2>Per host</h2>${hostsSection(r)}
</body></html>
`;
}
