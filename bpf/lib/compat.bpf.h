/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Architecture differences: syscall numbers and syscall arguments from pt_regs. Every caller
 * holds regs as a BTF pointer (a tp_btf argument), so these are plain loads, not helper calls;
 * use PT_REGS_PARMn_SYSCALL (plain loads on x86_64) for the arguments for the same reason.
 */
#ifndef BG_COMPAT_BPF_H
#define BG_COMPAT_BPF_H

#include "common.bpf.h"

/*
 * 32-bit calls the sensors decode: the 64-bit number of each ia32 one (maps_abi.h, struct
 * bg_ia32). Shared by every object (user space reuses one map: keep the definition identical).
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, BG_IA32_KEYS);
	__type(key, __u32);
	__type(value, struct bg_ia32);
} bg_ia32_sys SEC(".maps");

#if defined(__TARGET_ARCH_x86)
enum bg_sysno {
	BG_NR_EXECVE = 59,
	BG_NR_EXECVEAT = 322,
	BG_NR_OPENAT = 257,
	BG_NR_OPENAT2 = 437,
	BG_NR_CONNECT = 42,
	BG_NR_SENDTO = 44,
	BG_NR_SENDMSG = 46,
	BG_NR_MKDIRAT = 258,
	BG_NR_UNLINKAT = 263,
	BG_NR_LINKAT = 265,
	BG_NR_SYMLINKAT = 266,
	BG_NR_RENAMEAT2 = 316,
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

/*
 * The bg_ia32_sys entry of a 32-bit call (nr: its ia32 number; socketcall: the entry of its
 * sub-call, regs->bx), or NULL when no sensor decodes it.
 */
static __always_inline struct bg_ia32 *compat__ia32_entry(struct pt_regs *regs, long nr)
{
	__u32 k = nr;
	struct bg_ia32 *c;

	if (k >= BG_IA32_MAX)
		return NULL;
	c = bpf_map_lookup_elem(&bg_ia32_sys, &k);
	if (!c || !(c->fl & BG_IA32_SOCKETCALL))
		return c && c->fl ? c : NULL;
	k = regs->bx;
	if (k >= BG_IA32_KEYS - BG_IA32_SOCKETCALL_KEY)
		return NULL;
	k += BG_IA32_SOCKETCALL_KEY;
	c = bpf_map_lookup_elem(&bg_ia32_sys, &k);
	return c && c->fl ? c : NULL;
}

/*
 * The call in flight, for a handler built for one ABI (ia32: a constant, so each build keeps only
 * its own code and the verifier walks each separately): its 64-bit number (BG_SYSCALL_MAX: a
 * 32-bit call no sensor decodes); *fl: the enum bg_ia32_flag bits of a 32-bit call, else 0.
 */
static __always_inline __u32 compat__call(struct pt_regs *regs, int ia32, __u32 *fl)
{
	struct bg_ia32 *c;

	*fl = 0;
	if (!ia32)
		return regs->orig_ax;
	c = compat__ia32_entry(regs, regs->orig_ax);
	*fl = c ? c->fl : 0;
	return c ? c->nr : BG_SYSCALL_MAX;
}

/* The table the current syscall's number belongs to (enum bg_sc_arch); nr as in orig_ax. */
static __always_inline __u32 compat__syscall_arch(long nr)
{
	if (compat__in_ia32_syscall())
		return BG_SC_ARCH_I386;
	return (nr & 0x40000000 /* __X32_SYSCALL_BIT */) ? BG_SC_ARCH_X32 : BG_SC_ARCH_X86_64;
}

/* The six argument registers of a syscall, in the calling convention of its arch. */
static __always_inline void compat__syscall_args(struct pt_regs *regs, __u32 arch, __u64 *a)
{
	if (arch == BG_SC_ARCH_I386) {
		a[0] = regs->bx;
		a[1] = regs->cx;
		a[2] = regs->dx;
		a[3] = regs->si;
		a[4] = regs->di;
		a[5] = regs->bp;
		return;
	}
	a[0] = regs->di;
	a[1] = regs->si;
	a[2] = regs->dx;
	a[3] = regs->r10;
	a[4] = regs->r8;
	a[5] = regs->r9;
}

/*
 * Its six arguments: the 64-bit registers, the ia32 ones (ebx, ecx, edx, esi, edi, ebp: 32 bits
 * each), or a socketcall's u32 array in user memory (read now: the kernel's copy is not
 * reachable, so a thread of the caller could have changed it since).
 */
static __always_inline void compat__args(struct pt_regs *regs, int ia32, __u32 fl, __u64 *a)
{
	__u32 v[6] = {};

	if (!ia32) {
		compat__syscall_args(regs, BG_SC_ARCH_X86_64, a);
		return;
	}
	if (fl & BG_IA32_MEMARGS) {
		bpf_probe_read_user(v, sizeof(v), (void *)(unsigned long)(__u32)regs->cx);
	} else {
		v[0] = regs->bx;
		v[1] = regs->cx;
		v[2] = regs->dx;
		v[3] = regs->si;
		v[4] = regs->di;
		v[5] = regs->bp;
	}
	a[0] = v[0];
	a[1] = v[1];
	a[2] = v[2];
	a[3] = v[3];
	a[4] = v[4];
	a[5] = v[5];
}

/* An id argument as the kernel takes it: a 16-bit call's (old_uid_t) 0xffff is -1. */
static __always_inline __u32 compat__id(__u64 v, __u32 fl)
{
	if (!(fl & BG_IA32_UID16))
		return v;
	return (__u16)v == 0xffff ? (__u32)-1 : (__u16)v;
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
	BG_NR_OPENAT = 56,
	BG_NR_OPENAT2 = 437,
	BG_NR_CONNECT = 203,
	BG_NR_SENDTO = 206,
	BG_NR_SENDMSG = 211,
	BG_NR_MKDIRAT = 34,
	BG_NR_UNLINKAT = 35,
	BG_NR_SYMLINKAT = 36,
	BG_NR_LINKAT = 37,
	BG_NR_RENAMEAT2 = 276,
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

static __always_inline struct bg_ia32 *compat__ia32_entry(struct pt_regs *regs, long nr)
{
	return NULL;
}

static __always_inline __u32 compat__call(struct pt_regs *regs, int ia32, __u32 *fl)
{
	*fl = 0;
	return regs->syscallno;
}

static __always_inline __u32 compat__syscall_arch(long nr)
{
	return BG_SC_ARCH_AARCH64;
}

/* x0 is overwritten by the return value: its value at entry is orig_x0. */
static __always_inline void compat__syscall_args(struct pt_regs *regs, __u32 arch, __u64 *a)
{
	a[0] = regs->orig_x0;
	a[1] = regs->regs[1];
	a[2] = regs->regs[2];
	a[3] = regs->regs[3];
	a[4] = regs->regs[4];
	a[5] = regs->regs[5];
}

static __always_inline void compat__args(struct pt_regs *regs, int ia32, __u32 fl, __u64 *a)
{
	compat__syscall_args(regs, BG_SC_ARCH_AARCH64, a);
}

static __always_inline __u32 compat__id(__u64 v, __u32 fl)
{
	return v;
}
#else
#error "bpfguard supports x86_64 and arm64"
#endif

#endif /* BG_COMPAT_BPF_H */
