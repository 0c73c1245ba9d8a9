/**
 * @module container/http-api: the Docker Engine API and Podman's libpod API over their unix sockets
 * (node:http with socketPath; no dependency). Each lookup has one deadline for all its requests.
 */
import { request } from 'node:http';
import { bareId, parseTime, stringRecord, type ContainerMeta, type MetaSource, type SourceAnswer, type SourceError } from './meta.js';
import { parseImageRef } from './image-ref.js';

/** Largest answer read from a runtime (a container's JSON is a few KiB). */
const MAX_BODY = 4 << 20;

/** A request that failed: the socket is missing or refused (error) or the answer did not come in time (timeout). */
export class ApiError extends Error {
	constructor(
		readonly kind: SourceError,
		message: string,
	) {
		super(message);
		this.name = 'ApiError';
	}
}

/** GET path on the unix socket; resolves with the status and the parsed JSON body (undefined when not JSON). */
export function getJson(socketPath: string, path: string, deadline: number): Promise<{ status: number; body: unknown }> {
	return new Promise((resolve, reject) => {
		const left = deadline - Date.now();
		if (left <= 0) return reject(new ApiError('timeout', `GET ${path}: no time left`));
		const req = request({ socketPath, path, method: 'GET', headers: { host: 'localhost', accept: 'application/json' } }, (res) => {
			const chunks: Buffer[] = [];
			let size = 0;
			res.on('data', (b: Buffer) => {
				size += b.length;
				if (size > MAX_BODY) req.destroy(new ApiError('error', `GET ${path}: answer larger than ${MAX_BODY} bytes`));
				else chunks.push(b);
			});
			res.on('end', () => {
				clearTimeout(timer);
				let body: unknown;
				try {
					body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
				} catch {
					body = undefined;
				}
				resolve({ status: res.statusCode ?? 0, body });
			});
			res.on('error', (e) => fail(e));
		});
		const fail = (e: Error) => {
			clearTimeout(timer);
			if (e instanceof ApiError) return reject(e);
			const code = (e as NodeJS.ErrnoException).code;
			const absent = code === 'ENOENT' || code === 'ECONNREFUSED';
			reject(new ApiError(absent ? 'absent' : 'error', `GET ${path} on ${socketPath}: ${code ?? e.message}`));
		};
		const timer = setTimeout(() => req.destroy(new ApiError('timeout', `GET ${path} on ${socketPath}: no answer in ${left} ms`)), left);
		req.on('error', fail);
		req.end();
	});
}

/** Run one lookup: 404 is missing, a failed request is its error kind. */
async function answer(fn: () => Promise<ContainerMeta | undefined>): Promise<SourceAnswer> {
	try {
		const m = await fn();
		return m ? { found: m } : { missing: true };
	} catch (e) {
		if (e instanceof ApiError) return { error: e.kind, detail: e.message };
		return { error: 'error', detail: (e as Error).message };
	}
}

const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' ? (v as Record<string, unknown>) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** A container id (or its prefix) safe to put in a URL path. */
export const ID_RE = /^[0-9a-f]{12,64}$/;

function status(path: string, s: number): void {
	if (s !== 200) throw new ApiError('error', `GET ${path}: status ${s}`);
}

/** The Docker Engine API (also Podman's compatible API): the container, then its image for the digest. */
export class DockerApi implements MetaSource {
	readonly name: string;
	constructor(
		readonly socketPath: string,
		readonly runtimes: readonly string[] = ['docker'],
		name = 'docker',
	) {
		this.name = name;
	}

	lookup(id: string, timeoutMs: number): Promise<SourceAnswer> {
		const deadline = Date.now() + timeoutMs;
		return answer(async () => {
			const path = `/containers/${id}/json`;
			const r = await getJson(this.socketPath, path, deadline);
			if (r.status === 404) return undefined;
			status(path, r.status);
			const j = obj(r.body);
			const cfg = obj(j.Config);
			const image = str(cfg.Image) ?? '';
			const imageId = str(j.Image);
			const m: ContainerMeta = {
				id: str(j.Id) ?? id,
				name: (str(j.Name) ?? '').replace(/^\//, ''),
				image,
				imageId: imageId ? bareId(imageId) : undefined,
				imageDigest: parseImageRef(image).digest || undefined,
				labels: stringRecord(cfg.Labels) ?? {},
				privileged: obj(j.HostConfig).Privileged === true,
				startedMs: parseTime(obj(j.State).StartedAt),
				source: this.name,
			};
			if (!m.imageDigest && imageId && ID_RE.test(bareId(imageId))) m.imageDigest = await this.digest(bareId(imageId), image, deadline);
			return m;
		});
	}

	/** The image's repo digest for the container's repository (else its first); undefined when the image cannot be read in time. */
	private async digest(imageId: string, image: string, deadline: number): Promise<string | undefined> {
		try {
			const r = await getJson(this.socketPath, `/images/${imageId}/json`, deadline);
			if (r.status !== 200) return undefined;
			const ds = (obj(r.body).RepoDigests as unknown[] | undefined)?.filter((d): d is string => typeof d === 'string') ?? [];
			const repo = parseImageRef(image).repository;
			const pick = ds.find((d) => d.startsWith(`${repo}@`)) ?? ds[0];
			return pick?.slice(pick.indexOf('@') + 1) || undefined;
		} catch {
			return undefined;
		}
	}
}

/** Podman's libpod API: one request gives the image name and digest too. */
export class PodmanApi implements MetaSource {
	readonly name = 'podman';
	readonly runtimes = ['podman'];
	constructor(readonly socketPath: string) {}

	lookup(id: string, timeoutMs: number): Promise<SourceAnswer> {
		const deadline = Date.now() + timeoutMs;
		return answer(async () => {
			const path = `/v4.0.0/libpod/containers/${id}/json`;
			const r = await getJson(this.socketPath, path, deadline);
			if (r.status === 404) return undefined;
			status(path, r.status);
			const j = obj(r.body);
			const cfg = obj(j.Config);
			const imageId = str(j.Image);
			return {
				id: str(j.Id) ?? id,
				name: str(j.Name) ?? '',
				image: str(j.ImageName) ?? str(cfg.Image) ?? '',
				imageId: imageId ? bareId(imageId) : undefined,
				imageDigest: str(j.ImageDigest) || undefined,
				labels: stringRecord(cfg.Labels) ?? {},
				privileged: obj(j.HostConfig).Privileged === true,
				startedMs: parseTime(obj(j.State).StartedAt),
				source: this.name,
			};
		});
	}
}
