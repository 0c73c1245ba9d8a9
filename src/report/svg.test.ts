/** @module report/svg.test: the charts' geometry: stacked columns with the most severe priority at the bottom, bars and segments in proportion, nothing drawn for zero. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { barChart, priorityBar, sparkline, timeChart } from './svg.js';
import { htmlEscape } from './html.js';
import type { Bucket } from './report.js';

const bucket = (i: number, byPriority: Record<string, number>): Bucket => {
	const matches = Object.values(byPriority).reduce((a, v) => a + v, 0);
	return { startMs: i * 60_000, start: new Date(i * 60_000).toISOString(), records: matches, matches, byPriority };
};

type Rect = Record<string, string>;
const rects = (svg: string): Rect[] => [...svg.matchAll(/<rect ([^>]*)>/g)].map((m) => Object.fromEntries([...m[1].matchAll(/([\w-]+)="([^"]*)"/g)].map((a) => [a[1], a[2]])));

test('time chart: one segment per bucket and priority with matches, the most severe at the bottom, heights in proportion', () => {
	const svg = timeChart([bucket(0, { notice: 1, critical: 2 }), bucket(1, {}), bucket(2, { warning: 4 })], htmlEscape);
	const r = rects(svg);
	assert.deepEqual(r.map((x) => [x['data-priority'], x.x]), [['critical', '0%'], ['notice', '0%'], ['warning', '66.667%']]);
	const unit = (180 - 16) / 4;
	assert.deepEqual(r.map((x) => Number(x.height)), [2 * unit, unit, 4 * unit]);
	assert.equal(Number(r[0].y) + Number(r[0].height), 180); // critical on the axis
	assert.equal(Number(r[1].y) + Number(r[1].height), Number(r[0].y)); // notice on top of it
	assert.match(svg, />max 4</);
});

test('bar chart: one bar per row, the longest at 78 % of the width, the others in proportion; keys escaped', () => {
	const svg = barChart({ name: 'rule', title: 'By rule', rows: [{ key: 'a<b>', records: 4, matches: 4 }, { key: 'c', records: 1, matches: 1 }], other: { records: 0, matches: 0 } }, htmlEscape);
	assert.deepEqual(rects(svg).map((x) => x.width), ['78%', '19.5%']);
	assert.match(svg, /<text x="0" y="12">a&#60;b&#62;<\/text>/);
	assert.match(barChart({ name: 'host', title: 'By host', rows: [{ key: 'h', records: 1, matches: 1234567 }], other: { records: 0, matches: 0 } }, htmlEscape), /<text class="n" x="79%" y="28">1,234,567<\/text>/);
});

test('priority bar: segments most severe first, widths summing to 100 %', () => {
	const r = rects(priorityBar({ notice: 1, critical: 3 }));
	assert.deepEqual(r.map((x) => [x['data-priority'], x.x, x.width]), [['critical', '0%', '75%'], ['notice', '75%', '25%']]);
});

test('sparkline: a bar for each bucket with matches, none for an empty one', () => {
	const bs = [0, 1, 2].map((i) => bucket(i, {}));
	const r = rects(sparkline([2, 0, 1], bs));
	assert.deepEqual(r.map((x) => [x.x, x.height]), [['0%', '40.00'], ['66.667%', '20.00']]);
});
