/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Architecture differences: syscall numbers and syscall arguments from pt_regs. Every caller
 * holds regs as a BTF pointer (a tp_btf argument), so these are plain loads, not helper calls;
 * use PT_REGS_PARMn_SYSCALL (plain loads on x86_64) for the arguments for the same reason.
 */
#ifndef BG_COMPAT_BPF_H
#define BG_COMPAT_BPF_H

#include "common.bpf.h"

#if defined(__TARGET_ARCH_x86)
enum bg_sysno {
	BG_NR_EXECVE = 59,
	BG_NR_EXECVEAT = 322,
};

static __always_inline long compat__syscall_nr(struct pt_regs *regs)
{
	return regs->orig_ax;
}
#elif defined(__TARGET_ARCH_arm64)
enum bg_sysno {
	BG_NR_EXECVE = 221,
	BG_NR_EXECVEAT = 281,
};

static __always_inline long compat__syscall_nr(struct pt_regs *regs)
{
	return regs->syscallno;
}
#else
#error "bpfguard supports x86_64 and arm64"
#endif

#endif /* BG_COMPAT_BPF_H */
