/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bpfguard kernel records: the one place their layout is declared.
 * User space reads these layouts from the compiled BTF (make gen), never from copies.
 *
 * Framing of every record in the ring buffer:
 *
 *   0               32                       sizeof(struct bg_<kind>)         hdr.size
 *   +---------------+------------------------+-------------------------------+
 *   | struct bg_hdr | fixed fields of <kind> | tail: variable-length bytes   |
 *   +---------------+------------------------+-------------------------------+
 *                      struct bg_blob {off, len} ---^  off is from the record start
 *
 * Strings in the tail are not NUL-terminated (len says how long); argv is the raw
 * NUL-separated arg area. A value cut short sets its BG_F_*_TRUNC flag.
 */
#ifndef BG_EVENTS_H
#define BG_EVENTS_H

/* Kind numbers by domain: process 1-9, file 10-19, priv 20-29, net 30-39, syscalls 40-49. */
enum bg_kind {
	BG_EV_EXEC = 1,		/* process: execve/execveat, success (at sched_process_exec) or failure */
	BG_EV_FORK = 2,		/* process: a new process (not a thread) */
	BG_EV_EXIT = 3,		/* process: the last thread of a process exited */
	BG_EV_NET_CONNECT = 30,	/* net: connect() exit (TCP attempt and, if known by then, outcome; UDP) */
	BG_EV_NET_ACCEPT = 31,	/* net: accept()/accept4() exit, the new connection */
	BG_EV_NET_OUTCOME = 32,	/* net: TCP connect outcome known after connect() returned */
	BG_EV_NET_CLOSE = 33,	/* net: a tracked TCP connection reached CLOSE */
	BG_EV_NET_LISTEN = 34,	/* net: listen() exit */
	BG_EV_NET_BIND = 35,	/* net: bind() exit */
	BG_EV_NET_SEND = 36,	/* net: first UDP sendto()/sendmsg() of a socket to a destination */
};

enum bg_flag {
	BG_F_ARGS_TRUNC = 1 << 0,	/* argv longer than BG_ARGS_MAX bytes or BG_MAX_ARGS args */
	BG_F_EXE_TRUNC = 1 << 1,	/* executable path cut (too long or too deep) */
	BG_F_CWD_TRUNC = 1 << 2,	/* cwd path cut */
	BG_F_ARGS_FAULT = 1 << 3,	/* argv could not be read */
	BG_F_EXE_DELETED = 1 << 4,	/* the executed file is unlinked (or memfd) */
};

enum bg_limit {
	BG_ARGS_MAX = 4096,	/* bytes of the NUL-separated arg area kept */
	BG_MAX_ARGS = 128,	/* args decoded; more sets BG_F_ARGS_TRUNC */
	BG_PATH_MAX = 4096,	/* path buffer; a path keeps at most BG_PATH_MAX - 1 bytes */
	BG_PATH_DEPTH = 64,	/* path components walked */
	BG_TTY_MAX = 64,	/* tty name bytes */
	BG_REC_MAX = 16384,	/* largest record, header and tail included */
};

struct bg_hdr {
	__u16 kind;		/* enum bg_kind */
	__u16 flags;		/* enum bg_flag bits */
	__u32 size;		/* bytes, header and tail included */
	__u64 ktime_ns;		/* ns, CLOCK_BOOTTIME (bpf_ktime_get_boot_ns) */
	__u32 pid;		/* tgid, as user space calls it a pid */
	__u32 tid;		/* kernel task pid */
	__u64 cgroup_id;	/* cgroup v2 id of the task */
};
_Static_assert(sizeof(struct bg_hdr) == 32, "bg_hdr size");

struct bg_blob {
	__u16 off;		/* bytes from the record start */
	__u16 len;		/* bytes */
};

struct bg_exec {
	struct bg_hdr hdr;
	__u32 ppid;		/* real_parent->tgid */
	__u32 old_tid;		/* tid that called exec (a thread may exec) */
	__u32 uid;		/* cred->uid after exec */
	__u32 gid;		/* cred->gid */
	__u32 euid;		/* cred->euid */
	__u32 egid;		/* cred->egid */
	__u32 loginuid;		/* task->loginuid, 0xffffffff when unset */
	__u32 sid;		/* session id (signal->pids[PIDTYPE_SID]) */
	__s32 ret;		/* 0, or -errno for a failed exec */
	__u32 argc;		/* argument count the kernel saw (bprm->argc), before truncation */
	__u64 start_ns;		/* ns, task->start_boottime */
	char comm[16];		/* task->comm after exec */
	struct bg_blob exe;	/* path: from bprm->file (success), the filename argument (failure) */
	struct bg_blob args;	/* NUL-separated argv: mm arg area (success), user argv (failure) */
	struct bg_blob cwd;	/* path: task->fs->pwd */
	struct bg_blob tty;	/* signal->tty->name, empty without a tty */
};
_Static_assert(sizeof(struct bg_exec) == 112, "bg_exec size");

struct bg_fork {
	struct bg_hdr hdr;	/* pid/tid: the child */
	__u32 ppid;		/* parent tgid */
	__u32 parent_tid;	/* parent task pid */
	__u64 start_ns;		/* ns, child->start_boottime */
	char comm[16];		/* child comm (inherited) */
};
_Static_assert(sizeof(struct bg_fork) == 64, "bg_fork size");

struct bg_exit {
	struct bg_hdr hdr;	/* pid: the process; tid: its last thread */
	__u32 ppid;		/* real_parent->tgid */
	__u32 exit_code;	/* raw wait status: (code << 8) | signal, 0x80 = core */
	__u64 start_ns;		/* ns, task->start_boottime */
	char comm[16];		/* task->comm */
};
_Static_assert(sizeof(struct bg_exit) == 64, "bg_exit size");

/* Network record flags (hdr.flags of BG_EV_NET_* records). */
enum bg_net_flag {
	BG_F_NET_PAYLOAD_TRUNC = 1 << 8,	/* datagram longer than BG_NET_PAYLOAD_MAX bytes */
	BG_F_NET_PAYLOAD_FAULT = 1 << 9,	/* the user buffer could not be read */
	BG_F_NET_DST_FROM_SKB = 1 << 10,	/* UDP destination from the sent datagram's IP header */
	BG_F_NET_INBOUND = 1 << 11,	/* an accepted connection (accept and its close) */
};

/* Where a connection stands (bg_net.state). */
enum bg_net_state {
	BG_NS_NONE = 0,		/* not applicable (UDP, bind) */
	BG_NS_ESTABLISHED = 1,	/* TCP handshake completed */
	BG_NS_IN_PROGRESS = 2,	/* SYN sent, outcome follows as BG_EV_NET_OUTCOME */
	BG_NS_REFUSED = 3,	/* sk_err ECONNREFUSED (RST to the SYN) */
	BG_NS_TIMEOUT = 4,	/* sk_err ETIMEDOUT (no answer to the SYNs) */
	BG_NS_ERROR = 5,	/* any other failure; ret says which */
	BG_NS_CLOSED = 6,	/* connection reached TCP_CLOSE */
	BG_NS_LISTEN = 7,	/* listening */
};

enum bg_net_limit {
	BG_NET_PAYLOAD_MAX = 512,	/* bytes of a DNS (port 53) datagram kept for display */
};

/*
 * One layout for every network record. Addresses come from struct sock (UDP without a
 * connected peer: from the datagram's IP header). The owner (hdr.pid/tid/cgroup_id, uid,
 * comm, start_ns) is the process that connected or accepted, recorded then in process
 * context; outcome and close records carry it, never the task that happens to run.
 */
struct bg_net {
	struct bg_hdr hdr;	/* pid/tid/cgroup_id: the socket's owner (see above) */
	__u32 uid;		/* owner cred->uid */
	__s32 ret;		/* syscall return (0, bytes, -errno); outcome/close: -sk_err */
	__u64 start_ns;		/* ns, owner task->start_boottime */
	__u64 conn_id;		/* bpfguard id of the tracked TCP socket (connect..close), 0 if none */
	__u64 duration_ns;	/* close: ns, established (or accepted) to close; else 0 */
	__u64 bytes_sent;	/* close: bytes, tcp_sock->bytes_acked (sequence space: data + SYN/FIN) */
	__u64 bytes_received;	/* close: bytes, tcp_sock->bytes_received (data + FIN) */
	__u8 saddr[16];		/* local address, network order: skc_rcv_saddr (4 bytes) or skc_v6_rcv_saddr */
	__u8 daddr[16];		/* remote address, network order: skc_daddr or skc_v6_daddr */
	__u16 sport;		/* local port, host order: inet_sock->inet_sport */
	__u16 dport;		/* remote port, host order: skc_dport */
	__u16 family;		/* AF_INET (2) or AF_INET6 (10): skc_family */
	__u8 proto;		/* IPPROTO_TCP (6) or IPPROTO_UDP (17): sk_protocol */
	__u8 state;		/* enum bg_net_state */
	__s32 fd;		/* the syscall's fd (accept: the new fd); -1 for outcome/close */
	__u32 _pad;
	char comm[16];		/* owner task->comm */
	struct bg_blob payload;	/* UDP to port 53: first bytes of the datagram (user buffer, display only) */
	__u32 _pad2;
};
_Static_assert(sizeof(struct bg_net) == 152, "bg_net size");

#endif /* BG_EVENTS_H */
