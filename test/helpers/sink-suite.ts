/** @module test/helpers/sink-suite: the one suite every sink implementation passes (delivery, order, close, stats). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Alert } from '../../src/alerts/alert.js';
import type { Sink } from '../../src/sinks/sink.js';

/** A sink under test and a view of what its receiver got. */
export interface SinkUnderTest {
	sink: Sink;
	/** Alert ids the receiver got so far, in arrival order (waits, bounded, for `expect` of them). */
	received(expect: number): Promise<string[]>;
	cleanup(): Promise<void>;
}

/** A fixed-shape alert whose data holds the characters sinks must escape (newline, `]`, quote, ESC, non-ASCII). */
export function testAlert(i: number, over: Partial<Alert> = {}): Alert {
	const timeMs = Date.UTC(2025, 0, 2, 3, 4, 5, i % 1000);
	const id = `al-${String(i).padStart(6, '0')}-7f3a`;
	return {
		id,
		time: new Date(timeMs).toISOString(),
		timeMs,
		rule: 'Read sensitive file',
		priority: 'warning',
		tags: ['T1003'],
		output: `cat opened /etc/sh"a]dow\nforged\u001b[2J line héllo id=${id}`,
		fields: { 'proc.name': 'cat', 'fd.name': '/etc/sh"a]dow\nforged', 'proc.pid': 4242 },
		action: 'alert',
		count: 1,
		source: 'syscall',
		hostname: 'host-1',
		...over,
	};
}

/** Polls get() until it returns at least n items or timeoutMs passes (bounded). */
export async function waitFor<T>(get: () => T[] | Promise<T[]>, n: number, timeoutMs = 5000): Promise<T[]> {
	const end = Date.now() + timeoutMs;
	let got = await get();
	while (got.length < n && Date.now() < end) {
		await new Promise((r) => setTimeout(r, 20));
		got = await get();
	}
	return got;
}

/** Registers the shared tests for one sink implementation; make() builds a fresh, unstarted sink. */
export function sinkSuite(name: string, make: () => Promise<SinkUnderTest>, n = 40): void {
	const alerts = Array.from({ length: n }, (_, i) => testAlert(i));
	const ids = alerts.map((a) => a.id);

	test(`${name}: ${n} alerts are delivered exactly once and in order after flush`, async () => {
		const u = await make();
		try {
			await u.sink.start();
			for (const a of alerts) u.sink.write(a);
			await u.sink.flush();
			assert.deepEqual(await u.received(n), ids);
			const st = u.sink.stats();
			assert.deepEqual([st.written, st.dropped, st.queued], [n, 0, 0]);
		} finally {
			await u.sink.close();
			await u.cleanup();
		}
	});

	test(`${name}: close is idempotent; a write after close is dropped and counted, never thrown`, async () => {
		const u = await make();
		try {
			await u.sink.start();
			u.sink.write(alerts[0]);
			await u.sink.close();
			await u.sink.close();
			assert.doesNotThrow(() => u.sink.write(alerts[1]));
			assert.deepEqual(await u.received(1), [ids[0]]);
			const st = u.sink.stats();
			assert.deepEqual([st.written, st.dropped, st.queued], [1, 1, 0]);
		} finally {
			await u.sink.close();
			await u.cleanup();
		}
	});

	test(`${name}: stats add up at every step (written + dropped + queued = writes)`, async () => {
		const u = await make();
		try {
			await u.sink.start();
			for (let i = 0; i < n; i++) {
				u.sink.write(alerts[i]);
				const st = u.sink.stats();
				assert.equal(st.written + st.dropped + st.queued, i + 1);
			}
			await u.sink.flush();
			const st = u.sink.stats();
			assert.equal(st.written + st.dropped + st.queued, n);
			assert.equal(st.written, n); // failed may be > 0: a retried attempt (e.g. EAGAIN) is counted too
		} finally {
			await u.sink.close();
			await u.cleanup();
		}
	});
}
