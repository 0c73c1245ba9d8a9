// SPDX-License-Identifier: GPL-2.0
/*
 * Privilege sensor: identity syscalls (creds before at sys_enter, requested ids, result, creds
 * after at sys_exit), exec transitions (an exec that changes effective ids or capabilities) and
 * unexplained credential changes (creds that differ from the expected ones, kept per task and
 * updated only at exec and identity syscalls: the sign of a kernel exploit).
 */
#include "lib/common.bpf.h"
#include "lib/emit.bpf.h"
#include "lib/path.bpf.h"
#include "lib/task.bpf.h"
#include "priv/cred.bpf.h"
#include "lib/compat.bpf.h"
#include "lib/filter.bpf.h"

char LICENSE[] SEC("license") = "GPL";

/*
 * Emit identity syscalls that succeeded without changing any credential (privsnoop: 1). -p with
 * descendants is cfg_follow (lib/filter.bpf.h): records of other processes are counted filtered;
 * their expected creds are kept all the same.
 */
const volatile __u8 cfg_noop_calls = 1;

/* Per task: the creds it should have, and those captured at the sys_enter in flight. */
struct bg_priv_task {
	struct bg_creds expect;
	struct bg_creds before;
	__u32 valid;		/* expect is set */
	__u32 pending_nr;	/* syscall number + 1 whose sys_enter captured before; 0 none */
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct bg_priv_task);
} bg_priv_tasks SEC(".maps");

/* enum bg_priv_sys by syscall number (user space fills it from its syscall table). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, BG_SYSCALL_MAX);
	__type(key, __u32);
	__type(value, __u8);
} bg_priv_sys SEC(".maps");

static __always_inline struct bg_priv_task *priv__task(struct task_struct *t)
{
	struct bg_priv_task *st = bpf_task_storage_get(&bg_priv_tasks, t, 0,
						       BPF_LOCAL_STORAGE_GET_F_CREATE);

	if (!st)
		stats__inc(BG_STAT_PRIV_NO_STORE);
	return st;
}

static __always_inline __u32 priv__sys(__u32 nr)
{
	__u8 *k = bpf_map_lookup_elem(&bg_priv_sys, &nr);

	return k ? *k : BG_PSYS_NONE;
}

/* Record with the fixed fields of every priv kind filled; NULL when lost or filtered (counted). */
static __always_inline struct bg_priv *priv__begin(__u16 kind, __u32 site, __u32 nr,
						   const struct bg_creds *old,
						   const struct bg_creds *new, struct task_struct *t)
{
	struct bg_priv *r;

	if (!filter__followed(BPF_CORE_READ(t, tgid))) {
		stats__inc(BG_STAT_FILTERED);
		return NULL;
	}
	r = emit__begin(kind, sizeof(*r));
	if (!r)
		return NULL;
	__builtin_memset((char *)r + sizeof(r->hdr), 0, sizeof(*r) - sizeof(r->hdr));
	r->hdr.pid = BPF_CORE_READ(t, tgid);
	r->hdr.tid = BPF_CORE_READ(t, pid);
	r->nr = nr;
	r->site = site;
	r->old = *old;
	r->new = *new;
	r->ppid = task__ppid(t);
	BPF_CORE_READ_STR_INTO(&r->comm, t, comm);
	if (old->userns != new->userns)
		r->hdr.flags |= BG_PF_USERNS;
	return r;
}

/* Append the path of file f as the exe blob, then submit. */
static __always_inline void priv__finish(struct bg_priv *r, struct file *f)
{
	path__tail(r, &r->exe, BPF_CORE_READ(f, f_path.mnt), BPF_CORE_READ(f, f_path.dentry), BG_F_EXE_TRUNC);
	emit__submit(r);
}

/* Compare the task's creds with the expected ones; report and re-base on a difference. */
static __always_inline void priv__check(struct task_struct *t, struct bg_priv_task *st,
					const struct bg_creds *cur, __u32 site, __u32 nr)
{
	struct bg_priv *r;

	if (st->valid && !cred__same(&st->expect, cur)) {
		stats__inc(BG_STAT_PRIV_DRIFT);
		r = priv__begin(BG_EV_PRIV_DRIFT, site, nr, &st->expect, cur, t);
		if (r)
			priv__finish(r, BPF_CORE_READ(t, mm, exe_file));
	}
	st->expect = *cur;
	st->valid = 1;
}

/* sys_enter of an identity syscall or exec numbered nr (64-bit): check, capture the before creds. */
static __always_inline int priv__enter(__u32 nr)
{
	struct task_struct *t = bpf_get_current_task_btf();
	struct bg_priv_task *st = priv__task(t);
	struct bg_creds cur;

	if (!st)
		return 0;
	cred__read(t, &cur);
	priv__check(t, st, &cur, BG_PS_ENTER, nr);
	st->before = cur;
	st->pending_nr = nr + 1;
	return 0;
}

/* Handler (sys_enter) for identity syscalls and execve/execveat. */
SEC("tp_btf/sys_enter")
int BPF_PROG(bg_priv_enter, struct pt_regs *regs, long id)
{
	return priv__enter(id);
}

/* The same for a 32-bit call (bg_sys_enter32): by the 64-bit number of the same call. */
SEC("tp_btf/sys_enter")
int BPF_PROG(bg_priv_enter32, struct pt_regs *regs, long id)
{
	__u32 fl;

	return priv__enter(compat__call(regs, 1, &fl));
}

/* capset(hdrp, datap): the requested sets from the two __user_cap_data_struct {eff, prm, inh}. */
static __always_inline void priv__capset_args(struct bg_priv *r, const __u64 *a)
{
	__u32 d[6] = {};

	bpf_probe_read_user(d, sizeof(d), (void *)a[1]);
	r->req_eff = d[0] | (__u64)d[3] << 32;
	r->req_prm = d[1] | (__u64)d[4] << 32;
}

/*
 * The ids as requested: only the arguments this syscall has (the others stay 0); a 32-bit
 * call's from its registers (ia32, fl: compat__call's), a 16-bit id as the kernel widens it.
 */
static __always_inline void priv__call_args(struct bg_priv *r, struct pt_regs *regs, __u32 sys,
					    int ia32, __u32 fl)
{
	__u64 a[6];

	compat__args(regs, ia32, fl, a);
	if (sys == BG_PSYS_CAPSET) {
		priv__capset_args(r, a);
		return;
	}
	r->arg[0] = sys == BG_PSYS_GROUPS ? (__u32)a[0] : compat__id(a[0], fl);
	if (sys == BG_PSYS_ID2 || sys == BG_PSYS_ID3)
		r->arg[1] = compat__id(a[1], fl);
	if (sys == BG_PSYS_ID3)
		r->arg[2] = compat__id(a[2], fl);
}

/*
 * Handler (sys_exit) for identity syscalls and unshare/setns, of one ABI (ia32: a constant).
 * Parameters: nr, ret, arg[0..2] (ids as requested), req_eff, req_prm (capset), old, new,
 * ppid, comm, exe (mm->exe_file).
 */
static __always_inline int priv__exit(struct pt_regs *regs, long ret, int ia32)
{
	struct task_struct *t = bpf_get_current_task_btf();
	__u32 fl, nr = compat__call(regs, ia32, &fl), sys = priv__sys(nr);
	struct bg_priv_task *st;
	struct bg_creds cur;
	struct bg_priv *r;
	int nobefore;

	if (sys == BG_PSYS_NONE)
		return 0;
	st = priv__task(t);
	if (!st)
		return 0;
	cred__read(t, &cur);
	nobefore = st->pending_nr != nr + 1;
	if (nobefore)	/* the sensor started during this syscall */
		st->before = st->valid ? st->expect : cur;
	if (sys != BG_PSYS_NS && sys != BG_PSYS_GROUPS && ret >= 0 && !cfg_noop_calls &&
	    cred__same(&st->before, &cur)) {
		stats__inc(BG_STAT_PRIV_NOOP);	/* nothing changed: no privilege information */
	} else if (sys != BG_PSYS_NS) {
		if (ret < 0)
			stats__inc(BG_STAT_PRIV_FAILED);
		r = priv__begin(BG_EV_PRIV_CALL, BG_PS_SYSCALL, nr, &st->before, &cur, t);
		if (r) {
			r->ret = ret;
			if (nobefore)
				r->hdr.flags |= BG_PF_NO_BEFORE;
			if (ia32)
				r->hdr.flags |= BG_PF_IA32;
			priv__call_args(r, regs, sys, ia32, fl);
			priv__finish(r, BPF_CORE_READ(t, mm, exe_file));
		}
	}
	st->expect = cur;
	st->valid = 1;
	st->pending_nr = 0;
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(bg_priv_exit, struct pt_regs *regs, long ret)
{
	return priv__exit(regs, ret, 0);
}

/* The same for a 32-bit call (bg_sys_exit32: setuid32, setuid's 16-bit ids …), flagged BG_PF_IA32. */
SEC("tp_btf/sys_exit")
int BPF_PROG(bg_priv_exit32, struct pt_regs *regs, long ret)
{
	return priv__exit(regs, ret, 1);
}

/* Handler (sys_exit) for common syscalls: the cheap check, no record unless creds drifted. */
SEC("tp_btf/sys_exit")
int BPF_PROG(bg_priv_check, struct pt_regs *regs, long ret)
{
	struct task_struct *t = bpf_get_current_task_btf();
	struct bg_priv_task *st = priv__task(t);
	struct bg_creds cur;

	if (!st)
		return 0;
	cred__read(t, &cur);
	priv__check(t, st, &cur, BG_PS_CHECK, compat__syscall_nr(regs));
	return 0;
}

/*
 * Exec transition. Parameters: old (at sys_enter execve), new, file_uid, file_gid, file_mode,
 * ppid, comm, exe (bprm->file). Only when effective ids or capabilities changed.
 */
SEC("tp_btf/sched_process_exec")
int BPF_PROG(bg_priv_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	struct bg_priv_task *st = priv__task(p);
	struct file *f = BPF_CORE_READ(bprm, file);
	struct inode *ino = BPF_CORE_READ(f, f_inode);
	struct bg_creds cur, *old;
	struct bg_priv *r;
	__u16 mode;

	if (!st)
		return 0;
	cred__read(p, &cur);
	/* no sys_enter seen (one begun before the sensor): the creds last known */
	old = st->pending_nr ? &st->before : &st->expect;
	if (st->valid && cred__eff_differ(old, &cur)) {
		r = priv__begin(BG_EV_PRIV_EXEC, BG_PS_EXEC, 0, old, &cur, p);
		if (r) {
			if (!st->pending_nr)
				r->hdr.flags |= BG_PF_NO_BEFORE;
			mode = BPF_CORE_READ(ino, i_mode);
			r->file_uid = BPF_CORE_READ(ino, i_uid.val);
			r->file_gid = BPF_CORE_READ(ino, i_gid.val);
			r->file_mode = mode;
			if (mode & 04000)
				r->hdr.flags |= BG_PF_SETUID_FILE;
			if (mode & 02000)
				r->hdr.flags |= BG_PF_SETGID_FILE;
			priv__finish(r, f);
		}
	}
	st->expect = cur;
	st->valid = 1;
	st->pending_nr = 0;
	return 0;
}

/*
 * Check the parent at fork; the child starts from the creds it really got. -p: a child of a
 * followed process is followed (when this object keeps the set).
 */
SEC("tp_btf/sched_process_fork")
int BPF_PROG(bg_priv_fork, struct task_struct *parent, struct task_struct *child)
{
	struct bg_priv_task *ps = priv__task(parent), *cs = priv__task(child);
	struct bg_creds cur;

	filter__fork(parent, child);

	if (ps) {
		cred__read(parent, &cur);
		priv__check(parent, ps, &cur, BG_PS_FORK, 0);
	}
	if (cs) {
		cred__read(child, &cur);
		cs->expect = cur;
		cs->valid = 1;
		cs->pending_nr = 0;
	}
	return 0;
}

/* Check every exiting task (threads too). */
SEC("tp_btf/sched_process_exit")
int BPF_PROG(bg_priv_pexit, struct task_struct *p)
{
	struct bg_priv_task *st = bpf_task_storage_get(&bg_priv_tasks, p, 0, 0);
	struct bg_creds cur;

	if (!st)
		return 0;
	cred__read(p, &cur);
	priv__check(p, st, &cur, BG_PS_EXIT, 0);
	return 0;
}

/* -p: a process is gone (its leader freed): it leaves the set. */
SEC("tp_btf/sched_process_free")
int BPF_PROG(bg_priv_free, struct task_struct *p)
{
	filter__free(p);
	return 0;
}
