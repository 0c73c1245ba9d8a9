/* SPDX-License-Identifier: GPL-2.0 */
/*
 * File watch set lookups: is an absolute path watched? Two maps written by user space
 * (src/sensors/file-watch.ts) and changeable at run time: an LPM trie over the path bytes
 * (prefixes, and exact paths whose entry includes the trailing NUL) and a hash of base names
 * and directory names watched in every directory (".ssh", "authorized_keys").
 */
#ifndef BG_WATCH_BPF_H
#define BG_WATCH_BPF_H

#include "lib/common.bpf.h"
#include "lib/gen.bpf.h"

enum { WATCH_TAIL = 128 };	/* path bytes scanned for the last two names (> 2 * BG_WATCH_NAME) */

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, BG_WATCH_MAX);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct bg_watch_key);
	__type(value, struct bg_watch_val);
} bg_watch_pfx SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, BG_WATCH_MAX);
	__type(key, struct bg_name_key);
	__type(value, struct bg_watch_val);
} bg_watch_name SEC(".maps");

/*
 * Directories that hold a watch entry's last component: "/etc/" for "/etc/shadow" and for the
 * prefix "/etc/cron". Exact keys ("/etc/\0"), written by user space with the watch set. With
 * no prefix entry covering "P/" and P not in here, no file directly in P can match a path
 * entry; only a base name can.
 */
struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, BG_WATCH_MAX);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct bg_watch_key);
	__type(value, struct bg_watch_val);
} bg_watch_dir SEC(".maps");

/* Watched host objects by (ino, dev): see struct bg_ino_key. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, BG_WATCH_MAX * 2);
	__type(key, struct bg_ino_key);
	__type(value, struct bg_watch_val);
} bg_watch_ino SEC(".maps");

/* The bg_watch_ino entry of inode in (dir: as a directory), or NULL. in is a BTF pointer. */
static __always_inline struct bg_watch_val *watch__ino_entry(struct inode *in, __u32 dir)
{
	struct bg_ino_key k = { .dir = dir };

	if (!in)
		return NULL;
	k.ino = in->i_ino;
	k.dev = BPF_CORE_READ(in, i_sb, s_dev);
	return bpf_map_lookup_elem(&bg_watch_ino, &k);
}

/*
 * Mode bits bg_watch_ino gives the opened file d: its own entry, and its directory's (a file
 * directly in a watched directory). d is a BTF pointer.
 */
static __always_inline __u32 watch__ino(struct dentry *d)
{
	struct dentry *p = d->d_parent;
	struct bg_watch_val *v = watch__ino_entry(d->d_inode, 0);
	__u32 m = v ? v->mode : 0;

	if (p && p != d && (v = watch__ino_entry(p->d_inode, 1)))
		m |= v->mode;
	return m & (BG_WATCH_READ | BG_WATCH_WRITE);
}

/*
 * Verdict caches, so a file opened again (the common case: libraries, configs, a storm) costs
 * two lookups instead of a path walk, and a new file in a directory nothing is watched in
 * (O_TMPFILE, build outputs) costs two lookups too. bg_watch_dc: per directory, "can a watch
 * entry match a file in it" (mode 1) or not (0); bg_watch_vc: per opened file in a directory
 * that can, its mode bits. Every change that could give a cached (mount, dentry) another path
 * or verdict bumps the generation: user space on a new watch set, the kernel on a successful
 * rename/link or mount-table change. Only answers that reject are used; a watched file is still
 * walked to report its path.
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, BG_VC_MAX);
	__type(key, struct bg_vc_key);
	__type(value, struct bg_vc_val);
} bg_watch_vc SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, BG_VC_MAX);
	__type(key, struct bg_vc_key);
	__type(value, struct bg_vc_val);
} bg_watch_dc SEC(".maps");

/*
 * The mount in a cache key: its never-reused id where the kernel has one (6.8+), else its
 * address (which a new mount namespace or a freed clone can reuse for another path).
 */
static __always_inline __u64 watch__mnt_key(struct vfsmount *m)
{
	struct mount *r;

	if (!bpf_core_field_exists(struct mount, mnt_id_unique))
		return (__u64)m;
	r = bg_cast((char *)m - bpf_core_field_offset(struct mount, mnt), struct mount);
	return r->mnt_id_unique;
}

/* m and d are BTF pointers (from an opened struct file): plain loads. */
static __always_inline void watch__vc_key(struct bg_vc_key *k, struct vfsmount *m, struct dentry *d)
{
	struct inode *in = d->d_inode;

	k->dentry = (__u64)d;
	k->parent = (__u64)d->d_parent;
	k->name = d->d_name.hash_len;
	k->mnt = watch__mnt_key(m);
	k->ino = in ? in->i_ino : 0;
	k->igen = in ? in->i_generation : 0;
	k->_pad = 0;
}

/* The cached mode bits of this opened file (in this generation), or -1 when not cached. */
static __always_inline int watch__vc_mode(const struct bg_vc_key *k, __u64 gen)
{
	struct bg_vc_val *v = bpf_map_lookup_elem(&bg_watch_vc, k);

	return v && v->gen == gen ? (int)(v->mode & (BG_WATCH_READ | BG_WATCH_WRITE)) : -1;
}

static __always_inline void watch__vc_put(const struct bg_vc_key *k, __u32 mode, __u64 gen)
{
	struct bg_vc_val v = { .gen = gen, .mode = mode };

	bpf_map_update_elem(&bg_watch_vc, k, &v, BPF_ANY);
}

/*
 * Per CPU, the verdict on the last opened file whose verdict was known (struct bg_watch_l0): a
 * file opened again and again (a loop over a config file, a storm) is answered without a hash
 * lookup. Only bg_file_open writes it, from a raw tracepoint (preemption off, and the kernel never
 * nests a program on its own CPU), so a slot is not torn; check vouches for it all the same.
 */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct bg_watch_l0);
} bg_watch_l0 SEC(".maps");

/*
 * Over the plain numbers of the key: the verifier allows no arithmetic on the pointers (dentry,
 * parent, and the mount before 6.8, which is then left out).
 */
static __always_inline __u64 watch__l0_check(const struct bg_vc_key *k, __u64 gen, __u64 mode)
{
	__u64 c = (k->name * 0x9e3779b97f4a7c15ULL) ^ (k->ino * 0xc2b2ae3d27d4eb4fULL) ^
		  ((__u64)k->igen << 17) ^ gen;

	if (bpf_core_field_exists(struct mount, mnt_id_unique))
		c ^= k->mnt * 0x165667b19e3779f9ULL;
	return c + mode;
}

static __always_inline int watch__l0_mode(const struct bg_vc_key *k, __u64 gen)
{
	__u32 zero = 0;
	struct bg_watch_l0 *c = bpf_map_lookup_elem(&bg_watch_l0, &zero);
	__u64 mode;

	if (!c || c->gen != gen || c->k.dentry != k->dentry || c->k.parent != k->parent ||
	    c->k.name != k->name || c->k.mnt != k->mnt || c->k.ino != k->ino || c->k.igen != k->igen)
		return -1;
	mode = c->mode;
	if (mode > (BG_WATCH_READ | BG_WATCH_WRITE) || c->check != watch__l0_check(k, gen, mode))
		return -1;
	return (int)mode;
}

static __always_inline void watch__l0_put(const struct bg_vc_key *k, __u64 gen, __u32 mode)
{
	__u32 zero = 0;
	struct bg_watch_l0 *c = bpf_map_lookup_elem(&bg_watch_l0, &zero);

	if (!c)
		return;
	mode &= BG_WATCH_READ | BG_WATCH_WRITE;
	c->k = *k;
	c->gen = gen;
	c->mode = mode;
	c->check = watch__l0_check(k, gen, mode);
}

/* What the directory cache knows of the directory holding an opened file. */
enum watch_dir {
	WATCH_DIR_UNKNOWN,	/* not cached (yet, or an older generation) */
	WATCH_DIR_CLEAN,	/* no path entry can match a file in it */
	WATCH_DIR_DIRTY,	/* some entry can: ask the per-file cache */
	WATCH_DIR_NONE,		/* the file is its mount's root: its parent is not its directory */
};

static __always_inline enum watch_dir watch__dir_state(struct vfsmount *m, struct dentry *d,
						       __u64 gen)
{
	struct bg_vc_key k;
	struct bg_vc_val *v;

	if (d == m->mnt_root)
		return WATCH_DIR_NONE;
	watch__vc_key(&k, m, d->d_parent);
	v = bpf_map_lookup_elem(&bg_watch_dc, &k);
	if (!v || v->gen != gen)
		return WATCH_DIR_UNKNOWN;
	return v->mode ? WATCH_DIR_DIRTY : WATCH_DIR_CLEAN;
}

/* Lengths of the watched names (user space, with the name set). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct bg_watch_lens);
} bg_watch_lens SEC(".maps");

/* True when some watched name (where: enum bg_watch_where) is len bytes long. */
static __always_inline int watch__len_watched(__u32 where, __u32 len)
{
	__u32 zero = 0;
	struct bg_watch_lens *l = bpf_map_lookup_elem(&bg_watch_lens, &zero);

	if (!l || !len || len >= BG_WATCH_NAME)
		return 0;
	return ((where == BG_WATCH_BASE ? l->base : l->dir) >> len) & 1;
}

/* Lookup keys live in a per-CPU value: they are too big for the stack next to the rest. */
struct bg_watch_tmp {
	struct bg_watch_key k;
	struct bg_name_key n;
	char tail[WATCH_TAIL * 2];	/* the second half only keeps masked copies in bounds */
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct bg_watch_tmp);
} bg_watch_tmp SEC(".maps");

struct watch__scan {
	struct bg_watch_tmp *tmp;
	__u32 n;		/* bytes in tmp->tail */
	__s32 s1;		/* index of the last '/' */
	__s32 s2;		/* index of the '/' before it */
};

static long watch__step(__u32 i, void *data)
{
	struct watch__scan *s = data;
	__u32 idx = s->n - 1 - i;

	if (i >= s->n)
		return 1;
	if (s->tmp->tail[idx & (WATCH_TAIL - 1)] != '/')
		return 0;
	if (s->s1 < 0) {
		s->s1 = idx;
		return 0;
	}
	s->s2 = idx;
	return 1;
}

/* Mode bits of the name entry for tail[start, end) as a base or directory name; 0 if none. */
static __always_inline __u32 watch__name(struct bg_watch_tmp *tmp, __u32 where, __s32 start,
					 __s32 end)
{
	struct bg_watch_val *v;
	__u32 len;

	if (start < 0 || end <= start || end - start >= BG_WATCH_NAME)
		return 0;
	len = (__u32)(end - start);
	if (!watch__len_watched(where, len))
		return 0;
	barrier_var(len);
	len &= 63;	/* < BG_WATCH_NAME: the mask only informs the verifier */
	__builtin_memset(&tmp->n, 0, sizeof(tmp->n));
	tmp->n.where = where;
	bpf_probe_read_kernel(tmp->n.name, len, tmp->tail + (start & (WATCH_TAIL - 1)));
	v = bpf_map_lookup_elem(&bg_watch_name, &tmp->n);
	return v ? v->mode : 0;
}

/* Base name and directory name of the path (its last WATCH_TAIL bytes). */
static __always_inline __u32 watch__names(struct bg_watch_tmp *tmp, const char *p, __u32 len)
{
	struct watch__scan s = { .tmp = tmp, .s1 = -1, .s2 = -1 };
	__u32 n = len < WATCH_TAIL ? len : WATCH_TAIL;
	__u32 m;

	barrier_var(n);
	n &= WATCH_TAIL * 2 - 1;	/* n <= WATCH_TAIL: the mask keeps the verifier's bound */
	bpf_probe_read_kernel(tmp->tail, n, p + (len & (BG_PATH_MAX * 2 - 1)) - n);
	s.n = n;
	bpf_loop(WATCH_TAIL, watch__step, &s, 0);
	m = watch__name(tmp, BG_WATCH_BASE, s.s1 + 1, n);
	if (s.s2 < 0 && n < len)
		return m;	/* the directory name starts before the scanned bytes: too long */
	return m | watch__name(tmp, BG_WATCH_DIR, s.s2 + 1, s.s1);
}

/*
 * Mode bits of the name entry for a dentry's own name (no string scan needed); 0 if none.
 * d is a BTF pointer.
 */
static __always_inline __u32 watch__dname(struct bg_watch_tmp *tmp, __u32 where, struct dentry *d)
{
	__u32 len = d->d_name.len;
	struct bg_watch_val *v;

	if (!watch__len_watched(where, len))
		return 0;
	barrier_var(len);
	len &= 63;	/* < BG_WATCH_NAME: the mask only informs the verifier */
	__builtin_memset(&tmp->n, 0, sizeof(tmp->n));
	tmp->n.where = where;
	bpf_probe_read_kernel(tmp->n.name, len, d->d_name.name);
	v = bpf_map_lookup_elem(&bg_watch_name, &tmp->n);
	return v ? v->mode : 0;
}

/*
 * Mode bits of the watch entries matching path p (len bytes, absolute) for this access
 * (enum bg_watch_mode), or 0 when nothing watched matches. With all, every matching entry's
 * bits (no shortcut after the prefix match), as the verdict cache needs them. With the path's dentry (an open
 * file) the base and directory names come from it instead of a scan of the string.
 */
static __always_inline __u32 watch__match_any(const char *p, __u32 len, __u32 access,
					      struct dentry *d, int all)
{
	__u32 zero = 0, n = len, m = 0;
	struct bg_watch_tmp *tmp = bpf_map_lookup_elem(&bg_watch_tmp, &zero);
	struct bg_watch_val *v;

	if (!tmp || !p || !len)
		return 0;
	if (n > BG_WATCH_KEY)
		n = BG_WATCH_KEY;
	barrier_var(n);
	n &= BG_WATCH_KEY * 2 - 1;	/* n <= BG_WATCH_KEY; the mask keeps the copy inside tmp */
	bpf_probe_read_kernel(tmp->k.data, n, p);
	if (n < BG_WATCH_KEY) {
		tmp->k.data[n & (BG_WATCH_KEY - 1)] = 0;
		n++;
	}
	tmp->k.prefixlen = n * 8;
	v = bpf_map_lookup_elem(&bg_watch_pfx, &tmp->k);
	if (v)
		m = v->mode;
	if ((m & access) && !all)
		return m & (access | BG_WATCH_KILLS);
	if (d)
		m |= watch__dname(tmp, BG_WATCH_BASE, d) | watch__dname(tmp, BG_WATCH_DIR, d->d_parent);
	else
		m |= watch__names(tmp, p, len);
	/* kill slots only with a matching access: the slot then checks its own */
	return (m & access) ? m & (access | BG_WATCH_KILLS) : 0;
}

static __always_inline __u32 watch__match(const char *p, __u32 len, __u32 access, struct dentry *d)
{
	return watch__match_any(p, len, access, d, 0);
}

/*
 * Work out and cache the verdict of the directory holding the opened file d (on mount m) whose
 * whole path p (len bytes, not cut) was just walked: dirty when a prefix entry covers "P/", an
 * entry's last component sits in P (bg_watch_dir), or P's own name is a watched directory name.
 * Returns WATCH_DIR_CLEAN or WATCH_DIR_DIRTY (also when P is too long to look up).
 */
static __always_inline enum watch_dir watch__dir_put(const char *p, __u32 len, struct vfsmount *m,
						     struct dentry *d, __u64 gen)
{
	__u32 zero = 0, qlen = d->d_name.len, dlen;
	struct bg_watch_tmp *tmp = bpf_map_lookup_elem(&bg_watch_tmp, &zero);
	struct dentry *parent = d->d_parent;
	struct bg_vc_val v = { .gen = gen, .mode = 1 };
	struct bg_vc_key k;

	if (!tmp || !p || !qlen || qlen >= len)
		return WATCH_DIR_DIRTY;
	dlen = len - qlen;	/* "P/" */
	if (dlen >= BG_WATCH_KEY)
		return WATCH_DIR_DIRTY;
	barrier_var(dlen);
	dlen &= BG_WATCH_KEY - 1;
	if (bpf_probe_read_kernel(tmp->k.data, dlen, p) || tmp->k.data[(dlen - 1) & (BG_WATCH_KEY - 1)] != '/')
		return WATCH_DIR_DIRTY;	/* the last component is not the dentry's name */
	tmp->k.prefixlen = dlen * 8;
	if (!bpf_map_lookup_elem(&bg_watch_pfx, &tmp->k)) {
		tmp->k.data[dlen] = 0;
		tmp->k.prefixlen += 8;
		if (!bpf_map_lookup_elem(&bg_watch_dir, &tmp->k) && !watch__dname(tmp, BG_WATCH_DIR, parent) &&
		    !watch__ino_entry(parent->d_inode, 1))
			v.mode = 0;
	}
	watch__vc_key(&k, m, parent);
	bpf_map_update_elem(&bg_watch_dc, &k, &v, BPF_ANY);
	return v.mode ? WATCH_DIR_DIRTY : WATCH_DIR_CLEAN;
}

/* Mode bits of the base name entry matching an opened file's own name (all bits if unknown). */
static __always_inline __u32 watch__base(struct dentry *d)
{
	__u32 zero = 0;
	struct bg_watch_tmp *tmp = bpf_map_lookup_elem(&bg_watch_tmp, &zero);

	return tmp ? watch__dname(tmp, BG_WATCH_BASE, d) : BG_WATCH_READ | BG_WATCH_WRITE;
}

#endif /* BG_WATCH_BPF_H */
