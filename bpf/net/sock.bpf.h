/* SPDX-License-Identifier: GPL-2.0 */
/* Sockets read from kernel objects: fd → struct file → struct socket → struct sock, and its addresses. */
#ifndef BG_SOCK_BPF_H
#define BG_SOCK_BPF_H

#include "lib/common.bpf.h"
#include <bpf/bpf_endian.h>

/* include/linux/socket.h, include/uapi/asm-generic/errno.h: macros there, so not in vmlinux.h */
enum {
	BG_AF_INET = 2,
	BG_AF_INET6 = 10,
	BG_ETIMEDOUT = 110,
	BG_ECONNREFUSED = 111,
	BG_EALREADY = 114,
	BG_EINPROGRESS = 115,
	BG_MSG_FASTOPEN = 0x20000000,	/* send flag: connect with TCP Fast Open */
	BG_EISCONN = 106,
};

/* The addresses of a socket as bg_net carries them (ports host order, addresses network order). */
struct bg_sock_tuple {
	__u8 saddr[16];
	__u8 daddr[16];
	__u16 sport;
	__u16 dport;
	__u16 family;
	__u8 proto;
	__u8 _pad;
};

/*
 * The struct sock (a BTF pointer) behind a file descriptor of the current task; NULL when fd is
 * not a socket. Plain loads except for the fd table slot. fd is an int, as the kernel takes it:
 * the upper half of the register is ignored there, so it must be here.
 */
/* The sock behind a socket's struct file (a BTF pointer), or NULL for any other file. */
static __always_inline struct sock *sock__from_file(struct file *f)
{
	struct socket *so = bg_cast(f->private_data, struct socket);

	/* a socket's file points back at it; any other file's private_data does not */
	if (!so || so->file != f)
		return NULL;
	return so->sk;
}

static __always_inline struct sock *sock__from_fd(int fd)
{
	struct task_struct *t = bpf_get_current_task_btf();
	struct fdtable *fdt = t->files->fdt;
	struct file **fds = fdt->fd;
	struct file *f = NULL;

	if (fd < 0 || fd >= fdt->max_fds)
		return NULL;
	if (bpf_probe_read_kernel(&f, sizeof(f), &fds[fd]) || !f)
		return NULL;
	return sock__from_file(bg_cast(f, struct file));
}

/* Fill *tp from the socket (a BTF pointer); returns 0 for an IPv4/IPv6 TCP or UDP socket, -1 otherwise. */
static __always_inline int sock__tuple(struct sock *sk, struct bg_sock_tuple *tp)
{
	__u16 fam = sk->__sk_common.skc_family;
	__u16 proto = sk->sk_protocol;

	if (proto != IPPROTO_TCP && proto != IPPROTO_UDP)
		return -1;
	__builtin_memset(tp, 0, sizeof(*tp));
	if (fam == BG_AF_INET) {
		*(__u32 *)tp->saddr = sk->__sk_common.skc_rcv_saddr;
		*(__u32 *)tp->daddr = sk->__sk_common.skc_daddr;
	} else if (fam == BG_AF_INET6) {
		BPF_CORE_READ_INTO(&tp->saddr, sk, __sk_common.skc_v6_rcv_saddr);
		BPF_CORE_READ_INTO(&tp->daddr, sk, __sk_common.skc_v6_daddr);
	} else {
		return -1;
	}
	tp->family = fam;
	tp->proto = proto;
	/* inet_sport, not skc_num: closing releases the port (skc_num = 0) before the state changes */
	tp->sport = bpf_ntohs(bg_cast(sk, struct inet_sock)->inet_sport);
	tp->dport = bpf_ntohs(sk->__sk_common.skc_dport);
	return 0;
}

#endif /* BG_SOCK_BPF_H */
