/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The -p follow filter of every sensor: only the processes in bg_follow, which holds the PIDs
 * user space put there and, added in the kernel at fork, their descendants. One map for all
 * objects (user space reuses the first object's: keep the definition identical). That first
 * object keeps it alone (user space turns cfg_follow_own off in the others), so a descendant is
 * added once. A process leaves the set when its leader's task_struct is freed, after every exit
 * program of every object has seen it, so none of them depends on the order they run in.
 */
#ifndef BG_FILTER_BPF_H
#define BG_FILTER_BPF_H

#include "common.bpf.h"
#include "emit.bpf.h"

const volatile __u8 cfg_follow = 0;	/* only processes in bg_follow: -p PIDs and descendants */
const volatile __u8 cfg_follow_own = 1;	/* this object keeps bg_follow (fork: in, free: out) */

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, BG_FOLLOW_MAX);
	__type(key, __u32);
	__type(value, __u8);
} bg_follow SEC(".maps");

/* True when process tgid passes the follow filter (always without -p). */
static __always_inline int filter__followed(__u32 tgid)
{
	return !cfg_follow || bpf_map_lookup_elem(&bg_follow, &tgid) != NULL;
}

/*
 * sched_process_fork (BTF pointers): a new process (not a thread) of a followed parent is
 * followed. Runs before the child does; a full set is counted (BG_STAT_FOLLOW_FULL).
 */
static __always_inline void filter__fork(struct task_struct *parent, struct task_struct *child)
{
	__u32 ptgid = parent->tgid, ctgid = child->tgid;
	__u8 one = 1;

	if (!cfg_follow || !cfg_follow_own || child->pid != ctgid)
		return;
	if (bpf_map_lookup_elem(&bg_follow, &ptgid) &&
	    bpf_map_update_elem(&bg_follow, &ctgid, &one, BPF_ANY))
		stats__inc(BG_STAT_FOLLOW_FULL);
}

/*
 * sched_process_free (a BTF pointer): the thread group leader is freed once the whole process
 * has exited and been reaped (an RCU grace period after its pid was released; pids are handed
 * out cyclically, so none is reused that soon).
 */
static __always_inline void filter__free(struct task_struct *p)
{
	__u32 tgid = p->tgid;

	if (!cfg_follow || !cfg_follow_own || p->pid != tgid)
		return;
	bpf_map_delete_elem(&bg_follow, &tgid);
}

#endif /* BG_FILTER_BPF_H */
