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
	comm: string;
	/** Port 53 datagrams: the query name parsed from the payload (display only), else null. */
	dnsQuery: string | null;
}

export type BgEvent = ExecEvent | ForkEvent | ExitEvent | NetEvent;
export type EventKind = BgEvent['kind'];
