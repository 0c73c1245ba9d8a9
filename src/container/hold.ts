/**
 * @module container/hold: the bounded wait for container metadata. An alert from a container whose
 * metadata is not cached yet is held until the lookup answers or its own deadline passes, then sent
 * with what is known ('<unresolved>' for the rest). Each alert has its own timer: other alerts,
 * and the event stream, never wait behind a slow runtime.
 */
import type { Alert } from '../alerts/alert.js';
import { lookupFieldRef } from '../rules/fields/index.js';
import { isMetaField, metaValue, PENDING, UNRESOLVED } from '../rules/fields/container.js';
import { containerResolver } from './resolver.js';

/** Fields every alert from a container carries (k8s.* only when the container is in a pod). */
const ENRICH = ['container.name', 'container.image', 'container.image.repository', 'container.image.tag', 'container.image.digest'];
const K8S_ENRICH = ['k8s.pod.name', 'k8s.ns.name'];

/** Counters of the wait. */
export interface HoldStats {
	/** Alerts held for a lookup. */
	held: number;
	/** Held alerts sent because their deadline passed before the answer. */
	deadline: number;
	/** Alerts sent at once, unresolved, because maxHeld alerts were already waiting (a flood from new containers). */
	overflow: number;
}

interface Waiting {
	a: Alert;
	id: string;
	timer: NodeJS.Timeout;
}

/** Holds container alerts up to holdMs for their metadata, then hands them to next. */
export class MetaHold {
	readonly stats: HoldStats = { held: 0, deadline: 0, overflow: 0 };
	private readonly waiting = new Set<Waiting>();

	/** rerender: the alert's output rendered again from its (completed) fields, or undefined when its rule is gone. */
	constructor(
		private readonly holdMs: number,
		private readonly next: (a: Alert) => void,
		private readonly rerender: (a: Alert) => string | undefined = () => undefined,
		/** At most this many alerts wait at once (memory stays bounded under a flood). */
		private readonly maxHeld = 4096,
	) {}

	/** An alert from the rules: passed on at once (host, or metadata known), or held for its container's lookup. */
	push(a: Alert): void {
		const id = a.fields['container.id'];
		if (typeof id !== 'string' || id === 'host') return this.next(a);
		const r = containerResolver();
		if (r.current(id) === 'pending' && !r.settled(id)) r.peek(id);
		const running = r.settled(id);
		if (!running || this.holdMs <= 0) return this.release(a, id);
		if (this.waiting.size >= this.maxHeld) {
			this.stats.overflow++;
			return this.release(a, id);
		}
		this.stats.held++;
		const w: Waiting = { a, id, timer: setTimeout(() => this.done(w, true), this.holdMs) };
		w.timer.unref();
		this.waiting.add(w);
		void running.then(() => this.done(w, false));
	}

	/** Send every held alert now, with what is known (the monitor stops). */
	flush(): void {
		for (const w of [...this.waiting]) this.done(w, false);
	}

	/** Alerts waiting now. */
	get size(): number {
		return this.waiting.size;
	}

	private done(w: Waiting, late: boolean): void {
		if (!this.waiting.delete(w)) return;
		clearTimeout(w.timer);
		if (late) this.stats.deadline++;
		this.release(w.a, w.id);
	}

	/** Complete the alert's metadata fields from the cache, render its output again if it showed a pending value, and send it. */
	private release(a: Alert, id: string): void {
		let changed = false;
		for (const ref of Object.keys(a.fields)) {
			const hit = lookupFieldRef(ref);
			if (!hit || !isMetaField(hit.def.name)) continue;
			const v = metaValue(hit.def.name, hit.arg, id, true) ?? null;
			if (v !== a.fields[ref]) changed = true;
			a.fields[ref] = v;
		}
		for (const f of ENRICH) if (!(f in a.fields)) a.fields[f] = metaValue(f, undefined, id, true) ?? null;
		for (const f of K8S_ENRICH) {
			const v = metaValue(f, undefined, id, true);
			if (!(f in a.fields) && typeof v === 'string' && v !== '' && v !== UNRESOLVED) a.fields[f] = v;
		}
		if (changed && a.output.includes(PENDING)) a.output = this.rerender(a) ?? a.output.split(PENDING).join(UNRESOLVED);
		this.next(a);
	}
}

