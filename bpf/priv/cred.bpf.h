/* SPDX-License-Identifier: GPL-2.0 */
/* A task's objective credentials (task->real_cred) as struct bg_creds, and their comparison. */
#ifndef BG_CRED_BPF_H
#define BG_CRED_BPF_H

#include "lib/common.bpf.h"

/*
 * 6.3+ layout of the capability sets: a CO-RE flavor of struct cred (libbpf matches the name
 * before "___"), so this compiles whatever vmlinux.h says.
 */
struct bg_kcap64 {
	__u64 val;
} __attribute__((preserve_access_index));

struct cred___cap64 {
	struct bg_kcap64 cap_permitted;
	struct bg_kcap64 cap_effective;
} __attribute__((preserve_access_index));

/*
 * real_cred, not cred: cred is the subjective set that override_creds() swaps for a while
 * (access(), io_uring personalities, overlayfs); real_cred is what the task is.
 * kernel_cap_t is a u64 since 6.3 and u32[2] before: the same 8 little-endian bytes,
 * read with plain loads where it is a u64.
 */
static __always_inline void cred__read(struct task_struct *t, struct bg_creds *o)
{
	/* t is a BTF pointer (tp_btf argument or current task): plain loads, no helper calls */
	const struct cred *c = t->real_cred;

	o->uid = c->uid.val;
	o->euid = c->euid.val;
	o->suid = c->suid.val;
	o->fsuid = c->fsuid.val;
	o->gid = c->gid.val;
	o->egid = c->egid.val;
	o->sgid = c->sgid.val;
	o->fsgid = c->fsgid.val;
	if (bpf_core_field_exists(((const struct cred___cap64 *)c)->cap_effective.val)) {
		o->cap_eff = ((const struct cred___cap64 *)c)->cap_effective.val;	/* plain loads */
		o->cap_prm = ((const struct cred___cap64 *)c)->cap_permitted.val;
	} else {
		o->cap_eff = 0;
		o->cap_prm = 0;
		bpf_core_read(&o->cap_eff, sizeof(o->cap_eff), &c->cap_effective);
		bpf_core_read(&o->cap_prm, sizeof(o->cap_prm), &c->cap_permitted);
	}
	o->userns = c->user_ns->ns.inum;
	o->ngroups = c->group_info->ngroups;
}

/* True when every field is equal (bg_creds has no padding: 7 u64 words). */
static __always_inline int cred__same(const struct bg_creds *a, const struct bg_creds *b)
{
	const __u64 *x = (const __u64 *)a, *y = (const __u64 *)b;
	__u64 d = 0;

#pragma unroll
	for (int i = 0; i < sizeof(*a) / 8; i++)
		d |= x[i] ^ y[i];
	return d == 0;
}

/* True when effective ids or capabilities differ (what makes an exec a transition). */
static __always_inline int cred__eff_differ(const struct bg_creds *a, const struct bg_creds *b)
{
	return a->euid != b->euid || a->egid != b->egid || a->cap_eff != b->cap_eff ||
	       a->cap_prm != b->cap_prm;
}

#endif /* BG_CRED_BPF_H */
