// SPDX-License-Identifier: GPL-2.0
/*
 * File sensor: opens and file changes, one record per syscall at exit (dispatch handlers).
 * Where the arguments of each syscall are comes from bg_file_sys (written by user space), so
 * the programs hold no syscall numbers. Only paths in the watch set (file/watch.bpf.h) are
 * emitted unless cfg_all; the decision is taken before anything is copied into a record.
 */
#include "lib/common.bpf.h"
#include "lib/emit.bpf.h"
#include "lib/path.bpf.h"
#include "lib/compat.bpf.h"
#include "lib/filter.bpf.h"
#include "lib/task.bpf.h"
#include "file/watch.bpf.h"
#include "lib/enforce.bpf.h"
#include "lib/uring.bpf.h"
#include "file/normpath.bpf.h"

char LICENSE[] SEC("license") = "GPL";

/* Per-run filters (opensnoop flags; -p with descendants is cfg_follow, lib/filter.bpf.h). */
const volatile __u8 cfg_all = 0;		/* emit every file event, watched or not */
const volatile __u32 cfg_uid = (__u32)-1;	/* only this uid, or -1 for all */
const volatile __u32 cfg_pid = 0;		/* only this process (tgid), or 0 for all */
const volatile __u8 cfg_failed_only = 0;	/* only failed operations */
/* io_uring changes are named at completion by the kernel's dentries (bg_file_uring_res loaded) */
const volatile __u8 cfg_uring_res = 0;

/* Kernel ABI values used here only (identical on x86_64 and arm64). */
enum {
	FILE_AT_FDCWD = -100,
	FILE_O_ACCMODE = 03,
	FILE_O_CREAT = 0100,
	FILE_O_TRUNC = 01000,
	FILE_O_APPEND = 02000,
	FILE_O_TMPFILE = 020000000,
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, BG_SYSCALL_MAX);
	__type(key, __u32);
	__type(value, struct bg_fsys);
} bg_file_sys SEC(".maps");

/* The arguments of one call, as bg_file_sys places them. */
struct file__args {
	const char *path;
	const char *path2;
	__s32 dfd;
	__s32 dfd2;
	__u32 flags;
	__u32 mode;
	__u32 owner;
	__u32 group;
};

/* An absolute path in the per-CPU path buffer, and the raw argument it was built from. */
struct file__path {
	const char *p;
	struct dentry *d;	/* the file's dentry when p is its path, else NULL */
	const char *raw;
	__u32 len;
	__u32 raw_len;
	__u32 trunc;
	__u32 fault;
};

static __always_inline unsigned long file__arg(struct pt_regs *regs, __s8 i)
{
	switch (i) {
	case 0: return PT_REGS_PARM1_SYSCALL(regs);
	case 1: return PT_REGS_PARM2_SYSCALL(regs);
	case 2: return PT_REGS_PARM3_SYSCALL(regs);
	case 3: return PT_REGS_PARM4_SYSCALL(regs);
	case 4: return PT_REGS_PARM5_SYSCALL(regs);
	default: return 0;
	}
}

static __always_inline void file__args(struct bg_fsys *sp, struct pt_regs *regs,
				       struct file__args *a)
{
	struct open_how how = {};

	a->path = (const char *)file__arg(regs, sp->path);
	a->path2 = (const char *)file__arg(regs, sp->path2);
	a->dfd = sp->dfd >= 0 ? (__s32)file__arg(regs, sp->dfd) : FILE_AT_FDCWD;
	a->dfd2 = sp->dfd2 >= 0 ? (__s32)file__arg(regs, sp->dfd2) : FILE_AT_FDCWD;
	a->flags = sp->flags >= 0 ? file__arg(regs, sp->flags) : sp->fixed_flags;
	a->mode = sp->mode >= 0 ? file__arg(regs, sp->mode) : 0;
	a->owner = sp->owner >= 0 ? file__arg(regs, sp->owner) : (__u32)-1;
	a->group = sp->group >= 0 ? file__arg(regs, sp->group) : (__u32)-1;
	if (sp->fl & BG_FSYS_HOW) {
		bpf_probe_read_user(&how, sizeof(how), (void *)file__arg(regs, sp->flags));
		a->flags = how.flags;
		a->mode = how.mode;
	}
	if (sp->kind == BG_EV_OPEN && !(a->flags & (FILE_O_CREAT | FILE_O_TMPFILE)))
		a->mode = 0;	/* the register holds whatever the caller left there */
}

/*
 * Argument i (0-4) of a 32-bit call: its ia32 register (ebx, ecx, edx, esi, edi), 32 bits; 0
 * when absent. No file syscall goes through socketcall, so the registers are all there is.
 */
static __always_inline unsigned long file__arg32(struct pt_regs *regs, __s8 i)
{
	switch (i) {
	case 0: return (__u32)regs->bx;
	case 1: return (__u32)regs->cx;
	case 2: return (__u32)regs->dx;
	case 3: return (__u32)regs->si;
	case 4: return (__u32)regs->di;
	default: return 0;
	}
}

/* file__args of a 32-bit call (fl: compat__call's): 32-bit registers, 16-bit ids. */
static __always_inline void file__args32(struct bg_fsys *sp, struct pt_regs *regs, __u32 fl,
					 struct file__args *a)
{
	struct open_how how = {};

	a->path = (const char *)file__arg32(regs, sp->path);
	a->path2 = (const char *)file__arg32(regs, sp->path2);
	a->dfd = sp->dfd >= 0 ? (__s32)file__arg32(regs, sp->dfd) : FILE_AT_FDCWD;
	a->dfd2 = sp->dfd2 >= 0 ? (__s32)file__arg32(regs, sp->dfd2) : FILE_AT_FDCWD;
	a->flags = sp->flags >= 0 ? file__arg32(regs, sp->flags) : sp->fixed_flags;
	a->mode = sp->mode >= 0 ? file__arg32(regs, sp->mode) : 0;
	a->owner = sp->owner >= 0 ? compat__id(file__arg32(regs, sp->owner), fl) : (__u32)-1;
	a->group = sp->group >= 0 ? compat__id(file__arg32(regs, sp->group), fl) : (__u32)-1;
	if (sp->fl & BG_FSYS_HOW) {
		bpf_probe_read_user(&how, sizeof(how), (void *)file__arg32(regs, sp->flags));
		a->flags = how.flags;
		a->mode = how.mode;
	}
	if (sp->kind == BG_EV_OPEN && !(a->flags & (FILE_O_CREAT | FILE_O_TMPFILE)))
		a->mode = 0;
}

/* Access an open asks for, as enum bg_watch_mode bits. */
static __always_inline __u32 file__access(__u32 flags)
{
	__u32 acc = flags & FILE_O_ACCMODE;
	__u32 a = acc == 0 ? BG_WATCH_READ : acc == 1 ? BG_WATCH_WRITE : BG_WATCH_READ | BG_WATCH_WRITE;

	if (flags & (FILE_O_CREAT | FILE_O_TRUNC | FILE_O_APPEND))
		a |= BG_WATCH_WRITE;
	return a;
}

static __always_inline int file__wanted(struct task_struct *t, long ret)
{
	if ((cfg_pid && t->tgid != cfg_pid) || (cfg_failed_only && ret >= 0) ||
	    (cfg_uid != (__u32)-1 && BPF_CORE_READ(t, cred, uid.val) != cfg_uid) ||
	    !filter__followed(t->tgid)) {
		stats__inc(BG_STAT_FILTERED);
		return 0;
	}
	return 1;
}

/* Path of an open file (from file__from_fd) into the path buffer. */
static __always_inline int file__path_of(struct file *f, struct file__path *o)
{
	if (!f)
		return 0;
	o->d = f->f_path.dentry;
	o->p = path__resolve(f->f_path.mnt, o->d, &o->len, &o->trunc);
	return o->p != NULL;
}

/*
 * Read the raw argument (user memory, or kernel memory when kern) to data[BG_PATH_MAX + 1] and, when it is relative, walk the base
 * directory (dirfd's file, or cwd) to end at data[BG_PATH_MAX - 1] with a '/' joining them.
 */
static __always_inline void file__build(struct task_struct *t, const char *uraw, __s32 dfd,
					struct file__path *o, __u16 *fflags, __u32 deep_bit, int kern)
{
	__u32 zero = 0, blen = 0;
	struct bg_pathbuf_val *w = bpf_map_lookup_elem(&bg_pathbuf, &zero);
	struct file *f = NULL;
	const char *base;
	long n;

	if (!w)
		return;
	/* kern: the name is the kernel's copy (an io_uring request's struct filename) */
	if (kern)
		n = uraw ? bpf_probe_read_kernel_str(w->data + BG_PATH_MAX + 1, BG_PATH_MAX - 1, uraw) : 0;
	else
		n = uraw ? bpf_probe_read_user_str(w->data + BG_PATH_MAX + 1, BG_PATH_MAX - 1, uraw) : 0;
	if (n <= 0) {
		o->fault = 1;
		n = 1;
		w->data[BG_PATH_MAX + 1] = 0;
	}
	o->raw = w->data + BG_PATH_MAX + 1;
	o->raw_len = n - 1;
	o->p = o->raw;
	o->len = n - 1;
	if (n > 1 && w->data[BG_PATH_MAX + 1] == '/') {
		norm__path(&o->p, &o->len, deep_bit);
		return;
	}
	if (dfd != FILE_AT_FDCWD) {
		f = task__file(t, dfd);
		if (!f)
			return;	/* a bad dirfd: only the raw name is known */
		*fflags |= BG_FF_NAME_DIRFD;
	}
	base = f ? path__resolve(BPF_CORE_READ(f, f_path.mnt), BPF_CORE_READ(f, f_path.dentry),
				 &blen, &o->trunc)
		 : path__resolve(BPF_CORE_READ(t, fs, pwd.mnt), BPF_CORE_READ(t, fs, pwd.dentry),
				 &blen, &o->trunc);
	if (!base)
		return;
	w->data[BG_PATH_MAX] = '/';
	if (n == 1)
		o->len = blen, o->p = base;	/* empty name (AT_EMPTY_PATH): the directory itself */
	else if (blen == 1)
		o->len = n, o->p = w->data + BG_PATH_MAX;	/* base is "/" */
	else
		o->len = blen + n, o->p = base;
	norm__path(&o->p, &o->len, deep_bit);
}

/* Append len bytes at src to the record tail, cut to the room left; returns 1 when cut. */
static __always_inline int file__tail(void *rec, struct bg_blob *blob, const char *src, __u32 len)
{
	struct bg_hdr *h = rec;
	__u32 pos = h->size, cut = 0;

	if (pos > BG_REC_MAX)
		pos = BG_REC_MAX;
	if (len > BG_REC_MAX - pos)
		len = BG_REC_MAX - pos, cut = 1;
	if (len > BG_PATH_MAX - 1)
		len = BG_PATH_MAX - 1, cut = 1;
	pos &= BG_REC_MAX - 1;
	barrier_var(len);
	len &= BG_PATH_MAX - 1;	/* already < BG_PATH_MAX: the mask only informs the verifier */
	if (!src || bpf_probe_read_kernel((char *)rec + pos, len, src))
		len = 0;
	blob->off = pos;
	blob->len = len;
	h->size = pos + len;
	return cut;
}

/* Copy a built path (name) and its raw argument into the record; flag cuts and faults. */
static __always_inline void file__put(struct bg_file *e, struct bg_blob *name, struct bg_blob *raw,
				      struct file__path *o, __u16 trunc_flag)
{
	if (file__tail(e, name, o->p, o->len) || o->trunc) {
		e->hdr.flags |= trunc_flag;
		stats__inc(BG_STAT_PATH_TRUNC);
	}
	if (raw)
		file__tail(e, raw, o->raw, o->raw_len);
	if (o->fault) {
		e->hdr.flags |= BG_FF_RAW_FAULT;
		stats__inc(BG_STAT_READ_FAIL);
	}
}

/* Raw user string straight into the record tail (open success: the name came from the file). */
static __always_inline void file__put_user(struct bg_file *e, struct bg_blob *raw, const char *u)
{
	__u32 pos = e->hdr.size & (BG_REC_MAX - 1);
	long n = u ? bpf_probe_read_user_str((char *)e + pos, BG_PATH_MAX, u) : 0;

	if (n <= 0) {
		e->hdr.flags |= BG_FF_RAW_FAULT;
		stats__inc(BG_STAT_READ_FAIL);
		n = 1;
	}
	if (pos + n - 1 > BG_REC_MAX)
		n = BG_REC_MAX - pos + 1;
	raw->off = pos;
	raw->len = n - 1;
	e->hdr.size = pos + n - 1;
}

/* Parameters: sysnr, ret, uid, gid, oflags, mode, owner, group, dirfd, watch, comm. */
static __always_inline void file__fill(struct bg_file *e, struct task_struct *t, __u32 nr,
				       long ret, struct file__args *a, __u32 watch)
{
	e->sysnr = nr;
	e->ret = ret;
	e->uid = BPF_CORE_READ(t, cred, uid.val);
	e->gid = BPF_CORE_READ(t, cred, gid.val);
	e->oflags = a->flags;
	e->mode = a->mode;
	e->owner = a->owner;
	e->group = a->group;
	e->dirfd = a->dfd;
	e->watch = watch;
	e->enforce = 0;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
}

/*
 * Identity of the opened file (ino, s_dev) and whether its mount lies outside the caller's mount
 * namespace (/proc/PID/root, a passed fd): its path was then walked in another namespace.
 * f and t are BTF pointers. Parameters: ino, dev, then the flag.
 */
static __always_inline void file__ident(struct bg_file *e, struct file *f, struct task_struct *t)
{
	struct inode *in = f ? f->f_inode : NULL;
	struct mount *m;

	e->ino = 0;
	e->dev = 0;
	e->_pad = 0;
	if (!in)
		return;
	e->ino = in->i_ino;
	e->dev = BPF_CORE_READ(in, i_sb, s_dev);
	m = path__real_mount(f->f_path.mnt);
	if ((void *)BPF_CORE_READ(m, mnt_ns) != (void *)BPF_CORE_READ(t, nsproxy, mnt_ns))
		e->hdr.flags |= BG_FF_MNT_FOREIGN;
}

/* The spec of syscall nr (a change or open bg_file_sys knows); NULL, counted, when none. */
static __always_inline struct bg_fsys *file__spec_of(__u32 nr)
{
	struct bg_fsys *sp = bpf_map_lookup_elem(&bg_file_sys, &nr);

	if (!sp || !sp->kind) {
		stats__inc(BG_STAT_FILE_NOSPEC);
		return NULL;
	}
	return sp;
}

/* The spec of the call in flight (a 32-bit call: of its 64-bit number *nr); *fl: compat__call's. */
static __always_inline struct bg_fsys *file__spec(struct pt_regs *regs, int ia32, __u32 *nr,
						  __u32 *fl)
{
	*nr = compat__call(regs, ia32, fl);
	return file__spec_of(*nr);
}

/*
 * open, openat, openat2, creat. Success: the path of the opened struct file (fd = ret);
 * failure (or fd already gone): the raw argument joined to the dirfd's or cwd's path. Returns
 * the record built in scratch, for the caller to send (or keep), or NULL when filtered.
 */
static __always_inline struct bg_file *file__open(struct task_struct *t, __u32 nr,
						   struct bg_fsys *sp, long ret,
						   struct file__args *a, int by_fd, __u16 extra,
						   int kern)
{
	struct file *f = NULL;
	__u16 ff = 0;
	struct file__path o = {};
	struct bg_vc_key k;
	struct bg_file *e;
	struct vfsmount *mnt = NULL;
	enum watch_dir dir = WATCH_DIR_NONE;
	int busy = 1, mode = -1;	/* mode: the cached verdict (watch mode bits), -1 none */
	__u32 watch = 0, access, all, enf;
	__u64 gen = 0;

	access = file__access(a->flags);
	all = cfg_all || (sp->fl & BG_FSYS_ALL);
	if (ret >= 0 && by_fd)
		f = task__file(t, ret);
	if (f && !all && !(busy = watch__busy())) {
		struct dentry *d = f->f_path.dentry;

		gen = watch__gen();
		mnt = f->f_path.mnt;
		watch__vc_key(&k, mnt, d);
		mode = watch__l0_mode(&k, gen);
		if (mode < 0) {
			dir = watch__dir_state(mnt, d, gen);
			mode = dir == WATCH_DIR_CLEAN ? (int)watch__base(d) : watch__vc_mode(&k, gen);
			if (mode >= 0)
				watch__l0_put(&k, gen, mode);
		}
		/* only a verdict that rejects is used: a watched file is walked to report its path */
		if (mode >= 0 && !(mode & access)) {
			stats__inc(BG_STAT_FILTERED);
			return NULL;
		}
	}
	norm__reset();
	if (f && file__path_of(f, &o)) {
		ff = BG_FF_NAME_FILE;
	} else {
		o.d = NULL;
		if (ret >= 0 && by_fd) {
			ff = BG_FF_NO_FILE;
			stats__inc(BG_STAT_FILE_NOFILE);
		}
		file__build(t, a->path, a->dfd, &o, &ff, BG_FF_NAME_DEEP, kern);
	}
	if (!all) {
		if (o.d) {
			watch = watch__match_any(o.p, o.len, BG_WATCH_READ | BG_WATCH_WRITE, o.d, 1) |
				watch__ino(o.d);
			if (!o.trunc && !busy && mode < 0) {
				if (dir == WATCH_DIR_UNKNOWN)
					dir = watch__dir_put(o.p, o.len, mnt, o.d, gen);
				/* k is the key of o.d (the opened file's dentry), computed above */
				if (dir != WATCH_DIR_CLEAN)
					watch__vc_put(&k, watch, gen);
				watch__l0_put(&k, gen, watch);
			}
			watch = (watch & access) ? watch & (access | BG_WATCH_KILLS) : 0;
		} else {
			watch = watch__match(o.p, o.len, access, o.d);
		}
		/* a path too deep to normalise could name a watched file: sent, flagged */
		if (!watch && !norm__deep()) {
			stats__inc(BG_STAT_FILTERED);
			return NULL;
		}
	}
	/* kill here, whether or not the record can be sent: the process has not read a byte */
	enf = (watch & BG_WATCH_KILLS) ? enforce__decide(watch >> 8, access, ret < 0) : 0;
	e = emit__begin(BG_EV_OPEN, sizeof(*e));
	if (!e)
		return NULL;
	e->hdr.flags = ff | extra | (__u16)(norm__deep() & BG_FF_NAME_DEEP);
	file__put(e, &e->name, (ff & BG_FF_NAME_FILE) ? NULL : &e->raw, &o, BG_FF_NAME_TRUNC);
	if (ff & BG_FF_NAME_FILE)
		file__put_user(e, &e->raw, a->path);
	e->name2 = (struct bg_blob){};
	e->raw2 = (struct bg_blob){};
	file__fill(e, t, nr, ret, a, watch & (BG_WATCH_READ | BG_WATCH_WRITE));
	file__ident(e, (ff & BG_FF_NAME_FILE) ? f : NULL, t);
	/* an io-wq worker (iou-wrk-N) acts for its process: the record names the process */
	if (extra & BG_FF_IO_URING)
		task__io_worker_comm(t, e->comm);
	e->enforce = enf;
	return e;
}

/* open, openat, openat2, creat at exit, of one ABI (ia32: a constant). */
static __always_inline int file__open_exit(struct pt_regs *regs, long ret, int ia32)
{
	struct task_struct *t = bpf_get_current_task_btf();
	struct file__args a = {};
	struct bg_fsys *sp;
	struct bg_file *e;
	__u32 nr, fl;

	if (!file__wanted(t, ret) || !(sp = file__spec(regs, ia32, &nr, &fl)))
		return 0;
	if (ia32)
		file__args32(sp, regs, fl, &a);
	else
		file__args(sp, regs, &a);
	e = file__open(t, nr, sp, ret, &a, 1, ia32 ? BG_FF_IA32 : 0, 0);
	if (e)
		emit__submit(e);
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(bg_file_open, struct pt_regs *regs, long ret)
{
	return file__open_exit(regs, ret, 0);
}

/* The same for a 32-bit call (bg_sys_exit32: int $0x80, a 32-bit process), flagged BG_FF_IA32. */
SEC("tp_btf/sys_exit")
int BPF_PROG(bg_file_open32, struct pt_regs *regs, long ret)
{
	return file__open_exit(regs, ret, 1);
}

/* Records of io_uring requests built at submission, until their completion (see bg_file_uring). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u64);			/* struct io_kiocb * */
	__type(value, struct bg_rec_buf);	/* the record, ret to fill */
} bg_file_uring_pend SEC(".maps");

/* Keep a record built at a request's submission until its completion (see above), or send it. */
static __always_inline void file__uring_keep(void *req, struct bg_file *e, int skip)
{
	__u64 key = (__u64)req;

	if (!e)
		return;
	if (!skip && !bpf_map_update_elem(&bg_file_uring_pend, &key, e, BPF_ANY))
		return;
	if (!skip)
		stats__inc(BG_STAT_FILE_URING_EARLY);
	e->hdr.flags |= BG_FF_URING_SUBMIT;
	emit__submit(e);
}

/*
 * unlink*, rename*, chmod family, chown family, link*, symlink*, mkdir*, rmdir, truncate,
 * ftruncate. fd-based calls name the fd's struct file; the others the raw argument joined to
 * the dirfd's or cwd's path (the object may be gone: unlink). Watched if either path is.
 * The record is sent, or with req (an io_uring request's submission) kept (file__uring_keep).
 * names: FILE_NAMES_SPEC for a syscall (its names as bg_file_sys says, user memory); for an
 * io_uring request (names in kernel memory) FILE_NAMES_ONE (one name, and the raw second argument
 * when the spec says so: symlink) or FILE_NAMES_TWO (rename, link). A constant: each program is
 * verified for its own shape only. extra: flags to add.
 */
enum { FILE_NAMES_SPEC, FILE_NAMES_ONE, FILE_NAMES_TWO };

static __always_inline int file__chg(struct task_struct *t, __u32 nr, struct bg_fsys *sp,
				     long ret, struct file__args *a, __u8 all, __u16 extra,
				     int names, void *req, int skip)
{
	struct file__path o = {}, o2 = {};
	int kern = names != FILE_NAMES_SPEC;
	/*
	 * An io_uring change with a completion to come, where its real names are known then
	 * (bg_file_uring_res): kept even when its text names nothing watched (watch 0), for its
	 * names as passed; sent only if the real names are watched.
	 */
	int keep = req && !skip && cfg_uring_res;
	struct bg_file *e;
	__u16 ff = 0;
	__u32 watch;

	norm__reset();
	if (!kern && (sp->fl & BG_FSYS_FD) && file__path_of(task__file(t, a->dfd), &o))
		ff = BG_FF_NAME_FILE;
	else if (kern || !(sp->fl & BG_FSYS_FD))
		file__build(t, a->path, a->dfd, &o, &ff, BG_FF_NAME_DEEP, kern);
	watch = all ? 0 : watch__match(o.p, o.len, BG_WATCH_WRITE, o.d);
	/* a path too deep to normalise could name a watched file: sent, flagged */
	if (!all && !watch && !norm__deep() && !keep &&
	    (names == FILE_NAMES_ONE ||
	     (names == FILE_NAMES_SPEC && (sp->path2 < 0 || (sp->fl & BG_FSYS_RAW2))))) {
		stats__inc(BG_STAT_FILTERED);
		return 0;
	}
	e = emit__begin(BG_EV_FCHANGE, sizeof(*e));
	if (!e)
		return 0;
	e->hdr.flags = ff;
	e->name2 = (struct bg_blob){};
	e->raw2 = (struct bg_blob){};
	file__put(e, &e->name, (ff & BG_FF_NAME_FILE) ? NULL : &e->raw, &o, BG_FF_NAME_TRUNC);
	if (ff & BG_FF_NAME_FILE)
		e->raw = (struct bg_blob){};
	if (names != FILE_NAMES_TWO && (sp->fl & BG_FSYS_RAW2)) {
		if (kern)
			emit__tail_str(e, &e->raw2, a->path2, BG_PATH_MAX, 0);
		else
			file__put_user(e, &e->raw2, a->path2);
	} else if (names == FILE_NAMES_TWO || (names == FILE_NAMES_SPEC && sp->path2 >= 0)) {
		file__build(t, a->path2, a->dfd2, &o2, &ff, BG_FF_NAME2_DEEP, kern);
		watch |= all ? 0 : watch__match(o2.p, o2.len, BG_WATCH_WRITE, NULL);
		file__put(e, &e->name2, &e->raw2, &o2, BG_FF_NAME2_TRUNC);
	}
	if (!all && !watch && !norm__deep() && !keep) {
		stats__inc(BG_STAT_FILTERED);
		return 0;
	}
	e->hdr.flags |= ff | (__u16)(norm__deep() & (BG_FF_NAME_DEEP | BG_FF_NAME2_DEEP));
	e->hdr.flags |= extra;
	file__fill(e, t, nr, ret, a, watch & (BG_WATCH_READ | BG_WATCH_WRITE));
	file__ident(e, NULL, t);
	if (!req) {
		emit__submit(e);
		return 0;
	}
	task__io_worker_comm(t, e->comm);
	file__uring_keep(req, e, skip);
	return 0;
}

/*
 * Changes named by the kernel's objects (issue #14): a change syscall updates the ctime of the
 * inodes it changes (the object, its directories, the inode it creates), and the kernel's
 * timestamp tracepoints (inode_set_ctime_to_ts, ctime_ns_xchg, ctime_xchg_skip: one of them on
 * each update) give each inode while the call runs, its names still attached. bg_file_ctime keeps,
 * per thread, which dentry or inode is the call's object (bg_fsys.res says how to pick it); the
 * call's exit (file__chg_exit) hands a successful call with one to bg_file_chg_res, which names it
 * by walking those dentries: a symlinked directory, ".." after a symlink, a rewritten argument, a
 * dirfd swapped by dup2 or a chdir during the call no longer hide a watched file. io_uring's
 * changes run in io-wq workers: kept by request there, named at completion (bg_file_uring_res).
 * Without one (no such tracepoints, an update raced out by another's on the same inode, a failed
 * call, an io_uring request without a completion), or when the real names are not watched (the
 * text may name a watched bind mount's path), the argument text is joined and judged as before.
 */
struct file__res {
	__u32 nr;		/* the change syscall (64-bit number) this is for */
	__u8 cls;		/* enum bg_fsys_res */
	__u8 found;		/* candidates seen (file__res_pick chooses at the exit) */
	__u16 last_len;		/* bytes in last */
	/*
	 * Candidates for the object: unlink and rename also update a directory that may bear the
	 * same name as the object (rename("/tmp/cron.d", "/etc/cron.d/cron.d")); the exit tells them
	 * apart by what the call did to the object (removed it, moved it).
	 */
	struct dentry *obj[2];	/* its dentry at its update */
	struct dentry *par[2];	/* its parent then (rename: the source's directory) */
	__u64 hash_len[2];	/* its name's hash and length then (rename: they change) */
	struct inode *ino[2];	/* its inode (create: the new inode, no dentry yet) */
	char last[256];		/* the path argument's last component */
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);			/* thread id */
	__type(value, struct file__res);
} bg_file_res SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct file__res);
} bg_file_res_new SEC(".maps");

/*
 * The same for io_uring's change requests (RENAMEAT, UNLINKAT, LINKAT, MKDIRAT, SYMLINKAT): an
 * io-wq worker runs them (their prep forces it), so the entry is keyed by the request the worker
 * runs (io_worker.cur_work), and bg_file_uring hands a successful one to bg_file_uring_res.
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1024);
	__type(key, __u64);			/* struct io_kiocb * */
	__type(value, struct file__res);
} bg_file_ures SEC(".maps");

/* Slot 0: bg_file_uring_res (a tail call stays on one hook: its own table). */
struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} bg_file_ures_tbl SEC(".maps");

/* Slots: 0 bg_file_chg_res, 1 bg_file_chg_res32, 2 bg_file_chg, 3 bg_file_chg32. */
struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u32);
} bg_file_res_tbl SEC(".maps");

enum { FILE_RES_ALIASES = 4 };	/* names of one inode looked at (hard links) */

/* The change syscalls at exit, of one ABI (ia32: a constant). */
static __always_inline int file__chg_exit(void *ctx, struct pt_regs *regs, long ret, int ia32)
{
	struct task_struct *t = bpf_get_current_task_btf();
	struct file__args a = {};
	struct bg_fsys *sp;
	struct file__res *r;
	__u32 nr, fl = 0, tid = (__u32)bpf_get_current_pid_tgid();
	__u8 all;

	if (!(sp = file__spec(regs, ia32, &nr, &fl)))
		return 0;
	/* the call's object, found by bg_file_ctime: bg_file_chg_res names it (or comes back) */
	r = bpf_map_lookup_elem(&bg_file_res, &tid);
	if (r) {
		if (r->nr == nr && r->found && ret >= 0)
			bpf_tail_call(ctx, &bg_file_res_tbl, ia32);
		bpf_map_delete_elem(&bg_file_res, &tid);
	}
	/* rename and link move or add names (a rename a whole subtree): cached verdicts are stale */
	if (sp->path2 >= 0 && !(sp->fl & BG_FSYS_RAW2))
		gen__change_exit();
	if (!file__wanted(t, ret))
		return 0;
	all = cfg_all || (sp->fl & BG_FSYS_ALL);
	if (ia32)
		file__args32(sp, regs, fl, &a);
	else
		file__args(sp, regs, &a);
	return file__chg(t, nr, sp, ret, &a, all, ia32 ? BG_FF_IA32 : 0, FILE_NAMES_SPEC, NULL, 0);
}

SEC("tp_btf/sys_exit")
int BPF_PROG(bg_file_chg, struct pt_regs *regs, long ret)
{
	return file__chg_exit(ctx, regs, ret, 0);
}

/* The same for a 32-bit call (bg_sys_exit32), flagged BG_FF_IA32. */
SEC("tp_btf/sys_exit")
int BPF_PROG(bg_file_chg32, struct pt_regs *regs, long ret)
{
	return file__chg_exit(ctx, regs, ret, 1);
}

/* The last component of the path in buf (n bytes): [start, end), trailing slashes left out. */
struct file__lastc {
	const char *s;
	__u32 n;
	__u32 start;
	__u32 end;
	char prev;
};

static long file__last_step(__u32 i, void *data)
{
	struct file__lastc *c = data;
	char ch;

	if (i >= c->n)
		return 1;
	ch = c->s[i & (BG_PATH_MAX - 1)];
	if (ch != '/') {
		if (i == 0 || c->prev == '/')
			c->start = i;
		c->end = i + 1;
	}
	c->prev = ch;
	return 0;
}

/* Compare d's name with r->last (same length already checked). */
struct file__cmpc {
	const char *a;
	const char *b;
	__u32 n;
	__u32 diff;
};

static long file__cmp_step(__u32 i, void *data)
{
	struct file__cmpc *c = data;

	if (i >= c->n)
		return 1;
	if (c->a[i & 255] != c->b[i & 255]) {
		c->diff = 1;
		return 1;
	}
	return 0;
}

/* True when dentry d is named r->last. */
static __always_inline int file__named(struct file__res *r, struct dentry *d)
{
	__u32 zero = 0, len = BPF_CORE_READ(d, d_name.len);
	struct bg_pathbuf_val *w = bpf_map_lookup_elem(&bg_pathbuf, &zero);
	struct file__cmpc c;

	if (!w || !len || len != r->last_len || len > 255)
		return 0;
	if (bpf_probe_read_kernel(w->data, len & 255, BPF_CORE_READ(d, d_name.name)))
		return 0;
	c.a = w->data;
	c.b = r->last;
	c.n = len;
	c.diff = 0;
	bpf_loop(256, file__cmp_step, &c, 0);
	return !c.diff;
}

/*
 * A new entry (map, key: a thread's or an io_uring request's) for call nr: its class, and the last
 * component of its path argument src (user memory, or kernel memory: an io_uring request's copy).
 */
static __always_inline struct file__res *file__res_make(void *map, void *key, __u32 nr,
							struct bg_fsys *sp, const char *src,
							int user)
{
	__u32 zero = 0, len;
	struct file__res *n = bpf_map_lookup_elem(&bg_file_res_new, &zero);
	struct bg_pathbuf_val *w = bpf_map_lookup_elem(&bg_pathbuf, &zero);
	struct file__lastc c = {};
	long k;

	if (!n || !w)
		return NULL;
	__builtin_memset(n, 0, sizeof(*n));
	n->nr = nr;
	n->cls = sp->res;
	k = !src ? 0 : user ? bpf_probe_read_user_str(w->data, BG_PATH_MAX, src) :
			      bpf_probe_read_kernel_str(w->data, BG_PATH_MAX, src);
	if (k > 1) {
		c.s = w->data;
		c.n = k - 1;
		bpf_loop(BG_PATH_MAX, file__last_step, &c, 0);
		len = c.end - c.start;
		if (c.end > c.start && len <= 255) {
			bpf_probe_read_kernel(n->last, len & 255, w->data + (c.start & (BG_PATH_MAX - 1)));
			n->last_len = len;
		}
	}
	if (bpf_map_update_elem(map, key, n, BPF_ANY))
		return NULL;
	return bpf_map_lookup_elem(map, key);
}

/* A new per-thread entry for the change syscall nr in flight. */
static __always_inline struct file__res *file__res_new(__u32 tid, __u32 nr, struct bg_fsys *sp,
						       struct pt_regs *regs, int ia32)
{
	const char *u = (const char *)(ia32 ? file__arg32(regs, sp->path) : file__arg(regs, sp->path));

	return file__res_make(&bg_file_res, &tid, nr, sp, u, 1);
}

/*
 * A mount of file system sb to walk a path from: the caller's root's or cwd's when on sb, else
 * sb's first mount when it mounts all of sb in the caller's mount namespace; NULL otherwise (a
 * container's overlay upper layer: the change is then named by the overlay's own inode, or by its
 * text).
 */
struct super_block___sm {
	struct mount *s_mounts;
} __attribute__((preserve_access_index));

struct mount___sm {
	struct mount *mnt_next_for_sb;
} __attribute__((preserve_access_index));

static __always_inline struct vfsmount *file__mnt_of(struct task_struct *t, struct super_block *sb)
{
	struct vfsmount *m = BPF_CORE_READ(t, fs, root.mnt);
	struct mount *first;

	if (m && BPF_CORE_READ(m, mnt_sb) == sb)
		return m;
	m = BPF_CORE_READ(t, fs, pwd.mnt);
	if (m && BPF_CORE_READ(m, mnt_sb) == sb)
		return m;
	if (!bpf_core_field_exists(struct mount___sm, mnt_next_for_sb))
		return NULL;
	first = BPF_CORE_READ((struct super_block___sm *)sb, s_mounts);
	/* the whole file system (not a bind mount of a part: a container's /etc/hosts), here */
	if (!first || BPF_CORE_READ(first, mnt.mnt_root) != BPF_CORE_READ(sb, s_root) ||
	    (void *)BPF_CORE_READ(first, mnt_ns) != (void *)BPF_CORE_READ(t, nsproxy, mnt_ns))
		return NULL;
	return (struct vfsmount *)((char *)first + bpf_core_field_offset(struct mount, mnt));
}

/* The dentry of an inode's alias list node (i_dentry), or NULL. */
static __always_inline struct dentry *file__dentry_of(struct hlist_node *n)
{
	return n ? (struct dentry *)((char *)n - bpf_core_field_offset(struct dentry, d_u.d_alias)) : NULL;
}

/*
 * An io_uring change request as its syscall twin: the twin's number (0 for any other request) and
 * its arguments, the names the request's own copies (struct filename, kernel memory; freed before
 * it completes: read them at submission or while it runs).
 */
static __always_inline __u32 file__uring_req(struct io_kiocb *r, struct file__args *a)
{
	struct io_rename *rn = bg_cast(&r->cmd, struct io_rename);
	struct io_unlink *ul = bg_cast(&r->cmd, struct io_unlink);
	struct io_mkdir *mk = bg_cast(&r->cmd, struct io_mkdir);
	struct io_link *ln = bg_cast(&r->cmd, struct io_link);

	a->owner = a->group = (__u32)-1;
	a->dfd2 = FILE_AT_FDCWD;
	switch (r->opcode) {
	case IORING_OP_RENAMEAT:
		a->dfd = rn->old_dfd;
		a->path = rn->oldpath->name;
		a->dfd2 = rn->new_dfd;
		a->path2 = rn->newpath->name;
		a->flags = rn->flags;
		return BG_NR_RENAMEAT2;
	case IORING_OP_LINKAT:
		a->dfd = ln->old_dfd;
		a->path = ln->oldpath->name;
		a->dfd2 = ln->new_dfd;
		a->path2 = ln->newpath->name;
		a->flags = ln->flags;
		return BG_NR_LINKAT;
	case IORING_OP_SYMLINKAT:
		/* symlinkat(target, newdirfd, linkpath): the name made is linkpath (io_link's new) */
		a->dfd = ln->new_dfd;
		a->path = ln->newpath->name;
		a->path2 = ln->oldpath->name;
		return BG_NR_SYMLINKAT;
	case IORING_OP_UNLINKAT:
		a->dfd = ul->dfd;
		a->path = ul->filename->name;
		a->flags = ul->flags;
		return BG_NR_UNLINKAT;
	case IORING_OP_MKDIRAT:
		a->dfd = mk->dfd;
		a->path = mk->filename->name;
		a->mode = mk->mode;
		return BG_NR_MKDIRAT;
	}
	return 0;
}

/* The entry of the change syscall this thread is in, when it is one (else NULL). */
static __always_inline struct file__res *file__ctime_sys(struct task_struct *t)
{
	struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(t);
	int ia32 = compat__in_ia32_syscall();
	struct file__res *r;
	struct bg_fsys *sp;
	__u32 nr, fl, tid;

	nr = compat__call(regs, ia32, &fl);
	if (nr >= BG_SYSCALL_MAX)
		return NULL;
	sp = bpf_map_lookup_elem(&bg_file_sys, &nr);
	if (!sp || sp->kind != BG_EV_FCHANGE || !sp->res)
		return NULL;
	tid = (__u32)bpf_get_current_pid_tgid();
	r = bpf_map_lookup_elem(&bg_file_res, &tid);
	if (!r || r->nr != nr)
		r = file__res_new(tid, nr, sp, regs, ia32);
	return r;
}

/*
 * The entry of the io_uring change request this io-wq worker runs, when it is one (else NULL):
 * the request is the worker's current work (io_worker.cur_work, inside struct io_kiocb), its path
 * the kernel's copy the request holds until it ends (struct filename).
 */
static __always_inline struct file__res *file__ctime_uring(struct task_struct *t)
{
	struct io_worker *w = bg_cast(t->worker_private, struct io_worker);
	struct file__args a = {};
	struct io_wq_work *wk;
	struct io_kiocb *req;
	struct file__res *r;
	struct bg_fsys *sp;
	__u64 key;
	__u32 nr;

	/* an io-wq worker's (the SQPOLL thread keeps another struct there: its task differs) */
	if (!w || w->task != t || !(wk = w->cur_work))
		return NULL;
	req = bg_cast((char *)wk - bpf_core_field_offset(struct io_kiocb, work), struct io_kiocb);
	if (!(nr = file__uring_req(req, &a)))
		return NULL;
	sp = bpf_map_lookup_elem(&bg_file_sys, &nr);
	if (!sp || !sp->res)
		return NULL;
	key = (__u64)req;
	r = bpf_map_lookup_elem(&bg_file_ures, &key);
	if (r && r->nr == nr)
		return r;
	return file__res_make(&bg_file_ures, &key, nr, sp, a.path, 0);
}

/* An inode's ctime update: the object of the change syscall or io_uring request in flight, when it is. */
static __always_inline int file__ctime(struct inode *in)
{
	struct task_struct *t = bpf_get_current_task_btf();
	struct hlist_node *n;
	struct dentry *d, *first = NULL, *hit = NULL;
	struct file__res *r;
	int i;

	if (t->flags & BG_PF_KTHREAD)
		return 0;
	r = (t->flags & BG_PF_IO_WORKER) ? file__ctime_uring(t) : file__ctime_sys(t);
	if (!r || r->found >= (r->cls == BG_RES_NAMED || r->cls == BG_RES_RENAME ? 2 : 1))
		return 0;
	/* a file system the caller cannot name (an overlay's upper layer) */
	if (!file__mnt_of(t, BPF_CORE_READ(in, i_sb)))
		return 0;
	n = BPF_CORE_READ(in, i_dentry.first);
	if (r->cls == BG_RES_CREATE) {
		/* the parent directory has a name; the inode being created none yet */
		if (!n) {
			r->ino[0] = in;
			r->found = 1;
		}
		return 0;
	}
	for (i = 0; i < FILE_RES_ALIASES && n; i++) {
		d = file__dentry_of(n);
		if (!first)
			first = d;
		if (file__named(r, d)) {
			hit = d;
			break;
		}
		n = BPF_CORE_READ(n, next);
	}
	/* chmod, chown, truncate follow a final symlink: the object has another name then */
	if (!hit && r->cls == BG_RES_OBJ)
		hit = first;
	/* a link's object is no directory: a directory updated is the new name's */
	if (!hit || (r->cls == BG_RES_LINK && (BPF_CORE_READ(in, i_mode) & 0170000) == 0040000))
		return 0;
	i = r->found & 1;
	if (i && r->obj[0] == hit)
		return 0;	/* the same object updated again */
	r->obj[i] = hit;
	r->par[i] = BPF_CORE_READ(hit, d_parent);
	r->hash_len[i] = BPF_CORE_READ(hit, d_name.hash_len);
	r->ino[i] = in;
	r->found = i + 1;
	return 0;
}

SEC("tp_btf/inode_set_ctime_to_ts")
int BPF_PROG(bg_file_ctime_set, struct inode *in)
{
	return file__ctime(in);
}

SEC("tp_btf/ctime_ns_xchg")
int BPF_PROG(bg_file_ctime_xchg, struct inode *in)
{
	return file__ctime(in);
}

SEC("tp_btf/ctime_xchg_skip")
int BPF_PROG(bg_file_ctime_skip, struct inode *in)
{
	return file__ctime(in);
}

/* The path of d on mount m into o (the per-CPU path buffer); with last, d's path joined to it. */
static __always_inline int file__res_path(struct vfsmount *m, struct dentry *d,
					  struct file__res *r, int last, struct file__path *o)
{
	__u32 zero = 0, blen = 0, n = r->last_len;
	struct bg_pathbuf_val *w = bpf_map_lookup_elem(&bg_pathbuf, &zero);
	const char *base;

	if (!w || !d)
		return 0;
	base = path__resolve(m, d, &blen, &o->trunc);
	if (!base)
		return 0;
	o->p = base;
	o->len = blen;
	if (!last)
		return 1;
	if (!n || n > 255)
		return 0;
	w->data[BG_PATH_MAX] = '/';
	bpf_probe_read_kernel(w->data + BG_PATH_MAX + 1, n & 255, r->last);
	if (blen == 1)
		o->p = w->data + BG_PATH_MAX, o->len = n + 1;	/* base is "/" */
	else
		o->len = blen + 1 + n;
	return 1;
}

/* The newest name of inode in (a link's new name, a created inode's name), or NULL. */
static __always_inline struct dentry *file__alias(struct inode *in)
{
	return file__dentry_of(BPF_CORE_READ(in, i_dentry.first));
}

/*
 * Which candidate is the call's object (-1: none): the one unlink or rmdir removed (negative or
 * unhashed now), the one rename moved (another parent or name now); else the first.
 */
static __always_inline int file__res_pick(struct file__res *c)
{
	struct dentry *d;
	int k;

	if (c->cls != BG_RES_NAMED && c->cls != BG_RES_RENAME)
		return 0;
	for (k = 0; k < 2; k++) {
		if (k >= c->found)
			break;
		d = c->obj[k];
		if (c->cls == BG_RES_NAMED ? !BPF_CORE_READ(d, d_inode) || !BPF_CORE_READ(d, d_hash.pprev) :
		    BPF_CORE_READ(d, d_parent) != c->par[k] || BPF_CORE_READ(d, d_name.hash_len) != c->hash_len[k])
			return k;
	}
	return -1;
}

/*
 * The dentries that name candidate k: d1 (a rename's old directory, to join to the old last
 * component: *join), d2 the second name (where a rename moved it, a link's new name).
 */
static __always_inline void file__res_objs(struct file__res *c, int k, struct dentry **d1,
					   struct dentry **d2, int *join)
{
	switch (c->cls) {
	case BG_RES_OBJ:
	case BG_RES_NAMED:
		*d1 = c->obj[k];
		break;
	case BG_RES_RENAME:
		*d1 = c->par[k];	/* joined to the old last component */
		*join = 1;
		*d2 = c->obj[k];	/* moved there by the call */
		break;
	case BG_RES_LINK:
		*d1 = c->obj[0];
		*d2 = file__alias(c->ino[0]);
		break;
	case BG_RES_CREATE:
		*d1 = file__alias(c->ino[0]);
		break;
	}
}

/* How a change bg_file_ctime found is named: its candidate, the dentries and their mounts. */
struct file__resn {
	struct dentry *d1;
	struct dentry *d2;
	struct vfsmount *m1;
	struct vfsmount *m2;
	int join1;
	int k;
};

/* Pick the object among c's candidates, and the dentries and mounts that name it; 0: none usable. */
static __always_inline int file__res_find(struct task_struct *t, struct file__res *c,
					  struct file__resn *n)
{
	struct dentry *d1 = NULL, *d2 = NULL;	/* locals: BPF_CORE_READ of a kernel pointer */
	int join1 = 0, k = file__res_pick(c);

	if (k < 0)
		return 0;
	file__res_objs(c, k, &d1, &d2, &join1);
	n->k = k;
	n->d1 = d1;
	n->d2 = d2;
	n->join1 = join1;
	n->m1 = d1 ? file__mnt_of(t, BPF_CORE_READ(d1, d_sb)) : NULL;
	n->m2 = d2 ? file__mnt_of(t, BPF_CORE_READ(d2, d_sb)) : NULL;
	if (!n->m1 || ((c->cls == BG_RES_RENAME || c->cls == BG_RES_LINK) && !d2) || (d2 && !n->m2))
		return 0;
	return !join1 || (c->last_len && c->last_len <= 255);
}

/*
 * A new change record with the names n gives (BG_FF_NAME_REAL, BG_FF_NAME2_REAL, and flags),
 * *watch what they match (0 with all), and the object's inode; the caller adds the names as
 * passed and fills it. NULL when the first path cannot be built, or no record.
 */
static __always_inline struct bg_file *file__res_rec(struct file__res *c, struct file__resn *n,
						     int all, __u16 flags, __u32 *watch)
{
	struct file__path o = {}, o2 = {};
	struct inode *in = c->ino[n->k & 1];
	struct bg_file *e;

	if (!file__res_path(n->m1, n->d1, c, n->join1, &o))
		return NULL;
	*watch = all ? 0 : watch__match(o.p, o.len, BG_WATCH_WRITE, NULL);
	e = emit__begin(BG_EV_FCHANGE, sizeof(*e));
	if (!e)
		return NULL;
	e->hdr.flags = BG_FF_NAME_REAL | flags;
	e->raw = (struct bg_blob){};
	e->name2 = (struct bg_blob){};
	e->raw2 = (struct bg_blob){};
	file__put(e, &e->name, NULL, &o, BG_FF_NAME_TRUNC);
	if (n->d2 && file__res_path(n->m2, n->d2, c, 0, &o2)) {
		*watch |= all ? 0 : watch__match(o2.p, o2.len, BG_WATCH_WRITE, NULL);
		file__put(e, &e->name2, NULL, &o2, BG_FF_NAME2_TRUNC);
		e->hdr.flags |= BG_FF_NAME2_REAL;
	}
	e->ino = BPF_CORE_READ(in, i_ino);
	e->dev = BPF_CORE_READ(in, i_sb, s_dev);
	e->_pad = 0;
	return e;
}

/*
 * A successful change syscall whose object bg_file_ctime found (file__chg_exit): named from the
 * kernel's dentries (BG_FF_NAME_REAL, BG_FF_NAME2_REAL), filtered by the same watch set on those
 * names, the arguments as passed kept raw. Anything missing goes back to bg_file_chg (slot 2 + ia32).
 */
static __always_inline int file__chg_res(void *ctx, struct pt_regs *regs, long ret, int ia32)
{
	struct task_struct *t = bpf_get_current_task_btf();
	__u32 tid = (__u32)bpf_get_current_pid_tgid(), nr, fl = 0, watch = 0, zero = 0;
	struct file__args a = {};
	struct file__resn n;
	struct file__res *r = bpf_map_lookup_elem(&bg_file_res, &tid);
	struct file__res *c = bpf_map_lookup_elem(&bg_file_res_new, &zero);
	struct bg_fsys *sp;
	struct bg_file *e;
	__u8 all;

	if (!r || !c)
		goto lexical;
	*c = *r;
	bpf_map_delete_elem(&bg_file_res, &tid);
	if (!(sp = file__spec(regs, ia32, &nr, &fl)))
		return 0;
	/* to bg_file_chg (lexical) only before any effect: it does the exit's work (gen__change_exit) */
	if (!file__res_find(t, c, &n))
		goto lexical;
	if (!file__wanted(t, ret))
		goto done;
	all = cfg_all || (sp->fl & BG_FSYS_ALL);
	if (ia32)
		file__args32(sp, regs, fl, &a);
	else
		file__args(sp, regs, &a);
	e = file__res_rec(c, &n, all, ia32 ? BG_FF_IA32 : 0, &watch);
	if (!e)
		goto done;
	file__put_user(e, &e->raw, a.path);
	if (sp->path2 >= 0)
		file__put_user(e, &e->raw2, a.path2);
	/*
	 * Not watched by its real names: the text may still name a watched path (through a bind
	 * mount the walk does not pass): judged as before, so this never reports less.
	 */
	if (!all && !watch)
		goto lexical;
	file__fill(e, t, nr, ret, &a, watch & (BG_WATCH_READ | BG_WATCH_WRITE));
	emit__submit(e);
done:
	if (sp->path2 >= 0 && !(sp->fl & BG_FSYS_RAW2))
		gen__change_exit();
	return 0;
lexical:
	bpf_tail_call(ctx, &bg_file_res_tbl, 2 + ia32);
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(bg_file_chg_res, struct pt_regs *regs, long ret)
{
	return file__chg_res(ctx, regs, ret, 0);
}

SEC("tp_btf/sys_exit")
int BPF_PROG(bg_file_chg_res32, struct pt_regs *regs, long ret)
{
	return file__chg_res(ctx, regs, ret, 1);
}

/*
 * io_uring (issue #14). Requests never pass through the syscall tracepoints. An
 * IORING_OP_OPENAT/OPENAT2 into an fd is reported at its completion (io_uring_complete) as the
 * openat/openat2 it stands for: the completion runs in the submitter or in one of its io-wq
 * threads, which share its file table, so the new fd (cqe->res) names the opened struct file.
 * The other file requests (RENAMEAT, UNLINKAT, LINKAT, MKDIRAT, SYMLINKAT, and opens into a
 * fixed-file slot, which have no fd) are built at their submission (io_uring_submit_req, after
 * the request's prep took the kernel's copies of its names, struct filename, which the request
 * frees before it completes), in the submitter's context (its cwd and dirfds, as the syscall's
 * exit would see them), filtered there by the same watch sets, kept here by request and sent at
 * its completion with the result. A change the io-wq worker's ctime updates named (bg_file_ctime)
 * is sent as bg_file_uring_res names it instead; with that route (cfg_uring_res) a change is kept
 * even when its text names nothing watched, for its names as passed, and sent only if its real
 * names are watched. A request that asked for no completion on success
 * (IOSQE_CQE_SKIP_SUCCESS: no io_uring_complete then), or submitted into a full completion
 * queue (lib/uring.bpf.h), is sent at its submission, flagged
 * BG_FF_URING_SUBMIT (ret 0, outcome unknown); so is a kept one when this table is full
 * (counted: file_uring_early). All are flagged BG_FF_IO_URING and carry their syscall twin's
 * number, so every rule on the syscall matches them. Loaded only where the kernel has io_uring's
 * tracepoints.
 */
/*
 * Forget what an earlier request at this address left (its completion overflowed the ring or was
 * skipped, so bg_file_uring never took it): this request must not complete with it.
 */
static __always_inline void file__uring_forget(void *req)
{
	__u64 key = (__u64)req;

	bpf_map_delete_elem(&bg_file_uring_pend, &key);
	bpf_map_delete_elem(&bg_file_ures, &key);	/* nor with the object it found */
}

/*
 * A change request at submission, its names read: filtered as its syscall twin nr would be (the
 * outcome is known at completion only: -1 passes a failed-only filter until then), then built.
 */
static __always_inline int file__uring_chg(void *req, __u32 nr, struct file__args *a, int names,
					   int skip)
{
	struct task_struct *t = bpf_get_current_task_btf();
	struct bg_fsys *sp;

	if (!file__wanted(t, skip ? 0 : -1) || !(sp = file__spec_of(nr)))
		return 0;
	return file__chg(t, nr, sp, 0, a, cfg_all || (sp->fl & BG_FSYS_ALL), BG_FF_IO_URING, names,
			 req, skip);
}

/* Opens at submission: into a fixed-file slot, or without a completion on success. */
SEC("tp_btf/io_uring_submit_req")
int BPF_PROG(bg_file_uring_sub_open, void *req)
{
	struct io_kiocb *r = bg_cast(req, struct io_kiocb);
	struct task_struct *t = bpf_get_current_task_btf();
	struct file__args a = {};
	struct io_open *op;
	struct bg_fsys *sp;
	__u32 nr, slot = 0;
	__u8 code = r->opcode;
	int skip;

	if (code != IORING_OP_OPENAT && code != IORING_OP_OPENAT2)
		return 0;
	op = bg_cast(&r->cmd, struct io_open);
	slot = op->file_slot;
	skip = uring__no_completion(r);
	if (!slot && !skip)
		return 0;	/* an open into an fd with a completion to come (nearly all): reported there */
	file__uring_forget(req);
	/* the outcome is known at completion only: -1 passes a failed-only filter until then */
	if (!file__wanted(t, skip ? 0 : -1))
		return 0;
	nr = code == IORING_OP_OPENAT ? BG_NR_OPENAT : BG_NR_OPENAT2;
	if (!(sp = file__spec_of(nr)))
		return 0;
	a.dfd = op->dfd;
	a.path = op->filename->name;
	a.flags = op->how.flags;
	a.mode = op->how.mode;
	a.owner = a.group = (__u32)-1;
	file__uring_keep(req, file__open(t, nr, sp, 0, &a, 0, BG_FF_IO_URING, 1), skip);
	return 0;
}

/* RENAMEAT and LINKAT at submission (two names). */
SEC("tp_btf/io_uring_submit_req")
int BPF_PROG(bg_file_uring_sub_mv, void *req)
{
	struct io_kiocb *r = bg_cast(req, struct io_kiocb);
	struct file__args a = {};
	__u32 nr = file__uring_req(r, &a);
	int skip = uring__no_completion(r);

	if (nr != BG_NR_RENAMEAT2 && nr != BG_NR_LINKAT)
		return 0;
	file__uring_forget(req);
	/*
	 * Names change: cached verdicts go now and stay unused until its completion, as for the
	 * syscall; a request that completes only on failure just invalidates them (the same test
	 * as at completion, so enter and exit pair up).
	 */
	if (r->flags & REQ_F_CQE_SKIP)
		watch__bump();
	else
		gen__change_enter();	/* its completion (exit) comes, unless it overflows the ring */
	return file__uring_chg(req, nr, &a, FILE_NAMES_TWO, skip);
}

/* UNLINKAT, MKDIRAT, SYMLINKAT at submission (one name; a symlink's target as given). */
SEC("tp_btf/io_uring_submit_req")
int BPF_PROG(bg_file_uring_sub_chg, void *req)
{
	struct io_kiocb *r = bg_cast(req, struct io_kiocb);
	struct file__args a = {};
	__u32 nr = file__uring_req(r, &a);
	int skip = uring__no_completion(r);

	if (nr != BG_NR_UNLINKAT && nr != BG_NR_MKDIRAT && nr != BG_NR_SYMLINKAT)
		return 0;
	file__uring_forget(req);
	return file__uring_chg(req, nr, &a, FILE_NAMES_ONE, skip);
}

/*
 * A kept record (built at submission) sent with the request's result; always dropped after. One
 * kept only for its names as passed (cfg_uring_res: its text named nothing watched) is not sent.
 */
static __always_inline void file__uring_send(struct bg_file *e, __u64 key, long ret)
{
	struct bg_fsys *sp = file__spec_of(e->sysnr);

	e->ret = ret;
	e->hdr.ktime_ns = bpf_ktime_get_boot_ns();
	if ((cfg_failed_only && ret >= 0) ||
	    (!e->watch && !(e->hdr.flags & (BG_FF_NAME_DEEP | BG_FF_NAME2_DEEP)) && !cfg_all &&
	     !(sp && (sp->fl & BG_FSYS_ALL))))
		stats__inc(BG_STAT_FILTERED);
	else
		emit__submit(e);
	bpf_map_delete_elem(&bg_file_uring_pend, &key);
}

/*
 * A successful io_uring change whose object bg_file_ctime found in the io-wq worker (bg_file_uring
 * tail-calls it): named from the kernel's dentries as a syscall's (file__chg_res), flagged
 * BG_FF_IO_URING | BG_FF_NAME_REAL; the names as passed come from the record kept at submission
 * (none when the text named no watched path: the raw names are then empty). Not watched by its
 * real names, or anything missing: the kept record is sent as before (never less).
 */
SEC("tp_btf/io_uring_complete")
int BPF_PROG(bg_file_uring_res, struct io_ring_ctx *ring, void *req, struct io_uring_cqe *cqe)
{
	struct io_kiocb *r = bg_cast(req, struct io_kiocb);
	struct task_struct *t = bpf_get_current_task_btf();
	__u32 zero = 0, watch = 0, nr;
	__u64 key = (__u64)req;
	struct file__args a = {};
	struct file__resn n;
	struct file__res *u = bpf_map_lookup_elem(&bg_file_ures, &key);
	struct file__res *c = bpf_map_lookup_elem(&bg_file_res_new, &zero);
	struct bg_file *kept = bpf_map_lookup_elem(&bg_file_uring_pend, &key);
	long ret = BPF_CORE_READ(cqe, res);
	struct bg_fsys *sp;
	struct bg_file *e;
	__u8 all;

	if (!u || !c)
		goto lexical;
	*c = *u;
	bpf_map_delete_elem(&bg_file_ures, &key);
	nr = c->nr;
	if (!(sp = file__spec_of(nr)) || !file__res_find(t, c, &n))
		goto lexical;
	if (!file__wanted(t, ret))
		goto done;
	all = cfg_all || (sp->fl & BG_FSYS_ALL);
	file__uring_req(r, &a);	/* its arguments (the names, freed by now, are not read) */
	e = file__res_rec(c, &n, all, BG_FF_IO_URING, &watch);
	if (!e)
		goto lexical;
	if (kept) {
		file__tail(e, &e->raw, (char *)kept + (kept->raw.off & (BG_REC_MAX - 1)), kept->raw.len);
		if (sp->path2 >= 0)
			file__tail(e, &e->raw2, (char *)kept + (kept->raw2.off & (BG_REC_MAX - 1)),
				   kept->raw2.len);
	}
	if (!all && !watch)
		goto lexical;
	file__fill(e, t, nr, ret, &a, watch & (BG_WATCH_READ | BG_WATCH_WRITE));
	task__io_worker_comm(t, e->comm);
	emit__submit(e);
done:
	if (kept)
		bpf_map_delete_elem(&bg_file_uring_pend, &key);
	return 0;
lexical:
	if (kept)
		file__uring_send(kept, key, ret);
	return 0;
}

/*
 * Completions: a kept record is sent with the result; an open into an fd is built here.
 */
SEC("tp_btf/io_uring_complete")
int BPF_PROG(bg_file_uring, struct io_ring_ctx *ring, void *req, struct io_uring_cqe *cqe)
{
	struct io_kiocb *r = bg_cast(req, struct io_kiocb);
	struct task_struct *t = bpf_get_current_task_btf();
	struct file__args a = {};
	struct file__res *u;
	struct io_open *op;
	struct bg_fsys *sp;
	struct bg_file *e;
	__u64 key = (__u64)req;
	__u32 nr, slot = 0;
	__u8 code = r->opcode;
	long ret;

	switch (code) {
	case IORING_OP_RENAMEAT:
	case IORING_OP_LINKAT:
		if (!(r->flags & REQ_F_CQE_SKIP))
			gen__change_exit();
		/* fall through */
	case IORING_OP_UNLINKAT:
	case IORING_OP_MKDIRAT:
	case IORING_OP_SYMLINKAT:
	case IORING_OP_OPENAT:
	case IORING_OP_OPENAT2:
		break;
	default:
		return 0;
	}
	ret = BPF_CORE_READ(cqe, res);
	/* a change whose object bg_file_ctime found: named by the kernel's dentries there */
	if (code != IORING_OP_OPENAT && code != IORING_OP_OPENAT2 &&
	    (u = bpf_map_lookup_elem(&bg_file_ures, &key))) {
		if (u->found && ret >= 0)
			bpf_tail_call(ctx, &bg_file_ures_tbl, 0);
		bpf_map_delete_elem(&bg_file_ures, &key);
	}
	op = bg_cast(&r->cmd, struct io_open);
	if (code == IORING_OP_OPENAT || code == IORING_OP_OPENAT2)
		slot = op->file_slot;
	/* an open into an fd (the common request) was not kept: no lookup */
	e = (code != IORING_OP_OPENAT && code != IORING_OP_OPENAT2) || slot ?
		bpf_map_lookup_elem(&bg_file_uring_pend, &key) : NULL;
	if (e) {
		file__uring_send(e, key, ret);
		return 0;
	}
	if (slot || (code != IORING_OP_OPENAT && code != IORING_OP_OPENAT2))
		return 0;	/* seen at its submission (filtered there, or kept above) */
	if (!file__wanted(t, ret))
		return 0;
	nr = code == IORING_OP_OPENAT ? BG_NR_OPENAT : BG_NR_OPENAT2;
	if (!(sp = file__spec_of(nr)))
		return 0;
	a.dfd = op->dfd;
	a.flags = op->how.flags;
	a.mode = op->how.mode;
	a.owner = a.group = (__u32)-1;
	e = file__open(t, nr, sp, ret, &a, 1, BG_FF_IO_URING, 1);
	if (e)
		emit__submit(e);
	return 0;
}

/*
 * A completion the ring had no room for (the application did not reap its completion queue, or
 * filled it on purpose): the kernel keeps it aside and io_uring_complete never sees it, so the
 * request is not reported at completion. Counted (uring_cq_overflow): the tracepoint does not say
 * which request it was.
 */
SEC("tp_btf/io_uring_cqe_overflow")
int BPF_PROG(bg_file_uring_ovf, void *ring, __u64 user_data, __s32 res, __u32 cflags, void *ocqe)
{
	stats__inc(BG_STAT_URING_CQ_OVERFLOW);
	return 0;
}

/*
 * Entry of rename/link and the mount family: cached verdicts go before the change takes effect,
 * and none is used or stored until its exit (which drops those computed meanwhile), so an open
 * racing with it cannot use one computed for the old paths.
 */
SEC("tp_btf/sys_enter")
int BPF_PROG(bg_file_gen_enter, struct pt_regs *regs, long id)
{
	gen__change_enter();
	return 0;
}

/* mount, umount2, move_mount, pivot_root, mount_setattr: paths may change, cached verdicts go. */
SEC("tp_btf/sys_exit")
int BPF_PROG(bg_file_mnt, struct pt_regs *regs, long ret)
{
	gen__change_exit();
	return 0;
}

/* -p: a child of a followed process is followed (when this object keeps the set). */
SEC("tp_btf/sched_process_fork")
int BPF_PROG(bg_file_fork, struct task_struct *parent, struct task_struct *child)
{
	filter__fork(parent, child);
	return 0;
}

/* -p: a process is gone (its leader freed): it leaves the set. */
SEC("tp_btf/sched_process_free")
int BPF_PROG(bg_file_free, struct task_struct *p)
{
	filter__free(p);
	return 0;
}
