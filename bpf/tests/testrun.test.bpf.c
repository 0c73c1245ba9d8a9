// SPDX-License-Identifier: GPL-2.0
/*
 * Harness of the test run itself (native progTestRun): a syscall program, whose ctx the kernel
 * copies back, and a raw tracepoint program, whose ctx (its u64 arguments) it does not.
 */
#include "lib/common.bpf.h"
#include "tests/harness.h"

char LICENSE[] SEC("license") = "GPL";

/* Parameters: in; out = in * 2 + 1. Returns in + 7. */
SEC("syscall")
int bg_t_sys(struct bg_t_ctx *c)
{
	__u32 in = c->in;

	c->out = in * 2 + 1;
	return in + 7;
}

/* Returns the first argument + 1. */
SEC("raw_tp")
int bg_t_rawtp(__u64 *args)
{
	return args[0] + 1;
}
