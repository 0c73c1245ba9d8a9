/** @module store/when.test: --since/--until forms: ISO, local dates, durations ago, calendar words, and the error. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDuration, parseWhen } from './when.js';

const NOW = new Date(2025, 4, 15, 13, 45, 10).getTime(); // Thursday, local time

test('ISO with a zone, local date, local date-time', () => {
	assert.equal(parseWhen('2025-01-02T03:04:05Z', NOW), Date.UTC(2025, 0, 2, 3, 4, 5));
	assert.equal(parseWhen('2025-01-02', NOW), new Date(2025, 0, 2).getTime());
	assert.equal(parseWhen('2025-01-02 10:30', NOW), new Date(2025, 0, 2, 10, 30).getTime());
});

test('durations ago and ausearch words', () => {
	assert.equal(parseWhen('90s', NOW), NOW - 90_000);
	assert.equal(parseWhen('1h', NOW), NOW - 3_600_000);
	assert.equal(parseWhen('7d', NOW), NOW - 7 * 86_400_000);
	assert.equal(parseWhen('now', NOW), NOW);
	assert.equal(parseWhen('recent', NOW), NOW - 600_000);
	assert.equal(parseWhen('today', NOW), new Date(2025, 4, 15).getTime());
	assert.equal(parseWhen('Yesterday', NOW), new Date(2025, 4, 14).getTime());
	assert.equal(parseWhen('this-week', NOW), new Date(2025, 4, 12).getTime());
	assert.equal(parseWhen('this-month', NOW), new Date(2025, 4, 1).getTime());
	assert.equal(parseWhen('this-year', NOW), new Date(2025, 0, 1).getTime());
	assert.equal(parseDuration('2w'), 14 * 86_400_000);
	assert.equal(parseDuration('1y'), null);
});

test('anything else is a StoreError EBADTIME naming the value', () => {
	for (const bad of ['', 'tomorrow', '1y', '2025-13-45T99:99', '-1h']) {
		assert.throws(() => parseWhen(bad, NOW), (e: Error & { code?: string }) => e.code === 'EBADTIME' && e.message.startsWith(`parse time '${bad}'`), bad);
	}
});
