// SPDX-License-Identifier: GPL-2.0
/*
 * Empty programs on the hooks bpfguard's io_uring coverage needs (bench/hooks-floor/run.sh): the
 * io_uring tracepoints and the raw syscall tracepoints its dispatcher uses. Each returns at once,
 * so what they cost is the cost of having the hook at all, the floor under any agent on them.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

SEC("tp_btf/io_uring_submit_req")
int BPF_PROG(hf_uring_submit, void *req)
{
	return 0;
}

SEC("tp_btf/io_uring_complete")
int BPF_PROG(hf_uring_complete, void *ring, void *req)
{
	return 0;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(hf_sys_enter, struct pt_regs *regs, long id)
{
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(hf_sys_exit, struct pt_regs *regs, long ret)
{
	return 0;
}
