/**
 * @module rules/fields/container: container metadata fields (container.name, .image …, k8s.*), read
 * from the container resolver's cache: never waits; a container not known yet starts its lookup and
 * reads '<pending>' (the monitor holds its alerts a bounded time for the answer, see container/hold).
 */
import { defineFields, lookupField, type FieldDef, type FieldType } from './registry.js';
import type { EvalCtx } from '../context.js';
import type { FieldValue } from '../../alerts/alert.js';
import { containerId } from './user.js';
import { containerResolver } from '../../container/resolver.js';
import { parseImageRef } from '../../container/image-ref.js';
import { K8S_LABELS, type ContainerMeta } from '../../container/meta.js';

/** A string field's value while its container's lookup runs. */
export const PENDING = '<pending>';
/** A string field's value when no answer came (no source knew the container, or it was too slow). */
export const UNRESOLVED = '<unresolved>';

/** The container id lookups use: the one place to repoint (to container.full_id) when the process table carries it. */
export function lookupId(c: EvalCtx): string {
	return containerId(c);
}

/** The container runtime when a field says it (container.runtime, once the process table has it): its sources are asked first. */
let runtimeField: FieldDef | null | undefined;
function runtimeHint(c: EvalCtx): string | undefined {
	// looked up once, at the first read (every field module is registered by then)
	if (runtimeField === undefined) runtimeField = lookupField('container.runtime')?.def ?? null;
	const v = runtimeField?.extract(c);
	return typeof v === 'string' && v !== 'host' ? v : undefined;
}

type Getter = (m: ContainerMeta, arg?: string) => FieldValue | undefined;

interface MetaField {
	name: string;
	type: FieldType;
	desc: string;
	arg?: 'required';
	get: Getter;
	/** Its value for a host process (undefined: none). */
	host?: string;
}

/** A label's value; '<unresolved>' when the source could not tell the labels (Podman's state without its API). */
const label = (m: ContainerMeta, k: string): string => (m.labels ? (m.labels[k] ?? '') : UNRESOLVED);
const labelsText = (ls: Record<string, string>): string => Object.entries(ls).map(([k, v]) => `${k}:${v}`).join(', ');
const podLabels = (m: ContainerMeta): string => {
	if (!m.labels) return UNRESOLVED;
	if (!m.labels[K8S_LABELS.podName]) return '';
	return labelsText(Object.fromEntries(Object.entries(m.labels).filter(([k]) => !k.startsWith('io.kubernetes.') && !k.startsWith('annotation.'))));
};

const FIELDS: MetaField[] = [
	{ name: 'container.name', type: 'string', desc: "container name (from the runtime); 'host' for a host process", host: 'host', get: (m) => m.name },
	{ name: 'container.image', type: 'string', desc: "image reference the container runs (localhost/bpfguard-test:busybox); 'host' for a host process", host: 'host', get: (m) => m.image },
	{ name: 'container.image.repository', type: 'string', desc: "the image reference without tag and digest; 'host' for a host process", host: 'host', get: (m) => parseImageRef(m.image).repository },
	{ name: 'container.image.tag', type: 'string', desc: "the image reference's tag ('' when none)", get: (m) => parseImageRef(m.image).tag },
	{ name: 'container.image.digest', type: 'string', desc: "the image's manifest digest (sha256:…; '' when the runtime has none)", get: (m) => m.imageDigest ?? parseImageRef(m.image).digest },
	{ name: 'container.image.id', type: 'string', desc: 'image id (12 hex digits)', get: (m) => (m.imageId ? m.imageId.slice(0, 12) : '') },
	{ name: 'container.privileged', type: 'bool', desc: 'the container runs privileged (absent when the source cannot tell)', get: (m) => m.privileged },
	{ name: 'container.labels', type: 'string', desc: "the container's labels as 'key:value, key:value'", get: (m) => (m.labels ? labelsText(m.labels) : UNRESOLVED) },
	{ name: 'container.label', type: 'string', arg: 'required', desc: 'value of one container label (container.label[app]); \'\' when it is not set', get: (m, a) => (a === undefined ? undefined : label(m, a)) },
	{ name: 'container.start_ts', type: 'number', desc: 'when the container started, ms since the epoch (from containers-storage: when its pidfile was written)', get: (m) => m.startedMs },
	{ name: 'k8s.pod.name', type: 'string', desc: `Kubernetes pod name (label ${K8S_LABELS.podName}; '' outside Kubernetes)`, get: (m) => label(m, K8S_LABELS.podName) },
	{ name: 'k8s.ns.name', type: 'string', desc: `Kubernetes namespace (label ${K8S_LABELS.podNamespace})`, get: (m) => label(m, K8S_LABELS.podNamespace) },
	{ name: 'k8s.pod.uid', type: 'string', desc: `Kubernetes pod uid (label ${K8S_LABELS.podUid})`, get: (m) => label(m, K8S_LABELS.podUid) },
	{ name: 'k8s.container.name', type: 'string', desc: `container name in the pod spec (label ${K8S_LABELS.containerName})`, get: (m) => label(m, K8S_LABELS.containerName) },
	{ name: 'k8s.pod.labels', type: 'string', desc: "a pod's container's labels other than io.kubernetes.* ('key:value, …'; '' outside Kubernetes; CRI is not queried, so only labels the runtime put on the container)", get: podLabels },
];

const BY_NAME = new Map(FIELDS.map((f) => [f.name, f]));

/** Whether a field (by its registry name) is container metadata, completed when the answer comes. */
export function isMetaField(name: string): boolean {
	return BY_NAME.has(name);
}

/**
 * A metadata field's value for container id (or 'host'), from the cache. final: a read at an alert's
 * deadline, where a lookup still running means '<unresolved>'; otherwise a miss starts the lookup.
 */
export function metaValue(name: string, arg: string | undefined, id: string, final = false, runtime?: string): FieldValue | undefined {
	const f = BY_NAME.get(name);
	if (!f) return undefined;
	if (id === 'host') return f.host;
	const r = containerResolver();
	const p = final ? r.current(id) : r.peek(id, runtime);
	if (p === 'off') return undefined;
	if (typeof p === 'string') return f.type === 'string' ? (p === 'pending' && !final ? PENDING : UNRESOLVED) : undefined;
	return f.get(p, arg);
}

defineFields(FIELDS.map((f) => ({ name: f.name, type: f.type, desc: f.desc, arg: f.arg, extract: (c: EvalCtx, a?: string) => {
	const id = lookupId(c);
	return metaValue(f.name, a, id, false, id === 'host' ? undefined : runtimeHint(c));
} })));
