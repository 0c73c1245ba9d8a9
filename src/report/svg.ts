/**
 * @module report/svg: the HTML report's charts as inline SVG drawn here, no script: x positions and widths in percent of
 * the chart's width (so a chart fits any screen without scaling its text), heights in pixels.
 */
import { PRIORITIES } from '../alerts/alert.js';
import type { Breakdown, Bucket } from './report.js';

/** Text for HTML content or attributes: control characters escaped, then & < > " ' as entities. */
export type Escape = (s: string) => string;

/** A count with thousands separators (1,234,567). */
export const num = (n: number): string => n.toLocaleString('en-US');

const pct = (v: number): string => `${Number(v.toFixed(3))}%`;
const clip = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** A bucket start as `YYYY-MM-DD HH:MM` (UTC). */
export const shortTime = (ms: number): string => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');

/** Priority names, most severe first, that have a value in any of the maps. */
export function prioritiesIn(maps: Record<string, number>[]): string[] {
	return PRIORITIES.filter((p) => maps.some((m) => m[p]));
}

const TIME_H = 180;
const AXIS_H = 22;

/**
 * Matches over time, one stacked column per bucket, one `rect.seg` per bucket and priority with matches (most severe at
 * the bottom); the first and last bucket start and the tallest column's count as labels.
 */
export function timeChart(bs: Bucket[], esc: Escape): string {
	const max = Math.max(1, ...bs.map((b) => b.matches));
	const step = 100 / bs.length;
	const width = pct(Math.max(step * 0.8, 0.05));
	const segs: string[] = [];
	bs.forEach((b, i) => {
		let y = TIME_H;
		for (const p of PRIORITIES) {
			const v = b.byPriority[p];
			if (!v) continue;
			const h = (v / max) * (TIME_H - 16);
			y -= h;
			segs.push(`<rect class="seg p-${p}" data-priority="${p}" x="${pct(i * step)}" y="${y.toFixed(2)}" width="${width}" height="${Math.max(h, 0.5).toFixed(2)}"><title>${esc(shortTime(b.startMs))} ${p}: ${num(v)}</title></rect>`);
		}
	});
	const last = bs[bs.length - 1];
	const axis = `<line class="axis" x1="0" x2="100%" y1="${TIME_H + 0.5}" y2="${TIME_H + 0.5}"/><text x="0" y="${TIME_H + AXIS_H - 6}">${shortTime(bs[0].startMs)}</text><text x="100%" y="${TIME_H + AXIS_H - 6}" text-anchor="end">${shortTime(last.startMs)}</text><text x="100%" y="11" text-anchor="end">max ${num(max)}</text>`;
	return `<svg class="chart" data-chart="time" role="img" aria-label="matches over time by priority" width="100%" height="${TIME_H + AXIS_H}">${segs.join('')}${axis}</svg>`;
}

const ROW_H = 34;

/** Horizontal bars, one `rect.bar` per row: the key on a line of its own, the bar and its match count below it. */
export function barChart(b: Breakdown, esc: Escape): string {
	const max = Math.max(1, ...b.rows.map((g) => g.matches));
	const rows = b.rows.map((g, i) => {
		const y = i * ROW_H;
		const w = Math.max((g.matches / max) * 78, 0.3);
		const cls = b.name === 'priority' ? ` p-${esc(g.key)}` : '';
		return `<text x="0" y="${y + 12}">${esc(clip(g.key, 80))}</text><rect class="bar${cls}" x="0" y="${y + 17}" width="${pct(w)}" height="12"><title>${esc(g.key)}: ${num(g.matches)}</title></rect><text class="n" x="${pct(w + 1)}" y="${y + 28}">${num(g.matches)}</text>`;
	});
	return `<svg class="chart" data-chart="${esc(b.name)}" role="img" aria-label="${esc(b.title)}" width="100%" height="${b.rows.length * ROW_H}">${rows.join('')}</svg>`;
}

/** One bar split by priority (most severe first), one `rect.seg` per priority with matches. */
export function priorityBar(byPriority: Record<string, number>): string {
	const total = Object.values(byPriority).reduce((a, v) => a + v, 0) || 1;
	let x = 0;
	const segs = PRIORITIES.filter((p) => byPriority[p]).map((p) => {
		const w = (byPriority[p] / total) * 100;
		const r = `<rect class="seg p-${p}" data-priority="${p}" x="${pct(x)}" y="0" width="${pct(w)}" height="10"><title>${p}: ${num(byPriority[p])}</title></rect>`;
		x += w;
		return r;
	});
	return `<svg class="chart" data-chart="host-priority" role="img" aria-label="matches by priority" width="100%" height="10">${segs.join('')}</svg>`;
}

/** A small column chart of matches per bucket: one `rect.bar` per bucket with matches. */
export function sparkline(values: number[], bs: Bucket[]): string {
	const max = Math.max(1, ...values);
	const step = 100 / Math.max(1, values.length);
	const bars = values.map((v, i) => (v ? `<rect class="bar" x="${pct(i * step)}" y="${(40 - (v / max) * 40).toFixed(2)}" width="${pct(Math.max(step * 0.8, 0.05))}" height="${Math.max((v / max) * 40, 0.5).toFixed(2)}"><title>${shortTime(bs[i].startMs)}: ${num(v)}</title></rect>` : ''));
	return `<svg class="chart" data-chart="host-time" role="img" aria-label="matches over time" width="100%" height="41">${bars.join('')}<line class="axis" x1="0" x2="100%" y1="40.5" y2="40.5"/></svg>`;
}
