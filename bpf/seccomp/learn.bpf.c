/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Syscalls used by one process tree (`bpfguard profile learn`): one bit per syscall number, set in
 * the kernel at sys_enter, never an event per call. The tree is the shared follow set
 * (lib/filter.bpf.h: the root from user space, descendants added at fork, removed at free), or
 * the processes of one cgroup v2 (cfg_cgroup: its id, the directory's inode; that cgroup itself,
 * not its child cgroups).
 * A bit already set is only read, so a hot loop of one syscall costs a lookup and a test.
 */
#include "lib/common.bpf.h"
#include "lib/filter.bpf.h"

char LICENSE[] SEC("license") = "GPL";

const volatile __u64 cfg_cgroup = 0;	/* nonzero: learn the processes of this cgroup v2 id instead */

enum bg_learn_limits {
	BG_LEARN_WORDS = 16,	/* 16 x 64 bits: syscall numbers 0..1023 */
};

/*
 * Bit n % 64 of word n / 64: syscall n seen at least once. A global in its own section (the map
 * ".data.learn" holds this array alone, at offset 0): no helper call per syscall.
 */
__u64 bg_learn_bits[BG_LEARN_WORDS] SEC(".data.learn");

/* [0]: calls not recorded because their number was negative or past the bitmap */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} bg_learn_lost SEC(".maps");

static __always_inline void learn__lost(void)
{
	__u32 zero = 0;
	__u64 *n = bpf_map_lookup_elem(&bg_learn_lost, &zero);

	if (n)
		__sync_fetch_and_add(n, 1);
}

SEC("tp_btf/sys_enter")
int BPF_PROG(bg_learn_enter, struct pt_regs *regs, long id)
{
	__u64 bit = 1ULL << (id & 63), *w;

	if (cfg_cgroup ? bpf_get_current_cgroup_id() != cfg_cgroup :
			 !filter__followed(bpf_get_current_pid_tgid() >> 32))
		return 0;
	if (id < 0 || id >= BG_LEARN_WORDS * 64) {
		learn__lost();
		return 0;
	}
	w = &bg_learn_bits[(__u64)id >> 6];
	if (!(*w & bit))
		__sync_fetch_and_or(w, bit);
	return 0;
}

/* A new process of a followed parent is followed. */
SEC("tp_btf/sched_process_fork")
int BPF_PROG(bg_learn_fork, struct task_struct *parent, struct task_struct *child)
{
	filter__fork(parent, child);
	return 0;
}

SEC("tp_btf/sched_process_free")
int BPF_PROG(bg_learn_free, struct task_struct *p)
{
	filter__free(p);
	return 0;
}
