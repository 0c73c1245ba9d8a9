/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Records of acts on the kernel or on another process (struct bg_act): the kernel sensor
 * (bpf/kmod/) and the injection sensor (bpf/inject/) share the record and its fixed part.
 */
#ifndef BG_ACT_BPF_H
#define BG_ACT_BPF_H

#include "common.bpf.h"
#include "emit.bpf.h"
#include "path.bpf.h"
#include "task.bpf.h"
#include "filter.bpf.h"
#include "compat.bpf.h"

/* Record with the caller's fields filled; NULL when lost or filtered by -p (counted). */
static __always_inline struct bg_act *act__begin(__u16 kind, __u32 nr, long ret)
{
	struct task_struct *t = bpf_get_current_task_btf();
	struct bg_act *r;

	if (!filter__followed(t->tgid)) {
		stats__inc(BG_STAT_FILTERED);
		return NULL;
	}
	r = emit__begin(kind, sizeof(*r));
	if (!r)
		return NULL;
	__builtin_memset((char *)r + sizeof(r->hdr), 0, sizeof(*r) - sizeof(r->hdr));
	r->nr = nr;
	r->ret = ret;
	r->uid = t->real_cred->uid.val;
	r->ppid = task__ppid(t);
	bpf_probe_read_kernel_str(r->comm, sizeof(r->comm), t->comm);
	return r;
}

/* Append the caller's exe path, then submit. */
static __always_inline void act__finish(struct bg_act *r)
{
	struct task_struct *t = bpf_get_current_task_btf();
	struct file *f = BPF_CORE_READ(t, mm, exe_file);

	if (f)
		path__tail(r, &r->exe, BPF_CORE_READ(f, f_path.mnt), BPF_CORE_READ(f, f_path.dentry),
			   BG_AF_EXE_TRUNC);
	emit__submit(r);
}

#endif /* BG_ACT_BPF_H */
