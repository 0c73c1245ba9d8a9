/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Lexical normalisation of an absolute path built from a syscall argument: "//" and "/./" are
 * dropped and "/x/.." removed, so "/tmp/../etc/cron.d/x" is matched (and reported) as
 * "/etc/cron.d/x". Symlinks are not followed (the object may be gone). State lives in a per-CPU
 * map value so the verifier checks the loop body once.
 */
#ifndef BG_NORMPATH_BPF_H
#define BG_NORMPATH_BPF_H

#include "lib/common.bpf.h"

enum { NORM_DEPTH = 128 };

struct bg_norm_val {
	char _lead[256];		/* readers mask offsets relative to out: keep them in the value */
	char out[BG_PATH_MAX * 2];	/* the result; the second half keeps masked reads in bounds */
	char in[BG_PATH_MAX];
	__u16 stack[NORM_DEPTH];	/* out index of each kept segment's '/' */
	__u32 len;			/* input bytes */
	__u32 o;			/* output bytes */
	__u32 depth;
	__u32 bad;			/* too deep: keep the input as it is */
	__u32 deep;			/* deep_bit of each path met too deep since norm__reset */
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct bg_norm_val);
} bg_normbuf SEC(".maps");

/* End of a segment: drop "" and ".", and ".." with the segment before it. */
static __always_inline void norm__end_segment(struct bg_norm_val *n)
{
	__u32 d = n->depth, o = n->o, start, seglen;

	if (!d)
		return;
	start = n->stack[(d - 1) & (NORM_DEPTH - 1)];
	seglen = o - start - 1;
	if (seglen == 0 || (seglen == 1 && n->out[(o - 1) & (BG_PATH_MAX - 1)] == '.')) {
		n->o = start;
		n->depth = d - 1;
	} else if (seglen == 2 && n->out[(o - 1) & (BG_PATH_MAX - 1)] == '.' &&
		   n->out[(o - 2) & (BG_PATH_MAX - 1)] == '.') {
		n->o = start;
		n->depth = d - 1;
		if (d > 1) {
			n->o = n->stack[(d - 2) & (NORM_DEPTH - 1)];
			n->depth = d - 2;
		}
	}
}

static long norm__step(__u32 i, void *data)
{
	struct bg_norm_val *n = *(struct bg_norm_val **)data;
	char c;

	if (i >= n->len || i >= BG_PATH_MAX) {
		norm__end_segment(n);
		return 1;
	}
	barrier_var(i);	/* keep the mask: the compiler knows i < BG_PATH_MAX, the verifier does not */
	c = n->in[i & (BG_PATH_MAX - 1)];
	if (c == '/') {
		norm__end_segment(n);
		__u32 d = n->depth;

		if (d >= NORM_DEPTH) {
			n->bad = 1;
			return 1;
		}
		barrier_var(d);
		n->stack[d & (NORM_DEPTH - 1)] = n->o;
		n->depth = d + 1;
	}
	n->out[n->o & (BG_PATH_MAX - 1)] = c;
	n->o++;
	return 0;
}

/*
 * Normalise *p (len bytes, absolute); on success point *p at the result and update *len.
 * Returns 1 when the path keeps more than NORM_DEPTH components before a "..": it is left as it
 * is and deep_bit is recorded for norm__deep (a watch lookup on it cannot be trusted: a deep
 * "a/a/…/../../etc/shadow" would otherwise hide a watched file); 0 otherwise.
 */
static __always_inline int norm__path(const char **p, __u32 *len, __u32 deep_bit)
{
	__u32 zero = 0, l = *len;
	struct bg_norm_val *n = bpf_map_lookup_elem(&bg_normbuf, &zero);

	if (!n)
		return 0;
	n->bad = 0;
	if (!*p || !l || l >= BG_PATH_MAX)
		return 0;
	barrier_var(l);
	if (bpf_probe_read_kernel(n->in, l & (BG_PATH_MAX - 1), *p) || n->in[0] != '/')
		return 0;
	n->len = l;
	n->o = 0;
	n->depth = 0;
	bpf_loop(BG_PATH_MAX, norm__step, &n, 0);
	if (n->bad) {
		n->deep |= deep_bit;
		return 1;
	}
	if (n->o == 0) {
		n->out[0] = '/';
		n->o = 1;
	}
	*p = n->out;
	*len = n->o & (BG_PATH_MAX - 1);	/* o <= l < BG_PATH_MAX: the mask only informs the verifier */
	return 0;
}

/* Forget the paths met too deep (a handler calls it before it builds paths). */
static __always_inline void norm__reset(void)
{
	__u32 zero = 0;
	struct bg_norm_val *n = bpf_map_lookup_elem(&bg_normbuf, &zero);

	if (n)
		n->deep = 0;
}

/*
 * The deep_bit of every norm__path call since norm__reset that met a path too deep to
 * normalise. Read from the map where the handler decides, so the verifier does not carry the
 * outcome through every branch in between (bg_file_chg is near the instruction limit).
 */
static __always_inline __u32 norm__deep(void)
{
	__u32 zero = 0;
	struct bg_norm_val *n = bpf_map_lookup_elem(&bg_normbuf, &zero);

	return n ? n->deep : 0;
}

#endif /* BG_NORMPATH_BPF_H */
