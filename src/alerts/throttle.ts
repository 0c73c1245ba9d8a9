/** @module alerts/throttle: the same rule and output repeated within a window becomes one alert with a count. */
import { randomUUID } from 'node:crypto';
import type { Alert } from './alert.js';

interface Entry {
	until: number;
	suppressed: number;
	last: Alert;
}

/** Counters: passed through, suppressed (and later summarized), summaries sent. */
export interface ThrottleStats {
	passed: number;
	suppressed: number;
	summaries: number;
}

/** First occurrence passes at once; repeats inside the window are counted and sent as one summary when it ends. */
export class Throttle {
	private readonly entries = new Map<string, Entry>();
	readonly stats: ThrottleStats = { passed: 0, suppressed: 0, summaries: 0 };

	constructor(
		private readonly windowMs: number,
		private readonly out: (a: Alert) => void,
		private readonly maxKeys = 10_000,
		private readonly now: () => number = Date.now,
	) {}

	/** Offer an alert. */
	push(a: Alert): void {
		if (this.windowMs <= 0) {
			this.stats.passed++;
			this.out(a);
			return;
		}
		const key = `${a.rule}\u0000${a.output}`;
		const t = this.now();
		const e = this.entries.get(key);
		if (e && t < e.until) {
			e.suppressed++;
			e.last = a;
			this.stats.suppressed++;
			return;
		}
		if (e) this.summarize(key, e);
		if (this.entries.size >= this.maxKeys) this.evictOldest();
		this.entries.set(key, { until: t + this.windowMs, suppressed: 0, last: a });
		this.stats.passed++;
		this.out(a);
	}

	/** Send summaries of windows that ended (call every second or so), or of all windows. */
	tick(all = false): void {
		const t = this.now();
		for (const [k, e] of this.entries) if (all || t >= e.until) this.summarize(k, e);
	}

	private summarize(key: string, e: Entry): void {
		this.entries.delete(key);
		if (!e.suppressed) return;
		this.stats.summaries++;
		this.out({ ...e.last, id: randomUUID(), count: e.suppressed, output: `${e.last.output} (repeated ${e.suppressed} more times)` });
	}

	private evictOldest(): void {
		const first = this.entries.entries().next().value;
		if (first) this.summarize(first[0], first[1]);
	}
}
