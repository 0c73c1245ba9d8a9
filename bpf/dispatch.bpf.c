// SPDX-License-Identifier: GPL-2.0
/*
 * Syscall dispatch: the only programs attached to the raw syscall hooks. Each tail-calls the
 * handler a sensor registered for this syscall number (bg_sys_enter_tbl / bg_sys_exit_tbl,
 * filled by user space); an empty slot costs one failed lookup. One hook pair for every
 * sensor is far cheaper than a tracepoint per syscall: measured with empty programs, 21
 * per-syscall tracepoints cut an open storm to 0.80 of its speed, one tp_btf sys_enter/sys_exit
 * pair to 0.97.
 */
#include "lib/dispatch.bpf.h"

char LICENSE[] SEC("license") = "GPL";

/*
 * Seccomp violations (cfg_seccomp: the seccomp sensor runs). Every syscall of a thread under a
 * seccomp filter (seccomp.mode == SECCOMP_MODE_FILTER: one load for every other thread) goes
 * first to the sensor's program (bpf/seccomp/secviol.bpf.c), which resumes the dispatch.
 */
const volatile __u8 cfg_seccomp = 0;

enum {
	BG_SECCOMP_MODE_FILTER = 2,	/* include/uapi/linux/seccomp.h SECCOMP_MODE_FILTER */
};

/* One slot each: the seccomp sensor's entry and exit programs. */
struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} bg_sc_enter_tbl SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} bg_sc_exit_tbl SEC(".maps");

static __always_inline int sc__filtered(void)
{
	return bpf_get_current_task_btf()->seccomp.mode == BG_SECCOMP_MODE_FILTER;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(bg_sys_exit, struct pt_regs *regs, long ret)
{
	if (cfg_seccomp && sc__filtered()) {
		bpf_tail_call(ctx, &bg_sc_exit_tbl, 0);
		stats__inc(BG_STAT_SC_NO_HANDLER);
	}
	dispatch__exit(ctx, regs, compat__syscall_nr(regs));
	return 0;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(bg_sys_enter, struct pt_regs *regs, long id)
{
	if (cfg_seccomp && sc__filtered()) {
		bpf_tail_call(ctx, &bg_sc_enter_tbl, 0);
		stats__inc(BG_STAT_SC_NO_HANDLER);
	}
	dispatch__enter(ctx, regs, id);
	return 0;
}

/*
 * io_uring (issue #14): one program per io_uring tracepoint for every sensor, handing each request
 * by opcode to the program a sensor registered for it (user space: Sensor.uring), so a read or a
 * write pays one program at its submission and one at its completion whatever the sensors. Loaded
 * only where the kernel has these tracepoints; an opcode nobody watches costs one failed lookup.
 */
struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, BG_URING_OPS);
	__type(key, __u32);
	__type(value, __u32);
} bg_uring_sub_tbl SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, BG_URING_OPS);
	__type(key, __u32);
	__type(value, __u32);
} bg_uring_cq_tbl SEC(".maps");

/*
 * The opcode is a plain load, not a helper call (a probe read cost about as much as the rest of
 * the program): the submission's request is a typed argument, the completion's a void * made
 * typed by bpf_rdonly_cast (Linux 6.2+; these programs load only where the kernel has it).
 */
SEC("tp_btf/io_uring_submit_req")
int BPF_PROG(bg_uring_submit, struct io_kiocb *req)
{
	bpf_tail_call(ctx, &bg_uring_sub_tbl, req->opcode);
	return 0;
}

SEC("tp_btf/io_uring_complete")
int BPF_PROG(bg_uring_complete, void *ring, void *req)
{
	bpf_tail_call(ctx, &bg_uring_cq_tbl, bg_cast(req, struct io_kiocb)->opcode);
	return 0;
}
