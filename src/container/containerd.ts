/**
 * @module container/containerd: containerd's task bundles on disk (<state>/<namespace>/<id>/config.json),
 * read without its gRPC API: the OCI annotations its CRI plugin sets give the pod, the container's
 * name in the pod and the image; the shim's init.pid file gives the start time.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { K8S_LABELS, type ContainerMeta, type MetaSource, type SourceAnswer } from './meta.js';

/** Where containerd's runtime v2 keeps its task bundles. */
export const DEFAULT_CONTAINERD_STATE = '/run/containerd/io.containerd.runtime.v2.task';

/** The CRI plugin's annotation → the Kubernetes label the other runtimes set. */
const CRI = {
	'io.kubernetes.cri.sandbox-name': K8S_LABELS.podName,
	'io.kubernetes.cri.sandbox-namespace': K8S_LABELS.podNamespace,
	'io.kubernetes.cri.sandbox-uid': K8S_LABELS.podUid,
	'io.kubernetes.cri.container-name': K8S_LABELS.containerName,
} as const;

/** containerd's task bundles as a metadata source (Docker's own namespace, moby, is left to the Docker API). */
export class ContainerdState implements MetaSource {
	readonly name = 'containerd';
	readonly runtimes = ['containerd'];
	constructor(readonly state: string = DEFAULT_CONTAINERD_STATE) {}

	async lookup(id: string, timeoutMs: number): Promise<SourceAnswer> {
		let timer: NodeJS.Timeout | undefined;
		const late = new Promise<SourceAnswer>((resolve) => {
			timer = setTimeout(() => resolve({ error: 'timeout', detail: `containerd state: no answer in ${timeoutMs} ms` }), timeoutMs);
		});
		try {
			return await Promise.race([this.find(id), late]);
		} finally {
			clearTimeout(timer);
		}
	}

	private async find(id: string): Promise<SourceAnswer> {
		let namespaces: string[];
		try {
			namespaces = (await readdir(this.state)).filter((n) => n !== 'moby');
		} catch (e) {
			const code = (e as NodeJS.ErrnoException).code;
			return code === 'ENOENT' ? { error: 'absent', detail: `containerd state: no ${this.state}` } : { error: 'error', detail: `containerd state ${this.state}: ${code}` };
		}
		for (const ns of namespaces) {
			let ids: string[];
			try {
				ids = (await readdir(join(this.state, ns))).filter((d) => d.startsWith(id));
			} catch {
				continue;
			}
			if (ids.length === 1) return this.read(join(this.state, ns, ids[0]), ids[0]);
		}
		return { missing: true };
	}

	private async read(bundle: string, id: string): Promise<SourceAnswer> {
		let ann: Record<string, unknown> = {};
		try {
			const cfg = JSON.parse(await readFile(join(bundle, 'config.json'), 'utf8')) as { annotations?: unknown };
			if (cfg && typeof cfg.annotations === 'object' && cfg.annotations) ann = cfg.annotations as Record<string, unknown>;
		} catch (e) {
			return { error: 'error', detail: `containerd bundle ${bundle}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
		}
		const labels: Record<string, string> = {};
		for (const [a, l] of Object.entries(CRI)) if (typeof ann[a] === 'string') labels[l] = ann[a] as string;
		let startedMs: number | undefined;
		try {
			startedMs = Math.round((await stat(join(bundle, 'init.pid'))).mtimeMs);
		} catch {
			startedMs = undefined;
		}
		const meta: ContainerMeta = {
			id,
			name: labels[K8S_LABELS.containerName] ?? '',
			image: typeof ann['io.kubernetes.cri.image-name'] === 'string' ? (ann['io.kubernetes.cri.image-name'] as string) : '',
			// the CRI plugin copies no other labels into the bundle: only the pod's identity is known
			labels: Object.keys(labels).length ? labels : undefined,
			startedMs,
			source: this.name,
		};
		return { found: meta };
	}
}
