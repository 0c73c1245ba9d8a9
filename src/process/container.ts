/** @module process/container: which container a process is in, from its cgroup paths (the runtimes' layouts) and its namespaces. */

/** Runtimes told apart by their cgroup layout; 'cri' is a Kubernetes container whose layout does not name its runtime. */
export type ContainerRuntime = 'docker' | 'podman' | 'containerd' | 'cri-o' | 'cri' | 'systemd-nspawn' | 'lxc' | 'libvirt-lxc' | 'unknown';

/** What a cgroup path says: the container's id (64 hex, or a name for nspawn and lxc), its runtime, its pod. */
export interface CgroupContainer {
	readonly id: string;
	readonly runtime: ContainerRuntime;
	/** Kubernetes pod uid (with dashes) when the path is under kubepods, else "". */
	readonly podUid: string;
}

/** A process's container identity, as the container.* fields give it. */
export interface ContainerIdentity {
	/** 12 hex digits (Falco's short id), a name (nspawn, lxc), "pidns-N" (another pid namespace, no known runtime), or "host". */
	readonly id: string;
	/** 64 hex digits when the runtime has them; else as id. */
	readonly fullId: string;
	/** A ContainerRuntime, or "host". */
	readonly runtime: ContainerRuntime | 'host';
	readonly podUid: string;
}

/** Inode numbers of the host's pid and mount namespaces (pid 1's); 0 when unknown. */
export interface HostNamespaces {
	readonly pidns: number;
	readonly mntns: number;
}

/** The identity of every process on the host. */
export const HOST: ContainerIdentity = Object.freeze({ id: 'host', fullId: 'host', runtime: 'host', podUid: '' });
/** The identity of a process that was gone before anything about it was known: Falco's "not available". */
export const UNKNOWN: ContainerIdentity = Object.freeze({ id: '<NA>', fullId: '<NA>', runtime: 'unknown', podUid: '' });

const HEX64 = '[0-9a-f]{64}';
/** <prefix>-<64 hex>.scope (systemd cgroup driver) and libpod-<64 hex> (podman's cgroupfs driver). */
const SCOPE = new RegExp(`^(docker|libpod|cri-containerd|crio|nerdctl)-(${HEX64})(?:\\.scope)?$`);
const SCOPE_RUNTIME: Readonly<Record<string, ContainerRuntime>> = { docker: 'docker', libpod: 'podman', 'cri-containerd': 'containerd', crio: 'cri-o', nerdctl: 'containerd' };
const BARE = new RegExp(`^${HEX64}$`);
/** kubepods-<qos>-pod<uid>.slice (systemd driver, uid with underscores) or pod<uid> (cgroupfs driver). */
const POD = /^(?:kubepods(?:-[a-z]+)*-pod([0-9a-f_]{36})\.slice|pod([0-9a-f-]{36}))$/;
const MACHINE = /^machine-(.+)\.scope$/;
const LXC_PAYLOAD = /^lxc\.payload[./](.+)$/;

/** systemd's unit-name escaping undone (\x2d is "-"). */
function unescapeUnit(s: string): string {
	return s.replace(/\\x([0-9a-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
}

/** The pod uid of the first kubepods component above index i, or "". */
function podAbove(parts: readonly string[], i: number): string {
	for (let j = i - 1; j >= 0; j--) {
		const m = POD.exec(parts[j]);
		if (m) return (m[1] ?? m[2]).replace(/_/g, '-');
	}
	return '';
}

/** The container of one component at index i (and its parents), or null. */
function matchComponent(parts: readonly string[], i: number): CgroupContainer | null {
	const c = parts[i];
	const parent = i > 0 ? parts[i - 1] : '';
	let m = SCOPE.exec(c);
	if (m) return { id: m[2], runtime: SCOPE_RUNTIME[m[1]], podUid: podAbove(parts, i) };
	if (BARE.test(c)) {
		const pod = podAbove(parts, i);
		const runtime: ContainerRuntime = pod || parts.some((p) => p.startsWith('kubepods')) ? 'cri' : parent === 'docker' ? 'docker' : 'unknown';
		return { id: c, runtime, podUid: pod };
	}
	if ((m = MACHINE.exec(c))) {
		const name = unescapeUnit(m[1]);
		if (name.startsWith('qemu-')) return null; /* a virtual machine: its qemu process runs on the host */
		return { id: name, runtime: name.startsWith('lxc-') ? 'libvirt-lxc' : 'systemd-nspawn', podUid: '' };
	}
	if ((m = LXC_PAYLOAD.exec(c))) return { id: m[1], runtime: 'lxc', podUid: '' };
	if (parent === 'lxc' && i === 1) return { id: c, runtime: 'lxc', podUid: '' };
	return null;
}

/**
 * The container a cgroup path names, or null. Components are read from the bottom up, so the
 * innermost container wins (docker in docker) and a container's own sub-cgroups still name it.
 * A runtime's monitor (conmon, lxc.monitor) is a host process: null.
 */
export function parseCgroupPath(path: string): CgroupContainer | null {
	const parts = path.split('/').filter((p) => p !== '');
	for (let i = parts.length - 1; i >= 0; i--) {
		const c = parts[i];
		if (c.includes('conmon') || c.startsWith('lxc.monitor')) return null;
		const hit = matchComponent(parts, i);
		if (hit) return hit;
	}
	return null;
}

const CACHE_MAX = 4096;

/** Identities computed from (cgroup paths, namespaces), shared by every process with the same ones. */
export class ContainerResolver {
	private readonly cache = new Map<string, ContainerIdentity>();

	constructor(readonly host: HostNamespaces) {}

	/**
	 * The identity of a process with these cgroup paths (v2, v1) and namespace inums (0: unknown).
	 * A recognised container cgroup names it; else a pid namespace other than the host's makes it
	 * "pidns-N" (runtime "unknown"); else it is the host. A mount namespace of its own alone does not
	 * (systemd services with PrivateTmp=, ProtectSystem= … and `unshare -m` run on the host, in the
	 * host's pid namespace): proc.mntns tells them apart.
	 */
	identify(cgroup: string, cgroup1: string, pidns: number, mntns: number): ContainerIdentity {
		const key = `${cgroup}\0${cgroup1}\0${pidns}\0${mntns}`;
		let id = this.cache.get(key);
		if (id) return id;
		id = this.compute(cgroup, cgroup1, pidns, mntns);
		if (this.cache.size >= CACHE_MAX) this.cache.clear();
		this.cache.set(key, id);
		return id;
	}

	private compute(cgroup: string, cgroup1: string, pidns: number, mntns: number): ContainerIdentity {
		const c = parseCgroupPath(cgroup) ?? parseCgroupPath(cgroup1);
		if (c) return { id: BARE.test(c.id) ? c.id.slice(0, 12) : c.id, fullId: c.id, runtime: c.runtime, podUid: c.podUid };
		let ns = '';
		if (pidns && this.host.pidns && pidns !== this.host.pidns) ns = `pidns-${pidns}`;
		return ns ? { id: ns, fullId: ns, runtime: 'unknown', podUid: '' } : HOST;
	}
}

/** The container facts of one process, as the process table keeps them. */
export interface ProcContainer {
	readonly container: ContainerIdentity;
	/** Pid in its own pid namespace. */
	readonly vpid: number;
	/** Inode numbers of its pid and mount namespaces; 0 when unknown. */
	readonly pidns: number;
	readonly mntns: number;
}

/** What a /proc reader gives for a pid (procfs.ts readContainerFacts), or null when it is gone. */
export type FactsReader = (pid: number) => { vpid: number; pidns: number; mntns: number; cgroup: string; cgroup1: string } | null;

/** Counters of a PidLookup. */
export interface PidLookupStats {
	/** /proc reads for pids the process table did not know (one per pid while cached). */
	lookups: number;
	/** Of those, pids already gone: their identity is unknown (container.id "<NA>"). */
	gone: number;
}

/**
 * The container facts of pids the process table does not know, read once from /proc and cached
 * (bounded; cleared when full). A pid already gone is cached as UNKNOWN with its own pid.
 */
export class PidLookup {
	private readonly cache = new Map<number, ProcContainer>();
	readonly stats: PidLookupStats = { lookups: 0, gone: 0 };

	constructor(
		private readonly resolver: ContainerResolver,
		private readonly read: FactsReader,
		private readonly max = 4096,
	) {}

	/** The facts of pid: cached, else read now (counted). */
	get(pid: number): ProcContainer {
		let p = this.cache.get(pid);
		if (p) return p;
		this.stats.lookups++;
		const f = this.read(pid);
		if (!f) this.stats.gone++;
		p = f
			? { container: this.resolver.identify(f.cgroup, f.cgroup1, f.pidns, f.mntns), vpid: f.vpid, pidns: f.pidns, mntns: f.mntns }
			: { container: UNKNOWN, vpid: pid, pidns: 0, mntns: 0 };
		if (this.cache.size >= this.max) this.cache.clear();
		this.cache.set(pid, p);
		return p;
	}

	/** Forget pid (it exited, or the table now knows it). */
	forget(pid: number): void {
		this.cache.delete(pid);
	}
}
