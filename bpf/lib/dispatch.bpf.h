/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The syscall dispatch tables and their tail calls (bpf/dispatch.bpf.c), shared with the seccomp
 * violation sensor (bpf/seccomp/secviol.bpf.c): the dispatcher hands a filtered thread's syscall
 * to it, and it resumes the dispatch. User space reuses the dispatcher's tables for it: keep the
 * definitions identical.
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

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, BG_SYSCALL_MAX);
	__type(key, __u32);
	__type(value, __u32);
} bg_sys_enter_tbl SEC(".maps");

/*
 * The handlers of 32-bit calls, by the 64-bit number of the same call (bg_ia32_sys): separate
 * programs, each built for the ia32 ABI, so the 64-bit ones stay as they are.
 */
struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, BG_SYSCALL_MAX);
	__type(key, __u32);
	__type(value, __u32);
} bg_sys_exit32 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, BG_SYSCALL_MAX);
	__type(key, __u32);
	__type(value, __u32);
} bg_sys_enter32 SEC(".maps");

/*
 * One slot: the kernel sensor's check of 64-bit sendto/sendmsg for audit configuration messages
 * (bpf/kmod/kmod.bpf.c, bg_audit_exit), which resumes with dispatch__exit_tbl, so the handler a
 * sensor registered for the same call (the net sensor's) still runs. Empty: one failed lookup.
 */
struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} bg_au_exit_tbl SEC(".maps");

/* Tail-call the exit handler a sensor registered for this 64-bit syscall number. */
static __always_inline void dispatch__exit_tbl(void *ctx, __u64 nr)
{
	if (nr < BG_SYSCALL_MAX)
		bpf_tail_call(ctx, &bg_sys_exit_tbl, nr);
}

/*
 * Tail-call the exit handler a sensor registered for this syscall number. A 32-bit syscall's
 * number means another call in the 64-bit table: one a sensor looks at (bg_ia32_sys) goes to the
 * 32-bit handler registered for its 64-bit number (bg_sys_exit32); without one it is counted
 * (compat_syscall: not decoded), never handed to a 64-bit handler. Renames, links and mounts not
 * dispatched still invalidate the file sensor's cached verdicts (their ia32 numbers, x86 only:
 * see compat__ia32_moves_names). 64-bit calls pay one branch; 64-bit sendto and sendmsg go first
 * to the audit check's slot (bg_au_exit_tbl), which goes on to their own handler.
 */
static __always_inline void dispatch__exit(void *ctx, struct pt_regs *regs, __u64 nr)
{
	struct bg_ia32 *c;

	if (compat__in_ia32_syscall()) {
		c = compat__ia32_entry(regs, nr);
		if (c && c->nr < BG_SYSCALL_MAX) {
			bpf_tail_call(ctx, &bg_sys_exit32, c->nr);
			stats__inc(BG_STAT_COMPAT_SYSCALL);
		}
		if (compat__ia32_moves_names(nr))
			gen__change_exit();
		return;
	}
	if (nr == BG_NR_SENDTO || nr == BG_NR_SENDMSG)
		bpf_tail_call(ctx, &bg_au_exit_tbl, 0);
	dispatch__exit_tbl(ctx, nr);
}

/* The same at entry (32-bit calls not dispatched: only the verdict generation). */
static __always_inline void dispatch__enter(void *ctx, struct pt_regs *regs, long id)
{
	struct bg_ia32 *c;

	if (compat__in_ia32_syscall()) {
		c = compat__ia32_entry(regs, id);
		if (c && c->nr < BG_SYSCALL_MAX)
			bpf_tail_call(ctx, &bg_sys_enter32, c->nr);
		if (compat__ia32_moves_names(id))
			gen__change_enter();
		return;
	}
	if ((__u64)id < BG_SYSCALL_MAX)
		bpf_tail_call(ctx, &bg_sys_enter_tbl, id);
}

#endif /* BG_DISPATCH_BPF_H */
