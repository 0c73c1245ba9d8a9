/** @module test/helpers/webhook-outage: the outage scenario — receiver down during a burst of alerts, then up. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebhookSink } from '../../src/sinks/webhook.js';
import { testAlert } from './sink-suite.js';
import { HttpReceiver } from './http-receiver.js';

/** Scenario parameters: alerts are written evenly across the outage. */
export interface OutageOptions {
	outageMs: number;
	alerts: number;
	batch?: number;
	backoffMs?: number;
	maxBackoffMs?: number;
}

/** What arrived: ids in first-arrival order, and the counts the issue asks for. */
export interface OutageResult {
	sent: number;
	delivered: number;
	duplicates: number;
	dropped: number;
	inOrder: boolean;
	missing: number;
	requests: number;
	failedAttempts: number;
	drainMs: number;
}

/** Runs the scenario on loopback and returns the figures (never throws on a delivery problem; the caller asserts). */
export async function runOutage(o: OutageOptions): Promise<OutageResult> {
	const dir = await mkdtemp(join(tmpdir(), 'bg-outage-'));
	const rx = new HttpReceiver();
	await rx.up();
	const sink = new WebhookSink({
		url: rx.url,
		spoolDir: join(dir, 'spool'),
		batch: o.batch ?? 1,
		backoffMs: o.backoffMs ?? 50,
		maxBackoffMs: o.maxBackoffMs ?? 1000,
		timeoutMs: 2000,
		flushTimeoutMs: 60_000,
	});
	await sink.start();
	const sent = Array.from({ length: o.alerts }, (_, i) => testAlert(i));
	const before = Math.floor(o.alerts / 10);
	for (const a of sent.slice(0, before)) sink.write(a);
	await rx.down();
	const during = sent.slice(before);
	const steps = 20;
	for (let s = 0; s < steps; s++) {
		for (const a of during.slice(Math.floor((s * during.length) / steps), Math.floor(((s + 1) * during.length) / steps))) sink.write(a);
		await new Promise((r) => setTimeout(r, o.outageMs / steps));
	}
	await rx.up();
	const t0 = Date.now();
	await sink.flush();
	const drainMs = Date.now() - t0;
	const st = sink.stats();
	await sink.close();
	await rx.down();
	await rm(dir, { recursive: true, force: true });
	const firstSeen = [...new Set(rx.ids)];
	const want = sent.map((a) => a.id);
	return {
		sent: sent.length,
		delivered: firstSeen.length,
		duplicates: rx.ids.length - firstSeen.length,
		dropped: st.dropped,
		inOrder: firstSeen.every((id, i) => id === want[i]),
		missing: want.filter((id) => !firstSeen.includes(id)).length,
		requests: rx.requests.length,
		failedAttempts: st.failed,
		drainMs,
	};
}
