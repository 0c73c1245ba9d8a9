// SPDX-License-Identifier: GPL-2.0
/*
 * Network sensor: TCP connect (attempt and outcome), accept, close with duration and bytes,
 * UDP connect and first send per destination, listen and bind.
 *
 * Attribution: a socket is tied to its process in process context (connect entry, accept
 * exit) in bg_socks; inet_sock_set_state, which may run in softirq for any task, only ever
 * reads that record. An outcome that happens while connect() is still running is reported by
 * connect()'s own exit record; one that happens later is a BG_EV_NET_OUTCOME record. The two
 * sides agree through atomic bits in the owner record (bg_own_phase), so each outcome is
 * reported at least once and, barring a second connect() on the socket, exactly once.
 */
#include "lib/common.bpf.h"
#include "lib/emit.bpf.h"
#include "lib/filter.bpf.h"
#include "lib/task.bpf.h"
#include "lib/compat.bpf.h"
#include "lib/uring.bpf.h"
#include "net/sock.bpf.h"

char LICENSE[] SEC("license") = "GPL";

/*
 * Per-run filters (connsnoop flags; -p with descendants is cfg_follow, lib/filter.bpf.h); the
 * monitor leaves them open.
 */
const volatile __u32 cfg_pid = 0;		/* only this process (tgid), or 0 for all */
const volatile __u32 cfg_uid = (__u32)-1;	/* only this uid, or -1 for all */
const volatile __u8 cfg_ports = 0;		/* only sockets with a port in bg_net_ports */

enum {
	BG_SOCKS_MAX = 65536,	/* tracked TCP sockets */
	BG_SEEN_MAX = 65536,	/* (UDP socket, destination) pairs remembered */
	BG_PORTS_MAX = 64,	/* --port values */
};

enum bg_own_phase {
	BG_PH_EXITED = 1,	/* connect() returned (or the socket came from accept) */
	BG_PH_OUTCOME = 2,	/* the handshake ended; outcome fields are valid */
	BG_PH_INBOUND = 4,	/* the socket came from accept() */
	BG_PH_BY_STATE = 8,	/* kept only for its outcome (a rule takes that state from any process): dropped once known */
	BG_PH_URING_NOCQE = 16,	/* an io_uring connect that posts no completion: its outcome is its connect record */
};

/* Who owns a TCP socket, recorded in process context. Key: struct sock address. */
struct bg_sock_owner {
	__u32 pid;
	__u32 tid;
	__u32 uid;
	__u32 phase;		/* enum bg_own_phase bits, changed atomically */
	__u64 start_ns;
	__u64 cgroup_id;
	__u64 t0_ns;		/* connect entry, then established; accept time */
	__u64 conn_id;
	char comm[16];
	struct bg_sock_tuple tuple;	/* at the outcome (a refused socket loses its ports) */
	__s32 err;		/* sk_err at the outcome */
	__u8 state;		/* enum bg_net_state at the outcome */
	__u8 _pad[3];
};

/* Where a UDP datagram of an unconnected socket went (from its IP header). */
struct bg_udp_dst {
	__u8 saddr[16];
	__u8 daddr[16];
	__u16 dport;
	__u16 msg;		/* its index among the datagrams of the call (sendmmsg) */
	__u16 _pad[2];
};

/* The distinct destinations of one send call on an unconnected UDP socket, drained at its exit. */
enum { BG_UDP_DSTS = 8 };
struct bg_udp_dsts {
	__u32 n;		/* entries in d */
	__u32 seq;		/* datagrams seen in this call */
	struct bg_udp_dst d[BG_UDP_DSTS];
};

struct bg_udp_seen_key {
	__u64 sk;
	__u8 daddr[16];
	__u16 dport;
	__u16 _pad;
	__u32 ino;	/* the socket's inode: a new socket at a freed one's address is another socket */
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, BG_SOCKS_MAX);
	__type(key, __u64);
	__type(value, struct bg_sock_owner);
} bg_socks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u64);
	__type(value, struct bg_udp_dsts);
} bg_udp_dst SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, BG_SEEN_MAX);
	__type(key, struct bg_udp_seen_key);
	__type(value, __u8);
} bg_udp_seen SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, BG_PORTS_MAX);
	__type(key, __u16);
	__type(value, __u8);
} bg_net_ports SEC(".maps");

__u64 bg_conn_seq;

/*
 * What the rules need (monitor; all zero, the default, emits everything): record kinds not to
 * emit, and the process names a process-context record must come from. Skipped records are
 * counted filtered.
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct bg_net_filter);
} bg_net_filter SEC(".maps");

/* Process names (comm at exec, NUL-padded) the rules can match, when by_comm. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, BG_NET_COMMS_MAX);
	__type(key, char[16]);
	__type(value, __u8);
} bg_net_comms SEC(".maps");

/*
 * Each task's process name as the process table knows it: the comm its exec set, inherited by
 * forks and threads. prctl(PR_SET_NAME) renames comm, not this; tasks older than the sensor
 * have none (and always pass).
 */
struct bg_net_pname {
	char comm[16];
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct bg_net_pname);
} bg_net_pnames SEC(".maps");

static __always_inline struct bg_net_filter *net__filter(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&bg_net_filter, &zero);
}

static __always_inline int net__skipped(__u16 kind)
{
	struct bg_net_filter *f = net__filter();

	return f && ((f->skip >> (kind - BG_EV_NET_CONNECT)) & 1);
}

/* True unless the rules cannot match the current task's process name. */
static __always_inline int net__comm_pass(struct bg_net_filter *f)
{
	struct bg_net_pname *pn;

	if (!f || !f->by_comm)
		return 1;
	pn = bpf_task_storage_get(&bg_net_pnames, bpf_get_current_task_btf(), 0, 0);
	return !pn || bpf_map_lookup_elem(&bg_net_comms, pn->comm);
}

/* Process-context records: false (counted filtered) when the rules cannot match this process name. */
static __always_inline int net__comm_ok(void)
{
	if (net__comm_pass(net__filter()))
		return 1;
	stats__inc(BG_STAT_FILTERED);
	return 0;
}

/*
 * Is a connect's owner record worth keeping? It feeds the outcome and close records and the
 * connect record's own ports and state when the handshake failed during connect(). 0: no;
 * 1: yes; 2: for the outcome only (another process name, but rules take some states from any).
 */
static __always_inline int net__track_connect(void)
{
	struct bg_net_filter *f = net__filter();
	__u32 later = 1u << (BG_EV_NET_OUTCOME - BG_EV_NET_CONNECT) | 1u << (BG_EV_NET_CLOSE - BG_EV_NET_CONNECT);

	if (!f)
		return 1;
	if ((f->skip & later) != later)
		return net__comm_pass(f) || !f->states ? 1 : 2;
	if (f->skip & 1u)
		return 0;
	if (net__comm_pass(f))
		return 1;
	return f->states ? 2 : 0;
}

/* A by-state socket's outcome goes only in a state some rule takes from any process. */
static __always_inline int net__state_wanted(struct bg_sock_owner *o)
{
	struct bg_net_filter *f;

	if (!(o->phase & BG_PH_BY_STATE))
		return 1;
	f = net__filter();
	return f && ((f->states >> (o->state & 31)) & 1);
}

/* pid/uid/follow filter on the current task. */
static __always_inline int net__wanted_self(void)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;

	if (cfg_pid && tgid != cfg_pid)
		return 0;
	if (cfg_uid != (__u32)-1 && (__u32)bpf_get_current_uid_gid() != cfg_uid)
		return 0;
	return filter__followed(tgid);
}

static __always_inline int net__port_ok(struct bg_sock_tuple *tp)
{
	if (!cfg_ports)
		return 1;
	return bpf_map_lookup_elem(&bg_net_ports, &tp->sport) ||
	       bpf_map_lookup_elem(&bg_net_ports, &tp->dport);
}

/*
 * The record buffer of bg_net_state (inet_sock_set_state, often in softirq: an incoming SYN-ACK
 * or RST): its own, so it never shares one with the syscall handlers it can interrupt between
 * their reserve and submit (bg_scratch). The program never nests in itself on a CPU (the
 * kernel skips a recursive run of the same program), so one buffer per CPU is enough.
 */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct bg_scratch_val);
} bg_scratch_st SEC(".maps");

/*
 * A zeroed record of this kind with the tuple filled, in scratch (bg_scratch in process
 * context, bg_scratch_st for bg_net_state); NULL (counted) without scratch.
 */
static __always_inline struct bg_net *net__begin_in(void *scratch, __u16 kind,
						    struct bg_sock_tuple *tp)
{
	struct bg_net *n;

	if (net__skipped(kind)) {
		stats__inc(BG_STAT_FILTERED);
		return NULL;
	}
	n = emit__begin_in(scratch, kind, sizeof(*n));
	if (!n)
		return NULL;
	__builtin_memset((char *)n + sizeof(struct bg_hdr), 0, sizeof(*n) - sizeof(struct bg_hdr));
	n->fd = -1;
	__builtin_memcpy(n->saddr, tp->saddr, 16);
	__builtin_memcpy(n->daddr, tp->daddr, 16);
	n->sport = tp->sport;
	n->dport = tp->dport;
	n->family = tp->family;
	n->proto = tp->proto;
	return n;
}

/* net__begin_in in the process-context buffer (syscall and io_uring handlers). */
static __always_inline struct bg_net *net__begin(__u16 kind, struct bg_sock_tuple *tp)
{
	return net__begin_in(&bg_scratch, kind, tp);
}

/* Identity of the current task (process context only). */
static __always_inline void net__self(struct bg_net *n)
{
	struct task_struct *t = bpf_get_current_task_btf();

	n->uid = (__u32)bpf_get_current_uid_gid();
	n->start_ns = t->start_boottime;
	bpf_get_current_comm(n->comm, sizeof(n->comm));
	task__io_worker_comm(t, n->comm);
}

/* Identity recorded for the socket: for records made in any context. */
static __always_inline void net__owner(struct bg_net *n, struct bg_sock_owner *o)
{
	n->hdr.pid = o->pid;
	n->hdr.tid = o->tid;
	n->hdr.cgroup_id = o->cgroup_id;
	n->uid = o->uid;
	n->start_ns = o->start_ns;
	n->conn_id = o->conn_id;
	__builtin_memcpy(n->comm, o->comm, sizeof(n->comm));
}

/* Record the current task as the owner of sk (BPF_NOEXIST keeps a pending connect's record). */
static __always_inline struct bg_sock_owner *net__own(struct sock *sk, __u32 phase, __u64 flags)
{
	struct task_struct *t = bpf_get_current_task_btf();
	__u64 id = bpf_get_current_pid_tgid(), key = (__u64)sk;
	struct bg_sock_owner o = {};
	long err;

	o.pid = id >> 32;
	o.tid = (__u32)id;
	o.uid = (__u32)bpf_get_current_uid_gid();
	o.phase = phase;
	o.start_ns = t->start_boottime;
	o.cgroup_id = bpf_get_current_cgroup_id();
	o.t0_ns = bpf_ktime_get_boot_ns();
	o.conn_id = __sync_fetch_and_add(&bg_conn_seq, 1) + 1;
	bpf_get_current_comm(o.comm, sizeof(o.comm));
	task__io_worker_comm(t, o.comm);
	err = bpf_map_update_elem(&bg_socks, &key, &o, flags);
	if (err && err != -17 /* EEXIST */)
		stats__inc(BG_STAT_NET_TRACK_FAIL);
	return bpf_map_lookup_elem(&bg_socks, &key);
}

static __always_inline __u8 net__state_of_err(__s32 err)
{
	if (err == BG_ECONNREFUSED)
		return BG_NS_REFUSED;
	if (err == BG_ETIMEDOUT)
		return BG_NS_TIMEOUT;
	return err ? BG_NS_ERROR : BG_NS_CLOSED;
}

/* connect() exit: what the return value and the owner record say about the outcome. */
static __always_inline void net__connect_outcome(struct bg_net *n, struct sock *sk, long ret,
						 struct bg_sock_tuple *tp)
{
	__u64 key = (__u64)sk;
	struct bg_sock_owner *o = bpf_map_lookup_elem(&bg_socks, &key);
	__u32 old;

	n->state = ret == 0 ? (tp->proto == IPPROTO_TCP ? BG_NS_ESTABLISHED : BG_NS_NONE) :
		   ret == -BG_EINPROGRESS ? BG_NS_IN_PROGRESS : net__state_of_err(-ret);
	if (!o || ret == -BG_EALREADY || ret == -BG_EISCONN)
		return;
	n->conn_id = o->conn_id;
	old = __sync_fetch_and_or(&o->phase, BG_PH_EXITED);
	if ((old & BG_PH_OUTCOME) && o->state != BG_NS_ESTABLISHED) {
		/* the handshake failed during connect(): the socket has lost its ports since */
		__builtin_memcpy(n->saddr, o->tuple.saddr, 16);
		__builtin_memcpy(n->daddr, o->tuple.daddr, 16);
		n->sport = o->tuple.sport;
		n->dport = o->tuple.dport;
		n->state = o->state;
	}
	if ((ret < 0 && ret != -BG_EINPROGRESS) || ((old & BG_PH_OUTCOME) && (o->phase & BG_PH_BY_STATE)))
		bpf_map_delete_elem(&bg_socks, &key);
}

/*
 * Before a connect (connect(), a MSG_FASTOPEN send, an io_uring connect) on a TCP socket fd:
 * record its owner. Returns the owner record, or NULL when none is kept for it.
 */
static __always_inline struct bg_sock_owner *net__own_connecting_sk(struct sock *sk)
{
	int how;

	if (!sk || BPF_CORE_READ(sk, sk_protocol) != IPPROTO_TCP)
		return NULL;
	if (!net__wanted_self())
		return NULL;
	how = net__track_connect();
	if (!how)
		return NULL;
	/* a fresh socket (CLOSE) starts a new record; a repeated connect() keeps the pending one */
	return net__own(sk, how == 2 ? BG_PH_BY_STATE : 0,
			BPF_CORE_READ(sk, __sk_common.skc_state) == TCP_CLOSE ? BPF_ANY : BPF_NOEXIST);
}

static __always_inline struct bg_sock_owner *net__own_connecting(int fd)
{
	return net__own_connecting_sk(sock__from_fd(fd));
}

/* Parameters (connect entry): none emitted; records the owner of a TCP socket. */
SEC("tp_btf/sys_enter")
int BPF_PROG(bg_net_conn_in, struct pt_regs *regs, long id)
{
	net__own_connecting((int)PT_REGS_PARM1_SYSCALL(regs));
	return 0;
}

/* The fd (first argument) of a 32-bit connect: its register, or socketcall's array. */
static __always_inline int net__fd32(struct pt_regs *regs)
{
	__u64 a[6];
	__u32 fl;

	compat__call(regs, 1, &fl);
	compat__args(regs, 1, fl, a);
	return (int)a[0];
}

/* The same for a 32-bit connect (bg_sys_enter32: connect, socketcall SYS_CONNECT). */
SEC("tp_btf/sys_enter")
int BPF_PROG(bg_net_conn_in32, struct pt_regs *regs, long id)
{
	net__own_connecting(net__fd32(regs));
	return 0;
}

/*
 * A connect's exit record (connect(), or a send with MSG_FASTOPEN: ret 0 when it sent bytes;
 * an io_uring connect at its completion: flags BG_F_NET_IO_URING).
 */
static __always_inline int net__connected(int fd, struct sock *sk, long ret, __u16 flags)
{
	struct bg_net_filter *f;
	struct bg_sock_tuple tp;
	struct bg_net *n;
	int by_name;

	if (!sk || sock__tuple(sk, &tp))
		return 0;
	if (!net__wanted_self()) {
		stats__inc(BG_STAT_FILTERED);
		return 0;
	}
	f = net__filter();
	by_name = net__comm_pass(f);
	if (!by_name && (!f || !f->states)) {
		stats__inc(BG_STAT_FILTERED);
		return 0;
	}
	n = net__begin(BG_EV_NET_CONNECT, &tp);
	if (!n)
		return 0;
	n->hdr.flags |= flags;
	n->ret = ret;
	n->fd = fd;
	net__self(n);
	net__connect_outcome(n, sk, ret > 0 ? 0 : ret, &tp);
	tp.sport = n->sport;
	tp.dport = n->dport;
	/* another process name: only the outcomes (refused, …) some rule takes from any process */
	if (!net__port_ok(&tp) || (!by_name && (!f || !((f->states >> (n->state & 31)) & 1)))) {
		stats__inc(BG_STAT_FILTERED);
		return 0;
	}
	emit__submit(n);
	return 0;
}

/*
 * Parameters (connect exit): ret, state, conn_id, saddr, daddr, sport, dport, family, proto,
 * fd, uid, start_ns, comm.
 */
SEC("tp_btf/sys_exit")
int BPF_PROG(bg_net_connect, struct pt_regs *regs, long ret)
{
	int fd = (int)PT_REGS_PARM1_SYSCALL(regs);

	return net__connected(fd, sock__from_fd(fd), ret, 0);
}

/*
 * The same for a 32-bit connect (bg_sys_exit32), flagged BG_F_NET_IA32. socketcall's fd is read
 * again from its user array (the kernel's copy is gone): a thread that rewrites it meanwhile
 * can make the record name another of its sockets.
 */
SEC("tp_btf/sys_exit")
int BPF_PROG(bg_net_connect32, struct pt_regs *regs, long ret)
{
	int fd = net__fd32(regs);

	return net__connected(fd, sock__from_fd(fd), ret, BG_F_NET_IA32);
}

/*
 * TCP Fast Open: sendto()/sendmsg() with MSG_FASTOPEN on a TCP socket connects it (the SYN
 * carries the data). Entry: the owner, as connect()'s entry; exit: a connect record (ret: the
 * bytes sent, or the error), so every connect rule sees it.
 */
static __always_inline int net__tfo_in(struct pt_regs *regs, __u64 flags)
{
	if (flags & BG_MSG_FASTOPEN)
		net__own_connecting((int)PT_REGS_PARM1_SYSCALL(regs));
	return 0;
}

/* Parameters (sendto entry, MSG_FASTOPEN): none emitted; records the owner of the TCP socket. */
SEC("tp_btf/sys_enter")
int BPF_PROG(bg_net_tfo_sendto_in, struct pt_regs *regs, long id)
{
	return net__tfo_in(regs, PT_REGS_PARM4_SYSCALL(regs));
}

/* Parameters (sendmsg entry, MSG_FASTOPEN): as sendto's. */
SEC("tp_btf/sys_enter")
int BPF_PROG(bg_net_tfo_sendmsg_in, struct pt_regs *regs, long id)
{
	return net__tfo_in(regs, PT_REGS_PARM3_SYSCALL(regs));
}

/*
 * An accepted connection's record (accept(), or an io_uring accept at its completion: flags
 * BG_F_NET_IO_URING): sk the new socket, fd its descriptor (-1: a fixed-file slot).
 */
static __always_inline int net__accepted_sk(struct sock *sk, long ret, int fd, __u16 flags)
{
	struct bg_sock_owner *o;
	struct bg_sock_tuple tp;
	struct bg_net *n;

	if (!sk || sock__tuple(sk, &tp) || tp.proto != IPPROTO_TCP)
		return 0;
	if (!net__wanted_self() || !net__port_ok(&tp) ||
	    (net__skipped(BG_EV_NET_ACCEPT) && net__skipped(BG_EV_NET_CLOSE))) {
		stats__inc(BG_STAT_FILTERED);
		return 0;
	}
	o = net__own(sk, BG_PH_EXITED | BG_PH_OUTCOME | BG_PH_INBOUND, BPF_ANY);
	if (!net__comm_ok())
		return 0;
	n = net__begin(BG_EV_NET_ACCEPT, &tp);
	if (!n)
		return 0;
	n->hdr.flags |= BG_F_NET_INBOUND | flags;
	n->ret = ret;
	n->fd = fd;
	n->state = BG_NS_ESTABLISHED;
	n->conn_id = o ? o->conn_id : 0;
	net__self(n);
	emit__submit(n);
	return 0;
}

/* accept()'s: the new socket is its result's fd. */
static __always_inline int net__accepted(long ret, __u16 flags)
{
	return net__accepted_sk(ret >= 0 ? sock__from_fd(ret) : NULL, ret, ret, flags);
}

/*
 * Parameters (accept/accept4 exit): ret (the new fd), state, conn_id, saddr, daddr, sport,
 * dport, family, proto, fd, uid, start_ns, comm.
 */
SEC("tp_btf/sys_exit")
int BPF_PROG(bg_net_accept, struct pt_regs *regs, long ret)
{
	return net__accepted(ret, 0);
}

/* The same for a 32-bit accept/accept4 (364, socketcall SYS_ACCEPT/SYS_ACCEPT4), flagged BG_F_NET_IA32. */
SEC("tp_btf/sys_exit")
int BPF_PROG(bg_net_accept32, struct pt_regs *regs, long ret)
{
	return net__accepted(ret, BG_F_NET_IA32);
}

/* listen()/bind() exit on fd: the local address the socket now has (flags: BG_F_NET_IA32 or 0). */
static __always_inline int net__local(int fd, long ret, __u16 kind, __u8 state, __u16 flags)
{
	struct sock *sk = ret == 0 ? sock__from_fd(fd) : NULL;
	struct bg_sock_tuple tp;
	struct bg_net *n;

	if (!sk || sock__tuple(sk, &tp))
		return 0;
	if (!net__wanted_self() || !net__port_ok(&tp)) {
		stats__inc(BG_STAT_FILTERED);
		return 0;
	}
	if (!net__comm_ok())
		return 0;
	n = net__begin(kind, &tp);
	if (!n)
		return 0;
	n->hdr.flags |= flags;
	n->ret = ret;
	n->fd = fd;
	n->state = state;
	net__self(n);
	emit__submit(n);
	return 0;
}

/* Parameters (listen exit): ret, state LISTEN, saddr, sport, family, proto, fd, uid, start_ns, comm. */
SEC("tp_btf/sys_exit")
int BPF_PROG(bg_net_listen, struct pt_regs *regs, long ret)
{
	return net__local((int)PT_REGS_PARM1_SYSCALL(regs), ret, BG_EV_NET_LISTEN, BG_NS_LISTEN, 0);
}

/* The same for a 32-bit listen (363, socketcall SYS_LISTEN), flagged BG_F_NET_IA32. */
SEC("tp_btf/sys_exit")
int BPF_PROG(bg_net_listen32, struct pt_regs *regs, long ret)
{
	return net__local(net__fd32(regs), ret, BG_EV_NET_LISTEN, BG_NS_LISTEN, BG_F_NET_IA32);
}

/* Parameters (bind exit): ret, saddr, sport, family, proto, fd, uid, start_ns, comm. */
SEC("tp_btf/sys_exit")
int BPF_PROG(bg_net_bind, struct pt_regs *regs, long ret)
{
	return net__local((int)PT_REGS_PARM1_SYSCALL(regs), ret, BG_EV_NET_BIND, BG_NS_NONE, 0);
}

/* The same for a 32-bit bind (361, socketcall SYS_BIND), flagged BG_F_NET_IA32. */
SEC("tp_btf/sys_exit")
int BPF_PROG(bg_net_bind32, struct pt_regs *regs, long ret)
{
	return net__local(net__fd32(regs), ret, BG_EV_NET_BIND, BG_NS_NONE, BG_F_NET_IA32);
}

/*
 * SYN_SENT left: keep the outcome; report it unless connect() is still running (it will). An
 * io_uring connect without a completion (BG_PH_URING_NOCQE) has no exit record to carry it: its
 * outcome is reported as its connect record (evt.type connect, as the completion would give).
 */
static __always_inline void net__outcome(struct sock *sk, struct bg_sock_owner *o, int newstate)
{
	__u64 key = (__u64)sk;
	struct bg_net *n;
	__u32 old;
	int nocqe;

	sock__tuple(sk, &o->tuple);
	o->err = BPF_CORE_READ(sk, sk_err);
	o->state = newstate == TCP_ESTABLISHED ? BG_NS_ESTABLISHED : net__state_of_err(o->err);
	if (o->state == BG_NS_ESTABLISHED)
		o->t0_ns = bpf_ktime_get_boot_ns();
	/* one atomic word: a completion that comes after all clears NOCQE (net__uring_late) */
	old = __sync_fetch_and_or(&o->phase, BG_PH_OUTCOME);
	nocqe = old & BG_PH_URING_NOCQE;
	if (!(old & BG_PH_EXITED))
		return;
	if (net__port_ok(&o->tuple) && net__state_wanted(o) &&
	    (n = net__begin_in(&bg_scratch_st, nocqe ? BG_EV_NET_CONNECT : BG_EV_NET_OUTCOME, &o->tuple))) {
		net__owner(n, o);
		n->ret = -o->err;
		n->state = o->state;
		if (nocqe) {
			n->hdr.flags |= BG_F_NET_IO_URING;
			n->fd = -1;
		}
		emit__submit(n);
	}
	/* a failed one without a completion on success gets one after all: kept for it (net__uring_late) */
	if ((o->state != BG_NS_ESTABLISHED && !nocqe) || (o->phase & BG_PH_BY_STATE))
		bpf_map_delete_elem(&bg_socks, &key);
}

/*
 * The completion of an io_uring connect (or Fast Open send) that was expected to post none
 * (BG_PH_URING_NOCQE): IOSQE_CQE_SKIP_SUCCESS skips successes only, so a failure (a refused
 * connect, a Fast Open send's EINPROGRESS) completes, and a full queue may have drained. 1 when
 * the outcome was already reported as its connect record (nothing more to send); else the
 * outcome is left to report as a syscall's would, and the completion gives the connect record.
 */
static __always_inline int net__uring_late(struct sock *sk)
{
	__u64 key = (__u64)sk;
	struct bg_sock_owner *o = sk ? bpf_map_lookup_elem(&bg_socks, &key) : NULL;
	__u32 old;

	if (!o || !(o->phase & BG_PH_URING_NOCQE))
		return 0;
	old = __sync_fetch_and_and(&o->phase, ~(__u32)BG_PH_URING_NOCQE);
	if (!(old & BG_PH_OUTCOME))
		return 0;
	if (o->state != BG_NS_ESTABLISHED)
		bpf_map_delete_elem(&bg_socks, &key);
	return 1;
}

/* A tracked connection reached CLOSE: duration and bytes (tcplife). */
static __always_inline void net__close(struct sock *sk, struct bg_sock_owner *o)
{
	struct tcp_sock *ts = (struct tcp_sock *)sk;
	__u64 key = (__u64)sk;
	struct bg_sock_tuple tp;
	struct bg_net *n;

	if (!sock__tuple(sk, &tp) && net__port_ok(&tp) &&
	    (n = net__begin_in(&bg_scratch_st, BG_EV_NET_CLOSE, &tp))) {
		net__owner(n, o);
		n->ret = -BPF_CORE_READ(sk, sk_err);
		n->state = BG_NS_CLOSED;
		if (o->phase & BG_PH_INBOUND)
			n->hdr.flags |= BG_F_NET_INBOUND;
		n->duration_ns = bpf_ktime_get_boot_ns() - o->t0_ns;
		n->bytes_sent = BPF_CORE_READ(ts, bytes_acked);
		n->bytes_received = BPF_CORE_READ(ts, bytes_received);
		emit__submit(n);
	}
	bpf_map_delete_elem(&bg_socks, &key);
}

/*
 * TCP state changes, in any context: never the current task, only the recorded owner.
 * Parameters (outcome): ret -sk_err, state, conn_id, addresses, owner. (close): the same plus
 * duration_ns, bytes_sent, bytes_received.
 */
SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(bg_net_state, struct sock *sk, int oldstate, int newstate)
{
	struct bg_sock_owner *o;
	__u64 key = (__u64)sk;

	if (sk->sk_protocol != IPPROTO_TCP)
		return 0;
	if (oldstate != TCP_SYN_SENT && newstate != TCP_CLOSE)
		return 0;
	o = bpf_map_lookup_elem(&bg_socks, &key);
	if (!o) {
		if (newstate == TCP_CLOSE && !net__skipped(BG_EV_NET_CLOSE))
			stats__inc(BG_STAT_NET_UNTRACKED);
		return 0;
	}
	if (oldstate == TCP_SYN_SENT)
		net__outcome(sk, o, newstate);
	else
		net__close(sk, o);
	return 0;
}

/* A TCP socket is freed: drop its owner record (accepted after it closed, or evicted close). */
SEC("tp_btf/tcp_destroy_sock")
int BPF_PROG(bg_net_destroy, struct sock *sk)
{
	__u64 key = (__u64)sk;

	/* most sockets were never tracked: a lookup takes no bucket lock, a delete does */
	if (bpf_map_lookup_elem(&bg_socks, &key))
		bpf_map_delete_elem(&bg_socks, &key);
	return 0;
}

/* Read address bytes at head + off into dst (IPv4 into an IPv4-mapped IPv6 address when v6). */
static __always_inline void net__ip_addr(__u8 *dst, unsigned char *p, int v4, int v6sock)
{
	if (!v4) {
		bpf_probe_read_kernel(dst, 16, p);
		return;
	}
	if (v6sock) {
		dst[10] = 0xff;
		dst[11] = 0xff;
		bpf_probe_read_kernel(dst + 12, 4, p);
	} else {
		bpf_probe_read_kernel(dst, 4, p);
	}
}

/*
 * Unconnected UDP: note where each datagram goes, from its headers, for the send exit: the
 * distinct destinations of the call (sendmmsg sends many), with the index of the first datagram
 * to each. More than BG_UDP_DSTS distinct destinations in one call: the rest are counted.
 */
SEC("tp_btf/net_dev_queue")
int BPF_PROG(bg_net_devq, struct sk_buff *skb)
{
	struct sock *sk = skb->sk;
	struct bg_udp_dsts zero = {}, *v;
	struct bg_udp_dst d = {};
	unsigned char *head, *nh;
	__u32 i, n, seq;
	__u8 ver = 0;
	__u64 key;
	int v4, v6sock;

	if (!sk || sk->sk_protocol != IPPROTO_UDP || sk->__sk_common.skc_dport ||
	    net__skipped(BG_EV_NET_SEND))
		return 0;
	head = skb->head;
	nh = head + skb->network_header;
	bpf_probe_read_kernel(&ver, 1, nh);
	v4 = (ver >> 4) == 4;
	if (!v4 && (ver >> 4) != 6)
		return 0;
	v6sock = sk->__sk_common.skc_family == BG_AF_INET6;
	net__ip_addr(d.saddr, nh + (v4 ? 12 : 8), v4, v6sock);
	net__ip_addr(d.daddr, nh + (v4 ? 16 : 24), v4, v6sock);
	bpf_probe_read_kernel(&d.dport, 2, head + skb->transport_header + 2);
	d.dport = bpf_ntohs(d.dport);
	key = (__u64)sk;
	v = bpf_map_lookup_elem(&bg_udp_dst, &key);
	if (!v) {
		bpf_map_update_elem(&bg_udp_dst, &key, &zero, BPF_NOEXIST);
		v = bpf_map_lookup_elem(&bg_udp_dst, &key);
		if (!v)
			return 0;
	}
	seq = v->seq++;
	n = v->n;
	for (i = 0; i < BG_UDP_DSTS && i < n; i++) {
		struct bg_udp_dst *e = &v->d[i];

		if (e->dport == d.dport && *(__u64 *)e->daddr == *(__u64 *)d.daddr &&
		    *(__u64 *)(e->daddr + 8) == *(__u64 *)(d.daddr + 8))
			return 0;
	}
	if (n >= BG_UDP_DSTS) {
		stats__inc(BG_STAT_NET_NO_DST);
		return 0;
	}
	d.msg = seq;
	v->d[n & (BG_UDP_DSTS - 1)] = d;
	v->n = n + 1;
	return 0;
}

/* Copy up to BG_NET_PAYLOAD_MAX bytes of the user's datagram into the tail (display only). */
static __always_inline void net__payload(struct bg_net *n, const void *buf, __u64 len)
{
	__u32 pos = n->hdr.size & (BG_REC_MAX - 1);

	if (len > BG_NET_PAYLOAD_MAX) {
		len = BG_NET_PAYLOAD_MAX;
		n->hdr.flags |= BG_F_NET_PAYLOAD_TRUNC;
		stats__inc(BG_STAT_NET_PAYLOAD_TRUNC);
	}
	barrier_var(len);
	if (len > BG_NET_PAYLOAD_MAX)
		return;
	if (len && bpf_probe_read_user((char *)n + pos, len, buf)) {
		n->hdr.flags |= BG_F_NET_PAYLOAD_FAULT;
		stats__inc(BG_STAT_READ_FAIL);
		len = 0;
	}
	n->payload.off = pos;
	n->payload.len = len;
	n->hdr.size = pos + len;
}

/* 1 when this socket already sent to tp's destination (reported once per socket and destination). */
static __always_inline int net__seen(__u64 sk, struct bg_sock_tuple *tp)
{
	struct bg_udp_seen_key k = { .sk = sk };
	struct socket_alloc *sa = (struct socket_alloc *)BPF_CORE_READ((struct sock *)sk, sk_socket);
	__u8 one = 1;

	k.ino = sa ? BPF_CORE_READ(sa, vfs_inode.i_ino) : 0;
	__builtin_memcpy(k.daddr, tp->daddr, 16);
	k.dport = tp->dport;
	return bpf_map_update_elem(&bg_udp_seen, &k, &one, BPF_NOEXIST) ? 1 : 0;
}

/* The send record of a new destination (the payload, display only, for DNS). */
static __always_inline void net__send_rec(int fd, long ret, struct bg_sock_tuple *tp, __u16 flags,
					  const void *buf, __u64 blen)
{
	struct bg_net *n;

	if (!net__wanted_self() || !net__port_ok(tp)) {
		stats__inc(BG_STAT_FILTERED);
		return;
	}
	if (!net__comm_ok())
		return;
	n = net__begin(BG_EV_NET_SEND, tp);
	if (!n)
		return;
	n->hdr.flags |= flags;
	n->ret = ret;
	n->fd = fd;
	net__self(n);
	if (tp->dport == 53)
		net__payload(n, buf, ret >= 0 && blen > (__u64)ret ? (__u64)ret : blen);
	emit__submit(n);
}

/* sendmmsg: message m's byte count and first iovec. */
static __always_inline void net__mmsg_at(const struct mmsghdr *mv, __u32 m, long *ret, const void **buf, __u64 *blen)
{
	struct mmsghdr h = {};
	struct iovec v = {};

	*buf = NULL;
	*blen = 0;
	if (bpf_probe_read_user(&h, sizeof(h), &mv[m & 1023]))
		return;
	*ret = h.msg_len;
	if (h.msg_hdr.msg_iov && !bpf_probe_read_user(&v, sizeof(v), h.msg_hdr.msg_iov)) {
		*buf = v.iov_base;
		*blen = v.iov_len;
	}
}

/*
 * sendto()/sendmsg()/sendmmsg() exit on UDP: one record per (socket, destination). A connected
 * socket's destination is its peer; an unconnected one's come from the datagrams' headers
 * (bg_net_devq), every distinct one of the call. mv: sendmmsg's vector (ret: messages sent).
 * sock: the socket when known (an io_uring send: fd -1), else the one of fd. flags: added to
 * the records (BG_F_NET_IO_URING).
 */
static __always_inline int net__send_on(int fd, struct sock *sock, long ret, const void *buf,
					__u64 blen, __u64 mflags, const struct mmsghdr *mv, __u16 flags)
{
	struct bg_udp_dsts *v;
	struct sock *sk;
	struct bg_sock_tuple tp;
	__u64 key;
	__u32 i;

	if (mflags & BG_MSG_FASTOPEN) {
		sk = sock ? sock : sock__from_fd(fd);
		if (sk && BPF_CORE_READ(sk, sk_protocol) == IPPROTO_TCP)
			return net__connected(fd, sk, ret, flags);
	}

	/* no rule takes sends: not even a socket lookup (most sends are TCP and never records) */
	if (net__skipped(BG_EV_NET_SEND))
		return 0;
	sk = ret < 0 ? NULL : sock ? sock : sock__from_fd(fd);
	if (!sk || sock__tuple(sk, &tp) || tp.proto != IPPROTO_UDP)
		return 0;
	key = (__u64)sk;
	if (tp.dport) {
		if (mv)
			net__mmsg_at(mv, 0, &ret, &buf, &blen);
		if (!net__seen(key, &tp))
			net__send_rec(fd, ret, &tp, flags, buf, blen);
		return 0;
	}
	v = bpf_map_lookup_elem(&bg_udp_dst, &key);
	if (!v) {
		stats__inc(BG_STAT_NET_NO_DST);
		return 0;
	}
	for (i = 0; i < BG_UDP_DSTS; i++) {
		struct bg_udp_dst *d;
		const void *b = buf;
		__u64 l = blen;
		long r = ret;

		if (i >= v->n)
			break;
		d = &v->d[i];
		__builtin_memcpy(tp.saddr, d->saddr, 16);
		__builtin_memcpy(tp.daddr, d->daddr, 16);
		tp.dport = d->dport;
		if (net__seen(key, &tp))
			continue;
		if (mv)
			net__mmsg_at(mv, d->msg, &r, &b, &l);
		net__send_rec(fd, r, &tp, BG_F_NET_DST_FROM_SKB | flags, b, l);
	}
	bpf_map_delete_elem(&bg_udp_dst, &key);
	return 0;
}

/* A send syscall's exit (the socket of its fd, argument 1). */
static __always_inline int net__send(struct pt_regs *regs, long ret, const void *buf, __u64 blen,
				     __u64 mflags, const struct mmsghdr *mv)
{
	return net__send_on((int)PT_REGS_PARM1_SYSCALL(regs), NULL, ret, buf, blen, mflags, mv, 0);
}

/* Parameters (sendto exit): ret, saddr, daddr, sport, dport, family, proto, fd, uid, start_ns, comm, payload. */
SEC("tp_btf/sys_exit")
int BPF_PROG(bg_net_sendto, struct pt_regs *regs, long ret)
{
	const void *buf = (const void *)PT_REGS_PARM2_SYSCALL(regs);

	return net__send(regs, ret, buf, PT_REGS_PARM3_SYSCALL(regs), PT_REGS_PARM4_SYSCALL(regs), NULL);
}

/* The first iovec of a user msghdr, into *v (left as it is when unreadable). */
static __always_inline void net__first_iov(struct user_msghdr *msg, struct iovec *v)
{
	struct iovec *iov = NULL;

	if (msg && !bpf_probe_read_user(&iov, sizeof(iov), &msg->msg_iov) && iov)
		bpf_probe_read_user(v, sizeof(*v), iov);
}

/* Parameters (sendmsg exit): as sendto; the payload from the first iovec. */
SEC("tp_btf/sys_exit")
int BPF_PROG(bg_net_sendmsg, struct pt_regs *regs, long ret)
{
	struct iovec v = {};

	if (ret >= 0)
		net__first_iov((struct user_msghdr *)PT_REGS_PARM2_SYSCALL(regs), &v);
	return net__send(regs, ret, v.iov_base, v.iov_len, PT_REGS_PARM3_SYSCALL(regs), NULL);
}

/* Parameters (sendmmsg exit): as sendto, one record per new destination of the call; ret: that message's bytes. */
SEC("tp_btf/sys_exit")
int BPF_PROG(bg_net_sendmmsg, struct pt_regs *regs, long ret)
{
	return net__send(regs, ret, NULL, 0, 0, (const struct mmsghdr *)PT_REGS_PARM2_SYSCALL(regs));
}

/* An io_uring send's first buffer: SEND's own, SENDMSG's first iovec (user memory). */
static __always_inline void net__uring_payload(__u8 code, struct io_sr_msg *sr, struct iovec *v)
{
	if (code == IORING_OP_SEND || code == IORING_OP_SEND_ZC) {
		v->iov_base = sr->buf;
		v->iov_len = sr->len;
	} else {
		net__first_iov(sr->umsg, v);
	}
}

/*
 * io_uring (issue #14): an IORING_OP_CONNECT request at its completion is a connect record, as
 * the syscall's (fd -1: the request's descriptor is not kept), flagged BG_F_NET_IO_URING, tracked
 * to its close (its owner was recorded at submission: bg_net_uring_sub); an IORING_OP_ACCEPT is
 * an accept record, tracked to its close; an IORING_OP_SEND/SENDMSG (and _ZC) is what
 * sendto/sendmsg give (fd -1). A connect with no completion (IOSQE_CQE_SKIP_SUCCESS, or a full
 * completion queue) is reported when its handshake ends (net__outcome); an accept or send without
 * one is not seen. Loaded only where the kernel has io_uring's tracepoints.
 */
SEC("tp_btf/io_uring_complete")
int BPF_PROG(bg_net_uring, struct io_ring_ctx *ring, void *req, struct io_uring_cqe *cqe)
{
	struct io_kiocb *r = bg_cast(req, struct io_kiocb);
	struct iovec v = {};
	struct io_sr_msg *sr;
	__u32 slot = 1, mflags = 0;
	__u8 code = r->opcode;
	struct sock *sk;
	struct file *f;
	long ret;

	if (code == IORING_OP_ACCEPT) {
		ret = BPF_CORE_READ(cqe, res);
		slot = bg_cast(&r->cmd, struct io_accept)->file_slot;
		if (!slot)
			return net__accepted(ret, BG_F_NET_IO_URING);
		/*
		 * Into a fixed-file slot (no fd): the socket is read from the ring's table, at the
		 * slot the kernel allocated (res) or the one asked for (file_slot - 1).
		 */
		if (ret < 0)
			return 0;
		slot = slot == BG_URING_FILE_INDEX_ALLOC ? (__u32)ret : slot - 1;
		f = uring__fixed_file(r->ctx, slot);
		return net__accepted_sk(f ? sock__from_file(f) : NULL, ret, -1, BG_F_NET_IO_URING);
	}
	if (code != IORING_OP_CONNECT && code != IORING_OP_SEND && code != IORING_OP_SENDMSG &&
	    code != IORING_OP_SEND_ZC && code != IORING_OP_SENDMSG_ZC)
		return 0;
	f = r->file;
	if (!f)
		return 0;
	ret = BPF_CORE_READ(cqe, res);
	sk = sock__from_file(f);
	sr = bg_cast(&r->cmd, struct io_sr_msg);
	if (code != IORING_OP_CONNECT)
		mflags = sr->msg_flags;
	if ((code == IORING_OP_CONNECT || (mflags & BG_MSG_FASTOPEN)) && net__uring_late(sk))
		return 0;
	if (code == IORING_OP_CONNECT)
		return net__connected(-1, sk, ret, BG_F_NET_IO_URING);
	/*
	 * A send (issue #14): as sendto/sendmsg (TCP Fast Open a connect; UDP one record per new
	 * destination). The payload is read from the submitter's memory: the completion runs in it
	 * or in one of its io-wq threads. A zero-copy send's later notification is no send.
	 */
	if (BPF_CORE_READ(cqe, flags) & (1U << 3))	/* IORING_CQE_F_NOTIF (uapi, not in BTF) */
		return 0;
	net__uring_payload(code, sr, &v);
	return net__send_on(-1, sk, ret, v.iov_base, v.iov_len, mflags, NULL, BG_F_NET_IO_URING);
}

/*
 * An IORING_OP_CONNECT at its submission: record the submitter as the owner of its TCP socket, as
 * connect()'s entry does, so the connection's outcome and close (duration, bytes) are reported
 * like a syscall's. The request's file is not assigned yet: its fd (cqe.fd at submission) is
 * looked up in the submitter's table (a fixed-file slot: not tracked). One that asked for no
 * completion on success (IOSQE_CQE_SKIP_SUCCESS), or whose ring's completion queue is full, never
 * reaches bg_net_uring: it is marked as returned, so the TCP state handler reports its outcome,
 * as its connect record (net__outcome), when the handshake ends.
 */
SEC("tp_btf/io_uring_submit_req")
int BPF_PROG(bg_net_uring_sub, void *req)
{
	struct io_kiocb *r = bg_cast(req, struct io_kiocb);
	struct io_async_msghdr *km;
	struct bg_sock_owner *o;
	struct bg_sock_tuple tp;
	struct io_sr_msg *sr;
	struct sockaddr_in6 *a6;
	struct sockaddr *sa;
	struct iovec v = {};
	__u8 code = r->opcode;
	__u32 mflags = 0;
	struct sock *sk;
	int skip;

	if (code != IORING_OP_CONNECT && code != IORING_OP_SEND && code != IORING_OP_SENDMSG &&
	    code != IORING_OP_SEND_ZC && code != IORING_OP_SENDMSG_ZC)
		return 0;
	/* the request's file is assigned when it is issued: its fd, or its slot in the ring's table */
	if (r->flags & REQ_F_FIXED_FILE) {
		struct file *f = uring__fixed_file(r->ctx, r->cqe.fd);

		sk = f ? sock__from_file(f) : NULL;
	} else {
		sk = sock__from_fd(r->cqe.fd);
	}
	if (!sk)
		return 0;
	skip = uring__no_completion(r);
	sr = bg_cast(&r->cmd, struct io_sr_msg);
	if (code != IORING_OP_CONNECT)
		mflags = sr->msg_flags;
	if (code == IORING_OP_CONNECT || (mflags & BG_MSG_FASTOPEN)) {
		o = net__own_connecting_sk(sk);
		if (o && skip)
			__sync_fetch_and_or(&o->phase, BG_PH_EXITED | BG_PH_URING_NOCQE);
		return 0;
	}
	/*
	 * A send that will have no completion (issue #14): reported now, as its completion would
	 * be, flagged BG_F_NET_URING_SUBMIT (ret 0, outcome unknown). An unconnected UDP socket's
	 * destination is the kernel's copy of the address the request carries (taken at its prep:
	 * io_async_msghdr), so the user cannot change it after this point.
	 */
	if (!skip || net__skipped(BG_EV_NET_SEND) || sock__tuple(sk, &tp) || tp.proto != IPPROTO_UDP)
		return 0;
	if (!tp.dport) {
		km = r->async_data ? bg_cast(r->async_data, struct io_async_msghdr) : NULL;
		sa = km ? km->msg.msg_name : NULL;
		if (!sa) {
			stats__inc(BG_STAT_NET_NO_DST);
			return 0;
		}
		sa = bg_cast(sa, struct sockaddr);
		a6 = bg_cast(sa, struct sockaddr_in6);
		if (sa->sa_family == BG_AF_INET && tp.family == BG_AF_INET) {
			*(__u32 *)tp.daddr = bg_cast(sa, struct sockaddr_in)->sin_addr.s_addr;
		} else if (sa->sa_family == BG_AF_INET6 && tp.family == BG_AF_INET6) {
			BPF_CORE_READ_INTO(&tp.daddr, a6, sin6_addr);
		} else if (sa->sa_family == BG_AF_INET && tp.family == BG_AF_INET6) {
			/* an IPv4 destination of an IPv6 socket: as the datagram's would be, v4-mapped */
			tp.daddr[10] = tp.daddr[11] = 0xff;
			*(__u32 *)(tp.daddr + 12) = bg_cast(sa, struct sockaddr_in)->sin_addr.s_addr;
		} else {
			stats__inc(BG_STAT_NET_NO_DST);
			return 0;
		}
		tp.dport = bpf_ntohs(a6->sin6_port);	/* at the same offset in both */
	}
	if (net__seen((__u64)sk, &tp))
		return 0;
	net__uring_payload(code, sr, &v);
	net__send_rec(-1, 0, &tp, BG_F_NET_IO_URING | BG_F_NET_URING_SUBMIT, v.iov_base, v.iov_len);
	return 0;
}

/*
 * Exec: the task's process name is the comm exec just set (what the exec record carries).
 * Names are only created while the name filter is on, but one that exists is always kept
 * current (and copied on fork), so a filter switched off and on again never sees a stale name.
 */
SEC("tp_btf/sched_process_exec")
int BPF_PROG(bg_net_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	struct bg_net_filter *f = net__filter();
	struct bg_net_pname *pn;

	pn = bpf_task_storage_get(&bg_net_pnames, p, 0, f && f->by_comm ? BPF_LOCAL_STORAGE_GET_F_CREATE : 0);
	if (pn)
		__builtin_memcpy(pn->comm, p->comm, sizeof(pn->comm));
	return 0;
}

/*
 * Fork and new threads: the child keeps the parent's process name (if it has one); -p: a child
 * of a followed process is followed (when this object keeps the set).
 */
SEC("tp_btf/sched_process_fork")
int BPF_PROG(bg_net_fork, struct task_struct *parent, struct task_struct *child)
{
	struct bg_net_pname *pp, *pc;

	filter__fork(parent, child);
	pp = bpf_task_storage_get(&bg_net_pnames, parent, 0, 0);
	if (!pp)
		return 0;
	pc = bpf_task_storage_get(&bg_net_pnames, child, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (pc)
		*pc = *pp;
	return 0;
}

/* -p: a process is gone (its leader freed): it leaves the set. */
SEC("tp_btf/sched_process_free")
int BPF_PROG(bg_net_free, struct task_struct *p)
{
	filter__free(p);
	return 0;
}
