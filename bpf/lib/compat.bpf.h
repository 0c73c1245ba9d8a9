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

/*
 * True inside a 32-bit syscall (a 32-bit process, or int $0x80 from a 64-bit one): its number
 * and argument registers follow the ia32 table, so no 64-bit handler may see it.
 */
static __always_inline int compat__in_ia32_syscall(void)
{
	struct task_struct *t = bpf_get_current_task_btf();

	if (!bpf_core_field_exists(t->thread_info.status))
		return 0;
	return (t->thread_info.status & 0x0002 /* TS_COMPAT */) != 0;
}

/* ia32 link, mount, umount, rename, umount2, pivot_root, renameat, linkat, renameat2, move_mount, mount_setattr. */
static __always_inline int compat__ia32_moves_names(long nr)
{
	switch (nr) {
	case 9: case 21: case 22: case 38: case 52: case 217: case 302: case 303: case 353:
	case 429: case 442:
		return 1;
	default:
		return 0;
	}
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

/* AArch32 tasks are not told apart here; arm64 kernels rarely run them (a known gap). */
static __always_inline int compat__in_ia32_syscall(void)
{
	return 0;
}

static __always_inline int compat__ia32_moves_names(long nr)
{
	return 0;
}
#else
#error "bpfguard supports x86_64 and arm64"
#endif

#endif /* BG_COMPAT_BPF_H */
