// SPDX-License-Identifier: GPL-2.0
/*
 * Injection sensor: one process acting on another's memory or registers, at the syscall's exit
 * with its result, attempts too.
 *  - ptrace: PTRACE_TRACEME, ATTACH, SEIZE, and the peeks and pokes of memory (PEEK…, POKE…) and
 *    registers (GETREGS, SETREGS, their FP and REGSET forms); the other requests (CONT, SYSCALL, DETACH …) are
 *    filtered.
 *  - process_vm_readv / process_vm_writev.
 * The target is read at exit from kernel objects: for TRACEME the caller's tracer (its parent);
 * otherwise the task the pid argument names in the caller's pid namespace (bpf_task_from_vpid),
 * which for a request that succeeded is checked to be the caller's tracee (task->parent, flag
 * BG_AF_EXACT: the very task the kernel acted on). A run of the same peek/poke class or
 * process_vm_* call on the same target is one record (the first; the rest are counted as
 * act_repeat): a debugger reads memory thousands of times.
 *
 * Parameters of struct bg_act, in order: nr, op (ptrace request; 0), ret, arg (addr; remote iovec
 * count), uid, ppid, tpid, ttid, tuid, comm, tcomm, exe, texe.
 */
#include "lib/act.bpf.h"

char LICENSE[] SEC("license") = "GPL";

extern struct task_struct *bpf_task_from_vpid(s32 vpid) __ksym __weak;
extern struct task_struct *bpf_task_from_pid(s32 pid) __ksym __weak;
extern void bpf_task_release(struct task_struct *p) __ksym;

enum {
	/* include/uapi/linux/ptrace.h, arch/x86/include/uapi/asm/ptrace-abi.h */
	BG_PT_TRACEME = 0,
	BG_PT_PEEKUSR = 3,
	BG_PT_POKETEXT = 4,
	BG_PT_POKEUSR = 6,
	BG_PT_GETREGS = 12,
	BG_PT_SETREGS = 13,
	BG_PT_GETFPREGS = 14,
	BG_PT_SETFPREGS = 15,
	BG_PT_ATTACH = 16,
	BG_PT_GETREGSET = 0x4204,
	BG_PT_SETREGSET = 0x4205,
	BG_PT_SEIZE = 0x4206,
	/* request classes */
	BG_PC_NONE = 0,
	BG_PC_TRACE = 1,	/* traceme, attach, seize: always reported */
	BG_PC_READ = 2,		/* peeks and register reads: repeats folded */
	BG_PC_WRITE = 3,	/* pokes and register writes: repeats folded */
};

/* The last folded record of a thread: (nr, op, target tid). */
struct bg_inj_last {
	__u32 nr;
	__u32 op;
	__u32 ttid;
	__u32 _pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct bg_inj_last);
} bg_inj_last SEC(".maps");

static __always_inline __u32 inj__class(long req)
{
	if (req == BG_PT_TRACEME || req == BG_PT_ATTACH || req == BG_PT_SEIZE)
		return BG_PC_TRACE;
	if ((req >= 1 && req <= BG_PT_PEEKUSR) || req == BG_PT_GETREGS || req == BG_PT_GETFPREGS ||
	    req == BG_PT_GETREGSET)
		return BG_PC_READ;
	if ((req >= BG_PT_POKETEXT && req <= BG_PT_POKEUSR) || req == BG_PT_SETREGS ||
	    req == BG_PT_SETFPREGS || req == BG_PT_SETREGSET)
		return BG_PC_WRITE;
	return BG_PC_NONE;
}

/* True (counted) when this call repeats the thread's last folded record; else remembers it. */
static __always_inline int inj__repeat(__u32 nr, __u32 op, __u32 ttid)
{
	struct bg_inj_last *l = bpf_task_storage_get(&bg_inj_last, bpf_get_current_task_btf(), 0,
						     BPF_LOCAL_STORAGE_GET_F_CREATE);

	if (!l) {
		stats__inc(BG_STAT_ACT_NO_STORE);
		return 0;
	}
	if (l->nr == nr && l->op == op && l->ttid == ttid) {
		stats__inc(BG_STAT_ACT_REPEAT);
		return 1;
	}
	l->nr = nr;
	l->op = op;
	l->ttid = ttid;
	return 0;
}

/* Forget the thread's last folded record (a new attach starts a new session). */
static __always_inline void inj__forget(void)
{
	struct bg_inj_last *l = bpf_task_storage_get(&bg_inj_last, bpf_get_current_task_btf(), 0, 0);

	if (l)
		l->nr = l->op = l->ttid = 0;
}

/* The task vpid names in the caller's pid namespace (acquired), or NULL. */
static __always_inline struct task_struct *inj__lookup(__s32 vpid)
{
	if (vpid <= 0)
		return NULL;
	if (bpf_task_from_vpid)
		return bpf_task_from_vpid(vpid);
	if (bpf_task_from_pid)	/* before 6.13: right in the initial pid ns */
		return bpf_task_from_pid(vpid);
	return NULL;
}

/*
 * Fill the target fields from task tt; returns its exe file (read, not referenced) for the path
 * walk after the task is released.
 */
static __always_inline struct file *inj__target(struct bg_act *r, struct task_struct *tt)
{
	struct task_struct *me = bpf_get_current_task_btf(), *p = tt;
	__u32 mytgid = me->tgid;
	int i;

	r->hdr.flags |= BG_AF_TARGET;
	r->tpid = BPF_CORE_READ(tt, tgid);
	r->ttid = BPF_CORE_READ(tt, pid);
	r->tuid = BPF_CORE_READ(tt, real_cred, uid.val);
	BPF_CORE_READ_STR_INTO(&r->tcomm, tt, comm);
	if (r->tuid != r->uid)
		r->hdr.flags |= BG_AF_OTHER_USER;
	for (i = 0; i < BG_ACT_DEPTH && p; i++) {
		__u32 tg = BPF_CORE_READ(p, tgid);

		if (tg == mytgid) {
			r->hdr.flags |= BG_AF_OWN;
			break;
		}
		if (tg <= 1)
			break;
		p = BPF_CORE_READ(p, real_parent);
	}
	return BPF_CORE_READ(tt, mm, exe_file);
}

/* The target of a call on pid vpid: exact when the call succeeded on the caller's tracee. */
static __always_inline struct file *inj__target_of(struct bg_act *r, __s32 vpid, int tracee)
{
	struct task_struct *tt = inj__lookup(vpid), *me = bpf_get_current_task_btf();
	struct file *f;

	if (!tt)
		return NULL;
	f = inj__target(r, tt);
	if (tracee && tt->parent == me && tt->ptrace)
		r->hdr.flags |= BG_AF_EXACT;
	bpf_task_release(tt);
	return f;
}

/* Append the target's exe path (if any) and the caller's, then submit. */
static __always_inline void inj__finish(struct bg_act *r, struct file *texe)
{
	if (texe)
		path__tail(r, &r->texe, BPF_CORE_READ(texe, f_path.mnt),
			   BPF_CORE_READ(texe, f_path.dentry), BG_AF_TEXE_TRUNC);
	act__finish(r);
}

/* ptrace(request, pid, addr, data). */
SEC("tp_btf/sys_exit")
int BPF_PROG(bg_inj_ptrace, struct pt_regs *regs, long ret)
{
	long req = PT_REGS_PARM1_CORE_SYSCALL(regs);
	__s32 vpid = PT_REGS_PARM2_CORE_SYSCALL(regs);
	__u32 cls = inj__class(req), nr = compat__syscall_nr(regs);
	struct task_struct *me = bpf_get_current_task_btf();
	struct file *texe;
	struct bg_act *r;

	if (cls == BG_PC_NONE) {
		stats__inc(BG_STAT_FILTERED);
		return 0;
	}
	if (cls == BG_PC_TRACE)
		inj__forget();	/* a new tracing session: its first peek or poke is reported */
	else if (inj__repeat(nr, req, vpid))
		return 0;
	r = act__begin(BG_EV_PTRACE, nr, ret);
	if (!r)
		return 0;
	r->op = req;
	r->arg = PT_REGS_PARM3_CORE_SYSCALL(regs);
	r->ttid = vpid;
	if (req == BG_PT_TRACEME) {
		texe = inj__target(r, BPF_CORE_READ(me, parent));
		if (ret == 0)
			r->hdr.flags |= BG_AF_EXACT;
	} else {
		texe = inj__target_of(r, vpid, ret >= 0);
	}
	inj__finish(r, texe);
	return 0;
}

/* process_vm_readv / process_vm_writev(pid, lvec, liovcnt, rvec, riovcnt, flags). */
SEC("tp_btf/sys_exit")
int BPF_PROG(bg_inj_vm, struct pt_regs *regs, long ret)
{
	__s32 vpid = PT_REGS_PARM1_CORE_SYSCALL(regs);
	__u32 nr = compat__syscall_nr(regs);
	struct file *texe;
	struct bg_act *r;

	if (inj__repeat(nr, 0, vpid))
		return 0;
	r = act__begin(BG_EV_PROCMEM, nr, ret);
	if (!r)
		return 0;
	r->arg = PT_REGS_PARM5_CORE_SYSCALL(regs);
	r->ttid = vpid;
	texe = inj__target_of(r, vpid, 0);
	inj__finish(r, texe);
	return 0;
}
