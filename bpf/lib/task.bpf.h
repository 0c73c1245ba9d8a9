/* SPDX-License-Identifier: GPL-2.0 */
/* Facts about a task read from kernel objects. */
#ifndef BG_TASK_BPF_H
#define BG_TASK_BPF_H

#include "common.bpf.h"

#ifndef S_IFMT
#define S_IFMT 00170000
#define S_IFSOCK 0140000
#endif

/* task->flags: an io_uring worker thread (iou-wrk-N, iou-sqp-N), acting for its process */
#define BG_PF_IO_WORKER 0x00000010

/*
 * comm[16] holds the current task's name: an io_uring worker's is replaced by its process's
 * (the group leader's), so a request the worker runs is named after the process that made it.
 */
static __always_inline void task__io_worker_comm(struct task_struct *t, char *comm)
{
	if (t->flags & BG_PF_IO_WORKER)
		bpf_probe_read_kernel_str(comm, 16, t->group_leader->comm);
}

static __always_inline __u32 task__ppid(struct task_struct *t)
{
	return BPF_CORE_READ(t, real_parent, tgid);
}

static __always_inline __u32 task__sid(struct task_struct *t)
{
	struct pid *p = BPF_CORE_READ(t, signal, pids[PIDTYPE_SID]);

	return BPF_CORE_READ(p, numbers[0].nr);
}

static __always_inline __u32 task__loginuid(struct task_struct *t)
{
	if (bpf_core_field_exists(t->loginuid))
		return BPF_CORE_READ(t, loginuid.val);
	return (__u32)-1;
}

#ifndef S_IFIFO
#define S_IFIFO 0010000
#define S_IFCHR 0020000
#define S_IFREG 0100000
#endif

/* enum bg_fd_kind of an inode (mode and rdev); ttys are majors 4, 5 and 136-143 (pts). */
static __always_inline __u8 task__fd_kind(__u16 mode, __u32 rdev)
{
	__u32 major = rdev >> 20;

	switch (mode & S_IFMT) {
	case S_IFREG:
		return BG_FD_FILE;
	case S_IFIFO:
		return BG_FD_PIPE;
	case S_IFSOCK:
		return BG_FD_SOCK;
	case S_IFCHR:
		return major == 4 || major == 5 || (major >= 136 && major <= 143) ? BG_FD_TTY : BG_FD_CHR;
	}
	return BG_FD_OTHER;
}

/*
 * fds 0..2 of the task: kind[i] (enum bg_fd_kind) and ino[i] (the inode number) of each; returns
 * bit i set when fd i is an IPv4/IPv6 socket: the shape of a reverse shell.
 * Unix sockets do not count (libuv, hence Node, wires child stdio with socketpairs).
 */
static __always_inline __u32 task__stdio(struct task_struct *t, __u8 *kind, __u64 *ino)
{
	struct file **fds = BPF_CORE_READ(t, files, fdt, fd);
	unsigned int max = BPF_CORE_READ(t, files, fdt, max_fds);
	__u32 out = 0;

	for (int i = 0; i < 3; i++) {
		struct file *f = NULL;
		struct inode *in;
		__u16 mode;

		kind[i] = BG_FD_NONE;
		ino[i] = 0;
		if (i < max)
			bpf_probe_read_kernel(&f, sizeof(f), &fds[i]);
		if (!f)
			continue;
		in = BPF_CORE_READ(f, f_inode);
		mode = BPF_CORE_READ(in, i_mode);
		kind[i] = task__fd_kind(mode, BPF_CORE_READ(in, i_rdev));
		ino[i] = BPF_CORE_READ(in, i_ino);
		if ((mode & S_IFMT) == S_IFSOCK) {
			struct socket *sock = BPF_CORE_READ(f, private_data);
			__u16 family = BPF_CORE_READ(sock, sk, __sk_common.skc_family);

			if (family == 2 /* AF_INET */ || family == 10 /* AF_INET6 */)
				out |= 1u << i;
		}
	}
	return out;
}

/*
 * The struct file behind fd in the current task's table (a BTF pointer), or NULL. t is the
 * current task as a BTF pointer: the walk to the table is plain loads; the slot is a helper read.
 * Read at the syscall's exit, the fd a call used or returned still names the same file unless
 * another thread closed it.
 */
static __always_inline struct file *task__file(struct task_struct *t, __s32 fd)
{
	struct fdtable *fdt = t->files->fdt;
	struct file **fds = fdt->fd;
	struct file *f = NULL;

	if (fd < 0 || (__u32)fd >= fdt->max_fds)
		return NULL;
	bpf_probe_read_kernel(&f, sizeof(f), &fds[fd]);
	return f ? bg_cast(f, struct file) : NULL;
}

/*
 * The task's pid in its own pid namespace (*vpid) and the inode numbers of that namespace and of
 * its mount namespace: thread_pid->numbers[level] is the innermost of the pid's numbers.
 */
static __always_inline void task__ns(struct task_struct *t, __u32 *vpid, __u32 *pidns, __u32 *mntns)
{
	struct pid *p = BPF_CORE_READ(t, thread_pid);
	__u32 level = BPF_CORE_READ(p, level);
	struct upid *u;

	u = (struct upid *)((char *)p + bpf_core_field_offset(struct pid, numbers) +
			    (level & 31) * bpf_core_type_size(struct upid));
	*vpid = BPF_CORE_READ(u, nr);
	*pidns = BPF_CORE_READ(u, ns, ns.inum);
	*mntns = BPF_CORE_READ(t, nsproxy, mnt_ns, ns.inum);
}

/* kernfs_node's parent before it became RCU-protected and was renamed __parent (v6.15). */
struct kernfs_node___o {
	struct kernfs_node *parent;
} __attribute__((preserve_access_index));

static __always_inline struct kernfs_node *task__kn_parent(struct kernfs_node *kn)
{
	if (bpf_core_field_exists(kn->__parent))
		return BPF_CORE_READ(kn, __parent);
	return BPF_CORE_READ((struct kernfs_node___o *)kn, parent);
}

/*
 * The cgroup of the first of the pids, memory and cpu controllers that sits on a v1 hierarchy
 * (its cgroup's root is not the default hierarchy's), or NULL: on a cgroup v2 host every
 * controller is on the default hierarchy; a controller the kernel lacks is skipped (CO-RE).
 */
static __always_inline struct cgroup *task__cgroup1(struct css_set *cs, struct cgroup *dfl)
{
	struct cgroup_root *droot = BPF_CORE_READ(dfl, root);
	__u32 ids[3], n = 0, max = bpf_core_field_size(struct css_set, subsys) / sizeof(void *);
	char *subsys = (char *)cs + bpf_core_field_offset(struct css_set, subsys);

	if (bpf_core_enum_value_exists(enum cgroup_subsys_id, pids_cgrp_id))
		ids[n++] = bpf_core_enum_value(enum cgroup_subsys_id, pids_cgrp_id);
	if (bpf_core_enum_value_exists(enum cgroup_subsys_id, memory_cgrp_id))
		ids[n++] = bpf_core_enum_value(enum cgroup_subsys_id, memory_cgrp_id);
	if (bpf_core_enum_value_exists(enum cgroup_subsys_id, cpu_cgrp_id))
		ids[n++] = bpf_core_enum_value(enum cgroup_subsys_id, cpu_cgrp_id);
	for (__u32 i = 0; i < 3; i++) {
		struct cgroup_subsys_state *css = NULL;
		struct cgroup *c;

		if (i >= n || ids[i] >= max)
			break;
		bpf_probe_read_kernel(&css, sizeof(css), subsys + ids[i] * sizeof(void *));
		c = BPF_CORE_READ(css, cgroup);
		if (c && BPF_CORE_READ(c, root) != droot)
			return c;
	}
	return NULL;
}

/*
 * Append the path of cgroup c to the record as blob: its kernfs names from the hierarchy's root
 * ("/" for the root itself), at most the last BG_CGROUP_DEPTH of them, each cut to
 * BG_CGROUP_NAME - 1 bytes; a cut path sets trunc in the record's flags. c NULL: empty blob.
 * The tail must start below BG_REC_MAX - BG_CGROUP_DEPTH * BG_CGROUP_NAME.
 */
static __always_inline void task__cgroup_tail(void *rec, struct bg_blob *blob, struct cgroup *c,
					      __u16 trunc)
{
	struct bg_hdr *h = rec;
	struct kernfs_node *kn = BPF_CORE_READ(c, kn), *up, *kns[BG_CGROUP_DEPTH];
	__u32 pos = h->size, n = 0;

	blob->off = pos;
	blob->len = 0;
	if (!c || !kn)
		return;
	for (__u32 i = 0; i < BG_CGROUP_DEPTH; i++) {
		up = task__kn_parent(kn);
		if (!up)
			break;
		kns[i] = kn;
		n = i + 1;
		kn = up;
	}
	if (n == BG_CGROUP_DEPTH && task__kn_parent(kn))
		h->flags |= trunc;
	if (!n) {
		((char *)rec)[pos & (BG_REC_MAX - 1)] = '/';
		pos++;
	}
	for (int i = BG_CGROUP_DEPTH - 1; i >= 0; i--) {
		long len;

		if (i >= n)
			continue;
		((char *)rec)[pos & (BG_REC_MAX - 1)] = '/';
		pos = (pos + 1) & (BG_REC_MAX - 1);
		len = bpf_probe_read_kernel_str((char *)rec + pos, BG_CGROUP_NAME,
						BPF_CORE_READ(kns[i], name));
		if (len <= 0)
			len = 1;
		if (len >= BG_CGROUP_NAME)
			h->flags |= trunc;
		pos += len - 1;
	}
	blob->len = pos - blob->off;
	h->size = pos;
}

#endif /* BG_TASK_BPF_H */
