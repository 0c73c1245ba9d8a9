/** @module store/event-record: events as audit-trail records: their --json fields (rules/fields/json) encoded on the event thread in batches, decoded to records in the store's worker. */
import { hostname } from 'node:os';
import { KIND_ROWS } from '../events/table.js';
import { eventJsonText } from '../rules/fields/json.js';
import type { EvalCtx } from '../rules/context.js';
import type { EventBatch } from '../sinks/sink.js';
import { EVENT_KIND } from './schema.js';
import type { NewRecord } from './store.js';

/** What an event record's data holds: the event's --json object, the host and the event source. */
export interface StoredEvent {
	fields: Record<string, unknown>;
	hostname: string;
	source: string;
}

/**
 * Collects one batch: per event, its time and `{"fields":…,"hostname":…,"source":…}` (keys sorted, as canonical JSON
 * writes them). add() is called once per event on the event thread; take() hands the batch over and starts the next.
 */
export class EventEncoder {
	private times: number[] = [];
	private data = '';
	private readonly host: string;

	constructor(host = hostname()) {
		this.host = `,"hostname":${JSON.stringify(host)},"source":`;
	}

	/** Encodes the context's event (after the process table applied it, as the rules saw it). */
	add(c: EvalCtx): void {
		this.data += `${this.times.length ? '\n' : ''}{"fields":${eventJsonText(c)}${this.host}"${KIND_ROWS[c.e.kind].source}"}`;
		this.times.push(c.e.timeMs);
	}

	/** The batch so far (undefined when empty). */
	take(): EventBatch | undefined {
		const n = this.times.length;
		if (n === 0) return undefined;
		const b = { n, times: Float64Array.from(this.times), data: this.data };
		this.times = [];
		this.data = '';
		return b;
	}
}

/** The records of an encoded batch (JSON never holds a raw newline, so the data splits back exactly). */
export function eventRecords(b: EventBatch, out: NewRecord[] = []): NewRecord[] {
	const data = b.data.split('\n');
	for (let i = 0; i < b.n; i++) out.push({ kind: EVENT_KIND, timeMs: Math.round(b.times[i]), data: data[i] });
	return out;
}
