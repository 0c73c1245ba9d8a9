/* SPDX-License-Identifier: GPL-2.0 */
/*
 * argv of a failed exec, read from the caller's argument array (the only copy there is:
 * the exec never happened). Successful execs read the new mm's arg area instead.
 */
#ifndef BG_ARGV_BPF_H
#define BG_ARGV_BPF_H

#include "lib/common.bpf.h"

struct argv__walk {
	const char *const *argv;
	char *rec;
	__u32 base;		/* record offset where the arg area starts */
	__u32 len;		/* bytes written */
	__u32 argc;		/* args seen */
	__u32 trunc;
	__u32 fault;
};

static long argv__step(__u32 i, void *data)
{
	struct argv__walk *w = data;
	const char *arg = NULL;
	__u32 room, off;
	long n;

	if (bpf_probe_read_user(&arg, sizeof(arg), &w->argv[i])) {
		w->fault = 1;
		return 1;
	}
	if (!arg)
		return 1;
	w->argc++;
	if (w->len >= BG_ARGS_MAX || i >= BG_MAX_ARGS) {
		w->trunc = 1;
		return 0;	/* keep counting */
	}
	room = BG_ARGS_MAX - w->len;
	off = (w->base + w->len) & (BG_REC_MAX - 1);
	barrier_var(room);
	if (room > BG_ARGS_MAX)
		return 1;
	n = bpf_probe_read_user_str(w->rec + off, room, arg);
	if (n <= 0) {
		w->fault = 1;
		return 1;
	}
	if ((__u32)n == room)
		w->trunc = 1;
	w->len += n;
	return 0;
}

#endif /* BG_ARGV_BPF_H */
