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
