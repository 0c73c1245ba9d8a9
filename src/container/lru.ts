/** @module container/lru: a bounded map with least-recently-used eviction and a time to live per entry. */

interface Slot<V> {
	value: V;
	expires: number;
}

/** At most `max` entries; get() drops an expired one and refreshes a live one's recency (not its expiry). */
export class TtlLru<K, V> {
	private readonly map = new Map<K, Slot<V>>();
	evicted = 0;

	constructor(
		readonly max: number,
		private readonly now: () => number = Date.now,
	) {
		if (!(max >= 1)) throw new Error(`lru: max must be at least 1, not ${max}`);
	}

	/** The live value, or undefined (absent or expired). */
	get(k: K): V | undefined {
		const s = this.map.get(k);
		if (!s) return undefined;
		if (s.expires <= this.now()) {
			this.map.delete(k);
			return undefined;
		}
		this.map.delete(k);
		this.map.set(k, s);
		return s.value;
	}

	/** Store v for ttlMs; the least recently used entry goes when the map is full. */
	set(k: K, v: V, ttlMs: number): void {
		this.map.delete(k);
		if (this.map.size >= this.max) {
			const oldest = this.map.keys().next().value as K;
			this.map.delete(oldest);
			this.evicted++;
		}
		this.map.set(k, { value: v, expires: this.now() + ttlMs });
	}

	delete(k: K): void {
		this.map.delete(k);
	}

	get size(): number {
		return this.map.size;
	}
}
