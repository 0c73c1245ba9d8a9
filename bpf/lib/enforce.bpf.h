/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kill in the kernel, at the hook (issue #16): a kill rule the kernel can decide holds a slot
 * (struct bg_enf_slot). The hook finds the slots its object matches (exe path: bg_enf_exe; an
 * opened file: the watch entry's BG_WATCH_KILLS bits), and enforce__decide() checks each slot's
 * remaining conditions on the current task, spares protected tasks, keeps the slot's kill budget
 * and sends SIGKILL to the current process: it dies on its way back to user space, before its
 * next instruction (the syscall itself has run). Its verdict goes into the event record.
 * Shared by every object that enforces (user space reuses the first object's maps).
 */
#ifndef BG_ENFORCE_BPF_H
#define BG_ENFORCE_BPF_H

#include "common.bpf.h"
#include "emit.bpf.h"

#define BG_PF_KTHREAD 0x00200000
#define BG_ENF_WINDOW_NS (60ULL * 1000000000ULL)

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, BG_ENF_SLOTS);
	__type(key, __u32);
	__type(value, struct bg_enf_slot);
} bg_enf_slots SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, BG_ENF_SLOTS);
	__type(key, __u32);
	__type(value, struct bg_enf_budget);
} bg_enf_budget SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, BG_ENF_PIDS);
	__type(key, __u32);	/* tgid */
	__type(value, __u8);
} bg_enf_pids SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, BG_ENF_EXES);
	__type(key, struct bg_enf_exe_key);
	__type(value, __u8);
} bg_enf_exes SEC(".maps");

static __always_inline int enf__comm_in(const struct bg_enf_slot *s, const char *comm)
{
	__u64 a = *(const __u64 *)comm, b = *(const __u64 *)(comm + 8);

#pragma unroll
	for (int i = 0; i < BG_ENF_COMMS; i++)
		if (i < s->ncomm && a == *(const __u64 *)s->comm[i] && b == *(const __u64 *)(s->comm[i] + 8))
			return 1;
	return 0;
}

/* pid 1, kernel threads, bpfguard and its parent chain (bg_enf_pids), protected executables. */
static __always_inline int enf__protected(struct task_struct *t)
{
	struct bg_enf_exe_key k = {};
	__u32 tgid = t->tgid;
	struct mm_struct *mm;
	struct file *f;

	if (tgid <= 1 || (t->flags & BG_PF_KTHREAD) || bpf_map_lookup_elem(&bg_enf_pids, &tgid))
		return 1;
	mm = t->mm;
	f = mm ? BPF_CORE_READ(mm, exe_file) : NULL;
	if (!f)
		return 0;
	k.ino = BPF_CORE_READ(f, f_inode, i_ino);
	k.dev = BPF_CORE_READ(f, f_inode, i_sb, s_dev);
	return bpf_map_lookup_elem(&bg_enf_exes, &k) != NULL;
}

/* One more kill in the slot's window; 0 when the budget is spent. */
static __always_inline int enf__budget(__u32 i, const struct bg_enf_slot *s)
{
	struct bg_enf_budget *b = bpf_map_lookup_elem(&bg_enf_budget, &i);
	__u64 now = bpf_ktime_get_boot_ns();

	if (!s->budget)
		return 1;
	if (!b)
		return 0;
	if (now - b->window_ns >= BG_ENF_WINDOW_NS) {
		b->window_ns = now;
		b->count = 0;
	}
	return __sync_fetch_and_add(&b->count, 1) < s->budget;
}

struct enf__find {
	char comm[16];		/* in (first: read as two u64) */
	__u32 slots;		/* in: slot bits */
	__u32 access;		/* in: enum bg_watch_mode bits, 0 none */
	__u32 uid;		/* in: cred->uid */
	__u32 failed;		/* in: the call failed */
	__s32 slot;		/* out: the first slot whose conditions hold, -1 none */
};

static long enf__step(__u32 i, void *data)
{
	struct enf__find *f = data;
	struct bg_enf_slot *s;

	if (i >= BG_ENF_SLOTS)
		return 1;
	if (!(f->slots & (1U << i)))
		return 0;
	s = bpf_map_lookup_elem(&bg_enf_slots, &i);
	if (!s || s->mode == BG_ENF_OFF || (f->access && !(s->access & f->access)) ||
	    (f->failed && (s->access & BG_ENF_OK_ONLY)))
		return 0;
	if ((s->uid != (__u32)-1 && f->uid != s->uid) || (s->not_uid != (__u32)-1 && f->uid == s->not_uid))
		return 0;
	if ((s->comm_how == BG_ENF_COMM_SPARE && enf__comm_in(s, f->comm)) ||
	    (s->comm_how == BG_ENF_COMM_ONLY && !enf__comm_in(s, f->comm)))
		return 0;
	f->slot = i;
	return 1;
}

/*
 * The first slot in slots (bit n: slot n) whose conditions hold for the current task, acted on:
 * slot + 1 | enum bg_enf_verdict bits, or 0 when none holds. access: the open's enum
 * bg_watch_mode bits (0: no access check, an exec); failed: the call failed (slots with
 * BG_ENF_OK_ONLY pass). A global function: verified on its own.
 */
__noinline int enforce__decide(__u32 slots, __u32 access, __u32 failed)
{
	struct task_struct *t = bpf_get_current_task_btf();
	struct enf__find f = { .slots = slots, .access = access, .failed = failed, .slot = -1 };
	struct bg_enf_slot *s;
	__u32 i;
	int v;

	if (!slots)
		return 0;
	f.uid = BPF_CORE_READ(t, cred, uid.val);
	bpf_get_current_comm(f.comm, sizeof(f.comm));
	bpf_loop(BG_ENF_SLOTS, enf__step, &f, 0);
	if (f.slot < 0 || f.slot >= BG_ENF_SLOTS)
		return 0;
	i = f.slot;
	s = bpf_map_lookup_elem(&bg_enf_slots, &i);
	if (!s)
		return 0;
	v = i + 1;
	if (enf__protected(t)) {
		v |= BG_ENF_V_PROTECTED;
		stats__inc(BG_STAT_ENF_SPARED);
	} else if (s->mode != BG_ENF_ENFORCE) {
		v |= BG_ENF_V_AUDIT;
		stats__inc(BG_STAT_ENF_AUDIT);
	} else if (!enf__budget(i, s)) {
		v |= BG_ENF_V_BUDGET;
		stats__inc(BG_STAT_ENF_SPARED);
	} else if (bpf_send_signal(9)) {
		v |= BG_ENF_V_FAILED;
	} else {
		v |= BG_ENF_V_ACTED;
		stats__inc(BG_STAT_ENF_ACTED);
	}
	return v;
}

#endif /* BG_ENFORCE_BPF_H */
