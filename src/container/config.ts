/** @module container/config: the resolver the config's `containers:` section asks for. */
import type { Config } from '../config/schema.js';
import type { MetaSource } from './meta.js';
import { DockerApi, PodmanApi } from './http-api.js';
import { StorageState } from './storage.js';
import { ContainerdState } from './containerd.js';
import { ContainerResolver } from './resolver.js';

/** A resolver with the configured sources (in their order), timeout and cache. */
export function resolverFromConfig(c: Config['containers']): ContainerResolver {
	const make: Record<Config['containers']['sources'][number], () => MetaSource> = {
		docker: () => new DockerApi(c.docker_socket),
		podman: () => new PodmanApi(c.podman_socket),
		storage: () => new StorageState({ root: c.storage_root, runRoot: c.storage_run_root, driver: c.storage_driver }),
		containerd: () => new ContainerdState(c.containerd_state),
	};
	const sources = [...new Set(c.sources)].map((s) => make[s]());
	return new ContainerResolver({ enabled: c.enabled, sources, timeoutMs: c.timeout_ms, cacheSize: c.cache_size, ttlMs: c.ttl_s * 1000, negativeTtlMs: c.negative_ttl_s * 1000 });
}
