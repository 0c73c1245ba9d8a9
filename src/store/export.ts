/** @module store/export: stored records as JSON lines or CSV (RFC 4180) for other tools, streamed page by page with backpressure. */
import type { Writable } from 'node:stream';
import { EVENT_KIND } from './schema.js';
import type { StoredRecord } from './search.js';

/** Export formats. */
export const EXPORT_FORMATS = ['jsonl', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** CSV columns: the record, then the fields most tools filter on, then every field of the record as one JSON object. */
export const CSV_COLUMNS = ['record', 'kind', 'time', 'hostname', 'rule', 'priority', 'evt.type', 'proc.pid', 'proc.name', 'proc.exepath', 'user.uid', 'user.name', 'fd.name', 'output', 'fields'] as const;

const QUOTE = /[",\r\n]/;

/** One CSV cell (RFC 4180): quoted, with quotes doubled, when it holds a comma, a quote, CR or LF; absent values are empty; lists are JSON. */
export function csvCell(v: unknown): string {
	if (v === null || v === undefined) return '';
	const s = typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
	return QUOTE.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** One CSV line (CRLF-terminated, as RFC 4180 writes records). */
export function csvLine(cells: readonly unknown[]): string {
	return `${cells.map(csvCell).join(',')}\r\n`;
}

/** The CSV header line. */
export const CSV_HEADER = csvLine(CSV_COLUMNS);

/** A record's CSV line, in CSV_COLUMNS order. */
export function csvRecord(r: StoredRecord): string {
	const d = r.data;
	const f = (d.fields ?? {}) as Record<string, unknown>;
	const fixed = [r.id, r.kind, new Date(r.timeMs).toISOString(), d.hostname, d.rule, d.priority];
	return csvLine([...fixed, ...CSV_COLUMNS.slice(fixed.length, -2).map((k) => f[k]), d.output, f]);
}

/** A record's JSON line: an event as its --json object (the snoops' keys), an alert or log match as the monitor's --json prints it. */
export function jsonRecord(r: StoredRecord): string {
	return `${JSON.stringify(r.kind === EVENT_KIND ? r.data.fields : r.data)}\n`;
}

const CHUNK = 1 << 16;

// Resolves when out drains, closes or fails (the caller's error listener keeps the error).
function drained(out: Writable): Promise<void> {
	return new Promise((resolve) => {
		const done = (): void => {
			for (const ev of ['drain', 'close', 'error']) out.off(ev, done);
			resolve();
		};
		for (const ev of ['drain', 'close', 'error']) out.on(ev, done);
	});
}

/**
 * Writes the records to out in the format, in 64 KiB chunks, waiting for out to drain; returns how many were written.
 * A reader that goes away (EPIPE) ends the export quietly; another write error is thrown.
 */
export async function exportRecords(records: Iterable<StoredRecord>, format: ExportFormat, out: Writable): Promise<number> {
	let failed: NodeJS.ErrnoException | undefined;
	const onError = (e: NodeJS.ErrnoException): void => void (failed ??= e);
	out.on('error', onError);
	let buf = format === 'csv' ? CSV_HEADER : '';
	let n = 0;
	const line = format === 'csv' ? csvRecord : jsonRecord;
	try {
		for (const r of records) {
			buf += line(r);
			n++;
			if (buf.length < CHUNK) continue;
			const ok = out.write(buf);
			buf = '';
			if (!ok && !failed) await drained(out);
			if (failed) break;
		}
		if (buf && !failed) out.write(buf);
	} finally {
		out.off('error', onError);
		if (failed) out.on('error', () => {}); // the stream may report it again as it closes
	}
	if (failed && failed.code !== 'EPIPE') throw failed;
	return n;
}
