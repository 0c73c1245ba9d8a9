// SPDX-License-Identifier: GPL-2.0
/*
 * Syscall dispatch: the only programs attached to the raw syscall hooks. Each tail-calls the
 * handler a sensor registered for this syscall number (bg_sys_enter_tbl / bg_sys_exit_tbl,
 * filled by user space); an empty slot costs one failed lookup. One hook pair for every
 * sensor is far cheaper than a tracepoint per syscall: measured with empty programs, 21
 * per-syscall tracepoints cut an open storm to 0.80 of its speed, one tp_btf sys_enter/sys_exit
 * pair to 0.97.
 */
#include "lib/dispatch.bpf.h"

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, BG_SYSCALL_MAX);
	__type(key, __u32);
	__type(value, __u32);
} bg_sys_enter_tbl SEC(".maps");

/*
 * Seccomp violations (cfg_seccomp: the seccomp sensor runs). Seccomp runs in
 * syscall_trace_enter before the sys_enter tracepoint: a call it refuses never reaches
 * sys_enter, yet its sys_exit fires. So a thread under a filter (seccomp.mode ==
 * SECCOMP_MODE_FILTER: one load for every other thread) marks its entry in task storage, and
 * an exit that finds the mark unset was refused. A thread with no storage yet (a new thread
 * returning from fork, one inside a syscall when the sensor started, one that has just
 * installed its first filter) is not judged until its next entry. Kills never reach here (the
 * mode is SECCOMP_MODE_DEAD by then): the sensor reports them at the thread's exit.
 */
const volatile __u8 cfg_seccomp = 0;

enum {
	BG_SECCOMP_MODE_FILTER = 2,	/* include/uapi/linux/seccomp.h SECCOMP_MODE_FILTER */
	BG_SC_IN = 1,			/* bg_sc_state: inside a syscall whose entry was seen */
	BG_SC_OUT = 2,			/* bg_sc_state: between syscalls */
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, __u8);	/* BG_SC_IN or BG_SC_OUT */
} bg_sc_state SEC(".maps");

/* One slot: the seccomp sensor's record program (it resumes the dispatch). */
struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} bg_sc_tbl SEC(".maps");

static __always_inline void sc__enter(void)
{
	struct task_struct *t = bpf_get_current_task_btf();
	__u8 *st;

	if (t->seccomp.mode != BG_SECCOMP_MODE_FILTER)
		return;
	st = bpf_task_storage_get(&bg_sc_state, t, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!st) {
		stats__inc(BG_STAT_SC_NO_STATE);
		return;
	}
	*st = BG_SC_IN;
}

/* True when a filtered thread leaves a syscall it was not seen entering: seccomp refused it. */
static __always_inline int sc__refused(void)
{
	struct task_struct *t = bpf_get_current_task_btf();
	__u8 *st;

	if (t->seccomp.mode != BG_SECCOMP_MODE_FILTER)
		return 0;
	st = bpf_task_storage_get(&bg_sc_state, t, 0, 0);
	if (!st)
		return 0;
	if (*st == BG_SC_IN) {
		*st = BG_SC_OUT;
		return 0;
	}
	return 1;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(bg_sys_exit, struct pt_regs *regs, long ret)
{
	if (cfg_seccomp && sc__refused()) {
		bpf_tail_call(ctx, &bg_sc_tbl, 0);
		stats__inc(BG_STAT_SC_NO_HANDLER);
	}
	dispatch__exit(ctx, compat__syscall_nr(regs));
	return 0;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(bg_sys_enter, struct pt_regs *regs, long id)
{
	if (cfg_seccomp)
		sc__enter();
	if (compat__in_ia32_syscall()) {
		if (compat__ia32_moves_names(id))
			gen__change_enter();
		return 0;
	}
	if ((__u64)id < BG_SYSCALL_MAX)
		bpf_tail_call(ctx, &bg_sys_enter_tbl, id);
	return 0;
}
