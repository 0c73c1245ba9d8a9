// SPDX-License-Identifier: GPL-2.0
/*
 * Deny connections (issue #16): cgroup v2 sock_addr programs on connect and on unconnected
 * sendmsg, IPv4 and IPv6. A destination address found in bg_deny4/bg_deny6 (LPM: exact
 * addresses and CIDR blocks) names the slots (bit n: slot n); a slot adds its port, protocol
 * and process-name tests. In enforce mode the call fails with EPERM before a packet leaves; in
 * audit mode it goes on. Either way a BG_EV_NET_CONNECT/SEND record flagged BG_F_NET_DENY says
 * what was decided (enforce: slot + 1 | verdict). Attached to the root cgroup or a chosen one.
 */
#include "lib/common.bpf.h"
#include "lib/emit.bpf.h"
#include <bpf/bpf_endian.h>

char LICENSE[] SEC("license") = "GPL";

#define BG_AF_INET 2
#define BG_AF_INET6 10

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, BG_ENF_DENY);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct bg_deny_key4);
	__type(value, __u32);
} bg_deny4 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, BG_ENF_DENY);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct bg_deny_key6);
	__type(value, __u32);
} bg_deny6 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, BG_DENY_SLOTS);
	__type(key, __u32);
	__type(value, struct bg_deny_slot);
} bg_deny_slots SEC(".maps");

/* Quarantined cgroups (cgroup v2 id -> quarantine number): every connect and send of theirs fails. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, BG_ENF_PIDS);
	__type(key, __u64);
	__type(value, __u32);
} bg_quarantine SEC(".maps");

struct deny__find {
	char comm[16];		/* first: read as two u64 */
	__u32 slots;
	__u16 port;		/* host order */
	__u8 proto;
	__u8 _pad;
	__s32 slot;		/* out: -1 none */
	__u32 mode;		/* out: the slot's enum bg_enf_mode */
};

static __always_inline int deny__comm_in(const struct bg_deny_slot *s, const char *comm)
{
	__u64 a = *(const __u64 *)comm, b = *(const __u64 *)(comm + 8);

#pragma unroll
	for (int i = 0; i < 4; i++)
		if (i < s->ncomm && a == *(const __u64 *)s->comm[i] && b == *(const __u64 *)(s->comm[i] + 8))
			return 1;
	return 0;
}

static long deny__step(__u32 i, void *data)
{
	struct deny__find *f = data;
	struct bg_deny_slot *s;
	int port_ok;

	if (i >= BG_DENY_SLOTS)
		return 1;
	if (!(f->slots & (1U << i)))
		return 0;
	s = bpf_map_lookup_elem(&bg_deny_slots, &i);
	if (!s || s->mode == BG_ENF_OFF || (s->proto && s->proto != f->proto))
		return 0;
	port_ok = !s->nports;
#pragma unroll
	for (int j = 0; j < BG_DENY_PORTS; j++)
		if (j < s->nports && s->ports[j] == f->port)
			port_ok = 1;
	if (!port_ok)
		return 0;
	if ((s->comm_how == BG_ENF_COMM_SPARE && deny__comm_in(s, f->comm)) ||
	    (s->comm_how == BG_ENF_COMM_ONLY && !deny__comm_in(s, f->comm)))
		return 0;
	f->slot = i;
	f->mode = s->mode;
	return 1;
}

/*
 * 1: allow, 0: deny (EPERM). kind: BG_EV_NET_CONNECT or BG_EV_NET_SEND; v6: an IPv6 hook (a
 * constant: an IPv4 hook may not read user_ip6).
 */
static __always_inline int deny__check(struct bpf_sock_addr *ctx, __u16 kind, const int v6)
{
	struct deny__find f = { .slot = -1 };
	struct bg_deny_key4 k4 = {};
	struct bg_deny_key6 k6 = {};
	__u32 family = v6 ? BG_AF_INET6 : BG_AF_INET, *slots = NULL;
	__u8 daddr[16] = {};
	__u64 cg = bpf_get_current_cgroup_id();
	struct bg_net *n;
	int v;

	if (bpf_map_lookup_elem(&bg_quarantine, &cg)) {
		stats__inc(BG_STAT_ENF_ACTED);
		return 0;
	}
	if (!v6) {
		__u32 ip = ctx->user_ip4;

		k4.prefixlen = 32;
		__builtin_memcpy(k4.addr, &ip, 4);
		__builtin_memcpy(daddr, &ip, 4);
		slots = bpf_map_lookup_elem(&bg_deny4, &k4);
	} else {
		__u32 w[4] = { ctx->user_ip6[0], ctx->user_ip6[1], ctx->user_ip6[2], ctx->user_ip6[3] };

		__builtin_memcpy(daddr, w, 16);
		if (!w[0] && !w[1] && w[2] == bpf_htonl(0xffff)) {	/* v4-mapped: the IPv4 entries */
			k4.prefixlen = 32;
			__builtin_memcpy(k4.addr, &w[3], 4);
			slots = bpf_map_lookup_elem(&bg_deny4, &k4);
		} else {
			k6.prefixlen = 128;
			__builtin_memcpy(k6.addr, w, 16);
			slots = bpf_map_lookup_elem(&bg_deny6, &k6);
		}
	}
	if (!slots || !*slots)
		return 1;
	f.slots = *slots;
	f.port = bpf_ntohs((__u16)ctx->user_port);
	f.proto = ctx->protocol;
	bpf_get_current_comm(f.comm, sizeof(f.comm));
	bpf_loop(BG_DENY_SLOTS, deny__step, &f, 0);
	if (f.slot < 0 || f.slot >= BG_DENY_SLOTS)
		return 1;
	v = f.slot + 1;
	if (f.mode == BG_ENF_ENFORCE) {
		v |= BG_ENF_V_ACTED;
		stats__inc(BG_STAT_ENF_ACTED);
	} else {
		v |= BG_ENF_V_AUDIT;
		stats__inc(BG_STAT_ENF_AUDIT);
	}
	n = emit__begin(kind, sizeof(*n));
	if (n) {
		__builtin_memset((char *)n + sizeof(struct bg_hdr), 0, sizeof(*n) - sizeof(struct bg_hdr));
		n->hdr.flags = BG_F_NET_DENY;
		n->uid = (__u32)bpf_get_current_uid_gid();
		n->ret = (v & BG_ENF_V_ACTED) ? -1 /* EPERM */ : 0;
		__builtin_memcpy(n->daddr, daddr, 16);
		n->dport = f.port;
		n->family = family;
		n->proto = f.proto;
		n->fd = -1;
		n->enforce = v;
		__builtin_memcpy(n->comm, f.comm, 16);
		emit__submit(n);
	}
	return (v & BG_ENF_V_ACTED) ? 0 : 1;
}

SEC("cgroup/connect4")
int bg_deny_connect4(struct bpf_sock_addr *ctx)
{
	return deny__check(ctx, BG_EV_NET_CONNECT, 0);
}

SEC("cgroup/connect6")
int bg_deny_connect6(struct bpf_sock_addr *ctx)
{
	return deny__check(ctx, BG_EV_NET_CONNECT, 1);
}

SEC("cgroup/sendmsg4")
int bg_deny_sendmsg4(struct bpf_sock_addr *ctx)
{
	return deny__check(ctx, BG_EV_NET_SEND, 0);
}

SEC("cgroup/sendmsg6")
int bg_deny_sendmsg6(struct bpf_sock_addr *ctx)
{
	return deny__check(ctx, BG_EV_NET_SEND, 1);
}

/* Sockets that sent from a quarantined process: the quarantined cgroup's id (retransmits too). */
struct {
	__uint(type, BPF_MAP_TYPE_SK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, __u64);
} bg_quarantine_socks SEC(".maps");

/*
 * Attached to the same cgroup as the connect hooks once something is quarantined: a socket a
 * quarantined process sends on (one it had before) is marked, and its packets are dropped while
 * that quarantine lasts, retransmits included. Until a socket is marked, a packet the kernel sends
 * on its own (softirq) is not tied to the process.
 */
SEC("cgroup_skb/egress")
int bg_quarantine_egress(struct __sk_buff *skb)
{
	__u64 cg = bpf_get_current_cgroup_id(), *mark;
	struct bpf_sock *sk = skb->sk;

	if (!sk)
		return 1;
	sk = bpf_sk_fullsock(sk);
	if (!sk)
		return 1;
	mark = bpf_sk_storage_get(&bg_quarantine_socks, sk, 0, 0);
	if (mark && bpf_map_lookup_elem(&bg_quarantine, mark)) {
		stats__inc(BG_STAT_ENF_ACTED);
		return 0;
	}
	if (!bpf_map_lookup_elem(&bg_quarantine, &cg))
		return 1;
	mark = bpf_sk_storage_get(&bg_quarantine_socks, sk, 0, BPF_SK_STORAGE_GET_F_CREATE);
	if (mark)
		*mark = cg;
	stats__inc(BG_STAT_ENF_ACTED);
	return 0;
}
