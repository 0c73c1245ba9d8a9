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
	/** tty name such as "pts/0", or "" without a terminal. */
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

export type BgEvent = ExecEvent | ForkEvent | ExitEvent | OpenEvent | FileChangeEvent;
export type EventKind = BgEvent['kind'];
