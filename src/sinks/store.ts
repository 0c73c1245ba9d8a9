/** @module sinks/store: alerts, log matches and (events: true) every event into the embedded audit store, in batches, one transaction each, in a worker thread that owns the database; sealed with the store key. */
import { Worker } from 'node:worker_threads';
import type { Alert } from '../alerts/alert.js';
import type { EventBatch, EventSink, EventTrailStats, SinkStats } from './sink.js';
import { DEFAULT_SEAL_EVERY } from '../store/store.js';
import { DEFAULT_KEY_PATH } from '../store/key.js';
import type { RetentionPolicy } from '../store/retention.js';
import { SinkError } from './errors.js';
import { IdleWaiters } from './idle.js';
import type { StoreReply, StoreRequest, StoreWorkerData } from './store-worker.js';

/** Where the store sink writes, what it keeps, and how it batches. */
export interface StoreSinkOptions {
	path: string;
	/** The store key, kept outside the database; created (32 random bytes, 0600, directory 0700) if missing. Default /etc/bpfguard/store.key. */
	keyPath?: string;
	/** A batch that brings this many records since the last checkpoint ends with one (default 1000). */
	sealEvery?: number;
	/** Records are checkpointed at most this long after they were written (default 10 s), and at close. */
	sealIntervalS?: number;
	/** Also record log-action matches (default true: this is the audit log). */
	logs?: boolean;
	/** Keep every event the monitor receives (after the kernel filter), not only rule matches: the audit trail (default false). */
	events?: boolean;
	/** Events waiting for the database past this are dropped and counted (default 100 000). */
	maxPendingEvents?: number;
	/** Retention: records older than this many days are removed (0: no age limit). Default 90. */
	maxAgeDays?: number;
	/** Retention: at most this many records (0: no limit). Default 0. */
	maxRows?: number;
	/** Retention runs at start and then this often. Default 3600 s. */
	pruneIntervalS?: number;
	/** Longest time a record waits in memory (default 200 ms); `batch` waiting are written at once. */
	flushIntervalMs?: number;
	/** Records per transaction when the queue fills (default 1000). */
	batch?: number;
	/** Events per transaction at most (default 20 000): what queued while the last one was written goes in the next. */
	eventBatch?: number;
	/** Records waiting past this (store locked or failing) are dropped and counted. Default 100 000. */
	maxPending?: number;
	/** Longest flush() waits for the worker, and close() for its last batch and checkpoint. Default 10000. */
	flushTimeoutMs?: number;
}

const DAY_MS = 86_400_000;

/**
 * Buffers alerts; a timer or a full batch sends them to the worker thread (src/sinks/store-worker.ts), which appends
 * them to the hash chain in one transaction. One batch is in flight at a time; a busy store (another writer's lock)
 * keeps it queued for the next try, so a held lock costs queued (past maxPending: dropped, counted) alerts, never the
 * event thread's time.
 */
export class StoreSink implements EventSink {
	readonly name = 'store';
	readonly acceptsLogs: boolean;
	readonly keepsEvents: boolean;
	private readonly o: Required<Omit<StoreSinkOptions, 'logs' | 'events'>>;
	private readonly s: SinkStats = { written: 0, failed: 0, dropped: 0, queued: 0 };
	private readonly ev: EventTrailStats = { written: 0, dropped: 0, queued: 0 };
	private worker?: Worker;
	private pending: Alert[] = [];
	private inflight?: Alert[];
	private pendingEvents: EventBatch[] = [];
	private inflightEvents?: EventBatch[];
	private timer?: NodeJS.Timeout;
	private readonly idle = new IdleWaiters();
	private closing?: Promise<void>;
	private closed = false;

	constructor(opts: StoreSinkOptions) {
		this.acceptsLogs = opts.logs ?? true;
		this.keepsEvents = opts.events ?? false;
		this.o = {
			path: opts.path,
			keyPath: opts.keyPath ?? DEFAULT_KEY_PATH,
			sealEvery: opts.sealEvery ?? DEFAULT_SEAL_EVERY,
			sealIntervalS: opts.sealIntervalS ?? 10,
			maxAgeDays: opts.maxAgeDays ?? 90,
			maxRows: opts.maxRows ?? 0,
			pruneIntervalS: opts.pruneIntervalS ?? 3600,
			flushIntervalMs: opts.flushIntervalMs ?? 200,
			batch: opts.batch ?? 1000,
			eventBatch: opts.eventBatch ?? 20_000,
			maxPending: opts.maxPending ?? 100_000,
			maxPendingEvents: opts.maxPendingEvents ?? 100_000,
			flushTimeoutMs: opts.flushTimeoutMs ?? 10_000,
		};
	}

	/** Starts the worker, which loads or creates the key, opens or creates the store (0600 file, 0700 directory), seals what a crash left unsealed, and applies retention once. */
	async start(): Promise<void> {
		const data: StoreWorkerData = {
			path: this.o.path,
			keyPath: this.o.keyPath,
			sealEvery: this.o.sealEvery,
			sealIntervalS: this.o.sealIntervalS,
			pruneIntervalS: this.o.pruneIntervalS,
			policy: this.policy(),
		};
		const w = new Worker(new URL('./store-worker.js', import.meta.url), { workerData: data });
		let onMessage!: (r: StoreReply) => void;
		let onError!: (e: Error) => void;
		const first = await new Promise<StoreReply>((resolve) => {
			onMessage = resolve;
			onError = (e) => resolve({ op: 'open-error', message: e.message, code: 'EWORKER' });
			w.once('message', onMessage);
			w.once('error', onError);
		});
		w.off('message', onMessage);
		w.off('error', onError);
		if (first.op !== 'opened') {
			await w.terminate();
			const r = first as { message?: string; code?: string };
			throw new SinkError(`open audit store ${this.o.path}: ${r.message}`, r.code ?? 'EUNKNOWN', this.name);
		}
		this.s.failed += first.failed;
		w.on('message', (r: StoreReply) => this.onReply(r));
		w.on('error', () => this.onExit());
		w.on('exit', () => this.onExit());
		w.unref(); // held (ref) only while a batch is in flight: an idle sink never keeps the process alive
		this.worker = w;
	}

	/** The retention policy from the options (undefined members: no limit). */
	policy(): RetentionPolicy {
		return { maxAgeMs: this.o.maxAgeDays > 0 ? this.o.maxAgeDays * DAY_MS : undefined, maxRows: this.o.maxRows > 0 ? this.o.maxRows : undefined };
	}

	write(a: Alert): void {
		if (this.closed || this.s.queued >= this.o.maxPending) {
			this.s.dropped++;
			return;
		}
		this.pending.push(a);
		this.s.queued++;
		if (this.pending.length >= this.o.batch) {
			clearTimeout(this.timer);
			this.timer = setTimeout(() => this.send(), 0);
		} else this.timer ??= setTimeout(() => this.send(), this.o.flushIntervalMs);
	}

	/** Queues a batch of events (only with events: true); past maxPendingEvents, or closed, the whole batch is dropped and counted. */
	writeEvents(b: EventBatch): void {
		if (!this.keepsEvents) return;
		if (this.closed || this.ev.queued + b.n > this.o.maxPendingEvents) {
			this.ev.dropped += b.n;
			return;
		}
		this.pendingEvents.push(b);
		this.ev.queued += b.n;
		if (this.inflight) return; // the reply sends what queued meanwhile
		if (this.ev.queued >= this.o.batch) {
			clearTimeout(this.timer);
			this.timer = setTimeout(() => this.send(), 0);
		} else this.timer ??= setTimeout(() => this.send(), this.o.flushIntervalMs);
	}

	/** The audit trail's event counters. */
	eventStats(): EventTrailStats {
		return { ...this.ev };
	}

	// Sends the next batch unless one is in flight (its reply sends the next): alerts and queued events, in one transaction.
	private send(): void {
		clearTimeout(this.timer);
		this.timer = undefined;
		if (this.inflight || (this.pending.length === 0 && this.pendingEvents.length === 0)) return;
		if (!this.worker) {
			this.loseEvents(this.pendingEvents.splice(0));
			return this.lose(this.pending.splice(0));
		}
		this.inflight = this.pending.splice(0, this.o.batch);
		let n = 0;
		let k = 0;
		while (k < this.pendingEvents.length && (k === 0 || n + this.pendingEvents[k].n <= this.o.eventBatch)) n += this.pendingEvents[k++].n;
		this.inflightEvents = this.pendingEvents.splice(0, k);
		this.worker.ref();
		this.worker.postMessage({ op: 'append', alerts: this.inflight, events: this.inflightEvents } satisfies StoreRequest);
	}

	private onReply(r: StoreReply): void {
		if (r.op === 'open-error') return;
		this.s.failed += r.failed;
		if (r.op !== 'appended' && r.op !== 'append-error') return;
		const batch = this.inflight ?? [];
		const events = this.inflightEvents ?? [];
		this.inflight = undefined;
		this.inflightEvents = undefined;
		this.worker?.unref();
		if (r.op === 'appended') {
			this.s.written += batch.length;
			this.s.queued -= batch.length;
			const n = events.reduce((a, b) => a + b.n, 0);
			this.ev.written += n;
			this.ev.queued -= n;
		} else if (r.busy && !this.closed) {
			this.pending.unshift(...batch); // another writer holds the lock: the next try is after flushIntervalMs
			this.pendingEvents.unshift(...events);
			this.timer ??= setTimeout(() => this.send(), this.o.flushIntervalMs);
			this.idle.notify();
			return;
		} else {
			this.lose(batch);
			this.loseEvents(events);
		}
		this.send();
		this.idle.notify();
	}

	// Records the store will not get: counted as dropped.
	private lose(batch: Alert[]): void {
		this.s.dropped += batch.length;
		this.s.queued -= batch.length;
	}

	// Events the store will not get: counted as dropped.
	private loseEvents(batches: EventBatch[]): void {
		const n = batches.reduce((a, b) => a + b.n, 0);
		this.ev.dropped += n;
		this.ev.queued -= n;
	}

	// What is in flight and what waits: lost, counted (the worker is gone, or the sink closed without writing it).
	private loseAll(): void {
		this.lose(this.inflight ?? []);
		this.loseEvents(this.inflightEvents ?? []);
		this.inflight = undefined;
		this.inflightEvents = undefined;
		this.lose(this.pending.splice(0));
		this.loseEvents(this.pendingEvents.splice(0));
	}

	// The worker is gone (crashed or terminated): what it had and what waits is lost, counted.
	private onExit(): void {
		if (!this.worker) return;
		this.worker = undefined;
		this.s.failed++;
		this.loseAll();
		this.idle.notify();
	}

	/** Sends every pending record and waits (at most flushTimeoutMs) until the worker has written them or the store refused them. */
	async flush(): Promise<void> {
		const deadline = Date.now() + this.o.flushTimeoutMs;
		this.send();
		while ((this.inflight || this.pending.length > 0 || this.pendingEvents.length > 0) && this.worker && Date.now() < deadline) {
			await this.idle.wait(Math.min(1000, deadline - Date.now()));
			this.send();
		}
	}

	/** Writes what is pending (bounded wait), checkpoints and closes the database; what could not be written is counted dropped. Idempotent. */
	close(): Promise<void> {
		this.closing ??= (async () => {
			this.closed = true;
			await this.flush();
			clearTimeout(this.timer);
			const w = this.worker;
			if (!w) return;
			w.ref();
			const closed = new Promise<boolean>((resolve) => {
				const t = setTimeout(() => resolve(false), this.o.flushTimeoutMs);
				w.on('message', (r: StoreReply) => r.op === 'closed' && (clearTimeout(t), resolve(true)));
				w.once('exit', () => (clearTimeout(t), resolve(false)));
			});
			if (!this.inflight) w.postMessage({ op: 'close' } satisfies StoreRequest);
			const ok = this.inflight ? false : await closed;
			this.worker = undefined; // from here the exit is expected, not a failure
			if (!ok) this.s.failed++;
			this.loseAll();
			await w.terminate();
		})();
		return this.closing;
	}

	stats(): SinkStats {
		return { ...this.s };
	}
}
