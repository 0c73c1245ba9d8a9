/** @module rules/fields/container: container identity (container.*) and the process's own view of its pid (proc.vpid …), from the process table. */
import { defineFields } from './registry.js';
import type { EvalCtx } from '../context.js';
import { ContainerResolver, PidLookup, type ProcContainer } from '../../process/container.js';
import { hostNamespaces, readContainerFacts } from '../../process/procfs.js';

let resolver: ContainerResolver | undefined;
let lookup: PidLookup | undefined;

/** Without a process table (the snoops): identities and a /proc lookup of their own, made on first use. */
function standalone(): { resolver: ContainerResolver; lookup: PidLookup } {
	resolver ??= new ContainerResolver(hostNamespaces('/proc'));
	lookup ??= new PidLookup(resolver, (pid) => readContainerFacts('/proc', pid));
	return { resolver, lookup };
}

/**
 * The container facts of the event's process: the table's entry (from exec, fork or /proc at
 * start), else a cached one-time /proc read counted in the table's stats; without a table, a
 * successful exec event's own record, else the same cached read.
 */
export function containerFacts(c: EvalCtx): ProcContainer {
	if (c.proc) return c.proc;
	if (c.table) return c.table.containerOf(c.e.pid);
	const e = c.e;
	const s = standalone();
	if (e.kind === 'exec' && e.ret === 0) {
		return { container: s.resolver.identify(e.cgroup, e.cgroup1, e.pidns, e.mntns), vpid: e.vpid, pidns: e.pidns, mntns: e.mntns };
	}
	return s.lookup.get(e.pid);
}

/** container.id of the event's process: 12 hex digits, a name, "pidns-N", "<NA>" or "host". */
export function containerId(c: EvalCtx): string {
	return containerFacts(c).container.id;
}

/** The host's pid namespace inum as the table (or the standalone resolver) knows it; 0 when unknown. */
function hostPidns(c: EvalCtx): number {
	return (c.table?.containers ?? standalone().resolver).host.pidns;
}

/**
 * Whether the event's process sees the host's file system: on the host (container.id 'host') and in the host's mount
 * namespace, or in one whose inum is not known (then its container identity decides). A host process with a mount
 * namespace of its own (PrivateTmp=, unshare -m) is on the host, but may see other files at the same paths.
 */
export function inHostMountNs(c: EvalCtx): boolean {
	const f = containerFacts(c);
	if (f.container.id !== 'host') return false;
	const host = (c.table?.containers ?? standalone().resolver).host.mntns;
	return f.mntns === 0 || host === 0 || f.mntns === host;
}

function isContainerInit(c: EvalCtx): boolean {
	const f = containerFacts(c);
	const host = hostPidns(c);
	return f.vpid === 1 && f.pidns !== 0 && host !== 0 && f.pidns !== host;
}

defineFields([
	{
		name: 'container.id',
		type: 'string',
		desc: "container id: 12 hex digits (Docker, Podman, containerd, CRI-O), the machine or container name (systemd-nspawn, LXC), 'host' for a process in the host's pid namespace with no container cgroup (a mount namespace of its own, as systemd's PrivateTmp= gives services, does not make a container: see proc.mntns); a process in another pid namespace with no known container cgroup (unshare -p, a sandbox, an unknown runtime) is 'pidns-<inum>'; '<NA>' when it was gone before it was known",
		extract: containerId,
	},
	{ name: 'container.full_id', type: 'string', desc: 'container id in full: 64 hex digits where the runtime has them, else as container.id', extract: (c) => containerFacts(c).container.fullId },
	{ name: 'container.runtime', type: 'string', desc: "runtime the cgroup layout names: docker, podman, containerd, cri-o, cri (Kubernetes, runtime not in the path), systemd-nspawn, lxc, libvirt-lxc; unknown (namespaced, no known layout); host", extract: (c) => containerFacts(c).container.runtime },
	{ name: 'container.pod_uid', type: 'string', desc: 'Kubernetes pod uid from the kubepods cgroup path, "" when none', extract: (c) => containerFacts(c).container.podUid },
	{ name: 'proc.vpid', type: 'number', desc: 'process id in its own pid namespace (what the process sees as its pid inside a container)', extract: (c) => containerFacts(c).vpid },
	{ name: 'proc.is_container_init', type: 'bool', desc: "the process is its pid namespace's init: vpid 1 in a pid namespace other than the host's", extract: isContainerInit },
	{ name: 'proc.pidns', type: 'number', desc: 'inode number of its pid namespace (as /proc/PID/ns/pid names it); 0 when unknown', extract: (c) => containerFacts(c).pidns },
	{ name: 'proc.mntns', type: 'number', desc: 'inode number of its mount namespace (/proc/PID/ns/mnt); 0 when unknown', extract: (c) => containerFacts(c).mntns },
]);
