/**
 * @module container/resolver: container metadata, cached per container (bounded LRU with a TTL;
 * answers that found nothing are kept shorter) and looked up asynchronously: peek() never waits,
 * it starts the lookup and says 'pending'. The one resolver rule fields read is containerResolver().
 */
import { TtlLru } from './lru.js';
import type { ContainerMeta, MetaSource, SourceError } from './meta.js';
import { DockerApi, PodmanApi, ID_RE } from './http-api.js';
import { DEFAULT_STORAGE, StorageState, type StoragePaths } from './storage.js';
import { ContainerdState } from './containerd.js';

/** The resolver's settings (config `containers:`). */
export interface ResolverOptions {
	enabled: boolean;
	/** Asked in this order (a runtime hint puts the sources speaking for it first). */
	sources: MetaSource[];
	/** One source's lookup, all its requests, at most this long. */
	timeoutMs: number;
	cacheSize: number;
	ttlMs: number;
	/** Lookups that found nothing (or failed) are kept this long. */
	negativeTtlMs: number;
	/** Lookups running at once; a read beyond that stays pending and starts one later (counted busy). */
	maxInflight?: number;
}

/** Counters of the resolver (the monitor's stats and metrics read them). */
export interface ContainerStats {
	/** Lookups started (one per container and TTL). */
	lookups: number;
	/** Field reads answered from the cache (resolved or known unresolved). */
	hits: number;
	/** Field reads that found no answer yet (pending). */
	misses: number;
	resolved: number;
	/** Lookups no source could answer (unknown to all, or they failed). */
	unresolved: number;
	/** Requests to a source that timed out, failed, or found no socket/state there. */
	timeouts: number;
	errors: number;
	absent: number;
	/** Reads that could not start a lookup (maxInflight reached). */
	busy: number;
}

/** A cached answer: the metadata, or why there is none. */
export type CacheEntry = { meta: ContainerMeta } | { unresolved: string };

/** What a read gets: the metadata, 'pending' (a lookup runs), 'unresolved' (no answer came), 'off' (disabled). */
export type Peek = ContainerMeta | 'pending' | 'unresolved' | 'off';

/** The standard places: Docker's and Podman's sockets, then containers-storage's and containerd's state on disk. */
export function defaultSources(o: { dockerSocket?: string; podmanSocket?: string; storage?: Partial<StoragePaths> } = {}): MetaSource[] {
	return [
		new DockerApi(o.dockerSocket ?? '/var/run/docker.sock'),
		new PodmanApi(o.podmanSocket ?? '/run/podman/podman.sock'),
		new StorageState({ ...DEFAULT_STORAGE, ...o.storage }),
		new ContainerdState(),
	];
}

export const DEFAULT_RESOLVER: ResolverOptions = { enabled: true, sources: defaultSources(), timeoutMs: 1000, cacheSize: 1024, ttlMs: 600_000, negativeTtlMs: 10_000 };

/** Looks containers up off the event path and remembers the answers. */
export class ContainerResolver {
	private readonly cache: TtlLru<string, CacheEntry>;
	private readonly inflight = new Map<string, Promise<void>>();
	readonly stats: ContainerStats = { lookups: 0, hits: 0, misses: 0, resolved: 0, unresolved: 0, timeouts: 0, errors: 0, absent: 0, busy: 0 };
	/** The last failure of each source (for `doctor`-like messages), by source name. */
	readonly lastProblem = new Map<string, string>();

	constructor(
		readonly o: ResolverOptions = DEFAULT_RESOLVER,
		now: () => number = Date.now,
	) {
		this.cache = new TtlLru(o.cacheSize, now);
	}

	/** The answer for id now; without one, starts the lookup (once) and says 'pending'. Never waits. */
	peek(id: string, runtime?: string): Peek {
		if (!this.o.enabled) return 'off';
		const hit = this.cache.get(id);
		if (hit) {
			this.stats.hits++;
			return 'meta' in hit ? hit.meta : 'unresolved';
		}
		this.stats.misses++;
		this.start(id, runtime);
		return 'pending';
	}

	/** The answer for id now, without starting a lookup or counting (pending: none yet). */
	current(id: string): Peek {
		if (!this.o.enabled) return 'off';
		const hit = this.cache.get(id);
		if (!hit) return 'pending';
		return 'meta' in hit ? hit.meta : 'unresolved';
	}

	/** Settles when the lookup of id running now ends (undefined when none runs). */
	settled(id: string): Promise<void> | undefined {
		return this.inflight.get(id);
	}

	/** Look id up (or take the cached answer) and wait for it: for tests and commands, never the event path. */
	async resolve(id: string, runtime?: string): Promise<CacheEntry | undefined> {
		if (this.peek(id, runtime) === 'off') return undefined;
		await this.settled(id);
		return this.cache.get(id);
	}

	private start(id: string, runtime?: string): void {
		if (this.inflight.has(id)) return;
		if (!ID_RE.test(id)) {
			this.cache.set(id, { unresolved: `not a container id: ${JSON.stringify(id.slice(0, 80))}` }, this.o.negativeTtlMs);
			return;
		}
		if (this.inflight.size >= (this.o.maxInflight ?? 32)) {
			this.stats.busy++;
			return;
		}
		this.stats.lookups++;
		const p = this.run(id, runtime).finally(() => this.inflight.delete(id));
		this.inflight.set(id, p);
	}

	/** Ask each source in turn until one knows the container; cache what came. */
	private async run(id: string, runtime?: string): Promise<void> {
		const why: string[] = [];
		for (const s of this.ordered(runtime)) {
			const a = await s.lookup(id, this.o.timeoutMs);
			if ('found' in a) {
				this.stats.resolved++;
				this.cache.set(id, { meta: a.found }, this.o.ttlMs);
				return;
			}
			if ('error' in a) {
				this.count(a.error);
				this.lastProblem.set(s.name, a.detail);
				why.push(`${s.name}: ${a.detail}`);
			} else why.push(`${s.name}: no such container`);
		}
		this.stats.unresolved++;
		this.cache.set(id, { unresolved: why.join('; ') || 'no source configured' }, this.o.negativeTtlMs);
	}

	private count(e: SourceError): void {
		if (e === 'timeout') this.stats.timeouts++;
		else if (e === 'absent') this.stats.absent++;
		else this.stats.errors++;
	}

	/** The sources, those that speak for runtime first. */
	private ordered(runtime?: string): MetaSource[] {
		const all = this.o.sources;
		if (!runtime) return all;
		return [...all.filter((s) => s.runtimes.includes(runtime)), ...all.filter((s) => !s.runtimes.includes(runtime))];
	}
}

let current = new ContainerResolver();

/** The resolver rule fields read (one per process). */
export function containerResolver(): ContainerResolver {
	return current;
}

/** Replace it (the monitor does so at start from the config; tests with their own sources). */
export function setContainerResolver(r: ContainerResolver): ContainerResolver {
	current = r;
	return r;
}
