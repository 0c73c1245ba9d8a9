// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel sensor: acts that change what runs in the kernel, at the syscall's exit with the
 * result, attempts included (a refused module load is still an attack signal).
 *  - modules: init_module (the image is in user memory: its size, no name), finit_module (the
 *    path of the file its fd names), delete_module (the name, from user memory);
 *  - BPF: bpf(BPF_PROG_LOAD) and the attaches (BPF_PROG_ATTACH, BPF_LINK_CREATE,
 *    BPF_RAW_TRACEPOINT_OPEN) by any process but this bpfguard (cfg_self_tgid): program type and
 *    name from the loaded or attached struct bpf_prog (its fd); a failed load's from its attr.
 *
 *  - audit: configuration messages sent on a NETLINK_AUDIT socket (sendto/sendmsg), one
 *    struct bg_audit_ctl each, with the kernel's answer from its ack (bg_audit_exit, tail-called
 *    by the dispatcher before the call's own handler, which it then resumes).
 *
 * Parameters of struct bg_act, in order: nr, op (flags; bpf cmd), ret, arg (image bytes; prog
 * type), aux (attach type), uid, ppid, comm, exe, name (file path, module name, program name).
 */
#include "lib/act.bpf.h"
#include "lib/dispatch.bpf.h"

char LICENSE[] SEC("license") = "GPL";

/* This bpfguard's tgid: its own loads and attaches are not reported (counted filtered). */
const volatile __u32 cfg_self_tgid = 0;

enum {
	/* include/uapi/linux/bpf.h enum bpf_cmd */
	BG_BPF_PROG_LOAD = 5,
	BG_BPF_PROG_ATTACH = 8,
	BG_BPF_RAW_TRACEPOINT_OPEN = 17,
	BG_BPF_LINK_CREATE = 28,
};

/* init_module(umod, len, uargs): the image's size; its name is inside the image. */
SEC("tp_btf/sys_exit")
int BPF_PROG(bg_kmod_init, struct pt_regs *regs, long ret)
{
	struct bg_act *r = act__begin(BG_EV_KMOD, compat__syscall_nr(regs), ret);

	if (!r)
		return 0;
	r->arg = PT_REGS_PARM2_CORE_SYSCALL(regs);
	act__finish(r);
	return 0;
}

/* finit_module(fd, uargs, flags): the path of the module file. */
SEC("tp_btf/sys_exit")
int BPF_PROG(bg_kmod_finit, struct pt_regs *regs, long ret)
{
	struct bg_act *r = act__begin(BG_EV_KMOD, compat__syscall_nr(regs), ret);
	struct file *f;

	if (!r)
		return 0;
	r->op = PT_REGS_PARM3_CORE_SYSCALL(regs);
	f = task__file(bpf_get_current_task_btf(), PT_REGS_PARM1_CORE_SYSCALL(regs));
	if (f)
		path__tail(r, &r->name, f->f_path.mnt, f->f_path.dentry, BG_AF_NAME_TRUNC);
	act__finish(r);
	return 0;
}

/* delete_module(name, flags): the name as given (user memory: the module may not exist). */
SEC("tp_btf/sys_exit")
int BPF_PROG(bg_kmod_delete, struct pt_regs *regs, long ret)
{
	struct bg_act *r = act__begin(BG_EV_KMOD, compat__syscall_nr(regs), ret);

	if (!r)
		return 0;
	r->op = PT_REGS_PARM2_CORE_SYSCALL(regs);
	emit__tail_str(r, &r->name, (void *)PT_REGS_PARM1_CORE_SYSCALL(regs), BG_ACT_NAME_MAX, 1);
	r->hdr.flags |= BG_AF_NAME_USER;
	act__finish(r);
	return 0;
}

/* Type and name of the program behind a prog fd (the kernel accepted it: ret >= 0). */
static __always_inline void bpf__prog_of(struct bg_act *r, __s32 fd)
{
	struct file *f = task__file(bpf_get_current_task_btf(), fd);
	struct bpf_prog *p;

	if (!f)
		return;
	p = bg_cast(f->private_data, struct bpf_prog);
	r->arg = p->type;
	emit__tail_str(r, &r->name, p->aux->name, sizeof(p->aux->name), 0);
}

/* A failed load: type and name from the caller's attr (user memory). */
static __always_inline void bpf__attr_of(struct bg_act *r, union bpf_attr *ua)
{
	__u32 type = 0;

	bpf_probe_read_user(&type, sizeof(type), &ua->prog_type);
	r->arg = type;
	emit__tail_str(r, &r->name, ua->prog_name, sizeof(ua->prog_name), 1);
	r->hdr.flags |= BG_AF_NAME_USER;
}

/* The prog fd and attach type of an attach command, from its attr (user memory). */
static __always_inline __s32 bpf__attach_fd(struct bg_act *r, __u32 cmd, union bpf_attr *ua)
{
	__u32 v[3] = {};

	bpf_probe_read_user(v, sizeof(v), ua);
	if (cmd == BG_BPF_PROG_ATTACH) {
		r->aux = v[2];
		return v[1];	/* target_fd, attach_bpf_fd, attach_type */
	}
	if (cmd == BG_BPF_LINK_CREATE) {
		r->aux = v[2];
		return v[0];	/* prog_fd, target_fd, attach_type */
	}
	return v[2];		/* raw_tracepoint: name (u64), prog_fd */
}

/* bpf(cmd, attr, size): program loads and attaches; every other command is filtered. */
SEC("tp_btf/sys_exit")
int BPF_PROG(bg_bpf_exit, struct pt_regs *regs, long ret)
{
	__u32 cmd = PT_REGS_PARM1_CORE_SYSCALL(regs);
	union bpf_attr *ua = (void *)PT_REGS_PARM2_CORE_SYSCALL(regs);
	struct bg_act *r;
	__s32 fd;

	if ((cmd != BG_BPF_PROG_LOAD && cmd != BG_BPF_PROG_ATTACH && cmd != BG_BPF_LINK_CREATE &&
	     cmd != BG_BPF_RAW_TRACEPOINT_OPEN) || (bpf_get_current_pid_tgid() >> 32) == cfg_self_tgid) {
		stats__inc(BG_STAT_FILTERED);
		return 0;
	}
	r = act__begin(BG_EV_BPF, compat__syscall_nr(regs), ret);
	if (!r)
		return 0;
	r->op = cmd;
	if (cmd == BG_BPF_PROG_LOAD) {
		if (ret >= 0)
			bpf__prog_of(r, ret);
		else
			bpf__attr_of(r, ua);
	} else {
		fd = bpf__attach_fd(r, cmd, ua);
		if (ret >= 0)
			bpf__prog_of(r, fd);
	}
	act__finish(r);
	return 0;
}

enum {
	BG_SOCK_AF_NETLINK = 16,	/* include/linux/socket.h AF_NETLINK */
	BG_NETLINK_AUDIT = 9,		/* include/uapi/linux/netlink.h NETLINK_AUDIT */
	BG_NLMSG_ERROR = 2,		/* include/uapi/linux/netlink.h NLMSG_ERROR */
	BG_NLMSG_HDRLEN = 16,		/* sizeof(struct nlmsghdr) */
	/* include/uapi/linux/audit.h message types */
	BG_AUDIT_SET = 1001,
	BG_AUDIT_ADD = 1003,
	BG_AUDIT_DEL = 1004,
	BG_AUDIT_ADD_RULE = 1011,
	BG_AUDIT_DEL_RULE = 1012,
	BG_AUDIT_TRIM = 1014,
	BG_AUDIT_MAKE_EQUIV = 1015,
	BG_AUDIT_TTY_SET = 1017,
	BG_AUDIT_SET_FEATURE = 1018,
};

/* The sock of fd when it is a NETLINK_AUDIT socket; else NULL (every other send ends here). */
static __always_inline struct sock *audit__sock(__s32 fd)
{
	struct file *f = task__file(bpf_get_current_task_btf(), fd);
	struct socket *so;
	struct sock *sk;

	if (!f)
		return NULL;
	so = bg_cast(f->private_data, struct socket);
	/* a socket's file points back at it; any other file's private_data does not */
	if (!so || so->file != f)
		return NULL;
	sk = so->sk;
	if (!sk || sk->__sk_common.skc_family != BG_SOCK_AF_NETLINK || sk->sk_protocol != BG_NETLINK_AUDIT)
		return NULL;
	return sk;
}

/* Message types that change the audit configuration; queries and user records are filtered. */
static __always_inline int audit__is_ctl(__u16 type)
{
	switch (type) {
	case BG_AUDIT_SET: case BG_AUDIT_ADD: case BG_AUDIT_DEL: case BG_AUDIT_ADD_RULE:
	case BG_AUDIT_DEL_RULE: case BG_AUDIT_TRIM: case BG_AUDIT_MAKE_EQUIV: case BG_AUDIT_TTY_SET:
	case BG_AUDIT_SET_FEATURE:
		return 1;
	default:
		return 0;
	}
}

/* The kernel's answer to message (type, seq): its NLMSG_ERROR ack among the queue's last skbs. */
static __always_inline void audit__ack(struct bg_audit_ctl *r, struct sock *sk)
{
	struct sk_buff_head *q = &sk->sk_receive_queue;
	struct sk_buff *skb = q->prev;
	struct { struct nlmsghdr h; __s32 error; struct nlmsghdr m; } a;

	for (int i = 0; i < BG_AUDIT_ACKS_MAX; i++) {
		if (!skb || (void *)skb == (void *)q)
			return;
		if (!bpf_probe_read_kernel(&a, sizeof(a), skb->data) && a.h.nlmsg_type == BG_NLMSG_ERROR &&
		    a.m.nlmsg_type == r->type && a.m.nlmsg_seq == r->seq) {
			r->err = a.error;
			r->hdr.flags |= BG_AUF_ACK;
			return;
		}
		skb = skb->prev;
	}
}

/* The values of a status-setting message (caller's memory). */
static __always_inline void audit__body(struct bg_audit_ctl *r, const void *p)
{
	__u32 v[10] = {};

	if (r->type != BG_AUDIT_SET && r->type != BG_AUDIT_TTY_SET && r->type != BG_AUDIT_SET_FEATURE)
		return;
	if (bpf_probe_read_user(v, sizeof(v), p) &&
	    bpf_probe_read_user(v, 4 * sizeof(__u32), p))	/* TTY_SET: 2 words; SET_FEATURE: 4 */
		return;
	r->hdr.flags |= BG_AUF_BODY;
	if (r->type == BG_AUDIT_TTY_SET) {
		r->enabled = v[0];	/* struct audit_tty_status: enabled, log_passwd */
		return;
	}
	if (r->type == BG_AUDIT_SET_FEATURE) {
		r->mask = v[1];		/* struct audit_features: vers, mask, features, lock */
		r->enabled = v[2];
		r->failure = v[3];
		return;
	}
	/* struct audit_status: mask, enabled, failure, pid, rate_limit, backlog_limit, lost,
	 * backlog, version, backlog_wait_time */
	r->mask = v[0];
	r->enabled = v[1];
	r->failure = v[2];
	r->pid = v[3];
	r->rate_limit = v[4];
	r->backlog_limit = v[5];
	r->backlog_wait_time = v[9];
}

/* One record for the message with header h at p (its body follows the header). */
static __always_inline void audit__emit(struct sock *sk, __u32 nr, long ret, struct nlmsghdr *h,
					const void *p, __u16 index, __u16 flags)
{
	struct task_struct *t = bpf_get_current_task_btf();
	struct bg_audit_ctl *r;
	struct file *f;

	r = emit__begin(BG_EV_AUDIT_CTL, sizeof(*r));
	if (!r)
		return;
	__builtin_memset((char *)r + sizeof(r->hdr), 0, sizeof(*r) - sizeof(r->hdr));
	r->hdr.flags |= flags;
	r->nr = nr;
	r->type = h->nlmsg_type;
	r->nlflags = h->nlmsg_flags;
	r->ret = ret;
	r->seq = h->nlmsg_seq;
	r->uid = t->real_cred->uid.val;
	r->ppid = task__ppid(t);
	r->index = index;
	bpf_probe_read_kernel_str(r->comm, sizeof(r->comm), t->comm);
	if (!(flags & BG_AUF_MORE)) {
		audit__body(r, p + BG_NLMSG_HDRLEN);
		audit__ack(r, sk);
	}
	if (!(r->hdr.flags & BG_AUF_ACK))
		r->hdr.flags |= BG_AUF_TYPE_USER;
	f = BPF_CORE_READ(t, mm, exe_file);
	if (f)
		path__tail(r, &r->exe, BPF_CORE_READ(f, f_path.mnt), BPF_CORE_READ(f, f_path.dentry),
			   BG_AUF_EXE_TRUNC);
	emit__submit(r);
}

/* Walk the netlink messages of buf (len bytes): one record per configuration message. */
static __always_inline void audit__walk(struct sock *sk, __u32 nr, long ret, const void *buf,
					__u64 len, __u16 flags)
{
	struct nlmsghdr h;
	__u64 off = 0;
	__u16 i;

	for (i = 0; i < BG_AUDIT_MSGS_MAX; i++) {
		if (off + BG_NLMSG_HDRLEN > len || bpf_probe_read_user(&h, sizeof(h), buf + off))
			return;
		if (h.nlmsg_len < BG_NLMSG_HDRLEN || off + h.nlmsg_len > len)
			return;
		if (audit__is_ctl(h.nlmsg_type))
			audit__emit(sk, nr, ret, &h, buf + off, i, flags);
		off += (h.nlmsg_len + 3) & ~3U;
	}
	/* more than BG_AUDIT_MSGS_MAX messages: the first one left is reported as not walked */
	if (off + BG_NLMSG_HDRLEN <= len && !bpf_probe_read_user(&h, sizeof(h), buf + off))
		audit__emit(sk, nr, ret, &h, buf + off, i, flags | BG_AUF_MORE);
}

/*
 * sendto(fd, buf, len, …) and sendmsg(fd, msg, …) exit, 64-bit, tail-called by the dispatcher
 * (bg_au_exit_tbl): only a NETLINK_AUDIT socket goes further than the fd lookup. Then the call's
 * own handler (the net sensor's) runs.
 */
SEC("tp_btf/sys_exit")
int BPF_PROG(bg_audit_exit, struct pt_regs *regs, long ret)
{
	__u32 nr = compat__syscall_nr(regs);
	struct sock *sk = audit__sock(PT_REGS_PARM1_CORE_SYSCALL(regs));
	struct user_msghdr *msg;
	struct iovec *iov = NULL, v = {};
	__u64 iovlen = 0;
	__u16 flags = 0;

	if (sk && filter__followed(bpf_get_current_pid_tgid() >> 32)) {
		if (nr == BG_NR_SENDTO) {
			audit__walk(sk, nr, ret, (void *)PT_REGS_PARM2_CORE_SYSCALL(regs),
				    PT_REGS_PARM3_CORE_SYSCALL(regs), 0);
		} else {
			msg = (struct user_msghdr *)PT_REGS_PARM2_CORE_SYSCALL(regs);
			bpf_probe_read_user(&iovlen, sizeof(iovlen), &msg->msg_iovlen);
			if (iovlen > 1)
				flags |= BG_AUF_IOV;
			bpf_probe_read_user(&iov, sizeof(iov), &msg->msg_iov);
			if (iov && !bpf_probe_read_user(&v, sizeof(v), iov))
				audit__walk(sk, nr, ret, v.iov_base, v.iov_len, flags);
		}
	}
	dispatch__exit_tbl(ctx, nr);
	return 0;
}
