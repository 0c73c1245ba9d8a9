/** @module sinks/terminal: human alert lines (`HH:MM:SS.mmm PRIORITY rule: output (count×) [container NAME ID IMAGE]`) on a stream. */
import type { Alert, Priority } from '../alerts/alert.js';
import type { Sink, SinkStats } from './sink.js';
import { escapeText } from './escape.js';
import { IdleWaiters } from './idle.js';

/** Where the terminal sink writes and what it accepts. */
export interface TerminalOptions {
	/** Default process.stdout. Colour only when `isTTY` is true. */
	stream?: NodeJS.WritableStream & { isTTY?: boolean };
	/** Also print log-action matches (default false). */
	logs?: boolean;
	/** Bytes the stream may hold unwritten before lines are dropped (counted). Default 4 MiB. */
	maxBufferedBytes?: number;
}

const COLOURS: Record<Priority, string> = {
	emergency: '\u001b[1;41;97m',
	alert: '\u001b[1;31m',
	critical: '\u001b[1;31m',
	error: '\u001b[31m',
	warning: '\u001b[33m',
	notice: '\u001b[36m',
	informational: '\u001b[32m',
	debug: '\u001b[2m',
};
const RESET = '\u001b[0m';

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** `[container NAME ID IMAGE]` for an alert from a container (its name and image once known), '' on the host. */
function containerTag(a: Alert): string {
	const f = a.fields ?? {};
	const id = f['container.id'];
	if (typeof id !== 'string' || id === 'host' || id === '') return '';
	const known = (v: unknown): v is string => typeof v === 'string' && v !== '' && v !== 'host' && !v.startsWith('<');
	const parts = [f['container.name'], id, f['container.image']].filter(known);
	return ` [container ${escapeText(parts.join(' '))}]`;
}

/** One alert as a human line (no newline), ending with its container when it came from one; every piece of rule and event data escaped. */
export function formatTerminalLine(a: Alert, colour: boolean): string {
	const d = new Date(a.timeMs);
	const time = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
	const prio = a.priority.toUpperCase();
	const shown = colour ? `${COLOURS[a.priority]}${prio}${RESET}` : prio;
	const count = a.count > 1 ? ` (${a.count}×)` : '';
	return `${time} ${shown} ${escapeText(a.rule)}: ${escapeText(a.output)}${count}${containerTag(a)}`;
}

/** Prints alerts as human lines; never blocks: past maxBufferedBytes lines are dropped and counted. */
export class TerminalSink implements Sink {
	readonly name = 'terminal';
	readonly acceptsLogs: boolean;
	private readonly stream: NodeJS.WritableStream & { isTTY?: boolean; writableLength?: number };
	private readonly colour: boolean;
	private readonly maxBuffered: number;
	private readonly s: SinkStats = { written: 0, failed: 0, dropped: 0, queued: 0 };
	private closed = false;
	private readonly idle = new IdleWaiters();
	// Failures are counted per line in done(); listening keeps an EPIPE from crashing the agent.
	private readonly onError = (): void => {};

	constructor(opts: TerminalOptions = {}) {
		this.stream = opts.stream ?? process.stdout;
		this.colour = this.stream.isTTY === true;
		this.acceptsLogs = opts.logs ?? false;
		this.maxBuffered = opts.maxBufferedBytes ?? 4 * 1024 * 1024;
	}

	async start(): Promise<void> {
		this.stream.on('error', this.onError);
	}

	write(a: Alert): void {
		if (this.closed || (this.stream.writableLength ?? 0) > this.maxBuffered) {
			this.s.dropped++;
			return;
		}
		this.s.queued++;
		this.stream.write(`${formatTerminalLine(a, this.colour)}\n`, (err) => this.done(err));
	}

	private done(err: Error | null | undefined): void {
		this.s.queued--;
		if (err) {
			this.s.failed++;
			this.s.dropped++;
		} else this.s.written++;
		if (this.s.queued === 0) this.idle.notify();
	}

	/** Resolves when the stream has taken every line, or after timeoutMs. */
	async flush(timeoutMs = 5000): Promise<void> {
		if (this.s.queued > 0) await this.idle.wait(timeoutMs);
	}

	async close(): Promise<void> {
		if (this.closed) return;
		this.closed = true;
		await this.flush();
		this.stream.off('error', this.onError);
	}

	stats(): SinkStats {
		return { ...this.s };
	}
}
