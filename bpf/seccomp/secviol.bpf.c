/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Seccomp violations of every filter on the host (`evt.type = seccomp`). Seccomp runs in
 * syscall_trace_enter before the sys_enter tracepoint: a call it refuses never reaches
 * sys_enter, yet its sys_exit fires. The dispatcher (bpf/dispatch.bpf.c, cfg_seccomp) hands
 * every syscall entry and exit of a thread under a filter to the two programs here, which
 * resume its dispatch: the entry marks the thread in task storage, and an exit that finds no
 * mark was refused. The first exit seen of a thread (a new thread returning from fork, one inside
 * a syscall when the sensor started, the call that installed its first filter) is not judged:
 * it only tells that the thread is now between syscalls. Kills never return to user space (the
 * mode is SECCOMP_MODE_DEAD by then, so the dispatcher hands nothing over): the killed thread's
 * exit is seen, the call still in its pt_regs.
 *
 * Parameters of struct bg_seccomp, in order: nr, arch, ret, args[6], action, uid, ppid, comm,
 * exe (mm->exe_file).
 */
#include "lib/dispatch.bpf.h"
#include "lib/path.bpf.h"
#include "lib/task.bpf.h"

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, __u8);	/* BG_SC_IN or BG_SC_OUT */
} bg_sc_state SEC(".maps");

enum {
	BG_SC_IN = 1,			/* bg_sc_state: inside a syscall whose entry was seen */
	BG_SC_OUT = 2,			/* bg_sc_state: between syscalls */
	BG_SECCOMP_MODE_DEAD = 3,	/* kernel/seccomp.c SECCOMP_MODE_DEAD: set before a kill */
	BG_SIGSYS = 31,
	/* include/linux/sched/signal.h: the process is exiting as a whole (kill_process) */
	BG_SIGNAL_GROUP_EXIT = 0x4,
	BG_SIGNAL_GROUP_COREDUMP = 0x8,
	BG_MAX_ERRNO = 4095,
};

/* Fill and submit one record; regs hold the call (its number, arguments). */
static __always_inline void secviol__emit(struct task_struct *t, struct pt_regs *regs, long ret,
					  __u32 action)
{
	struct bg_seccomp *r = emit__begin(BG_EV_SECCOMP, sizeof(struct bg_seccomp));
	struct file *exe;
	long nr;

	if (!r)
		return;
	nr = compat__syscall_nr(regs);
	r->nr = (__s32)nr;
	r->arch = compat__syscall_arch(nr);
	r->ret = ret;
	compat__syscall_args(regs, r->arch, r->args);
	r->action = action;
	r->uid = BPF_CORE_READ(t, real_cred, uid.val);
	r->ppid = task__ppid(t);
	r->_pad = 0;
	r->_pad2 = 0;
	BPF_CORE_READ_STR_INTO(&r->comm, t, comm);
	r->exe.off = r->hdr.size;
	r->exe.len = 0;
	exe = BPF_CORE_READ(t, mm, exe_file);
	if (exe)
		path__tail(r, &r->exe, BPF_CORE_READ(exe, f_path.mnt), BPF_CORE_READ(exe, f_path.dentry),
			   BG_F_EXE_TRUNC);
	emit__submit(r);
}

/*
 * What the filter did to a call it did not let run: TRAP rolls the registers back (ret is the
 * number again) and queues SIGSYS; ERRNO returns -errno; anything else is a user_notif reply or
 * a tracer's.
 */
static __always_inline __u32 secviol__action(struct task_struct *t, long nr, long ret)
{
	if (ret == nr && (t->pending.signal.sig[0] & (1UL << (BG_SIGSYS - 1))))
		return BG_SCA_TRAP;
	if (ret < 0 && ret >= -BG_MAX_ERRNO)
		return BG_SCA_ERRNO;
	return BG_SCA_SKIPPED;
}

/*
 * True when the thread leaves a syscall it was not seen entering: seccomp refused it. The first
 * exit seen of a thread (new storage) is not judged, but from then on the thread is known to be
 * between syscalls.
 */
static __always_inline int secviol__refused(struct task_struct *t)
{
	__u8 *st = bpf_task_storage_get(&bg_sc_state, t, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);

	if (!st) {
		stats__inc(BG_STAT_SC_NO_STATE);
		return 0;
	}
	if (*st == BG_SC_OUT)
		return 1;
	*st = BG_SC_OUT;
	return 0;
}

/* Tail-called by the dispatcher (bg_sc_enter_tbl) for a filtered thread; never attached itself. */
SEC("tp_btf/sys_enter")
int BPF_PROG(bg_secviol_enter, struct pt_regs *regs, long id)
{
	__u8 *st = bpf_task_storage_get(&bg_sc_state, bpf_get_current_task_btf(), 0,
					BPF_LOCAL_STORAGE_GET_F_CREATE);

	if (st)
		*st = BG_SC_IN;
	else
		stats__inc(BG_STAT_SC_NO_STATE);
	dispatch__enter(ctx, regs, id);
	return 0;
}

/* Tail-called by the dispatcher (bg_sc_exit_tbl) for a filtered thread; never attached itself. */
SEC("tp_btf/sys_exit")
int BPF_PROG(bg_secviol_exit, struct pt_regs *regs, long ret)
{
	struct task_struct *t = bpf_get_current_task_btf();
	long nr = compat__syscall_nr(regs);

	/* a negative number: skipped by a ptrace tracer, not by seccomp */
	if (nr >= 0 && secviol__refused(t))
		secviol__emit(t, regs, ret, secviol__action(t, nr, ret));
	dispatch__exit(ctx, regs, nr);
	return 0;
}

/* A thread seccomp killed: kill_process when its whole process goes with it. */
SEC("tp_btf/sched_process_exit")
int BPF_PROG(bg_secviol_kill, struct task_struct *p)
{
	struct task_struct *t = bpf_get_current_task_btf();
	struct pt_regs *regs;
	__u32 action = BG_SCA_KILL_THREAD;

	if (t->seccomp.mode != BG_SECCOMP_MODE_DEAD)
		return 0;
	regs = (struct pt_regs *)bpf_task_pt_regs(t);
	if (t->signal->flags & (BG_SIGNAL_GROUP_EXIT | BG_SIGNAL_GROUP_COREDUMP))
		action = BG_SCA_KILL_PROCESS;
	secviol__emit(t, regs, 0, action);
	return 0;
}
