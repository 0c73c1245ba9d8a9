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
 * writes them), as UTF-8 into a buffer reused from batch to batch. add() is called once per event on the event thread;
 * take() hands the batch over and starts the next. Each event's text dies young and the batch lives outside the JS heap,
 * so queued batches cost the event thread no garbage collection (a batch string built by += did: a third of its time).
 */
export class EventEncoder {
	private times = new Float64Array(1024);
	private n = 0;
	private buf: Buffer = Buffer.allocUnsafeSlow(1 << 20);
	private len = 0;
	private readonly host: string;

	constructor(host = hostname()) {
		this.host = `,"hostname":${JSON.stringify(host)},"source":`;
	}

	/** Encodes the context's event (after the process table applied it, as the rules saw it). */
	add(c: EvalCtx): void {
		const text = `${this.n ? '\n' : ''}{"fields":${eventJsonText(c)}${this.host}"${KIND_ROWS[c.e.kind].source}"}`;
		const most = this.len + text.length * 3; // UTF-8 takes at most 3 bytes per UTF-16 unit
		if (most > this.buf.length) this.buf = grown(this.buf, this.len, most);
		this.len += this.buf.write(text, this.len);
		if (this.n === this.times.length) {
			const t = new Float64Array(this.n * 2);
			t.set(this.times);
			this.times = t;
		}
		this.times[this.n++] = c.e.timeMs;
	}

	/** The batch so far (undefined when empty): its own copy of the bytes and times; the buffer is reused. */
	take(): EventBatch | undefined {
		const n = this.n;
		if (n === 0) return undefined;
		const b = { n, times: this.times.slice(0, n), data: Uint8Array.prototype.slice.call(this.buf, 0, this.len) };
		this.n = 0;
		this.len = 0;
		return b;
	}
}

// A buffer of at least `need` bytes holding the first `used` bytes of buf.
function grown(buf: Buffer, used: number, need: number): Buffer {
	const out = Buffer.allocUnsafeSlow(Math.max(need, buf.length * 2));
	buf.copy(out, 0, 0, used);
	return out;
}

/** The records of an encoded batch (JSON never holds a raw newline, so the data splits back exactly). */
export function eventRecords(b: EventBatch, out: NewRecord[] = []): NewRecord[] {
	const data = Buffer.from(b.data.buffer, b.data.byteOffset, b.data.byteLength).toString('utf8').split('\n');
	for (let i = 0; i < b.n; i++) out.push({ kind: EVENT_KIND, timeMs: Math.round(b.times[i]), data: data[i] });
	return out;
}
