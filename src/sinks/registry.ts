/** @module sinks/registry: sink kinds by config key, createSinks() and the SinkSet that fans alerts out. */
import type { Alert } from '../alerts/alert.js';
import type { EventBatch, EventSink, EventTrailStats, Sink, SinkStats } from './sink.js';
import { SinksConfig, type SinksConfigInput } from './config.js';
import { SinkError, errorCode } from './errors.js';
import { JsonlSink } from './jsonl.js';
import { StoreSink } from './store.js';
import { SyslogSink } from './syslog.js';
import { TerminalSink } from './terminal.js';
import { WebhookSink } from './webhook.js';

type Kind = keyof SinksConfig;
type Factory<K extends Kind> = (cfg: NonNullable<SinksConfig[K]>) => Sink | null;

/** One entry per sink kind: its config key makes it; null means configured but disabled. */
export const SINK_KINDS: { [K in Kind]-?: Factory<K> } = {
	terminal: (c) => (c.enabled ? new TerminalSink({ logs: c.logs }) : null),
	jsonl: (c) => new JsonlSink(c),
	syslog: (c) => new SyslogSink(c),
	webhook: (c) => new WebhookSink(c),
	store: (c) => new StoreSink(c),
};

/** Parses a plain `sinks` config object (every problem reported at once) and builds the SinkSet, not yet started. */
export function createSinks(config: SinksConfigInput | unknown): SinkSet {
	const r = SinksConfig.safeParse(config ?? {});
	if (!r.success) {
		const problems = r.error.issues.map((i) => `${i.path.join('.') || 'sinks'}: ${i.message}`);
		throw Object.assign(new SinkError(`parse sinks config: ${problems.join('; ')}`, 'ESINKCONFIG'), { problems });
	}
	const sinks: Sink[] = [];
	for (const kind of Object.keys(SINK_KINDS) as Kind[]) {
		const cfg = r.data[kind];
		if (!cfg) continue;
		const s = (SINK_KINDS[kind] as Factory<Kind>)(cfg as NonNullable<SinksConfig[Kind]>);
		if (s) sinks.push(s);
	}
	return new SinkSet(sinks);
}

/** Every sink as one: write() fans out (log-action alerts only to sinks that accept logs); stats are summed. */
export class SinkSet implements Sink {
	readonly name = 'sinks';
	readonly acceptsLogs: boolean;
	private writeErrors = 0;

	/** Sinks that keep every event (the audit trail); empty when none does. */
	readonly eventSinks: readonly EventSink[];

	constructor(readonly sinks: readonly Sink[]) {
		this.acceptsLogs = sinks.some((s) => s.acceptsLogs);
		this.eventSinks = sinks.filter((s): s is EventSink => (s as Partial<EventSink>).keepsEvents === true);
	}

	/** True when some sink keeps every event. */
	get keepsEvents(): boolean {
		return this.eventSinks.length > 0;
	}

	/** Hands a batch of events to every sink that keeps events. */
	writeEvents(b: EventBatch): void {
		for (const s of this.eventSinks) s.writeEvents(b);
	}

	/** The audit trail's counters, summed over the sinks that keep events. */
	eventStats(): EventTrailStats {
		const t: EventTrailStats = { written: 0, dropped: 0, queued: 0 };
		for (const s of this.eventSinks) {
			const x = s.eventStats();
			t.written += x.written;
			t.dropped += x.dropped;
			t.queued += x.queued;
		}
		return t;
	}

	/** Starts every sink; if any fails, the started ones are closed and one SinkError names all failures. */
	async start(): Promise<void> {
		const res = await Promise.allSettled(this.sinks.map((s) => s.start()));
		const bad = res.flatMap((r, i) => (r.status === 'rejected' ? [{ sink: this.sinks[i].name, e: r.reason as unknown }] : []));
		if (bad.length === 0) return;
		await Promise.allSettled(this.sinks.map((s, i) => (res[i].status === 'fulfilled' ? s.close() : undefined)));
		const msg = bad.map((b) => (b.e instanceof Error ? b.e.message : String(b.e))).join('; ');
		throw new SinkError(`start sinks: ${msg}`, errorCode(bad[0].e), bad.map((b) => b.sink).join(','));
	}

	write(a: Alert): void {
		const log = a.action === 'log';
		for (const s of this.sinks) {
			if (log && !s.acceptsLogs) continue;
			try {
				s.write(a);
			} catch {
				this.writeErrors++; // sinks never throw; if one does, the others still get the alert
			}
		}
	}

	/** Every sink's configuration warnings, to print at start. */
	get warnings(): string[] {
		return this.sinks.flatMap((s) => s.warnings ?? []);
	}

	async flush(): Promise<void> {
		await Promise.allSettled(this.sinks.map((s) => s.flush()));
	}

	/** Closes every sink (each persists or delivers what it holds); idempotent. */
	async close(): Promise<void> {
		await Promise.allSettled(this.sinks.map((s) => s.close()));
	}

	/** Sum over sinks (a thrown write counts as failed and dropped). */
	stats(): SinkStats {
		const t: SinkStats = { written: 0, failed: this.writeErrors, dropped: this.writeErrors, queued: 0 };
		for (const s of this.sinks) {
			const x = s.stats();
			t.written += x.written;
			t.failed += x.failed;
			t.dropped += x.dropped;
			t.queued += x.queued;
		}
		return t;
	}

	/** Each sink's own counters, by name (`sinks` in the status file). */
	bySink(): Record<string, SinkStats> {
		return Object.fromEntries(this.sinks.map((s) => [s.name, s.stats()]));
	}
}
