/** @module container/meta: what a runtime says about a container, and the sources that say it. */

/** A container's metadata as one source reported it; a field the source cannot tell is undefined. */
export interface ContainerMeta {
	/** Full id (64 hex digits for Docker, Podman, containerd and CRI-O). */
	id: string;
	name: string;
	/** The image reference the container was created from (localhost/bpfguard-test:busybox). */
	image: string;
	/** The image's id (64 hex digits, without sha256:). */
	imageId?: string;
	/** The image's manifest digest (sha256:…). */
	imageDigest?: string;
	labels?: Record<string, string>;
	privileged?: boolean;
	/** When the container was started, ms since the epoch. */
	startedMs?: number;
	/** Which source answered: docker, podman or storage (containers-storage state). */
	source: string;
}

/** The answer of one source: found, not known to it, or it could not be asked. */
export type SourceAnswer = { found: ContainerMeta } | { missing: true } | { error: SourceError; detail: string };

/** Why a source gave no answer: it is not there (socket missing or refused), it was too slow, or anything else. */
export type SourceError = 'absent' | 'timeout' | 'error';

/** One place that can tell a container's metadata (a runtime API or its state on disk). */
export interface MetaSource {
	readonly name: string;
	/** Runtimes it speaks for (container.runtime values), to be asked first for those. */
	readonly runtimes: readonly string[];
	lookup(id: string, timeoutMs: number): Promise<SourceAnswer>;
}

/** The Kubernetes labels that Docker-shim, CRI-O and containerd's CRI plugin set on a pod's containers. */
export const K8S_LABELS = {
	podName: 'io.kubernetes.pod.name',
	podNamespace: 'io.kubernetes.pod.namespace',
	podUid: 'io.kubernetes.pod.uid',
	containerName: 'io.kubernetes.container.name',
} as const;

/** Strip a sha256: prefix. */
export const bareId = (s: string): string => (s.startsWith('sha256:') ? s.slice(7) : s);

/** A Docker/Podman time string (RFC 3339 with ns), ms since the epoch; undefined for the zero time or garbage. */
export function parseTime(s: unknown): number | undefined {
	if (typeof s !== 'string' || s.startsWith('0001-')) return undefined;
	const ms = Date.parse(s);
	return Number.isFinite(ms) && ms > 0 ? ms : undefined;
}

/** Only the string-valued entries of an object of labels (a runtime's answer is not trusted to be well formed). */
export function stringRecord(o: unknown): Record<string, string> | undefined {
	if (!o || typeof o !== 'object') return undefined;
	const out: Record<string, string> = {};
	for (const [k, v] of Object.entries(o)) if (typeof v === 'string') out[k] = v;
	return out;
}
