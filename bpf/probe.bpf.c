// SPDX-License-Identifier: GPL-2.0
/*
 * Feature probes for `bpfguard doctor`: one tiny program per program type or helper.
 * User space turns autoload off for all but one (bpf_program__set_autoload), so each
 * probe loads alone and a failure names exactly one feature. No CO-RE relocations here:
 * probes that do not need kernel BTF must load without it.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

/* Classic tracepoint: needs tracefs to attach (/sys/kernel/tracing/events/syscalls/...). */
SEC("tracepoint/syscalls/sys_enter_getpid")
int bg_p_tp(void *ctx)
{
	return 0;
}

/* Raw tracepoint: no tracefs, no BTF. */
SEC("raw_tracepoint/sys_enter")
int bg_p_rawtp(struct bpf_raw_tracepoint_args *ctx)
{
	return 0;
}

/* BTF-typed tracepoint: what the process sensor uses. */
SEC("tp_btf/sys_enter")
int BPF_PROG(bg_p_tpbtf, struct pt_regs *regs, long id)
{
	return 0;
}

/* kprobe: optional, never on the required path. */
SEC("kprobe/do_sys_openat2")
int BPF_KPROBE(bg_p_kprobe)
{
	return 0;
}

/* fentry (BPF trampoline). */
SEC("fentry/do_sys_openat2")
int BPF_PROG(bg_p_fentry)
{
	return 0;
}

/* BPF LSM: returning 0 allows the open. */
SEC("lsm/file_open")
int BPF_PROG(bg_p_lsm, struct file *file)
{
	return 0;
}

/* uprobe: user space attaches it to libc's getpid (libbpf 1.1 has no BPF_UPROBE: same ctx). */
SEC("uprobe")
int BPF_KPROBE(bg_p_uprobe)
{
	return 0;
}

/* cgroup sock_addr: 1 = allow the connect. */
SEC("cgroup/connect4")
int bg_p_connect4(struct bpf_sock_addr *ctx)
{
	return 1;
}

/*
 * bpf_send_signal: loading is the probe (the verifier must accept the helper here).
 * Never attached; the id test keeps the call unreachable in practice (no syscall -1).
 */
SEC("tp_btf/sys_enter")
int BPF_PROG(bg_p_signal, struct pt_regs *regs, long id)
{
	if (id == -1)
		bpf_send_signal(9);
	return 0;
}

/* io_uring's tracepoints: the file and network sensors see io_uring requests there. */
SEC("tp_btf/io_uring_complete")
int BPF_PROG(bg_p_uring)
{
	return 0;
}

/* The inode ctime tracepoints (Linux 6.13+): the file sensor names changes by the kernel's dentries there. */
SEC("tp_btf/ctime_ns_xchg")
int BPF_PROG(bg_p_ctime)
{
	return 0;
}
