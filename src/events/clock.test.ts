/** @module events/clock.test: boot-time stamps to wall-clock ms with a set offset (no addon). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bootNsToWallMs, setClockOffset } from './clock.js';

test('a set offset is used as is: wall ms = boot ns / 1e6 + offset, rounded to the µs', () => {
	setClockOffset(1_000_000_000n);
	assert.equal(bootNsToWallMs(0n), 1000);
	assert.equal(bootNsToWallMs(2_500_000n), 1002.5);
	assert.equal(bootNsToWallMs(1_234_567n), 1001.235);
});

test('setting the offset again replaces the one in use', () => {
	setClockOffset(0n);
	assert.equal(bootNsToWallMs(5_000_000n), 5);
	setClockOffset(1_700_000_000_000n * 1_000_000n);
	assert.equal(bootNsToWallMs(5_000_000n), 1_700_000_000_005);
	assert.equal(new Date(bootNsToWallMs(0n)).toISOString(), '2023-11-14T22:13:20.000Z');
});
