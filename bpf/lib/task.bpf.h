/* SPDX-License-Identifier: GPL-2.0 */
/* Facts about a task read from kernel objects. */
#ifndef BG_TASK_BPF_H
#define BG_TASK_BPF_H

#include "common.bpf.h"

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

#endif /* BG_TASK_BPF_H */
