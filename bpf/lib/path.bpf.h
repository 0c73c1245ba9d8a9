/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Absolute path of a (vfsmount, dentry) pair, walked in the kernel from the object
 * itself (so relative names, symlinks, dirfds and racing threads cannot lie), crossing
 * mount points up to the global root. Built backwards in a per-CPU buffer.
 */
#ifndef BG_PATH_BPF_H
#define BG_PATH_BPF_H

#include "common.bpf.h"
#include "emit.bpf.h"

/*
 * Walk state lives in the map value, not on the stack: the verifier then sees unknown
 * scalars and checks the loop body once instead of once per distinct position.
 */
struct bg_pathbuf_val {
	char data[BG_PATH_MAX * 2];	/* names are written below BG_PATH_MAX; reads spill above */
	struct dentry *dentry;
	struct vfsmount *vfsmnt;
	__u32 pos;		/* first byte of the path so far; BG_PATH_MAX when empty */
	__u32 trunc;		/* set when the path did not fit or was too deep */
	__u32 done;
	__u32 _pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct bg_pathbuf_val);
} bg_pathbuf SEC(".maps");

struct path__ctx {
	struct bg_pathbuf_val *w;
};

static __always_inline struct mount *path__real_mount(struct vfsmount *m)
{
	return (struct mount *)((char *)m - bpf_core_field_offset(struct mount, mnt));
}

static __always_inline long path__add_name(struct bg_pathbuf_val *w, struct dentry *d)
{
	struct qstr name = BPF_CORE_READ(d, d_name);
	__u32 len = name.len, pos = w->pos;

	if (len > 255)
		len = 255;
	if (pos > BG_PATH_MAX || pos < len + 2) {
		w->trunc = 1;
		return 1;
	}
	pos -= len;
	bpf_probe_read_kernel(w->data + (pos & (BG_PATH_MAX - 1)), len & 255, name.name);
	pos -= 1;
	w->data[pos & (BG_PATH_MAX - 1)] = '/';
	w->pos = pos;
	return 0;
}

static long path__step(__u32 i, void *data)
{
	struct bg_pathbuf_val *w = ((struct path__ctx *)data)->w;
	struct dentry *d = w->dentry;
	struct vfsmount *vm = w->vfsmnt;
	struct dentry *mnt_root = BPF_CORE_READ(vm, mnt_root);
	struct dentry *parent = BPF_CORE_READ(d, d_parent);
	struct mount *m, *mp;

	if (d == mnt_root) {
		m = path__real_mount(vm);
		mp = BPF_CORE_READ(m, mnt_parent);
		if (m == mp) {
			w->done = 1;	/* the global root */
			return 1;
		}
		w->dentry = BPF_CORE_READ(m, mnt_mountpoint);
		w->vfsmnt = (struct vfsmount *)((char *)mp + bpf_core_field_offset(struct mount, mnt));
		return 0;
	}
	if (d == parent) {
		/* a pseudo file system's own object (pipe:, socket:, memfd:): its name alone */
		if (w->pos == BG_PATH_MAX)
			path__add_name(w, d);
		w->done = 1;
		return 1;
	}
	if (path__add_name(w, d))
		return 1;
	w->dentry = parent;
	return 0;
}

/*
 * Walk the path into the per-CPU buffer. Returns a pointer to its first byte and sets
 * *len; NULL when no buffer. *trunc is set when the path was cut.
 */
static __always_inline const char *path__resolve(struct vfsmount *mnt, struct dentry *dentry,
						 __u32 *len, __u32 *trunc)
{
	__u32 zero = 0, pos;
	struct bg_pathbuf_val *w = bpf_map_lookup_elem(&bg_pathbuf, &zero);
	struct path__ctx c;

	*len = 0;
	*trunc = 0;
	if (!w || !mnt || !dentry)
		return NULL;
	w->dentry = dentry;
	w->vfsmnt = mnt;
	w->pos = BG_PATH_MAX;
	w->trunc = 0;
	w->done = 0;
	c.w = w;
	bpf_loop(BG_PATH_DEPTH, path__step, &c, 0);
	pos = w->pos;
	if (pos >= BG_PATH_MAX || pos == 0) {
		pos = BG_PATH_MAX - 1;
		w->data[BG_PATH_MAX - 1] = '/';
	}
	*len = BG_PATH_MAX - pos;
	*trunc = w->trunc || !w->done;
	return w->data + (pos & (BG_PATH_MAX - 1));
}

/* True when the dentry was unlinked (deleted while open, or an anonymous memfd). */
static __always_inline int path__is_deleted(struct dentry *d)
{
	struct dentry *parent = BPF_CORE_READ(d, d_parent);

	return parent != d && !BPF_CORE_READ(d, d_hash.pprev);
}

/*
 * Append the path of (mnt, d) to the record as blob (cut to BG_PATH_MAX - 1 bytes); a cut path
 * sets trunc_flag in the record's flags and is counted. Nothing is appended when it cannot be walked.
 */
static __always_inline void path__tail(void *rec, struct bg_blob *blob, struct vfsmount *mnt,
				       struct dentry *d, __u16 trunc_flag)
{
	struct bg_hdr *h = rec;
	__u32 len, trunc;
	const char *p = path__resolve(mnt, d, &len, &trunc);

	if (!p)
		return;
	emit__tail_kernel(rec, blob, p, len, BG_PATH_MAX - 1);
	if (trunc) {
		h->flags |= trunc_flag;
		stats__inc(BG_STAT_PATH_TRUNC);
	}
}

#endif /* BG_PATH_BPF_H */
