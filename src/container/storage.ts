/**
 * @module container/storage: containers-storage state on disk (Podman, Buildah, CRI-O), read without
 * their API service: overlay-containers/containers.json (id → names, image), overlay-images/images.json
 * (image id → names, digest), the container's OCI config.json (annotations) and its pidfile (start time).
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { bareId, stringRecord, K8S_LABELS, type ContainerMeta, type MetaSource, type SourceAnswer } from './meta.js';

/** Where containers-storage keeps its state (storage.conf graphroot and runroot) and its graph driver. */
export interface StoragePaths {
	root: string;
	runRoot: string;
	driver: string;
}

export const DEFAULT_STORAGE: StoragePaths = { root: '/var/lib/containers/storage', runRoot: '/run/containers/storage', driver: 'overlay' };

interface StoredContainer {
	id: string;
	names?: string[];
	image?: string;
	metadata?: string;
	created?: string;
}

interface StoredImage {
	id: string;
	names?: string[];
	digest?: string;
}

async function readJson(path: string): Promise<unknown> {
	return JSON.parse(await readFile(path, 'utf8'));
}

/** The object parsed from a JSON string, or {} (metadata and CRI-O labels are JSON inside JSON). */
function inner(s: unknown): Record<string, unknown> {
	if (typeof s !== 'string') return {};
	try {
		const v = JSON.parse(s);
		return v && typeof v === 'object' ? v : {};
	} catch {
		return {};
	}
}

/** Settle p, or reject at the deadline (files on a hung mount must not hold a lookup forever). */
function within<T>(p: Promise<T>, ms: number): Promise<T> {
	let timer: NodeJS.Timeout;
	const t = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(Object.assign(new Error(`no answer in ${ms} ms`), { timeout: true })), ms);
	});
	return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

/** The containers-storage reader as a metadata source. */
export class StorageState implements MetaSource {
	readonly name = 'storage';
	readonly runtimes = ['podman', 'cri-o', 'crio'];
	constructor(readonly paths: StoragePaths = DEFAULT_STORAGE) {}

	async lookup(id: string, timeoutMs: number): Promise<SourceAnswer> {
		try {
			const m = await within(this.read(id), timeoutMs);
			return m ? { found: m } : { missing: true };
		} catch (e) {
			const err = e as NodeJS.ErrnoException & { timeout?: boolean };
			if (err.timeout) return { error: 'timeout', detail: `containers-storage: ${err.message}` };
			if (err.code === 'ENOENT') return { error: 'absent', detail: `containers-storage: no state under ${this.paths.root}` };
			return { error: 'error', detail: `containers-storage under ${this.paths.root}: ${err.code ?? err.message}` };
		}
	}

	/** The container whose id starts with id, from the state files; undefined when there is none (or more than one). */
	private async read(id: string): Promise<ContainerMeta | undefined> {
		const d = this.paths.driver;
		const list = await readJson(join(this.paths.root, `${d}-containers`, 'containers.json'));
		if (!Array.isArray(list)) throw new Error('containers.json: not a list');
		const hits = (list as StoredContainer[]).filter((c) => typeof c?.id === 'string' && c.id.startsWith(id));
		if (hits.length !== 1) return undefined;
		const c = hits[0];
		const md = inner(c.metadata);
		const imageId = typeof c.image === 'string' ? bareId(c.image) : undefined;
		const img = imageId ? await this.image(imageId) : undefined;
		const ann = await this.annotations(c.id);
		const criLabels = typeof ann['io.kubernetes.cri-o.Labels'] === 'string' ? stringRecord(inner(ann['io.kubernetes.cri-o.Labels'])) : undefined;
		const k8s: Record<string, string> = {};
		for (const key of Object.values(K8S_LABELS)) if (typeof ann[key] === 'string') k8s[key] = ann[key] as string;
		const priv = ann['io.podman.annotations.privileged'];
		return {
			id: c.id,
			name: c.names?.[0] ?? (typeof md.name === 'string' ? md.name : ''),
			image: (typeof md['image-name'] === 'string' ? md['image-name'] : undefined) ?? (typeof ann['io.kubernetes.cri-o.ImageName'] === 'string' ? (ann['io.kubernetes.cri-o.ImageName'] as string) : undefined) ?? img?.names?.[0] ?? '',
			imageId,
			imageDigest: img?.digest,
			// Podman keeps labels in its own database (not read); CRI-O writes them into the annotations.
			labels: criLabels || Object.keys(k8s).length ? { ...criLabels, ...k8s } : undefined,
			privileged: typeof priv === 'string' ? priv.toUpperCase() === 'TRUE' : undefined,
			startedMs: await this.started(c.id),
			source: this.name,
		};
	}

	private async image(imageId: string): Promise<StoredImage | undefined> {
		try {
			const list = await readJson(join(this.paths.root, `${this.paths.driver}-images`, 'images.json'));
			return Array.isArray(list) ? (list as StoredImage[]).find((i) => i?.id === imageId) : undefined;
		} catch {
			return undefined;
		}
	}

	/** The OCI config's annotations (podman's privileged flag; CRI-O's pod and labels). */
	private async annotations(id: string): Promise<Record<string, unknown>> {
		try {
			const cfg = (await readJson(join(this.paths.root, `${this.paths.driver}-containers`, id, 'userdata', 'config.json'))) as { annotations?: unknown };
			return cfg && typeof cfg.annotations === 'object' && cfg.annotations ? (cfg.annotations as Record<string, unknown>) : {};
		} catch {
			return {};
		}
	}

	/** When the runtime wrote the container's pidfile (its start, within a few ms), ms since the epoch. */
	private async started(id: string): Promise<number | undefined> {
		try {
			return Math.round((await stat(join(this.paths.runRoot, `${this.paths.driver}-containers`, id, 'userdata', 'pidfile'))).mtimeMs);
		} catch {
			return undefined;
		}
	}
}
