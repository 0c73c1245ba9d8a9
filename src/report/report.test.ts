/** @module report/report.test: counts by every dimension and over time, and each format: JSON parses, Markdown tables, HTML self-contained and escaped. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildReport, autoBucket, type Report } from './report.js';
import { renderText } from './text.js';
import { renderMarkdown } from './markdown.js';
import { renderHtml } from './html.js';
import { T0, sampleAlert, tempStore } from '../../test/helpers/store-fixtures.js';
import type { AuditStore } from '../store/store.js';

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
		assert.equal(back.breakdowns.length, 7);
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
		assert.doesNotMatch(h, /<script>alert|\u001b/);
		// a time chart, a bar chart per breakdown, and per host a priority bar and a sparkline
		assert.equal((h.match(/<svg /g) ?? []).length, 1 + 7 + 2 * 2);
		// one time segment per minute (one record each), one bar per breakdown row, one sparkline bar per minute a host had a match
		assert.equal((h.match(/<rect class="seg p-\w+" data-priority="\w+" x="[\d.]+%" y="[\d.]+" width="[\d.]+%" height="[\d.]+"><title>2025/g) ?? []).length, 41);
		assert.equal((h.match(/<rect class="bar[ "]/g) ?? []).length, 5 + 4 + 3 + 4 + 2 + 1 + 1 + (21 + 20));
	});
});

test('html: a key longer than 200 characters is cut in its table cell and whole (escaped) in the tooltip', () => {
	const t = tempStore(0);
	try {
		const long = `/tmp/"<x>/${'A'.repeat(300)}`;
		t.store.appendAlerts([sampleAlert(0, { fields: { 'proc.exepath': long, 'user.uid': 1 } })]);
		const h = renderHtml(buildReport(t.store, {}));
		const esc = (s: string) => s.replace(/"/g, '&#34;').replace(/</g, '&#60;').replace(/>/g, '&#62;');
		assert.ok(h.includes(`<td title="${esc(long)}">${esc(long.slice(0, 199))}…</td>`));
	} finally {
		t.cleanup();
	}
});

test('over time by priority: each bucket splits its matches by priority', () => {
	withReport((r) => {
		const b = r.overTime.buckets;
		assert.deepEqual([b[0].byPriority, b[1].byPriority, b[2].byPriority, b[3].byPriority, b[40].byPriority], [{ warning: 1 }, { critical: 1 }, { error: 1 }, { notice: 1 }, { warning: 5 }]);
		for (const x of b) assert.equal(Object.values(x.byPriority).reduce((a, v) => a + v, 0), x.matches);
	});
});

test('per host: counts, matches by priority, top rules and matches per bucket for each host', () => {
	withReport((r) => {
		assert.deepEqual(
			r.hosts.map((h) => [h.host, h.records, h.matches, h.byPriority, h.rules.map((g) => [g.key, g.matches])]),
			[
				['web-1', 21, 25, { critical: 10, warning: 15 }, [['Read sensitive file', 10], ['Shell spawned by web server', 10], [EVIL, 5]]],
				['db-1', 20, 20, { error: 10, notice: 10 }, [['Outbound connection', 10], ['Privilege escalation', 10]]],
			],
		);
		assert.deepEqual(r.hosts[0].buckets.slice(0, 5), [1, 1, 0, 0, 1]);
		assert.equal(r.hosts[0].buckets[40], 5);
		assert.deepEqual(r.hosts[1].buckets.slice(0, 5), [0, 0, 1, 1, 0]);
	});
});

test('the two ways of counting buckets agree: index ranges (time and priority filters only) and one GROUP BY (other filters)', () => {
	const t = tempStore(40);
	try {
		t.store.appendAlerts([sampleAlert(40, { rule: EVIL, count: 5, timeMs: T0 + 40 * 60_000 + 59_999 }), sampleAlert(41, { priority: 'debug' })]);
		for (const q of [{}, { minPriority: 'warning' as const, sinceMs: T0 + 5 * 60_000 }]) {
			const ranged = buildReport(t.store, q);
			const grouped = buildReport(t.store, { ...q, text: '' }); // matches every record, but is not an indexed filter
			assert.deepEqual([grouped.totals, grouped.overTime, grouped.hosts], [ranged.totals, ranged.overTime, ranged.hosts], JSON.stringify(q));
			assert.ok(ranged.overTime.buckets.length > 30 && ranged.totals.records > 15, JSON.stringify(ranged.totals));
		}
	} finally {
		t.cleanup();
	}
});

test('a wide time range (index scans) and a narrow one (the time index) give the same report; each bucket query searches only its own range', () => {
	const t = tempStore(40);
	try {
		t.store.appendAlerts([sampleAlert(40, { rule: EVIL, count: 5 }), sampleAlert(41, { priority: 'debug' })]);
		const same = (r: Report) => [r.totals, r.breakdowns, r.overTime, r.hosts];
		for (const q of [{ sinceMs: T0 + 300_000, untilMs: T0 + 2_100_000 }, { sinceMs: T0 + 600_000, minPriority: 'warning' as const }]) {
			const wide = buildReport(t.store, q, { rangeRows: 0 });
			assert.deepEqual(same(wide), same(buildReport(t.store, q, { rangeRows: 1e9 })), JSON.stringify(q));
			assert.ok(wide.totals.records > 10 && wide.overTime.buckets.length > 10, JSON.stringify(wide.totals));
		}
		// SQLite searches one time range per query: the filter's must not be one it can pick over the bucket's
		const sqls: string[] = [];
		const prepare = t.store.db.prepare.bind(t.store.db);
		(t.store.db as unknown as { prepare: unknown }).prepare = (sql: string) => (sqls.push(sql), prepare(sql));
		try {
			buildReport(t.store, { sinceMs: T0 + 300_000, untilMs: T0 + 2_100_000 });
		} finally {
			(t.store.db as unknown as { prepare: unknown }).prepare = prepare;
		}
		const perBucket = sqls.filter((x) => x.endsWith('AND time_ms >= ? AND time_ms < ?'));
		assert.equal(perBucket.length, 2);
		for (const x of perBucket) assert.equal(x.match(/(?<!\+)time_ms [<>]/g)?.length, 2, x);
	} finally {
		t.cleanup();
	}
});

test('buckets: a record counts in the bucket its time falls in, not only at the bucket start', () => {
	const t = tempStore(0);
	try {
		t.store.appendAlerts([0, 1, 2].map((i) => sampleAlert(0, { id: `x${i}`, timeMs: T0 + 30_000 + i * 60_000 })));
		const r = buildReport(t.store, {}, { bucketMs: 60_000 });
		assert.deepEqual(r.overTime.buckets.map((b) => [b.startMs - T0, b.matches]), [[0, 1], [60_000, 1], [120_000, 1]]);
	} finally {
		t.cleanup();
	}
});

// Every statement buildReport runs (once each), with its plan as SQLite runs it with the first parameters it was given.
function plans(store: AuditStore, run: () => void): string[] {
	const seen = new Map<string, unknown[]>();
	const prepare = store.db.prepare.bind(store.db);
	type Runs = { get: (...a: unknown[]) => unknown; all: (...a: unknown[]) => unknown };
	const spy = (sql: string) => {
		const st = prepare(sql);
		const keep = (f: (...a: unknown[]) => unknown) => (...args: unknown[]) => {
			if (!seen.has(sql)) seen.set(sql, args);
			return f(...args);
		};
		const wrap = (x: Runs) => ({ get: keep(x.get.bind(x)), all: keep(x.all.bind(x)) });
		return { ...wrap(st), raw: () => wrap(st.raw()), pluck: () => wrap(st.pluck()) };
	};
	(store.db as unknown as { prepare: unknown }).prepare = spy;
	try {
		run();
	} finally {
		(store.db as unknown as { prepare: unknown }).prepare = prepare;
	}
	return [...seen].map(([sql, args]) => (prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[]).map((p) => p.detail).join(' | '));
}

test('every query reads the report indexes: whole ones covering or in group order, a rule filter searched', () => {
	const t = tempStore(40);
	try {
		// covering (every value from the index), or grouped in the index's own order (the grouped expression is its key)
		const fromIndex = /COVERING INDEX records_rep_|^(SCAN|SEARCH) records USING INDEX records_rep_(rule|prio|user|exe|host|ctr|image)(?!.*TEMP B-TREE FOR GROUP BY)/;
		// rangeRows 0: every time range counts as wide (the breakdowns scan their indexes; the range is counted first)
		const wide = [{ sinceMs: T0 + 600_000, untilMs: T0 + 1_800_000 }, { sinceMs: T0 + 600_000, minPriority: 'error' as const }];
		for (const [q, n] of [[{}, 11], [wide[0], 12], [wide[1], 12]] as const) {
			const ps = plans(t.store, () => buildReport(t.store, q, { rangeRows: 0 }));
			assert.equal(ps.length, n, JSON.stringify(q));
			for (const p of ps) assert.match(p, fromIndex, `${JSON.stringify(q)}: ${p}`);
		}
		for (const q of [{ rule: 'Read sensitive file' }, { rule: 'Read *' }]) {
			for (const p of plans(t.store, () => buildReport(t.store, q))) assert.match(p, /SEARCH records USING (COVERING )?INDEX records_rep_(rule|host) \(<expr>/, `${JSON.stringify(q)}: ${p}`);
		}
		// a user name or an executable path is searched in its index, not checked in every record
		for (const [q, index] of [[{ user: 'alice' }, 'user'], [{ exe: '/usr/bin/cat', sinceMs: T0 }, 'exe']] as const) {
			for (const p of plans(t.store, () => buildReport(t.store, q))) {
				assert.match(p, new RegExp(`SEARCH records USING INDEX records_rep_${index} \\(<expr>=\\?`), `${JSON.stringify(q)}: ${p}`);
				assert.doesNotMatch(p, /SCAN records/, `${JSON.stringify(q)}: ${p}`);
			}
		}
	} finally {
		t.cleanup();
	}
});

test('by container and by image: a container is shown by name and id, the host as host, records without container fields as unknown', () => {
	const t = tempStore(0);
	try {
		const ctr = (i: number, id: string, name: string, image: string, count = 1) => sampleAlert(i, { count, fields: { ...sampleAlert(i).fields, 'container.id': id, 'container.name': name, 'container.image': image } });
		t.store.appendAlerts([
			ctr(0, '1a2b3c4d5e6f', 'web', 'docker.io/library/nginx:1.25', 3),
			ctr(1, '1a2b3c4d5e6f', 'web', 'docker.io/library/nginx:1.25'),
			ctr(2, '0123456789ab', '<unresolved>', '<unresolved>'),
			ctr(3, 'host', 'host', 'host', 2),
			sampleAlert(4),
		]);
		const r = buildReport(t.store, {}, { top: 10 });
		assert.deepEqual(rows(r, 'container'), [['web (1a2b3c4d5e6f)', 4], ['host', 2], ['(unknown)', 1], ['0123456789ab', 1]]);
		assert.deepEqual(rows(r, 'image'), [['docker.io/library/nginx:1.25', 4], ['host', 2], ['(unknown)', 1], ['<unresolved>', 1]]);
		assert.match(renderText(r), /By container[\s\S]*web \(1a2b3c4d5e6f\)/);
	} finally {
		t.cleanup();
	}
});
