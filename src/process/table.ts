/** @module process/table: every process from fork/exec/exit events, seeded from /proc, with its ancestry. */
import type { BgEvent, ExecEvent, ExitEvent, ForkEvent, StdioKind } from '../events/types.js';
import { scriptOf } from './script.js';
import { findCgroup2, hostNamespaces, listPids, readContainerFacts, readProc, UNKNOWN_ID, UNSET_LOGINUID } from './procfs.js';
import { ContainerResolver, PidLookup, type ContainerIdentity, type HostNamespaces, type ProcContainer } from './container.js';
import { UserDb } from './users.js';

export { UNKNOWN_ID, UNSET_LOGINUID } from './procfs.js';

/** What the table knows about one process. */
export interface ProcInfo extends ProcContainer {
	readonly pid: number;
	readonly ppid: number;
	readonly comm: string;
	readonly exe: string;
	readonly args: readonly string[];
	readonly uid: number;
	readonly gid: number;
	readonly euid: number;
	readonly egid: number;
	readonly loginuid: number;
	readonly sid: number;
	/** tty name as the kernel spells it ("pts0"), or "" without a terminal. */
	readonly tty: string;
	readonly cwd: string;
	/** Absolute path of the script the process runs (#! or a shell's file argument), "" when none or unknown. */
	readonly script: string;
	/** The configured environment variables (LD_PRELOAD …) it had at exec, by name. */
	readonly env: Readonly<Record<string, string>>;
	/** What fds 0, 1, 2 were at its exec (or its parent's at fork); 'none' when unknown. */
	readonly stdioKind: readonly StdioKind[];
	/** Inode numbers of fds 0, 1, 2 at exec; 0 when unknown. */
	readonly stdioIno: readonly number[];
	/** The file on stdin at exec when it was a regular file; "" otherwise or unknown. */
	readonly stdinPath: string;
	/** Boot-time ns (task->start_boottime); from /proc only to clock-tick precision. */
	readonly startNs: bigint;
	/** cgroup v2 id, 0n when unknown. */
	readonly cgroupId: bigint;
	/** cgroup v2 and v1 paths (from its exec, its parent, or /proc); "" when unknown. */
	readonly cgroup: string;
	readonly cgroup1: string;
	readonly exited: boolean;
	/** Raw wait status once exited. */
	readonly exitStatus: number | null;
	readonly source: 'proc' | 'event';
	/** Name of uid, resolved when read. */
	readonly userName: string;
}

/** Settings of a ProcessTable; every one has a default. */
export interface ProcessTableOptions {
	/** Where to seed from; "/proc" by default. */
	procRoot?: string;
	/** cgroup v2 mount for cgroup ids of seeded processes; found under /sys/fs/cgroup when procRoot is "/proc". */
	cgroupRoot?: string;
	/** How long an exited process stays resolvable (ms, default 5000). */
	exitedTtlMs?: number;
	/** Bound on entries (default 65536); the oldest exited go first. */
	maxEntries?: number;
	users?: UserDb;
	/** Milliseconds clock; Date.now by default. */
	now?: () => number;
	/** Clock ticks per second of /proc times; $BPFGUARD_CLK_TCK or 100. */
	clockTicks?: number;
	/** The host's pid and mount namespaces; by default those of procRoot/1 (else of kthreadd, procfs.ts hostNamespaces). */
	hostNs?: HostNamespaces;
}

/** Counters of a ProcessTable. */
export interface ProcessTableStats {
	live: number;
	exited: number;
	seeded: number;
	evicted: number;
	missingParent: number;
	/** Container facts read from /proc for pids the table did not know (PidLookup). */
	containerLookups: number;
	containerLookupsGone: number;
}

const NO_ENV: Readonly<Record<string, string>> = Object.freeze({});
const NO_KIND: readonly StdioKind[] = Object.freeze(['none', 'none', 'none'] as StdioKind[]);
const NO_INO: readonly number[] = Object.freeze([0, 0, 0]);

/** One entry; a class so every entry has the same shape. */
class ProcEntry implements ProcInfo {
	ppid = 0;
	comm = '';
	exe = '';
	args: string[] = [];
	uid = UNKNOWN_ID;
	gid = UNKNOWN_ID;
	euid = UNKNOWN_ID;
	egid = UNKNOWN_ID;
	loginuid = UNSET_LOGINUID;
	sid = 0;
	tty = '';
	cwd = '';
	script = '';
	env: Readonly<Record<string, string>> = NO_ENV;
	stdioKind: readonly StdioKind[] = NO_KIND;
	stdioIno: readonly number[] = NO_INO;
	stdinPath = '';
	startNs = 0n;
	cgroupId = 0n;
	cgroup = '';
	cgroup1 = '';
	vpid = 0;
	pidns = 0;
	mntns = 0;
	/** null: not known from events (a fork whose parent was never seen): read from /proc when asked. */
	known: ContainerIdentity | null = null;
	exited = false;
	exitStatus: number | null = null;
	exitedAtMs = 0;

	constructor(
		readonly pid: number,
		readonly source: 'proc' | 'event',
		private readonly users: UserDb,
		private readonly lookup: PidLookup,
	) {}

	get userName(): string {
		return this.users.userName(this.uid);
	}

	get container(): ContainerIdentity {
		if (!this.known) this.known = this.lookup.get(this.pid).container;
		return this.known;
	}
}

/** Processes by pid; apply() every fork, exec and exit event, in order. */
export class ProcessTable {
	private readonly procs = new Map<number, ProcEntry>();
	/** Pipe inode -> the process that last exec'd with it as stdout (writer) / stdin (reader). */
	private readonly writers = new Map<number, ProcEntry>();
	private readonly readers = new Map<number, ProcEntry>();
	/** Exited entries in order of exit; stale ones (replaced or evicted) are skipped. */
	private queue: ProcEntry[] = [];
	private qHead = 0;
	private exitedCount = 0;
	private readonly counters = { seeded: 0, evicted: 0, missingParent: 0 };
	private readonly procRoot: string;
	private readonly cgroupRoot: string | undefined;
	private readonly ttlMs: number;
	private readonly maxEntries: number;
	private readonly users: UserDb;
	private readonly now: () => number;
	private readonly tickNs: bigint;
	/** Container identities from cgroup paths and namespaces, shared by the processes that have the same. */
	readonly containers: ContainerResolver;
	/** Container facts of pids the table does not know: read once from /proc, counted. */
	readonly pidLookup: PidLookup;

	constructor(opts: ProcessTableOptions = {}) {
		this.procRoot = opts.procRoot ?? '/proc';
		this.cgroupRoot = opts.cgroupRoot ?? (this.procRoot === '/proc' ? findCgroup2() : undefined);
		this.ttlMs = opts.exitedTtlMs ?? 5000;
		this.maxEntries = Math.max(1, opts.maxEntries ?? 65536);
		this.users = opts.users ?? new UserDb();
		this.now = opts.now ?? Date.now;
		const hz = opts.clockTicks ?? (Number(process.env.BPFGUARD_CLK_TCK) || 100);
		this.tickNs = 1_000_000_000n / BigInt(hz);
		this.containers = new ContainerResolver(opts.hostNs ?? hostNamespaces(this.procRoot));
		this.pidLookup = new PidLookup(this.containers, (pid) => readContainerFacts(this.procRoot, pid));
	}

	/** The container facts of pid: its entry's, else read once from /proc (cached, counted in stats). */
	containerOf(pid: number): ProcContainer {
		return this.procs.get(pid) ?? this.pidLookup.get(pid);
	}

	/** Add every process under procRoot not already known from events; returns how many were read. */
	seed(): number {
		const added: ProcEntry[] = [];
		for (const pid of listPids(this.procRoot)) {
			if (this.procs.get(pid)?.source === 'event') continue;
			const f = readProc(this.procRoot, pid, this.tickNs, this.cgroupRoot);
			if (!f) continue;
			const e = Object.assign(new ProcEntry(pid, 'proc', this.users, this.pidLookup), f);
			e.known = this.containers.identify(f.cgroup, f.cgroup1, f.pidns, f.mntns);
			added.push(e);
		}
		for (const e of added) this.insert(e);
		for (const e of added) if (e.ppid !== 0 && !this.procs.has(e.ppid)) this.counters.missingParent++;
		this.counters.seeded += added.length;
		return added.length;
	}

	/** Update the table from one event; other kinds and failed execs change nothing. */
	apply(ev: BgEvent): void {
		if (ev.kind === 'fork') this.onFork(ev);
		else if (ev.kind === 'exec' && ev.ret === 0) this.onExec(ev);
		else if (ev.kind === 'exit') this.onExit(ev);
		this.sweep();
	}

	/** The process with this pid, live or recently exited. */
	get(pid: number): ProcInfo | undefined {
		return this.procs.get(pid);
	}

	/** The process that exec'd last with this pipe (inode) as its stdout, while it is in the table. */
	pipeWriter(ino: number): ProcInfo | undefined {
		return this.writers.get(ino);
	}

	/** The process that exec'd last with this pipe (inode) as its stdin, while it is in the table. */
	pipeReader(ino: number): ProcInfo | undefined {
		return this.readers.get(ino);
	}

	/** Known ancestors of pid, parent first, up to max, ending at pid 1, an unknown parent or a loop. */
	ancestry(pid: number, max = 16): ProcInfo[] {
		const out: ProcInfo[] = [];
		const seen = new Set<number>([pid]);
		let cur = this.procs.get(pid)?.ppid ?? 0;
		while (cur !== 0 && out.length < max && !seen.has(cur)) {
			const p = this.procs.get(cur);
			if (!p) break;
			out.push(p);
			if (cur === 1) break;
			seen.add(cur);
			cur = p.ppid;
		}
		return out;
	}

	/** Whether ancestorPid is a (strict) ancestor of pid. */
	isDescendant(pid: number, ancestorPid: number): boolean {
		return this.ancestry(pid, this.procs.size).some((p) => p.pid === ancestorPid);
	}

	/** Number of entries, live and exited. */
	get size(): number {
		return this.procs.size;
	}

	/** Entry counts and counters since construction. */
	stats(): ProcessTableStats {
		const { lookups, gone } = this.pidLookup.stats;
		return { live: this.procs.size - this.exitedCount, exited: this.exitedCount, ...this.counters, containerLookups: lookups, containerLookupsGone: gone };
	}

	/** Evict exited processes older than the TTL; cheap (looks at the head of the exit queue); returns how many. */
	sweep(): number {
		const now = this.now();
		let n = 0;
		while (this.qHead < this.queue.length) {
			const e = this.queue[this.qHead];
			if (this.procs.get(e.pid) === e && e.exitedAtMs + this.ttlMs > now) break;
			this.qHead++;
			if (this.procs.get(e.pid) === e) {
				this.remove(e);
				n++;
			}
		}
		if (this.qHead > 1024 && this.qHead * 2 > this.queue.length) {
			this.queue = this.queue.slice(this.qHead);
			this.qHead = 0;
		}
		return n;
	}

	private onFork(ev: ForkEvent): void {
		const old = this.procs.get(ev.pid);
		if (old && !old.exited && this.sameStart(old.startNs, ev.startNs)) return;
		const e = this.create(ev.pid, ev.ppid, ev.startNs, ev.cgroupId, ev.comm);
		const parent = this.procs.get(ev.ppid);
		if (parent) {
			/*
			 * a fork runs the parent's image with its credentials, session and directory, and keeps
			 * its name: the comm exec set, not what the forking thread renamed itself to since
			 * (prctl, /proc/self/comm), so a rename before a fork cannot hide a shell
			 */
			const { comm, exe, args, uid, gid, euid, egid, loginuid, sid, tty, cwd, script, env, stdioKind, stdioIno, stdinPath, cgroup, cgroup1 } = parent;
			Object.assign(e, { comm, exe, args, uid, gid, euid, egid, loginuid, sid, tty, cwd, script, env, stdioKind, stdioIno, stdinPath, cgroup, cgroup1 });
			/* the child is in its parent's cgroup, and in the namespaces the fork record names (a clone may make new ones) */
			e.known = this.containers.identify(cgroup, cgroup1, ev.pidns || parent.pidns, ev.mntns || parent.mntns);
		}
		e.vpid = ev.vpid || ev.pid;
		e.pidns = ev.pidns || (parent?.pidns ?? 0);
		e.mntns = ev.mntns || (parent?.mntns ?? 0);
		this.insert(e);
	}

	private onExec(ev: ExecEvent): void {
		let e = this.current(ev.pid, ev.startNs);
		if (!e) {
			e = this.create(ev.pid, ev.ppid, ev.startNs, ev.cgroupId, ev.comm);
			this.insert(e);
		}
		if (e.ppid === 0) e.ppid = ev.ppid;
		e.comm = ev.comm;
		e.exe = ev.exe;
		e.args = ev.args;
		e.uid = ev.uid;
		e.gid = ev.gid;
		e.euid = ev.euid;
		e.egid = ev.egid;
		e.loginuid = ev.loginuid;
		e.sid = ev.sid;
		e.tty = ev.tty;
		e.cwd = ev.cwd;
		e.script = scriptOf(ev);
		e.env = ev.env;
		e.cgroupId = ev.cgroupId;
		e.cgroup = ev.cgroup;
		e.cgroup1 = ev.cgroup1;
		e.vpid = ev.vpid || ev.pid;
		e.pidns = ev.pidns;
		e.mntns = ev.mntns;
		e.known = this.containers.identify(ev.cgroup, ev.cgroup1, ev.pidns, ev.mntns);
		if (e.startNs === 0n) e.startNs = ev.startNs;
		this.unlinkPipes(e);
		e.stdioKind = ev.stdioKind;
		e.stdioIno = ev.stdioIno;
		e.stdinPath = ev.stdinPath;
		/* only an exec links a pipe: a forked shell that has not exec'd yet writes or reads nothing of its own */
		if (ev.stdioKind[0] === 'pipe') this.readers.set(ev.stdioIno[0], e);
		if (ev.stdioKind[1] === 'pipe') this.writers.set(ev.stdioIno[1], e);
	}

	/** Drop the pipe links of e (its stdin and stdout when they point at it). */
	private unlinkPipes(e: ProcEntry): void {
		if (this.readers.get(e.stdioIno[0]) === e) this.readers.delete(e.stdioIno[0]);
		if (this.writers.get(e.stdioIno[1]) === e) this.writers.delete(e.stdioIno[1]);
	}

	private onExit(ev: ExitEvent): void {
		let e = this.current(ev.pid, ev.startNs);
		if (e?.exited) return;
		if (!e) {
			e = this.create(ev.pid, ev.ppid, ev.startNs, ev.cgroupId, ev.comm);
			this.insert(e);
		}
		e.exited = true;
		e.exitStatus = ev.status;
		e.exitedAtMs = this.now();
		this.exitedCount++;
		this.queue.push(e);
	}

	/** A new entry from an event, counting a parent the table does not know. */
	private create(pid: number, ppid: number, startNs: bigint, cgroupId: bigint, comm: string): ProcEntry {
		const e = new ProcEntry(pid, 'event', this.users, this.pidLookup);
		e.vpid = pid;
		e.ppid = ppid;
		e.startNs = startNs;
		e.cgroupId = cgroupId;
		e.comm = comm;
		if (ppid !== 0 && !this.procs.has(ppid)) this.counters.missingParent++;
		return e;
	}

	/** The entry of pid if it is the process that started at startNs (0n: unknown, matches). */
	private current(pid: number, startNs: bigint): ProcEntry | undefined {
		const e = this.procs.get(pid);
		if (!e || e.startNs === 0n || startNs === 0n || this.sameStart(e.startNs, startNs)) return e;
		return undefined;
	}

	/** Same start time, allowing for the clock-tick precision of /proc. */
	private sameStart(a: bigint, b: bigint): boolean {
		const d = a > b ? a - b : b - a;
		return a !== 0n && b !== 0n && d < this.tickNs;
	}

	/** Insert (replacing a reused pid), then evict down to maxEntries: oldest exited first, then oldest. */
	private insert(e: ProcEntry): void {
		const old = this.procs.get(e.pid);
		if (old) {
			this.procs.delete(e.pid);
			this.unlinkPipes(old);
			if (old.exited) this.exitedCount--;
		}
		this.procs.set(e.pid, e);
		this.pidLookup.forget(e.pid);
		while (this.procs.size > this.maxEntries) {
			let victim: ProcEntry | undefined;
			while (!victim && this.qHead < this.queue.length) {
				const q = this.queue[this.qHead++];
				if (this.procs.get(q.pid) === q) victim = q;
			}
			this.remove(victim ?? this.procs.values().next().value!);
		}
	}

	private remove(e: ProcEntry): void {
		this.procs.delete(e.pid);
		this.unlinkPipes(e);
		if (e.exited) this.exitedCount--;
		this.counters.evicted++;
	}
}
