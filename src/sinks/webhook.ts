/** @module sinks/webhook: HTTP POST of JSON alerts, in order, at least once, through an on-disk spool. */
import { createHash } from 'node:crypto';
import type { Agent } from 'node:http';
import type { Alert } from '../alerts/alert.js';
import type { Sink, SinkStats } from './sink.js';
import { SinkError, errorCode } from './errors.js';
import { IdleWaiters, sleep } from './idle.js';
import { Spool, SpoolWriteError } from './spool.js';
import { cleartextToken } from './config.js';
import { makeAgent, post } from './http-post.js';
import { readTls, readToken, type CredentialSources } from './webhook-credentials.js';

/** Receiver, credentials, spool and retry settings. */
export interface WebhookOptions extends CredentialSources {
	url: string;
	/** Allow a token over plain http to a non-loopback host (start warns instead of refusing). */
	allowInsecure?: boolean;
	spoolDir: string;
	spoolMaxBytes?: number;
	/** Per request, including reading the response. Default 5000. */
	timeoutMs?: number;
	/** Alerts per request: 1 posts the alert object, more post a JSON array of up to `batch` alerts. */
	batch?: number;
	logs?: boolean;
	/** First retry delay; doubles per failure up to maxBackoffMs (each with 50-100 % jitter). */
	backoffMs?: number;
	maxBackoffMs?: number;
	/** Longest flush() waits for delivery once everything is persisted. Default 10000. */
	flushTimeoutMs?: number;
	/** Longest an alert waits in memory before it is spooled. Default 50 ms. */
	persistIntervalMs?: number;
}

/** Webhook counters: SinkStats plus what came from an earlier run and what the receiver refused. */
export interface WebhookStats extends SinkStats {
	recovered: number;
	rejected: number;
	/** Turns of the delivery loop that tried to read and post (each failure is followed by a backoff). */
	attempts: number;
}

// Statuses that say this payload will never be accepted: drop (counted) instead of blocking the queue.
const REJECTED = new Set([400, 413, 422]);

/** The Idempotency-Key of a request: the alert id, or a hash of the ids of a batch. */
export function idempotencyKey(ids: string[]): string {
	if (ids.length === 1) return ids[0];
	return `batch-${createHash('sha256').update(ids.join('\n')).digest('hex').slice(0, 32)}`;
}

/**
 * write() appends to memory; every persistIntervalMs alerts go to the spool, and one delivery loop
 * posts from the spool in order, retrying with capped exponential backoff. Close while the receiver
 * is down leaves the alerts in the spool; the next sink on the same directory sends them first.
 */
export class WebhookSink implements Sink {
	readonly name = 'webhook';
	readonly acceptsLogs: boolean;
	/** Start-up warnings (a token sent in clear text with allowInsecure). */
	readonly warnings: readonly string[];
	private readonly o: Required<Omit<WebhookOptions, keyof CredentialSources | 'url' | 'logs' | 'allowInsecure'>>;
	private readonly creds: CredentialSources;
	private readonly url: URL;
	private token?: string;
	private agent?: Agent;
	private readonly s: WebhookStats = { written: 0, failed: 0, dropped: 0, queued: 0, recovered: 0, rejected: 0, attempts: 0 };
	private spool?: Spool;
	private pending: string[] = [];
	private pendingBytes = 0;
	private persistTimer?: NodeJS.Timeout;
	private persisting?: Promise<void>;
	private loop?: Promise<void>;
	private closing?: Promise<void>;
	private readonly stop = new AbortController();
	private readonly wake = new IdleWaiters();
	private readonly progress = new IdleWaiters();
	// Consecutive failed attempts (0 while the receiver answers).
	private failures = 0;
	// A token would go in clear text and allowInsecure is not set: start() refuses.
	private readonly insecure: boolean;

	constructor(opts: WebhookOptions) {
		this.acceptsLogs = opts.logs ?? false;
		const { token, tokenFile, tokenEnv, ca, cert, key } = opts;
		this.creds = { token, tokenFile, tokenEnv, ca, cert, key };
		this.url = new URL(opts.url);
		const clear = cleartextToken(opts.url, token !== undefined || tokenFile !== undefined || tokenEnv !== undefined);
		this.insecure = clear && !opts.allowInsecure;
		this.warnings = clear && opts.allowInsecure ? [`webhook: sends its bearer token in clear text to ${this.url.origin} (allowInsecure: true); use https`] : [];
		this.o = {
			spoolDir: opts.spoolDir,
			spoolMaxBytes: opts.spoolMaxBytes ?? 64 * 1024 * 1024,
			timeoutMs: opts.timeoutMs ?? 5000,
			batch: opts.batch ?? 1,
			backoffMs: opts.backoffMs ?? 500,
			maxBackoffMs: opts.maxBackoffMs ?? 30_000,
			flushTimeoutMs: opts.flushTimeoutMs ?? 10_000,
			persistIntervalMs: opts.persistIntervalMs ?? 50,
		};
	}

	/** Reads the token and TLS files, opens the spool (recovering an earlier run's undelivered alerts) and starts delivering. */
	async start(): Promise<void> {
		if (this.insecure) {
			throw new SinkError(`start webhook ${this.url.origin}: refuse to send the bearer token over plain http to a non-loopback host: use https, or set allowInsecure: true`, 'EINSECURE', this.name);
		}
		this.token = await readToken(this.creds);
		this.agent = makeAgent(this.url, await readTls(this.creds));
		try {
			this.spool = await Spool.open(this.o.spoolDir, { maxBytes: this.o.spoolMaxBytes });
		} catch (e) {
			throw new SinkError(`open webhook spool ${this.o.spoolDir}: ${(e as Error).message}`, errorCode(e), this.name);
		}
		this.s.recovered = this.spool.recovered;
		this.loop = this.deliverLoop();
	}

	write(a: Alert): void {
		if (this.closing || !this.spool) {
			this.s.dropped++;
			return;
		}
		const rec = JSON.stringify(a);
		this.pending.push(rec);
		this.pendingBytes += rec.length;
		// Disk stalled: keep memory bounded like the spool, dropping the oldest (counted).
		while (this.pendingBytes > this.o.spoolMaxBytes && this.pending.length > 1) {
			this.pendingBytes -= this.pending.shift()!.length;
			this.s.dropped++;
		}
		if (!this.persistTimer) {
			this.persistTimer = setTimeout(() => void this.persist(), this.o.persistIntervalMs);
		}
	}

	// Moves in-memory alerts to the spool; on a disk error they stay in memory for the next try.
	private persist(): Promise<void> {
		clearTimeout(this.persistTimer);
		this.persistTimer = undefined;
		this.persisting ??= (async () => {
			while (this.pending.length > 0) {
				const recs = this.pending;
				this.pending = [];
				this.pendingBytes = 0;
				try {
					await this.spool!.append(recs);
				} catch (e) {
					// Records that landed whole stay in the spool; the rest wait in memory for the next persist.
					this.s.failed++;
					const appended = e instanceof SpoolWriteError ? e.appended : 0;
					if (appended > 0) this.wake.notify();
					this.pending = recs.slice(appended).concat(this.pending);
					this.pendingBytes = this.pending.reduce((n, r) => n + r.length, 0);
					// Tried again later even if no alert comes (a disk that fills and frees while all is quiet).
					if (!this.closing) this.persistTimer ??= setTimeout(() => void this.persist(), Math.max(1000, this.o.persistIntervalMs));
					break;
				}
				this.wake.notify();
			}
		})().finally(() => (this.persisting = undefined));
		return this.persisting;
	}

	private async deliverLoop(): Promise<void> {
		while (!this.stop.signal.aborted) {
			if (this.spool!.pending === 0) {
				this.progress.notify();
				await this.wake.wait(1000);
				continue;
			}
			this.s.attempts++;
			const r = await this.deliverOne();
			if (r === 'idle') {
				// Counted records the spool cannot produce (they were just found lost): wait like an empty spool.
				this.progress.notify();
				await this.wake.wait(1000);
			} else if (r) this.failures = 0;
			else if (!this.stop.signal.aborted) {
				this.s.failed++;
				this.progress.notify();
				const d = Math.min(this.o.maxBackoffMs, this.o.backoffMs * 2 ** this.failures++);
				await sleep(d * (0.5 + Math.random() / 2), this.stop.signal);
			}
		}
	}

	// Posts the next batch from the spool; true when it was accepted (or refused for good) and acked, 'idle' when
	// the spool had nothing to read after all.
	private async deliverOne(): Promise<boolean | 'idle'> {
		try {
			const { records, end } = await this.spool!.peek(this.o.batch);
			if (records.length === 0) return 'idle';
			const status = await this.post(records);
			if (status === 'retry') return false;
			if (status === 'ok') this.s.written += records.length;
			else {
				this.s.rejected += records.length;
				this.s.dropped += records.length;
			}
			await this.spool!.ack(end);
			this.progress.notify();
			return true;
		} catch {
			return false; // spool read error: retried with backoff like a receiver failure
		}
	}

	// One POST: 'ok' (2xx), 'rejected' (payload refused for good) or 'retry' (anything else, 3xx included:
	// a redirect is never followed, it could carry the alerts and the token to another host).
	private async post(records: string[]): Promise<'ok' | 'rejected' | 'retry'> {
		const ids = records.map((r) => String((JSON.parse(r) as { id: unknown }).id));
		const headers: Record<string, string> = {
			'content-type': 'application/json',
			'user-agent': 'bpfguard',
			'idempotency-key': idempotencyKey(ids),
		};
		if (this.token) headers.authorization = `Bearer ${this.token}`;
		const body = this.o.batch === 1 ? records[0] : `[${records.join(',')}]`;
		try {
			const signal = AbortSignal.any([this.stop.signal, AbortSignal.timeout(this.o.timeoutMs)]);
			const status = await post(this.url, { agent: this.agent!, headers, body, signal });
			if (status >= 200 && status < 300) return 'ok';
			return REJECTED.has(status) ? 'rejected' : 'retry';
		} catch {
			return 'retry';
		}
	}

	/** Persists every written alert, then waits up to flushTimeoutMs for the spool to drain. */
	async flush(): Promise<void> {
		await this.drain(false);
	}

	// Persist, then wait for delivery until empty or the deadline (or, when closing, the first failure).
	private async drain(untilFailure: boolean): Promise<void> {
		if (!this.spool) return;
		const deadline = Date.now() + this.o.flushTimeoutMs;
		await this.persist();
		while (this.spool.pending > 0 && !this.stop.signal.aborted && Date.now() < deadline) {
			if (untilFailure && this.failures > 0) break;
			await this.progress.wait(Math.min(1000, deadline - Date.now()));
		}
		await this.spool.sync().catch(() => void this.s.failed++);
	}

	/** Delivers while the receiver answers (bounded), then stops; undelivered alerts stay spooled for the next run. */
	close(): Promise<void> {
		this.closing ??= (async () => {
			if (!this.spool) return;
			await this.drain(true);
			clearTimeout(this.persistTimer);
			this.s.dropped += this.pending.length; // the disk refused them: counted, not silent
			this.pending = [];
			this.stop.abort();
			this.wake.notify();
			await this.loop;
			await this.spool.close().catch(() => void this.s.failed++);
			this.agent?.destroy();
		})();
		return this.closing;
	}

	stats(): WebhookStats {
		const spooled = this.spool ? this.spool.pending : 0;
		const spoolDropped = this.spool ? this.spool.dropped : 0;
		return { ...this.s, queued: this.pending.length + spooled, dropped: this.s.dropped + spoolDropped };
	}
}
