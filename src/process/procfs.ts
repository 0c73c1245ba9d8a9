/** @module process/procfs: one process read from /proc/[pid], tolerating kernel threads, permissions and races. */
import { existsSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Id used when a uid or gid is not known (e.g. a fork whose parent was never seen). */
export const UNKNOWN_ID = -1;
/** The kernel's "no login uid" value. */
export const UNSET_LOGINUID = 4294967295;

/** What /proc/[pid] says about a process, in the table's units. */
export interface ProcFields {
	ppid: number;
	comm: string;
	exe: string;
	args: string[];
	uid: number;
	gid: number;
	euid: number;
	egid: number;
	loginuid: number;
	sid: number;
	tty: string;
	cwd: string;
	startNs: bigint;
	cgroupId: bigint;
	/** Pid in its own pid namespace (last NSpid of status), its namespaces' inums, its cgroup paths. */
	vpid: number;
	pidns: number;
	mntns: number;
	cgroup: string;
	cgroup1: string;
}

/** Name of a tty from its device number (tty_nr of /proc/[pid]/stat), spelled like the kernel's tty->name. */
export function ttyName(nr: number): string {
	if (!nr) return '';
	const major = (nr >>> 8) & 0xfff;
	const minor = (nr & 0xff) | ((nr >>> 12) & 0xfff00);
	if (major >= 136 && major <= 143) return `pts${(major - 136) * 256 + minor}`;
	if (major === 4) return minor < 64 ? `tty${minor}` : `ttyS${minor - 64}`;
	if (major === 5 && minor === 1) return 'console';
	return `${major}:${minor}`;
}

/** The cgroup v2 mount: /sys/fs/cgroup (unified) or /sys/fs/cgroup/unified (hybrid); undefined without one. */
export function findCgroup2(): string | undefined {
	for (const d of ['/sys/fs/cgroup', '/sys/fs/cgroup/unified']) {
		if (existsSync(join(d, 'cgroup.controllers'))) return d;
	}
	return undefined;
}

/** Pids (thread-group leaders) listed under procRoot; [] when it cannot be read. */
export function listPids(procRoot: string): number[] {
	try {
		return readdirSync(procRoot)
			.filter((n) => /^\d+$/.test(n))
			.map(Number);
	} catch {
		return [];
	}
}

function readText(path: string): string | null {
	try {
		return readFileSync(path, 'utf8');
	} catch {
		return null;
	}
}

function readLink(path: string): string {
	try {
		return readlinkSync(path);
	} catch {
		return '';
	}
}

function num(s: string | undefined): number {
	return s !== undefined && /^-?\d+$/.test(s) ? Number(s) : 0;
}

/** Real and effective id of a "Uid:" or "Gid:" line of /proc/[pid]/status. */
function statusIds(status: string | null, key: string): [number, number] {
	const m = status && new RegExp(`^${key}:\\s+(\\d+)\\s+(\\d+)`, 'm').exec(status);
	return m ? [Number(m[1]), Number(m[2])] : [UNKNOWN_ID, UNKNOWN_ID];
}

/** The cgroup v2 path ("/" for the root) on the "0::" line of a /proc/[pid]/cgroup text. */
function cgroup2Line(text: string | null): string | undefined {
	return /^0::(\/.*)$/m.exec(text ?? '')?.[1];
}

/** The v1 hierarchy the kernel record names (bpf/lib/task.bpf.h task__cgroup1): the first of pids, memory, cpu. */
const V1_CONTROLLERS = ['pids', 'memory', 'cpu'];

/** The cgroup v1 path of the first of V1_CONTROLLERS mounted as v1 ("N:a,b:/path" lines), or "". */
function cgroup1Line(text: string | null): string {
	if (!text) return '';
	for (const want of V1_CONTROLLERS) {
		for (const line of text.split('\n')) {
			const m = /^\d+:([^:]*):(\/.*)$/.exec(line);
			if (m && m[1].split(',').includes(want)) return m[2];
		}
	}
	return '';
}

/** Inode number of a namespace link (/proc/[pid]/ns/pid): the namespace's inum; 0 when unreadable. */
function nsInum(path: string): number {
	try {
		return Number(statSync(path).ino);
	} catch {
		return 0;
	}
}

/** The pid in the innermost pid namespace: the last number of status's NSpid line (pid itself without one). */
function vpidOf(status: string | null, pid: number): number {
	const m = status && /^NSpid:\s+([\d\s]+)$/m.exec(status);
	if (!m) return pid;
	const ids = m[1].trim().split(/\s+/);
	return Number(ids[ids.length - 1]);
}

/** What identifies a process's container, read from /proc/[pid]; null when it is gone. */
export interface ContainerFacts {
	vpid: number;
	pidns: number;
	mntns: number;
	cgroup: string;
	cgroup1: string;
}

/** The container facts of pid under procRoot (cgroup, ns/pid, ns/mnt, status), or null when it is gone. */
export function readContainerFacts(procRoot: string, pid: number): ContainerFacts | null {
	const dir = join(procRoot, String(pid));
	const cg = readText(join(dir, 'cgroup'));
	if (cg === null) return null;
	return containerFacts(dir, cg, readText(join(dir, 'status')), pid);
}

function containerFacts(dir: string, cg: string | null, status: string | null, pid: number): ContainerFacts {
	return {
		vpid: vpidOf(status, pid),
		pidns: nsInum(join(dir, 'ns', 'pid')),
		mntns: nsInum(join(dir, 'ns', 'mnt')),
		cgroup: cgroup2Line(cg) ?? '',
		cgroup1: cgroup1Line(cg),
	};
}

/** The initial pid namespace's inum: fixed by the kernel (PROC_PID_INIT_INO). */
const PROC_PID_INIT_INO = 0xeffffffc;

/**
 * The host's namespaces: those of pid 1, else of pid 2 (kthreadd: kernel threads stay in the
 * initial namespaces) when pid 1's are unreadable (a hardened or sandboxed init); 0 where neither
 * is readable, except the initial pid namespace's fixed inum under the real /proc.
 */
export function hostNamespaces(procRoot: string): { pidns: number; mntns: number } {
	const of = (kind: string) => nsInum(join(procRoot, '1', 'ns', kind)) || nsInum(join(procRoot, '2', 'ns', kind));
	const pidns = of('pid') || (procRoot === '/proc' ? PROC_PID_INIT_INO : 0);
	return { pidns, mntns: of('mnt') };
}

/** cgroup v2 id (the inode of its directory) from the "0::" line of /proc/[pid]/cgroup. */
function cgroupIdOf(path: string | undefined, cgroupRoot: string | undefined): bigint {
	if (!cgroupRoot) return 0n;
	if (path === undefined) return 0n;
	try {
		return statSync(join(cgroupRoot, path), { bigint: true }).ino;
	} catch {
		return 0n;
	}
}

/** The cgroup v2 path of a process ("/" for the root), or undefined when it is gone. */
export function cgroup2PathOf(pid: number, procRoot = '/proc'): string | undefined {
	return cgroup2Line(readText(join(procRoot, String(pid), 'cgroup')));
}

/** The parent pid of a process (field 4 of /proc/[pid]/stat), or undefined when it is gone. */
export function ppidOf(pid: number, procRoot = '/proc'): number | undefined {
	const stat = readText(join(procRoot, String(pid), 'stat'));
	return stat === null ? undefined : Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

/**
 * The name a process found at start-up goes by: its executable's file name cut to a comm's 15
 * bytes, as exec sets it, not the comm it may have renamed itself to (prctl, /proc/self/comm).
 */
export function exeName(exe: string): string {
	const base = exe.replace(/ \(deleted\)$/, '');
	const name = Buffer.from(base.slice(base.lastIndexOf('/') + 1));
	return name.subarray(0, 15).toString('utf8').replace(/\uFFFD$/, '');
}

/**
 * Read procRoot/[pid]; null when it is gone or its stat is unreadable. Missing parts
 * (exe and cwd of kernel threads, denied links) stay empty.
 */
export function readProc(procRoot: string, pid: number, tickNs: bigint, cgroupRoot?: string): ProcFields | null {
	const dir = join(procRoot, String(pid));
	const stat = readText(join(dir, 'stat'));
	const open = stat?.indexOf('(') ?? -1;
	const close = stat?.lastIndexOf(')') ?? -1;
	if (!stat || open < 0 || close < open) return null;
	/* fields after "(comm) ", from field 3: state ppid pgrp session tty_nr ... starttime (field 22) */
	const f = stat.slice(close + 2).split(' ');
	const status = readText(join(dir, 'status'));
	const [uid, euid] = statusIds(status, 'Uid');
	const [gid, egid] = statusIds(status, 'Gid');
	const cmdline = readText(join(dir, 'cmdline')) ?? '';
	const login = readText(join(dir, 'loginuid'))?.trim() ?? '';
	const exe = readLink(join(dir, 'exe'));
	const cg = readText(join(dir, 'cgroup'));
	return {
		ppid: num(f[1]),
		comm: exe ? exeName(exe) : stat.slice(open + 1, close),
		exe,
		args: cmdline ? cmdline.replace(/\0$/, '').split('\0') : [],
		uid,
		gid,
		euid,
		egid,
		loginuid: /^\d+$/.test(login) ? Number(login) : UNSET_LOGINUID,
		sid: num(f[3]),
		tty: ttyName(num(f[4])),
		cwd: readLink(join(dir, 'cwd')),
		startNs: /^\d+$/.test(f[19] ?? '') ? BigInt(f[19]) * tickNs : 0n,
		cgroupId: cgroupIdOf(cgroup2Line(cg), cgroupRoot),
		...containerFacts(dir, cg, status, pid),
	};
}
