/**
 * @module alerts/aggregate: repeats of one rule by one process fold into one alert per window,
 * carrying the count and the distinct values seen (capped, the cap said), and a summary when the
 * window closes; a rule can instead wait for a shape (N distinct values: a scan) or opt out.
 */
import { randomUUID } from 'node:crypto';
import type { Alert, AlertAggregate, FieldValue } from './alert.js';

/** A rule's `aggregate:` (all optional; `aggregate: false` opts out: the throttle by identical output applies). */
export interface AggregateSpec {
	/** Window in ms (default: the monitor's throttle window). */
	windowMs?: number;
	/** Fields whose distinct values are carried (default: every field of the alert whose value varies). */
	values?: string[];
	/** Distinct values carried per field (default 32); how many there were is always said. */
	cap?: number;
	/** Alert only once one of the `values` fields took this many distinct values in the window (a scan shape). */
	minDistinct?: number;
}

/** Distinct values carried per field unless a rule says otherwise. */
export const DEFAULT_CAP = 32;
/** Distinct values counted per field (ports fit); past it the count is a lower bound, said by `agg.saturated`. */
const DISTINCT_MAX = 65_536;
/** Alert fields that name the fold key: the same for every alert of a group. */
const KEY_FIELDS = ['proc.pid', 'proc.exepath'];

interface Group {
	until: number;
	spec: AggregateSpec;
	/** Matches not yet carried by an alert. */
	pending: number;
	/** An alert of this window went out (the first match, or the shape was reached). */
	emitted: boolean;
	first: Alert;
	last: Alert;
	/** Distinct values per field, in the order seen. */
	seen: Map<string, Set<string>>;
	shown: Map<string, FieldValue[]>;
	saturated: Set<string>;
}

/** Counters; every match is in exactly one of passed, folded, held (below a shape's threshold). */
export interface AggregateStats {
	/** Alerts sent at once (first of a window, or a shape reached, or not aggregated). */
	passed: number;
	/** Matches folded into an alert's count (sent with it or with the window's summary). */
	folded: number;
	/** Window summaries sent. */
	summaries: number;
	/** Matches of shape rules whose window closed below the threshold: counted, not alerts. */
	held: number;
}

/** Folds alerts by (rule, process); spec(rule) says how, or false to hand the alert to the fallback (the throttle). */
export class Aggregator {
	private readonly groups = new Map<string, Group>();
	readonly stats: AggregateStats = { passed: 0, folded: 0, summaries: 0, held: 0 };

	constructor(
		private readonly windowMs: number,
		private readonly spec: (rule: string) => AggregateSpec | false,
		private readonly out: (a: Alert) => void,
		private readonly fallback: (a: Alert) => void,
		private readonly maxKeys = 10_000,
		private readonly now: () => number = Date.now,
	) {}

	/** Offer a rule match. */
	push(a: Alert): void {
		const spec = this.spec(a.rule);
		const windowMs = spec === false ? 0 : (spec.windowMs ?? this.windowMs);
		if (spec === false || (windowMs <= 0 && !spec.minDistinct)) return this.fallback(a);
		const key = `${a.rule}\u0000${KEY_FIELDS.map((f) => String(a.fields[f] ?? '')).join('\u0000')}`;
		const t = this.now();
		let g = this.groups.get(key);
		if (g && t >= g.until) {
			this.close(key, g);
			g = undefined;
		}
		if (!g) {
			if (this.groups.size >= this.maxKeys) this.evictOldest();
			g = { until: t + windowMs, spec, pending: 0, emitted: false, first: a, last: a, seen: new Map(), shown: new Map(), saturated: new Set() };
			this.groups.set(key, g);
		}
		this.record(g, a);
		g.last = a;
		g.pending++;
		if (g.emitted) return;
		if (!spec.minDistinct) {
			g.pending = 0;
			g.emitted = true;
			this.stats.passed++;
			this.out(a);
		} else if (this.reached(g)) this.send(g, false);
	}

	/** Close the windows that ended (call every second or so), or all of them (at stop). */
	tick(all = false): void {
		const t = this.now();
		for (const [k, g] of this.groups) if (all || t >= g.until) this.close(k, g);
	}

	private reached(g: Group): boolean {
		return (g.spec.values ?? []).some((f) => (g.seen.get(f)?.size ?? 0) >= g.spec.minDistinct!);
	}

	private close(key: string, g: Group): void {
		this.groups.delete(key);
		if (!g.pending) return;
		if (g.emitted) this.send(g, true);
		else this.stats.held += g.pending;
	}

	/** The alert carrying the pending matches: the shape reached, or the window's summary. */
	private send(g: Group, summary: boolean): void {
		const agg = this.aggOf(g, summary);
		const n = g.pending;
		if (summary) this.stats.summaries++;
		else this.stats.passed++;
		this.stats.folded += summary ? n : n - 1;
		g.pending = 0;
		g.emitted = true;
		this.out({ ...g.last, id: randomUUID(), count: n, agg, output: `${g.last.output} ${describe(agg, n)}` });
	}

	private aggOf(g: Group, summary: boolean): AlertAggregate {
		const cap = g.spec.cap ?? DEFAULT_CAP;
		const values: Record<string, FieldValue[]> = {};
		const distinct: Record<string, number> = {};
		for (const [f, set] of g.seen) {
			if (!g.spec.values && set.size < 2) continue; // default: only what varied
			values[f] = g.shown.get(f) ?? [];
			distinct[f] = set.size;
		}
		return { summary, window_s: Math.round((g.spec.windowMs ?? this.windowMs) / 1000), first: g.first.id, cap, values, distinct, saturated: [...g.saturated] };
	}

	private record(g: Group, a: Alert): void {
		const cap = g.spec.cap ?? DEFAULT_CAP;
		const fields = g.spec.values ?? Object.keys(a.fields);
		for (const f of fields) {
			if (KEY_FIELDS.includes(f)) continue;
			const v = a.fields[f];
			if (v === undefined) continue;
			const k = typeof v === 'string' ? v : JSON.stringify(v);
			let set = g.seen.get(f);
			if (!set) g.seen.set(f, (set = new Set()));
			if (set.has(k)) continue;
			if (set.size >= DISTINCT_MAX) {
				g.saturated.add(f);
				continue;
			}
			set.add(k);
			const shown = g.shown.get(f) ?? [];
			if (shown.length < cap) g.shown.set(f, [...shown, v]);
		}
	}

	private evictOldest(): void {
		const first = this.groups.entries().next().value;
		if (first) this.close(first[0], first[1]);
	}
}

/** The human part of a folded alert: how many, in what window, and the values (the shown ones of how many). */
export function describe(agg: AlertAggregate, count: number): string {
	const parts = Object.entries(agg.values).map(([f, vs]) => {
		const n = agg.distinct[f] ?? vs.length;
		const more = n > vs.length ? ` … (${vs.length} of ${n}${agg.saturated.includes(f) ? '+' : ''} distinct shown)` : '';
		return `${f}: ${vs.map((v) => (Array.isArray(v) ? v.join(' ') : String(v))).join(', ')}${more}`;
	});
	const what = agg.summary ? `${count} more in the ${agg.window_s}s window` : `${count} matches`;
	return `[${what}${parts.length ? `; ${parts.join('; ')}` : ''}]`;
}
