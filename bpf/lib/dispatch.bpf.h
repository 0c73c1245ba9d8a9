/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The syscall exit dispatch (bpf/dispatch.bpf.c), shared with the seccomp violation sensor
 * (bpf/seccomp/secviol.bpf.c), which records a refused call and then resumes the dispatch the
 * dispatcher handed to it. User space reuses the dispatcher's bg_sys_exit_tbl for it: keep the
 * definition identical.
 */
#ifndef BG_DISPATCH_BPF_H
#define BG_DISPATCH_BPF_H

#include "common.bpf.h"
#include "emit.bpf.h"
#include "compat.bpf.h"
#include "gen.bpf.h"

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, BG_SYSCALL_MAX);
	__type(key, __u32);
	__type(value, __u32);
} bg_sys_exit_tbl SEC(".maps");

/*
 * Tail-call the exit handler a sensor registered for this syscall number. A 32-bit syscall's
 * number means another call in the 64-bit table: counted, never dispatched. Its renames, links
 * and mounts still invalidate the file sensor's cached verdicts (their ia32 numbers, x86 only:
 * see compat__ia32_moves_names).
 */
static __always_inline void dispatch__exit(void *ctx, __u64 nr)
{
	if (compat__in_ia32_syscall()) {
		stats__inc(BG_STAT_COMPAT_SYSCALL);
		if (compat__ia32_moves_names(nr))
			gen__change_exit();
		return;
	}
	if (nr < BG_SYSCALL_MAX)
		bpf_tail_call(ctx, &bg_sys_exit_tbl, nr);
}

#endif /* BG_DISPATCH_BPF_H */
