/** @module alerts/aggregate.test: repeats of a rule by one process fold into one alert per window with the count and capped distinct values; nothing is lost uncounted. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Aggregator, type AggregateSpec } from './aggregate.js';
import type { Alert } from './alert.js';
import { formatTerminalLine } from '../sinks/terminal.js';
import { formatSyslog } from '../sinks/syslog.js';

let seq = 0;
const alert = (rule: string, pid: number, port: number): Alert => ({
	id: `a${++seq}`,
	time: '',
	timeMs: 0,
	rule,
	priority: 'warning',
	tags: [],
	output: `connect to ${port}`,
	fields: { 'proc.pid': pid, 'proc.exepath': '/usr/bin/x', 'fd.dport': port, 'fd.dip': '127.0.0.1' },
	action: 'alert',
	count: 1,
	source: 'syscall',
	hostname: 'h',
});

function setup(spec: AggregateSpec | false, windowMs = 10_000) {
	const clock = { now: 0 };
	const out: Alert[] = [];
	const fell: Alert[] = [];
	const g = new Aggregator(windowMs, () => spec, (a) => out.push(a), (a) => fell.push(a), 100, () => clock.now);
	return { g, out, fell, clock };
}

const total = (as: Alert[]) => as.reduce((n, a) => n + a.count, 0);

test('one process, 1000 values: the first at once, one summary at window close carrying 999 and the first 32 values of 1000', () => {
	const { g, out, clock } = setup({});
	for (let p = 1; p <= 1000; p++) g.push(alert('r', 7, p));
	assert.equal(out.length, 1);
	assert.equal(out[0].count, 1);
	assert.equal(out[0].agg, undefined);
	clock.now = 10_000;
	g.tick();
	assert.equal(out.length, 2);
	const s = out[1];
	assert.equal(s.count, 999);
	assert.equal(s.agg?.summary, true);
	assert.equal(s.agg?.first, out[0].id);
	assert.equal(s.agg?.cap, 32);
	assert.deepEqual(s.agg?.values['fd.dport'], Array.from({ length: 32 }, (_, i) => i + 1));
	assert.equal(s.agg?.distinct['fd.dport'], 1000);
	assert.equal(s.agg?.values['fd.dip'], undefined, 'by default only the fields that varied');
	assert.match(s.output, /^connect to 1000 \[999 more in the 10s window; fd\.dport: 1, 2, .* 32 … \(32 of 1000 distinct shown\)\]$/);
	assert.equal(total(out), 1000);
	assert.deepEqual(g.stats, { passed: 1, folded: 999, summaries: 1, held: 0 });
});

test('the key is (rule, process): another pid or rule opens its own window; tick(true) closes every window', () => {
	const { g, out } = setup({});
	g.push(alert('r', 1, 80));
	g.push(alert('r', 1, 81));
	g.push(alert('r', 2, 80));
	g.push(alert('s', 1, 80));
	assert.equal(out.length, 3);
	g.tick(true);
	assert.equal(out.length, 4);
	assert.equal(out[3].count, 1);
	assert.equal(total(out), 4);
});

test('a shape rule (min_distinct) sends nothing below the threshold (counted held), one alert when reached, a summary for the rest', () => {
	const { g, out, clock } = setup({ values: ['fd.dport'], minDistinct: 20, cap: 5, windowMs: 60_000 });
	for (let i = 0; i < 30; i++) g.push(alert('scan', 1, 1000 + (i % 10)));
	for (let i = 0; i < 5; i++) g.push(alert('scan', 2, 2000 + i));
	assert.equal(out.length, 0, 'ten distinct ports stay below 20');
	for (let p = 0; p < 100; p++) g.push(alert('scan', 3, p));
	assert.equal(out.length, 1);
	assert.equal(out[0].count, 20);
	assert.equal(out[0].agg?.summary, false);
	assert.deepEqual(out[0].agg?.values['fd.dport'], [0, 1, 2, 3, 4]);
	assert.deepEqual(out[0].agg?.values['fd.dip'], undefined);
	clock.now = 60_000;
	g.tick();
	assert.equal(out.length, 2);
	assert.equal(out[1].count, 80);
	assert.equal(out[1].agg?.distinct['fd.dport'], 100);
	assert.deepEqual(g.stats, { passed: 1, folded: 99, summaries: 1, held: 35 });
});

test('aggregate: false hands every match to the fallback (the throttle by identical output)', () => {
	const { g, out, fell } = setup(false);
	g.push(alert('r', 1, 1));
	g.push(alert('r', 1, 2));
	assert.equal(out.length, 0);
	assert.equal(fell.length, 2);
});

test('more groups than maxKeys: the oldest window closes early with its summary, nothing lost', () => {
	const { g, out } = setup({});
	for (let pid = 0; pid < 150; pid++) for (let i = 0; i < 3; i++) g.push(alert('r', pid, i));
	g.tick(true);
	assert.equal(total(out), 450);
	assert.equal(out.length, 300);
});

test('a folded alert through the sinks: the terminal and syslog lines carry the count and values, JSON carries agg', () => {
	const { g, out } = setup({});
	for (let p = 1; p <= 40; p++) g.push(alert('r', 9, p));
	g.tick(true);
	const s = out[1];
	const line = formatTerminalLine(s, false);
	assert.match(line, /connect to 40 \[39 more in the 10s window; fd\.dport: 1, 2, 3, .* … \(32 of 40 distinct shown\)\] \(39×\)$/);
	const { msg } = formatSyslog(s, 1, 1);
	assert.match(msg.toString(), /count="39".*\[39 more in the 10s window; fd\.dport: 1, 2, /);
	const back = JSON.parse(JSON.stringify(s)) as Alert;
	assert.deepEqual(back.agg, s.agg);
	assert.equal(back.agg?.distinct['fd.dport'], 40);
});
