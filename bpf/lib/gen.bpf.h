/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Generation of the file sensor's verdict caches (file/watch.bpf.h), shared with the dispatcher
 * (user space reuses one map for every object that has it: keep the definition identical), so a
 * change that could give a cached (mount, dentry) another path invalidates them whatever the
 * syscall ABI.
 */
#ifndef BG_GEN_BPF_H
#define BG_GEN_BPF_H

#include "common.bpf.h"

enum {
	BG_GEN_KERNEL = 0,	/* bumped by the kernel (atomically) on renames, links, mounts */
	BG_GEN_USER = 1,	/* written by user space only (a new watch set) */
	BG_GEN_INFLIGHT = 2,	/* renames/links/mounts between their entry and exit */
};

/*
 * [0] and [1] apart, so neither can undo the other's bump; a cached verdict holds their sum with
 * [1] << 40. [2] counts name or mount changes in progress: no verdict is used or stored then.
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 3);
	__type(key, __u32);
	__type(value, __s64);
} bg_watch_gen SEC(".maps");

static __always_inline __s64 *gen__slot(__u32 i)
{
	return bpf_map_lookup_elem(&bg_watch_gen, &i);
}

static __always_inline __u64 watch__gen(void)
{
	__s64 *k = gen__slot(BG_GEN_KERNEL), *u = gen__slot(BG_GEN_USER);

	return (k ? (__u64)*k : 0) + ((u ? (__u64)*u : 0) << 40);
}

/* Invalidate every cached verdict. */
static __always_inline void watch__bump(void)
{
	__s64 *g = gen__slot(BG_GEN_KERNEL);

	if (g)
		__sync_fetch_and_add(g, 1);
}

/* True while a rename, link or mount runs somewhere: caches are neither used nor filled. */
static __always_inline int watch__busy(void)
{
	__s64 *n = gen__slot(BG_GEN_INFLIGHT);

	return n && *n > 0;
}

/* Entry of a name or mount change: invalidate, and mark it in progress. */
static __always_inline void gen__change_enter(void)
{
	__s64 *n = gen__slot(BG_GEN_INFLIGHT);

	watch__bump();
	if (n)
		__sync_fetch_and_add(n, 1);
}

/* Its exit (whatever the result): invalidate what was computed meanwhile, and unmark it. */
static __always_inline void gen__change_exit(void)
{
	__s64 *n = gen__slot(BG_GEN_INFLIGHT);

	watch__bump();
	/* an exit whose entry ran before the sensor started must not leave the count negative */
	if (n && __sync_fetch_and_add(n, -1) <= 0)
		__sync_fetch_and_add(n, 1);
}

#endif /* BG_GEN_BPF_H */
