/** @module report/report.test: counts by every dimension and over time, and each format: JSON parses, Markdown tables, HTML self-contained and escaped. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildReport, autoBucket, type Report } from './report.js';
import { renderText } from './text.js';
import { renderMarkdown } from './markdown.js';
import { renderHtml } from './html.js';
import { T0, sampleAlert, tempStore } from '../../test/helpers/store-fixtures.js';

const EVIL = '<script>alert(1)</script>|x\n\u001b[2Jforged';

function withReport(fn: (r: Report) => void, extra = true): void {
	const t = tempStore(40);
	try {
		if (extra) t.store.appendAlerts([sampleAlert(40, { rule: EVIL, count: 5 })]);
		fn(buildReport(t.store, {}, { top: 10, filter: { since: '2025-01-02' } }));
	} finally {
		t.cleanup();
	}
}

const rows = (r: Report, name: string): [string, number][] => r.breakdowns.find((b) => b.name === name)!.rows.map((g) => [g.key, g.matches]);

test('totals and breakdowns count matches (a throttled record counts its matches) and records', () => {
	withReport((r) => {
		assert.deepEqual(r.totals, { records: 41, matches: 45, alerts: 37, logs: 4 });
		assert.deepEqual(rows(r, 'rule'), [['Outbound connection', 10], ['Privilege escalation', 10], ['Read sensitive file', 10], ['Shell spawned by web server', 10], [EVIL, 5]]);
		assert.deepEqual(rows(r, 'priority'), [['critical', 10], ['error', 10], ['warning', 15], ['notice', 10]]);
		assert.deepEqual(rows(r, 'user'), [['alice', 25], ['root', 10], ['www-data', 10]]);
		assert.deepEqual(rows(r, 'exe'), [['/usr/bin/cat', 15], ['/bin/bash', 10], ['/usr/bin/curl', 10], ['/usr/bin/sudo', 10]]);
		assert.deepEqual(rows(r, 'host'), [['web-1', 25], ['db-1', 20]]);
		assert.equal(r.overTime.bucketMs, 60_000);
		assert.equal(r.overTime.buckets.length, 41);
		assert.deepEqual(r.overTime.buckets.slice(-2).map((b) => [b.start, b.matches]), [[new Date(T0 + 39 * 60_000).toISOString(), 1], [new Date(T0 + 40 * 60_000).toISOString(), 5]]);
	});
});

test('top N keeps the biggest rows and adds the rest up as others; filters narrow the report', () => {
	const t = tempStore(40);
	try {
		const r = buildReport(t.store, {}, { top: 2 });
		const rule = r.breakdowns.find((b) => b.name === 'rule')!;
		assert.equal(rule.rows.length, 2);
		assert.deepEqual(rule.other, { records: 20, matches: 20 });
		const alice = buildReport(t.store, { user: 'alice', minPriority: 'warning' });
		assert.deepEqual(alice.totals.records, 10);
		assert.deepEqual(rows(alice, 'rule'), [['Read sensitive file', 10]]);
		const none = buildReport(t.store, { rule: 'nope' });
		assert.deepEqual([none.totals.records, none.range, none.overTime.buckets], [0, null, []]);
	} finally {
		t.cleanup();
	}
});

test('bucket size: the smallest of 1m … 7d giving at most 48 buckets', () => {
	assert.equal(autoBucket(0), 60_000);
	assert.equal(autoBucket(3 * 3_600_000), 300_000);
	assert.equal(autoBucket(2 * 86_400_000), 3_600_000);
	assert.equal(autoBucket(400 * 86_400_000), 604_800_000);
});

test('json: the report round-trips through JSON', () => {
	withReport((r) => {
		const back = JSON.parse(JSON.stringify(r)) as Report;
		assert.deepEqual(back.totals, r.totals);
		assert.equal(back.breakdowns.length, 5);
	});
});

test('text: one escaped line per row; the forged rule name stays on one line', () => {
	withReport((r) => {
		const s = renderText(r);
		assert.match(s, /^ +10 +10 {2}Read sensitive file$/m);
		assert.match(s, /^ +5 +1 {2}<script>alert\(1\)<\/script>\|x\\n\\e\[2Jforged$/m);
		assert.doesNotMatch(s, /\u001b/);
		assert.doesNotMatch(s, /^forged/m);
	});
});

test('markdown: a table per breakdown; cells cannot break the table or inject HTML', () => {
	withReport((r) => {
		const lines = renderMarkdown(r).split('\n');
		const at = lines.indexOf('## By rule');
		assert.deepEqual(lines.slice(at + 2, at + 4), ['| rule | matches | records |', '|---|---:|---:|']);
		assert.ok(lines.includes('| Read sensitive file | 10 | 10 |'));
		assert.ok(lines.includes('| &lt;script&gt;alert(1)&lt;/script&gt;\\|x\\\\n\\\\e\\[2Jforged | 5 | 1 |'));
		assert.ok(lines.includes('| alice | 25 | 21 |'));
		for (const l of lines.filter((x) => x.startsWith('|'))) assert.equal(l.replace(/\\\|/g, '').split('|').length, 5, l);
	});
});

test('html: self-contained (no script, no external URL), counts present, event data escaped', () => {
	withReport((r) => {
		const h = renderHtml(r);
		assert.match(h, /^<!DOCTYPE html>/);
		assert.doesNotMatch(h, /<script/i);
		assert.doesNotMatch(h, /https?:|\/\/[a-z]|\bsrc=|\bhref=|@import|url\(/i);
		assert.match(h, /<b id="records">41<\/b>/);
		assert.match(h, /<b id="matches">45<\/b>/);
		assert.match(h, /<td>Read sensitive file<\/td><td class="n">10<\/td><td class="n">10<\/td>/);
		assert.match(h, /<td>&#60;script&#62;alert\(1\)&#60;\/script&#62;\|x\\n\\e\[2Jforged<\/td><td class="n">5<\/td>/);
		assert.equal((h.match(/<svg /g) ?? []).length, 6);
		assert.equal((h.match(/<rect class="bar"/g) ?? []).length, 41 + 5 + 4 + 3 + 4 + 2);
	});
});
