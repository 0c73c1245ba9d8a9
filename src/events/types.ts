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
	/** Bit i set when fd i (0 stdin, 1 stdout, 2 stderr) was a socket at exec. */
	stdioSock: number;
	/** Kill in the kernel at this exec: slot + 1 | enum bg_enf_verdict bits (enforce/verdict.ts); 0 none. */
	enforce: number;
	startNs: bigint;
	comm: string;
	/** Executed file: the kernel's path of the opened binary on success, the argument on failure. */
	exe: string;
	args: string[];
	argsTruncated: boolean;
	cwd: string;
	/** tty name as the kernel names it (tty->name, e.g. "pts0"), or "" without a terminal. */
	tty: string;
	/** The script a #! (binfmt) handler ran with the interpreter in exe: bprm->filename as given to exec (maybe relative); "" otherwise. */
	script: string;
	/** The configured environment variables (LD_PRELOAD …) the new process has, by name; read at exec (success only). */
	env: Readonly<Record<string, string>>;
	/** What fds 0, 1, 2 were at exec (StdioKind: 'pipe', 'file', 'tty' …). */
	stdioKind: readonly StdioKind[];
	/** Inode numbers of fds 0, 1, 2 at exec (a pipe's is shared by both its ends); 0 when closed. */
	stdioIno: readonly number[];
	/** The pid in its own pid namespace (a container's view). */
	vpid: number;
	/** Inode numbers of its pid and mount namespaces (as /proc/PID/ns/pid and ns/mnt name them). */
	pidns: number;
	mntns: number;
	/** cgroup v2 path from the kernel ("/" for the root; the last components only when cgroupTruncated). */
	cgroup: string;
	/** Path in a cgroup v1 hierarchy (pids, memory or cpu controller); "" on a cgroup v2 host. */
	cgroup1: string;
	/** One of the cgroup paths was cut from the top (deeper than the kernel keeps). */
	cgroupTruncated: boolean;
	/** The file on fd 0 at exec when it was a regular file (`sh < /tmp/x.sh`), from its struct file; "" otherwise. */
	stdinPath: string;
}

/** What an fd is (enum bg_fd_kind): closed, regular file, pipe/FIFO, socket, terminal, other char device, other. */
export type StdioKind = 'none' | 'file' | 'pipe' | 'socket' | 'tty' | 'chr' | 'other';

/** A new process (threads are not reported). */
export interface ForkEvent extends EventBase {
	kind: 'fork';
	ppid: number;
	parentTid: number;
	startNs: bigint;
	comm: string;
	/** The child's pid in its own pid namespace, and the inode numbers of its pid and mount namespaces. */
	vpid: number;
	pidns: number;
	mntns: number;
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
	/** Kill in the kernel at this open: slot + 1 | enum bg_enf_verdict bits (enforce/verdict.ts); 0 none. */
	enforce: number;
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
	/** A change: name (and name2, flag BG_FF_NAME2_REAL) is the path of the dentry the kernel changed, not the argument text. */
	nameReal: boolean;
	nameTruncated: boolean;
	/** Open success, or a change with nameReal: the file's inode number; 0 otherwise. */
	ino: number;
	/** The same: its file system's device as stat() reports it (st_dev); 0 otherwise. */
	dev: number;
}

/** An open, openat, openat2 or creat call. */
export interface OpenEvent extends FileEventBase {
	kind: 'open';
}

/** A change to a file: unlink, rename, chmod, chown, link, symlink, mkdir, rmdir, truncate. */
export interface FileChangeEvent extends FileEventBase {
	kind: 'file_change';
}

/** Network record kinds: connect exit, accept exit, later TCP outcome, close, listen, bind, first UDP send. */
export type NetKind = 'net_connect' | 'net_accept' | 'net_outcome' | 'net_close' | 'net_listen' | 'net_bind' | 'net_send';

/** Where a connection stands: enum bg_net_state by name ('' when not applicable). */
export type NetState = '' | 'established' | 'in_progress' | 'refused' | 'timeout' | 'error' | 'closed' | 'listen';

/** A network event; pid/tid/comm/uid are the socket's owner (who connected or accepted). */
export interface NetEvent extends EventBase {
	kind: NetKind;
	uid: number;
	/** Syscall return (0, bytes, new fd, -errno); outcome/close: -sk_err. */
	ret: number;
	startNs: bigint;
	/** bpfguard id of a tracked TCP socket (connect/accept to close), 0n if none. */
	connId: bigint;
	/** Close: ms from established (or accepted) to close, else 0. */
	durationMs: number;
	/** Close: tcp_sock bytes_acked. */
	bytesSent: number;
	/** Close: tcp_sock bytes_received. */
	bytesReceived: number;
	family: 'ip' | 'ip6';
	proto: 'tcp' | 'udp';
	/** Local and remote address; an IPv4-mapped IPv6 address is shown as IPv4 (v4mapped says so). */
	sip: string;
	dip: string;
	v4mapped: boolean;
	sport: number;
	dport: number;
	state: NetState;
	/** 'in' for accepted connections (and their close), listen and bind; 'out' otherwise. */
	dir: 'in' | 'out';
	/** The syscall's fd (accept: the new fd), -1 for outcome/close. */
	fd: number;
	/** Records of the deny hook (flag BG_F_NET_DENY): slot + 1 | enum bg_enf_verdict bits; else 0. */
	enforce: number;
	comm: string;
	/** Port 53 datagrams: the query name parsed from the payload (display only), else null. */
	dnsQuery: string | null;
}

/** What the agent says about itself: started, stopped, alive, or lost something (made in user space, never by the kernel). */
export type AgentWhat = 'start' | 'stop' | 'heartbeat' | 'loss';

/** A record of the agent about itself (evt.type bpfguard_start, _stop, _heartbeat, _loss); pid is the agent's. */
export interface AgentEvent extends EventBase {
	kind: 'agent';
	what: AgentWhat;
	/** start: what runs; stop: why (SIGINT, SIGTERM, duration, error …); loss: what was lost. */
	reason: string;
	/** Counts by cause since the previous record of this kind (loss) or since start (heartbeat, stop). */
	counts: Record<string, number>;
	/** Sum of counts for a loss record; events seen since start otherwise. */
	total: number;
	/** Seconds the agent has been running. */
	uptimeS: number;
	/** Seconds the counts cover. */
	windowS: number;
	/** The agent's process name. */
	comm: string;
}

/** What a seccomp filter did to a call (enum bg_sc_action by name); kill_process also when KILL_THREAD hit a process's last thread. */
export type SeccompAction = 'errno' | 'trap' | 'kill_thread' | 'kill_process' | 'skipped';

/** The syscall table a seccomp record's number belongs to (enum bg_sc_arch by name). */
export type SeccompArch = 'x86_64' | 'i386' | 'x32' | 'aarch64';

/** A call a seccomp filter refused or killed, of any filtered process on the host. */
export interface SeccompEvent extends EventBase {
	kind: 'seccomp';
	/** Syscall number in arch's table. */
	nr: number;
	arch: SeccompArch;
	/** Syscall name in arch's table ("syscall_<n>" when unknown). */
	syscall: string;
	/** What the call returned: -errno (errno), the number (trap), 0 (kills: never returned). */
	ret: number;
	/** The six argument registers, raw. */
	args: bigint[];
	action: SeccompAction;
	uid: number;
	ppid: number;
	comm: string;
	/** The task's executable (mm->exe_file); "" when its memory was already gone. */
	exe: string;
}

/** Record kinds of acts on the kernel (kmod, bpf) or on another process (ptrace, procmem). */
export type ActKind = 'kmod' | 'bpf' | 'ptrace' | 'procmem';

/** The process an act was aimed at (ptrace, procmem), read at the syscall's exit. */
export interface ActTarget {
	pid: number;
	tid: number;
	uid: number;
	comm: string;
	/** Its executable (mm->exe_file); "" for a kernel thread or an exited one. */
	exe: string;
}

/** A module load or unload, a BPF program load or attach, a ptrace request or a process_vm_* call, at its exit (attempts too). */
export interface ActEvent extends EventBase {
	kind: ActKind;
	nr: number;
	/** Syscall name. */
	syscall: string;
	/** Return value (-errno on failure). */
	ret: number;
	/** kmod: flags; bpf: cmd; ptrace: request; procmem: 0. */
	op: number;
	/** kmod: init_module image bytes; bpf: program type; ptrace: addr; procmem: remote iovec count. */
	arg: bigint;
	/** bpf: attach type. */
	aux: number;
	uid: number;
	ppid: number;
	comm: string;
	exe: string;
	/** kmod: the module file (finit_module) or name (delete_module); bpf: the program name. */
	name: string;
	/** ptrace, procmem: the target when it was found at exit. */
	target?: ActTarget;
	/** ptrace, procmem: the pid argument (what the caller named). */
	targetArg: number;
}

/** An audit configuration message sent on a NETLINK_AUDIT socket (sendto/sendmsg), at the call's exit; one per message. */
export interface AuditCtlEvent extends EventBase {
	kind: 'audit_ctl';
	nr: number;
	/** Syscall name (sendto, sendmsg). */
	syscall: string;
	/** The syscall's return value: bytes sent, or -errno. */
	ret: number;
	/** The kernel's answer to this message (0 done, -errno refused), from its ack; undefined when none was queued. */
	err: number | undefined;
	/** nlmsg_type (include/uapi/linux/audit.h). */
	type: number;
	nlflags: number;
	seq: number;
	/** AUDIT_SET: audit_status.mask; SET_FEATURE: the feature mask. */
	mask: number;
	/** AUDIT_SET and TTY_SET: enabled; SET_FEATURE: features. */
	enabled: number;
	/** AUDIT_SET: failure mode; SET_FEATURE: lock. */
	failure: number;
	/** AUDIT_SET: the audit daemon's pid to set. */
	auditPid: number;
	rateLimit: number;
	backlogLimit: number;
	backlogWaitTime: number;
	uid: number;
	ppid: number;
	/** The message's place in its send (0 first). */
	index: number;
	comm: string;
	exe: string;
}

export type BgEvent = ExecEvent | ForkEvent | ExitEvent | PrivEvent | OpenEvent | FileChangeEvent | NetEvent | SeccompEvent | ActEvent | AuditCtlEvent | AgentEvent;
export type EventKind = BgEvent['kind'];
