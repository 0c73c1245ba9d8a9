/** @module sinks/store: alerts and log matches into the embedded audit store, in batches, one transaction each, off write(); sealed with the store key. */
import type { Alert } from '../alerts/alert.js';
import type { Sink, SinkStats } from './sink.js';
import { AuditStore, DEFAULT_SEAL_EVERY } from '../store/store.js';
import { DEFAULT_KEY_PATH, loadKey } from '../store/key.js';
import { pruneStore, type RetentionPolicy } from '../store/retention.js';
import { SinkError, errorCode } from './errors.js';

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
	/** Records waiting past this (store locked or failing) are dropped and counted. Default 100 000. */
	maxPending?: number;
}

const DAY_MS = 86_400_000;

/** Buffers alerts; a timer or a full batch appends them to the hash chain in one transaction. */
export class StoreSink implements Sink {
	readonly name = 'store';
	readonly acceptsLogs: boolean;
	private readonly o: Required<Omit<StoreSinkOptions, 'logs'>>;
	private readonly s: SinkStats = { written: 0, failed: 0, dropped: 0, queued: 0 };
	private store?: AuditStore;
	private pending: Alert[] = [];
	private timer?: NodeJS.Timeout;
	private pruneTimer?: NodeJS.Timeout;
	private sealTimer?: NodeJS.Timeout;
	private sealFailuresSeen = 0;
	private closed = false;

	constructor(opts: StoreSinkOptions) {
		this.acceptsLogs = opts.logs ?? true;
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
			maxPending: opts.maxPending ?? 100_000,
		};
	}

	/** Loads or creates the key, opens or creates the store (0600 file, 0700 directory), seals what a crash left unsealed, and applies retention once. */
	async start(): Promise<void> {
		try {
			const key = loadKey(this.o.keyPath, { create: true });
			this.store = AuditStore.open(this.o.path, { create: true, key, sealEvery: this.o.sealEvery });
			this.prune();
		} catch (e) {
			this.store?.close();
			this.store = undefined;
			throw new SinkError(`open audit store ${this.o.path}: ${(e as Error).message}`, errorCode(e), this.name);
		}
		this.pruneTimer = setInterval(() => this.prune(), this.o.pruneIntervalS * 1000).unref();
		this.sealTimer = setInterval(() => this.seal(), this.o.sealIntervalS * 1000).unref();
		this.countSealFailures();
	}

	// Checkpoints what was appended since the last checkpoint (nothing when nothing was).
	private seal(): void {
		try {
			this.store?.seal();
		} catch {
			this.s.failed++; // retried at the next interval
		}
		this.countSealFailures();
	}

	// A seal skipped (the head file no longer matches the database: `store verify` says why) or a head file not written counts as failed.
	private countSealFailures(): void {
		const n = this.store?.sealFailures ?? this.sealFailuresSeen;
		this.s.failed += n - this.sealFailuresSeen;
		this.sealFailuresSeen = n;
	}

	/** The retention policy from the options (undefined members: no limit). */
	policy(): RetentionPolicy {
		return { maxAgeMs: this.o.maxAgeDays > 0 ? this.o.maxAgeDays * DAY_MS : undefined, maxRows: this.o.maxRows > 0 ? this.o.maxRows : undefined };
	}

	private prune(): void {
		const p = this.policy();
		if (!this.store || (p.maxAgeMs === undefined && p.maxRows === undefined)) return;
		try {
			pruneStore(this.store, p);
		} catch {
			this.s.failed++; // retried at the next interval; records are not lost by a failed prune
		}
		this.countSealFailures();
	}

	write(a: Alert): void {
		if (this.closed || this.pending.length >= this.o.maxPending) {
			this.s.dropped++;
			return;
		}
		this.pending.push(a);
		this.s.queued++;
		if (this.pending.length >= this.o.batch) {
			clearTimeout(this.timer);
			this.timer = setTimeout(() => this.drain(), 0);
		} else this.timer ??= setTimeout(() => this.drain(), this.o.flushIntervalMs);
	}

	// Appends everything pending, a batch per transaction. A busy store keeps the records for the next try.
	private drain(): void {
		clearTimeout(this.timer);
		this.timer = undefined;
		while (this.pending.length > 0) {
			const batch = this.pending.splice(0, this.o.batch);
			try {
				if (!this.store) throw new Error('store not open');
				this.store.appendAlerts(batch);
				this.s.written += batch.length;
				this.s.queued -= batch.length;
			} catch (e) {
				this.s.failed++;
				if (errorCode(e) === 'SQLITE_BUSY' && !this.closed) {
					this.pending.unshift(...batch);
					this.timer = setTimeout(() => this.drain(), this.o.flushIntervalMs);
					return;
				}
				this.s.dropped += batch.length;
				this.s.queued -= batch.length;
			}
		}
		this.countSealFailures();
	}

	/** Writes every pending record now. */
	async flush(): Promise<void> {
		this.drain();
	}

	/** Writes what is pending and closes the database; idempotent. */
	async close(): Promise<void> {
		if (this.closed) return;
		this.closed = true;
		clearInterval(this.pruneTimer);
		clearInterval(this.sealTimer);
		this.drain();
		this.store?.close(); // seals what was appended since the last checkpoint
		this.countSealFailures();
		this.store = undefined;
	}

	stats(): SinkStats {
		return { ...this.s };
	}
}
