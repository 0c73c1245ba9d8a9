/** @module sinks/sink: the interface every alert destination implements, and its counters. */
import type { Alert } from '../alerts/alert.js';

/** Counters every sink reports; nothing is dropped without a count. */
export interface SinkStats {
	written: number;
	failed: number;
	dropped: number;
	queued: number;
}

/** A destination for alerts. write() never blocks the event path. */
export interface Sink {
	readonly name: string;
	/** Receive log-action matches too (audit log sinks). */
	readonly acceptsLogs: boolean;
	/** Configuration that works but is weak (e.g. a token in clear text), for the start banner. */
	readonly warnings?: readonly string[];
	start(): Promise<void>;
	write(a: Alert): void;
	/** Deliver or persist everything written so far (bounded wait). */
	flush(): Promise<void>;
	close(): Promise<void>;
	stats(): SinkStats;
}

/**
 * Events for the audit trail, encoded on the event thread: n records, each one's time (ms) and its JSON data as UTF-8, joined by
 * newlines (one byte array crosses to the store's worker, copied as it is: not n objects, nor a string to flatten and serialize).
 */
export interface EventBatch {
	n: number;
	times: Float64Array;
	data: Uint8Array;
}

/** Counters of the audit trail's events: stored, dropped (queue full, store refused, closing) and waiting. */
export interface EventTrailStats {
	written: number;
	dropped: number;
	queued: number;
}

/** A sink that also keeps every event (the audit store with `events: true`). */
export interface EventSink extends Sink {
	readonly keepsEvents: boolean;
	/** Never blocks: past its queue limit a batch is dropped and counted. */
	writeEvents(b: EventBatch): void;
	eventStats(): EventTrailStats;
}
