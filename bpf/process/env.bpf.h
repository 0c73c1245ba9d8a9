/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The loader-hijack variables of a new process (LD_PRELOAD …), read from its own env area at
 * exec: every string is read once into per-CPU scratch and kept only when its name is one of
 * cfg_env_names, so a record carries a few bytes, not the whole environment.
 */
#ifndef BG_ENV_BPF_H
#define BG_ENV_BPF_H

#include "lib/common.bpf.h"
#include "lib/emit.bpf.h"

/* "NAME=" of each variable kept, NUL-terminated; an empty slot ends the list. */
const volatile char cfg_env_names[BG_ENV_NAMES][BG_ENV_NAME_MAX] = {
	"LD_PRELOAD=", "LD_LIBRARY_PATH=", "LD_AUDIT=",
};

struct bg_env_buf {
	char data[BG_PATH_MAX];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct bg_env_buf);
} bg_env_buf SEC(".maps");

struct env__walk {
	char *rec;
	char *buf;		/* per-CPU scratch: the string being looked at */
	__u64 p, end;		/* user addresses: next string, end of the env area */
	__u32 base;		/* record offset where the kept pairs start */
	__u32 len;		/* bytes kept */
	__u32 cont;		/* the string at p continues one longer than the scratch: never a name */
	__u32 trunc;
};

/* Whether buf starts with one of cfg_env_names. */
static __always_inline int env__wanted(const char *buf)
{
	for (int i = 0; i < BG_ENV_NAMES; i++) {
		int j;

		if (!cfg_env_names[i][0])
			return 0;
		for (j = 0; j < BG_ENV_NAME_MAX; j++) {
			char c = cfg_env_names[i][j];

			if (!c)
				return 1;
			if (buf[j] != c)
				break;
		}
	}
	return 0;
}

static long env__step(__u32 i, void *data)
{
	struct env__walk *w = data;
	__u32 off, cont = w->cont;
	long n;

	if (w->p >= w->end)
		return 1;
	n = bpf_probe_read_user_str(w->buf, BG_PATH_MAX, (void *)w->p);
	if (n <= 0) {
		w->trunc = 1;
		return 1;
	}
	/* cut at the scratch size (its last byte is the NUL the helper wrote): the rest comes next */
	w->cont = n == BG_PATH_MAX;
	w->p += w->cont ? n - 1 : n;
	if (cont || !env__wanted(w->buf))
		return 0;
	if (w->cont || n >= BG_ENV_MAX || w->len + n > BG_ENV_MAX) {
		w->trunc = 1;	/* a longer value than we keep, or no room */
		return 0;
	}
	off = (w->base + w->len) & (BG_REC_MAX - 1);
	if (off > BG_REC_MAX - BG_ENV_MAX)
		return 1;
	bpf_probe_read_kernel(w->rec + off, n & (BG_ENV_MAX - 1), w->buf);
	w->len += n;
	return 0;
}

/* Append the wanted NAME=value strings of [start, end) (the new mm's env area) as blob. */
static __always_inline void env__tail(void *rec, struct bg_blob *blob, __u64 start, __u64 end)
{
	struct bg_hdr *h = rec;
	__u32 zero = 0;
	struct bg_env_buf *b = bpf_map_lookup_elem(&bg_env_buf, &zero);
	struct env__walk w = { .rec = rec, .p = start, .end = end };

	w.base = h->size;
	if (w.base > BG_REC_MAX - BG_ENV_MAX)
		w.base = BG_REC_MAX - BG_ENV_MAX;
	blob->off = w.base;
	blob->len = 0;
	if (!b || !cfg_env_names[0][0])
		return;
	w.buf = b->data;
	if (bpf_loop(BG_ENV_VARS, env__step, &w, 0) == BG_ENV_VARS && w.p < w.end)
		w.trunc = 1;
	blob->len = w.len;
	h->size = w.base + w.len;
	if (w.trunc) {
		h->flags |= BG_F_ENV_TRUNC;
		stats__inc(BG_STAT_ENV_TRUNC);
	}
}

#endif /* BG_ENV_BPF_H */
