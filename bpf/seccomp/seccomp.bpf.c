/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Seccomp denials of one process tree (`bpfguard sandbox`), exactly and without the kernel log's
 * rate limit. Seccomp runs in syscall_trace_enter before the sys_enter tracepoint: a call it
 * refuses never reaches sys_enter, yet its sys_exit fires with the syscall number and the errno
 * the filter returned. So: mark a thread at sys_enter, and count a sys_exit that finds no mark.
 * A new thread returns from fork through sys_exit without sys_enter: the fork hook marks it.
 * User space marks the tree's first thread (already inside a syscall) before following it.
 */
#include "lib/common.bpf.h"
#include "lib/compat.bpf.h"
#include "lib/filter.bpf.h"

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, BG_SC_TASKS);
	__type(key, __u32);	/* tid */
	__type(value, __u8);
} bg_sc_in SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, BG_SC_KEYS);
	__type(key, struct bg_sc_key);
	__type(value, __u64);	/* count */
} bg_sc_deny SEC(".maps");

/* [0]: denials not counted because bg_sc_deny was full; [1]: threads not marked (bg_sc_in full) */
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

static __always_inline void sc__mark(__u32 tid)
{
	__u8 one = 1;

	if (bpf_map_update_elem(&bg_sc_in, &tid, &one, BPF_ANY))
		sc__lost(1);
}

SEC("tp_btf/sys_enter")
int BPF_PROG(bg_sc_enter, struct pt_regs *regs, long id)
{
	__u64 pt = bpf_get_current_pid_tgid();

	if (filter__followed(pt >> 32))
		sc__mark((__u32)pt);
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(bg_sc_exit, struct pt_regs *regs, long ret)
{
	__u64 pt = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)pt;
	struct bg_sc_key k = {};
	__u64 one = 1, *n;

	if (!filter__followed(pt >> 32) || bpf_map_delete_elem(&bg_sc_in, &tid) == 0)
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
		sc__mark(child->pid);
	return 0;
}

SEC("tp_btf/sched_process_free")
int BPF_PROG(bg_sc_free, struct task_struct *p)
{
	__u32 tid = p->pid;

	bpf_map_delete_elem(&bg_sc_in, &tid);
	filter__free(p);
	return 0;
}
