// SPDX-License-Identifier: GPL-2.0
/* Process sensor: fork, exec (success and failure) and exit. */
#include "lib/common.bpf.h"
#include "lib/emit.bpf.h"
#include "lib/path.bpf.h"
#include "lib/task.bpf.h"
#include "lib/compat.bpf.h"
#include "lib/filter.bpf.h"
#include "process/argv.bpf.h"
#include "process/env.bpf.h"
#include "lib/enforce.bpf.h"

char LICENSE[] SEC("license") = "GPL";

/* Per-run filters (execsnoop flags; -p: cfg_follow, lib/filter.bpf.h); the monitor leaves them open. */
const volatile __u32 cfg_uid = (__u32)-1;	/* only this uid, or -1 for all */
const volatile __u8 cfg_failed_only = 0;	/* only failed execs */
const volatile __u8 cfg_lifecycle = 1;		/* emit fork and exit records */

static __always_inline int proc__wanted(__u32 tgid, __u32 uid)
{
	if (cfg_uid != (__u32)-1 && uid != cfg_uid)
		return 0;
	return filter__followed(tgid);
}

static __always_inline void proc__fill_common(struct bg_exec *e, struct task_struct *t)
{
	const struct cred *c = BPF_CORE_READ(t, cred);
	struct tty_struct *tty = BPF_CORE_READ(t, signal, tty);

	e->ppid = task__ppid(t);
	e->uid = BPF_CORE_READ(c, uid.val);
	e->gid = BPF_CORE_READ(c, gid.val);
	e->euid = BPF_CORE_READ(c, euid.val);
	e->egid = BPF_CORE_READ(c, egid.val);
	e->loginuid = task__loginuid(t);
	e->sid = task__sid(t);
	e->start_ns = BPF_CORE_READ(t, start_boottime);
	e->stdio_sock = task__stdio(t, e->stdio_kind, e->stdio_ino);
	e->stdio_kind[3] = 0;
	e->_pad = 0;
	e->enforce = 0;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	/* the per-CPU scratch keeps the last record: a blob not filled below must be empty, not stale */
	e->cwd.off = e->tty.off = e->stdin_path.off = e->hdr.size;
	e->cwd.len = e->tty.len = e->stdin_path.len = 0;
	path__tail(e, &e->cwd, BPF_CORE_READ(t, fs, pwd.mnt), BPF_CORE_READ(t, fs, pwd.dentry),
			BG_F_CWD_TRUNC);
	if (tty)
		emit__tail_str(e, &e->tty, BPF_CORE_READ(tty, name), BG_TTY_MAX, 0);
}

/*
 * The container identity of the task, first in the tail (so nothing after it can push it out):
 * vpid, pidns, mntns, and the cgroup paths of the default hierarchy and of a v1 one.
 */
static __always_inline void proc__container(struct bg_exec *e, struct task_struct *t)
{
	struct css_set *cs = BPF_CORE_READ(t, cgroups);
	struct cgroup *dfl = BPF_CORE_READ(cs, dfl_cgrp);

	task__ns(t, &e->vpid, &e->pidns, &e->mntns);
	task__cgroup_tail(e, &e->cgroup, dfl, BG_F_CGROUP_TRUNC);
	task__cgroup_tail(e, &e->cgroup1, task__cgroup1(cs, dfl), BG_F_CGROUP1_TRUNC);
}

/* Exec kills (bg_enf_exe): exe path prefixes ("/tmp/") and exact paths (with the NUL) -> slot bits. */
struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, BG_WATCH_MAX);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct bg_watch_key);
	__type(value, __u32);
} bg_enf_exe SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct bg_watch_key);
} bg_enf_key SEC(".maps");

/* The kill slots whose exe entries cover the exe path at rec + blob (in the per-CPU scratch). */
static __always_inline __u32 proc__kill_slots(void *rec, struct bg_blob *blob)
{
	__u32 zero = 0, n = blob->len, *slots;
	struct bg_watch_key *k = bpf_map_lookup_elem(&bg_enf_key, &zero);

	if (!k || !n)
		return 0;
	if (n > BG_WATCH_KEY - 1)
		n = BG_WATCH_KEY - 1;	/* a longer path matches prefixes only */
	barrier_var(n);
	n &= BG_WATCH_KEY - 1;
	if (bpf_probe_read_kernel(k->data, n, (char *)rec + (blob->off & (BG_REC_MAX - 1))))
		return 0;
	k->data[n & (BG_WATCH_KEY - 1)] = 0;
	k->prefixlen = (n + (blob->len < BG_WATCH_KEY ? 1 : 0)) * 8;
	slots = bpf_map_lookup_elem(&bg_enf_exe, k);
	return slots ? *slots : 0;
}

/* The script a binfmt handler (#!) replaced by its interpreter: bprm->filename, else empty. */
static __always_inline void proc__script(struct bg_exec *e, struct linux_binprm *bprm)
{
	const char *fn = BPF_CORE_READ(bprm, filename);

	e->script.off = e->hdr.size;
	e->script.len = 0;
	if (fn != BPF_CORE_READ(bprm, interp))
		emit__tail_str(e, &e->script, fn, BG_PATH_MAX, 0);
}

/*
 * Parameters: ppid, old_tid, uid, gid, euid, egid, loginuid, sid, ret, argc, stdio_sock, start_ns, comm,
 * exe, args, cwd, tty, script, env, stdio_kind, stdio_ino, vpid, pidns, mntns, cgroup, cgroup1,
 * stdin_path.
 */
SEC("tp_btf/sched_process_exec")
int BPF_PROG(bg_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	struct bg_exec *e;
	struct file *f = BPF_CORE_READ(bprm, file);
	struct mm_struct *mm = BPF_CORE_READ(p, mm);
	__u64 arg_start = BPF_CORE_READ(mm, arg_start), arg_end = BPF_CORE_READ(mm, arg_end);
	__u32 alen;

	if (cfg_failed_only || !proc__wanted(p->tgid, BPF_CORE_READ(p, cred, uid.val))) {
		stats__inc(BG_STAT_FILTERED);
		return 0;
	}
	e = emit__begin(BG_EV_EXEC, sizeof(*e));
	if (!e)
		return 0;
	e->old_tid = old_pid;
	e->ret = 0;
	e->argc = BPF_CORE_READ(bprm, argc);
	proc__container(e, p);
	e->exe.off = e->hdr.size;
	e->exe.len = 0;
	path__tail(e, &e->exe, BPF_CORE_READ(f, f_path.mnt), BPF_CORE_READ(f, f_path.dentry),
			BG_F_EXE_TRUNC);
	if (path__is_deleted(BPF_CORE_READ(f, f_path.dentry)))
		e->hdr.flags |= BG_F_EXE_DELETED;
	proc__script(e, bprm);
	alen = arg_end > arg_start ? arg_end - arg_start : 0;
	if (alen > BG_ARGS_MAX || e->argc > BG_MAX_ARGS) {
		e->hdr.flags |= BG_F_ARGS_TRUNC;
		stats__inc(BG_STAT_ARGS_TRUNC);
	}
	if (alen > BG_ARGS_MAX)
		alen = BG_ARGS_MAX;
	{
		__u32 pos = e->hdr.size & (BG_REC_MAX - 1);

		barrier_var(alen);
		if (alen && bpf_probe_read_user((char *)e + pos, alen & (BG_ARGS_MAX * 2 - 1), (void *)arg_start)) {
			e->hdr.flags |= BG_F_ARGS_FAULT;
			stats__inc(BG_STAT_READ_FAIL);
			alen = 0;
		}
		e->args.off = pos;
		e->args.len = alen;
		e->hdr.size = pos + alen;
	}
	proc__fill_common(e, p);
	if (e->stdio_kind[0] == BG_FD_FILE) {
		/* a shell reading its commands from a file on stdin: the file's path */
		struct file *in = task__file(p, 0);

		if (in)
			path__tail(e, &e->stdin_path, BPF_CORE_READ(in, f_path.mnt),
				   BPF_CORE_READ(in, f_path.dentry), BG_F_STDIN_TRUNC);
	}
	env__tail(e, &e->env, BPF_CORE_READ(mm, env_start), BPF_CORE_READ(mm, env_end));
	/* kill here: the new image has not run an instruction; the record says so even if lost */
	e->enforce = enforce__decide(proc__kill_slots(e, &e->exe), 0, 0);
	emit__submit(e);
	return 0;
}

/*
 * Failed execve/execveat: the arguments are still in the caller's registers at exit.
 * A dispatch handler (tail-called from bg_sys_exit for execve and execveat), never attached.
 */
SEC("tp_btf/sys_exit")
int BPF_PROG(bg_exec_fail, struct pt_regs *regs, long ret)
{
	struct task_struct *t;
	struct argv__walk w = {};
	struct bg_exec *e;
	const char *fname;
	long nr;

	if (ret >= 0)
		return 0;
	nr = compat__syscall_nr(regs);
	t = bpf_get_current_task_btf();
	if (!proc__wanted(t->tgid, BPF_CORE_READ(t, cred, uid.val))) {
		stats__inc(BG_STAT_FILTERED);
		return 0;
	}
	e = emit__begin(BG_EV_EXEC, sizeof(*e));
	if (!e)
		return 0;
	e->ret = ret;
	e->old_tid = t->pid;
	proc__container(e, t);
	if (nr == BG_NR_EXECVE) {
		fname = (const char *)PT_REGS_PARM1_SYSCALL(regs);
		w.argv = (const char *const *)PT_REGS_PARM2_SYSCALL(regs);
	} else {
		fname = (const char *)PT_REGS_PARM2_SYSCALL(regs);
		w.argv = (const char *const *)PT_REGS_PARM3_SYSCALL(regs);
	}
	emit__tail_str(e, &e->exe, fname, BG_PATH_MAX, 1);
	e->script.off = e->hdr.size;
	e->script.len = 0;
	w.rec = (char *)e;
	w.base = e->hdr.size;
	if (w.argv)
		bpf_loop(BG_MAX_ARGS * 4, argv__step, &w, 0);
	e->args.off = w.base;
	e->args.len = w.len;
	e->argc = w.argc;
	e->hdr.size = w.base + w.len;
	if (w.trunc) {
		e->hdr.flags |= BG_F_ARGS_TRUNC;
		stats__inc(BG_STAT_ARGS_TRUNC);
	}
	if (w.fault) {
		e->hdr.flags |= BG_F_ARGS_FAULT;
		stats__inc(BG_STAT_READ_FAIL);
	}
	proc__fill_common(e, t);
	e->env.off = e->hdr.size;
	e->env.len = 0;
	emit__submit(e);
	return 0;
}

/*
 * Parameters: ppid, parent_tid, start_ns, comm, vpid, pidns, mntns. Threads are not processes: skipped. A child is
 * followed when its parent is (whichever object adds it to bg_follow, and when).
 */
SEC("tp_btf/sched_process_fork")
int BPF_PROG(bg_fork, struct task_struct *parent, struct task_struct *child)
{
	__u32 ptgid = parent->tgid, ctgid = child->tgid;
	struct bg_fork *f;

	if (child->pid != ctgid)
		return 0;
	filter__fork(parent, child);
	if (!cfg_lifecycle || !proc__wanted(ptgid, BPF_CORE_READ(child, cred, uid.val)))
		return 0;
	f = emit__begin(BG_EV_FORK, sizeof(*f));
	if (!f)
		return 0;
	f->hdr.pid = ctgid;
	f->hdr.tid = child->pid;
	f->ppid = ptgid;
	f->parent_tid = parent->pid;
	f->start_ns = child->start_boottime;
	BPF_CORE_READ_STR_INTO(&f->comm, child, comm);
	task__ns(child, &f->vpid, &f->pidns, &f->mntns);
	f->_pad = 0;
	emit__submit(f);
	return 0;
}

/* Parameters: ppid, exit_code, start_ns, comm. Only when the last thread goes. */
SEC("tp_btf/sched_process_exit")
int BPF_PROG(bg_exit, struct task_struct *p)
{
	__u32 tgid = p->tgid;
	struct bg_exit *x;

	if (BPF_CORE_READ(p, signal, live.counter) != 0)
		return 0;
	if (!cfg_lifecycle || !proc__wanted(tgid, BPF_CORE_READ(p, cred, uid.val)))
		return 0;
	x = emit__begin(BG_EV_EXIT, sizeof(*x));
	if (!x)
		return 0;
	x->hdr.pid = tgid;
	x->ppid = task__ppid(p);
	x->exit_code = p->exit_code;
	x->start_ns = p->start_boottime;
	BPF_CORE_READ_STR_INTO(&x->comm, p, comm);
	emit__submit(x);
	return 0;
}

/* A process is gone (its leader freed): it leaves the -p set (lib/filter.bpf.h). */
SEC("tp_btf/sched_process_free")
int BPF_PROG(bg_proc_free, struct task_struct *p)
{
	filter__free(p);
	return 0;
}
