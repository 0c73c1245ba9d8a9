/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Seccomp denials of one process tree (`bpfguard sandbox`), exactly and without the kernel log's
 * rate limit. Seccomp runs in syscall_trace_enter before the sys_enter tracepoint: a call it
 * refuses never reaches sys_enter, yet its sys_exit fires with the syscall number and the errno
 * the filter returned. So: mark a thread at sys_enter, and count a sys_exit that finds no mark.
 * A new thread returns from fork through sys_exit without sys_enter: the fork hook marks it.
 * The mark lives in task storage (no hash update per syscall). User space marks the tree's first
 * thread, already inside a syscall when it is followed, in bg_sc_root (it has no pidfd to reach
 * task storage); that mark is used once.
 */
#include "lib/common.bpf.h"
#include "lib/compat.bpf.h"
#include "lib/filter.bpf.h"

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, __u8);	/* 1: inside a syscall whose entry was seen; 2: between syscalls */
} bg_sc_in SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);	/* tid, marked by user space */
	__type(value, __u8);
} bg_sc_root SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, BG_SC_KEYS);
	__type(key, struct bg_sc_key);
	__type(value, __u64);	/* count */
} bg_sc_deny SEC(".maps");

/* [0]: denials not counted because bg_sc_deny was full; [1]: threads not marked (no task storage) */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} bg_sc_lost SEC(".maps");

static __always_inline void sc__lost(__u32 slot)
{
	__u64 *n = bpf_map_lookup_elem(&bg_sc_lost, &slot);

	if (n)
		__sync_fetch_and_add(n, 1);
}

static __always_inline void sc__mark(struct task_struct *t)
{
	__u8 *in = bpf_task_storage_get(&bg_sc_in, t, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	__u32 tid = t->pid;

	if (!in) {
		sc__lost(1);
		return;
	}
	/* a new mark: this thread's entries are seen from now on, so a root mark is stale */
	if (!*in)
		bpf_map_delete_elem(&bg_sc_root, &tid);
	*in = 1;
}

/* True (and the mark cleared) when the current thread's syscall entry was seen. */
static __always_inline int sc__entered(__u32 tid)
{
	__u8 *in = bpf_task_storage_get(&bg_sc_in, bpf_get_current_task_btf(), 0, 0);

	if (in && *in == 1) {
		*in = 2;
		return 1;
	}
	return bpf_map_delete_elem(&bg_sc_root, &tid) == 0;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(bg_sc_enter, struct pt_regs *regs, long id)
{
	__u64 pt = bpf_get_current_pid_tgid();

	if (filter__followed(pt >> 32))
		sc__mark(bpf_get_current_task_btf());
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(bg_sc_exit, struct pt_regs *regs, long ret)
{
	__u64 pt = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)pt;
	struct bg_sc_key k = {};
	__u64 one = 1, *n;

	if (!filter__followed(pt >> 32) || sc__entered(tid))
		return 0;
	k.nr = (__s32)compat__syscall_nr(regs);
	k.ret = (__s32)ret;
	if (k.nr < 0)
		return 0;	/* skipped by a ptrace tracer, not by seccomp */
	n = bpf_map_lookup_elem(&bg_sc_deny, &k);
	if (!n && !bpf_map_update_elem(&bg_sc_deny, &k, &one, BPF_NOEXIST))
		return 0;
	if (!n)
		n = bpf_map_lookup_elem(&bg_sc_deny, &k);	/* another CPU added it meanwhile */
	if (n)
		__sync_fetch_and_add(n, 1);
	else
		sc__lost(0);
	return 0;
}

/* A new process of a followed parent is followed; every new thread of the tree is marked. */
SEC("tp_btf/sched_process_fork")
int BPF_PROG(bg_sc_fork, struct task_struct *parent, struct task_struct *child)
{
	filter__fork(parent, child);
	if (filter__followed(child->tgid))
		sc__mark(child);
	return 0;
}

SEC("tp_btf/sched_process_free")
int BPF_PROG(bg_sc_free, struct task_struct *p)
{
	filter__free(p);
	return 0;
}
