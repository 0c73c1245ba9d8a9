/** @module events/types: decoded kernel events as the rest of bpfguard sees them. */

/** Fields every event has (from struct bg_hdr). */
export interface EventBase {
	/** Flags from the record (enum bg_flag bits). */
	flags: number;
	/** Kernel CLOCK_BOOTTIME stamp in ns. */
	bootNs: bigint;
	/** Wall-clock time in ms since the epoch. */
	timeMs: number;
	pid: number;
	tid: number;
	cgroupId: bigint;
}

/** An exec attempt: success (ret 0) or failure (ret -errno). */
export interface ExecEvent extends EventBase {
	kind: 'exec';
	ppid: number;
	oldTid: number;
	uid: number;
	gid: number;
	euid: number;
	egid: number;
	/** 0xffffffff (4294967295) when unset. */
	loginuid: number;
	sid: number;
	/** 0 or a negative errno. */
	ret: number;
	/** Argument count the kernel saw, before any truncation. */
	argc: number;
	startNs: bigint;
	comm: string;
	/** Executed file: the kernel's path of the opened binary on success, the argument on failure. */
	exe: string;
	args: string[];
	argsTruncated: boolean;
	cwd: string;
	/** tty name as the kernel names it (tty->name, e.g. "pts0"), or "" without a terminal. */
	tty: string;
}

/** A new process (threads are not reported). */
export interface ForkEvent extends EventBase {
	kind: 'fork';
	ppid: number;
	parentTid: number;
	startNs: bigint;
	comm: string;
}

/** The end of a process (its last thread). */
export interface ExitEvent extends EventBase {
	kind: 'exit';
	ppid: number;
	/** Raw wait status. */
	status: number;
	/** exit() code, or null when killed by a signal. */
	exitCode: number | null;
	/** Terminating signal number, or null. */
	signal: number | null;
	coreDumped: boolean;
	startNs: bigint;
	comm: string;
}

export type BgEvent = ExecEvent | ForkEvent | ExitEvent;
export type EventKind = BgEvent['kind'];
