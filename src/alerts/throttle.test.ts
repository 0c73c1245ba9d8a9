/** @module alerts/throttle.test: repeats fold into one alert with a count; nothing is lost. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Throttle } from './throttle.js';
import type { Alert } from './alert.js';

const alert = (rule: string, output: string): Alert => ({
	id: `${rule}-${output}`,
	time: '',
	timeMs: 0,
	rule,
	priority: 'warning',
	tags: [],
	output,
	fields: {},
	action: 'alert',
	count: 1,
	source: 'syscall',
	hostname: 'h',
});

test('first passes, repeats in the window become one summary with the count', () => {
	let now = 0;
	const out: Alert[] = [];
	const t = new Throttle(10_000, (a) => out.push(a), 100, () => now);
	for (let i = 0; i < 50; i++) t.push(alert('r', 'same'));
	t.push(alert('r', 'other'));
	assert.equal(out.length, 2);
	now = 10_001;
	t.tick();
	assert.equal(out.length, 3);
	assert.equal(out[2].count, 49);
	assert.match(out[2].output, /same \(repeated 49 more times\)/);
	assert.notEqual(out[2].id, out[0].id);
	assert.deepEqual(t.stats, { passed: 2, suppressed: 49, summaries: 1 });
	const total = out.reduce((n, a) => n + a.count, 0);
	assert.equal(total, 51, 'every occurrence is accounted for');
});

test('window 0 passes everything; tick(true) flushes open windows; key overflow summarizes early', () => {
	const out: Alert[] = [];
	const off = new Throttle(0, (a) => out.push(a));
	off.push(alert('r', 'x'));
	off.push(alert('r', 'x'));
	assert.equal(out.length, 2);
	const got: Alert[] = [];
	const t = new Throttle(60_000, (a) => got.push(a), 2, () => 0);
	t.push(alert('a', '1'));
	t.push(alert('a', '1'));
	t.push(alert('b', '1'));
	t.push(alert('c', '1'));
	assert.equal(got.filter((a) => a.count > 1 || a.output.includes('repeated')).length, 1, 'a summarized when c evicted it');
	t.push(alert('c', '1'));
	t.tick(true);
	assert.equal(got.reduce((n, a) => n + a.count, 0), 5);
});
