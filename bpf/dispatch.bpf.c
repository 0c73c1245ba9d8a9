// SPDX-License-Identifier: GPL-2.0
/*
 * Syscall dispatch: the only programs attached to the raw syscall hooks. Each tail-calls the
 * handler a sensor registered for this syscall number (bg_sys_enter_tbl / bg_sys_exit_tbl,
 * filled by user space); an empty slot costs one failed lookup. One hook pair for every
 * sensor is far cheaper than a tracepoint per syscall: measured with empty programs, 21
 * per-syscall tracepoints cut an open storm to 0.80 of its speed, one tp_btf sys_enter/sys_exit
 * pair to 0.97.
 */
#include "lib/common.bpf.h"
#include "lib/emit.bpf.h"
#include "lib/compat.bpf.h"
#include "lib/gen.bpf.h"

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, BG_SYSCALL_MAX);
	__type(key, __u32);
	__type(value, __u32);
} bg_sys_exit_tbl SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, BG_SYSCALL_MAX);
	__type(key, __u32);
	__type(value, __u32);
} bg_sys_enter_tbl SEC(".maps");

/*
 * A 32-bit syscall's number means another call in the 64-bit table: counted, never dispatched.
 * Its renames, links and mounts still invalidate the file sensor's cached verdicts (their ia32
 * numbers, x86 only: see compat__ia32_moves_names).
 */
SEC("tp_btf/sys_exit")
int BPF_PROG(bg_sys_exit, struct pt_regs *regs, long ret)
{
	__u64 nr = compat__syscall_nr(regs);

	if (compat__in_ia32_syscall()) {
		stats__inc(BG_STAT_COMPAT_SYSCALL);
		if (compat__ia32_moves_names(nr))
			gen__change_exit();
		return 0;
	}
	if (nr < BG_SYSCALL_MAX)
		bpf_tail_call(ctx, &bg_sys_exit_tbl, nr);
	return 0;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(bg_sys_enter, struct pt_regs *regs, long id)
{
	if (compat__in_ia32_syscall()) {
		if (compat__ia32_moves_names(id))
			gen__change_enter();
		return 0;
	}
	if ((__u64)id < BG_SYSCALL_MAX)
		bpf_tail_call(ctx, &bg_sys_enter_tbl, id);
	return 0;
}
