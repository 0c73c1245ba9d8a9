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

/** A task's credentials (from struct bg_creds). Capability sets are bit masks of CAP_* numbers. */
export interface Creds {
	uid: number;
	euid: number;
	suid: number;
	fsuid: number;
	gid: number;
	egid: number;
	sgid: number;
	fsgid: number;
	capEff: bigint;
	capPrm: bigint;
	/** Inode number of the user namespace the ids and caps are relative to. */
	userns: number;
	ngroups: number;
}

/**
 * A privilege record: an identity syscall (priv_call), an exec that changed effective ids or
 * capabilities (priv_exec), or creds that changed with no explanation (priv_drift: old = expected).
 */
export interface PrivEvent extends EventBase {
	kind: 'priv_call' | 'priv_exec' | 'priv_drift';
	/** Syscall name: setuid…capset for priv_call, the syscall where drift was seen, 'execve' for priv_exec. */
	syscall: string;
	/** priv_call: 0 or a negative errno; otherwise 0. */
	ret: number;
	/** priv_call: the ids as requested, only the arguments the syscall has (setgroups: the count). */
	args: number[];
	/** capset: requested effective and permitted sets. */
	reqEff: bigint;
	reqPrm: bigint;
	/** Where the creds were compared (enum bg_priv_site, as a name: syscall, enter, check, exec, fork, exit). */
	site: string;
	old: Creds;
	new: Creds;
	ppid: number;
	/** priv_exec: owner and mode of the executed file; otherwise 0. */
	fileUid: number;
	fileGid: number;
	fileMode: number;
	comm: string;
	/** The executed file (priv_exec) or the task's executable (mm->exe_file). */
	exe: string;
}

/** Fields of open and file-change events (struct bg_file). Paths keep non-UTF-8 bytes as "\\xNN". */
export interface FileEventBase extends EventBase {
	/** Syscall name: "openat", "unlinkat", "renameat2", ... */
	syscall: string;
	/** Return value: an fd or 0, or a negative errno. */
	ret: number;
	uid: number;
	gid: number;
	/** Raw flags argument: O_* (opens), AT_* (…at calls), RENAME_* (renameat2). */
	argFlags: number;
	/** Raw mode argument (creates, mkdir, chmod); 0 when none. */
	mode: number;
	/** chown owner and group arguments; -1 when none or unchanged. */
	owner: number;
	group: number;
	/** The dirfd (or fd) argument; -100 (AT_FDCWD) when none. */
	dirfd: number;
	/** enum bg_watch_mode bits of the watch entry that matched; 0 in all mode. */
	watch: number;
	comm: string;
	/** Absolute path: the opened file's kernel path, or the argument joined to the dirfd or cwd. */
	name: string;
	/** base64 of name when its bytes are not valid UTF-8 (exact form), else undefined. */
	nameB64: string | undefined;
	/** The path argument as passed. */
	raw: string;
	rawB64: string | undefined;
	/** Second path (rename/link new name), built like name; "" when none. */
	name2: string;
	name2B64: string | undefined;
	/** Second argument as passed (rename/link new name, symlink target); "" when none. */
	raw2: string;
	raw2B64: string | undefined;
	/** name is the opened struct file's path (not built from the argument). */
	nameFromFile: boolean;
	nameTruncated: boolean;
}

/** An open, openat, openat2 or creat call. */
export interface OpenEvent extends FileEventBase {
	kind: 'open';
}

/** A change to a file: unlink, rename, chmod, chown, link, symlink, mkdir, rmdir, truncate. */
export interface FileChangeEvent extends FileEventBase {
	kind: 'file_change';
}

export type BgEvent = ExecEvent | ForkEvent | ExitEvent | PrivEvent | OpenEvent | FileChangeEvent;
export type EventKind = BgEvent['kind'];
