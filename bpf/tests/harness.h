/* SPDX-License-Identifier: GPL-2.0 */
/*
 * In/out records of the BPF_PROG_TEST_RUN harnesses (bpf/tests/<name>.test.bpf.c, run by
 * test/bpf/). Each harness has one raw tracepoint program (never attached) and a one-slot array
 * bg_t_io holding its record: the test writes the inputs there, runs the program, and reads the
 * outputs back. Not the ctx of a SEC("syscall") program: those are sleepable, which LPM tries
 * (the watch set) refuse, and helpers cannot write into their ctx. Fixed-width fields only; the
 * tests read the offsets from the harness object's BTF.
 */
#ifndef BG_TESTS_HARNESS_H
#define BG_TESTS_HARNESS_H

#include "lib/common.bpf.h"

/* bg_t_norm: norm__path (file/normpath.bpf.h) on one absolute path. */
struct bg_t_norm {
	__u32 len;		/* in: path bytes; out: bytes of the result */
	__u32 normed;		/* out: 1: the result is the normaliser's; 0: the input was kept; 2: kept, too deep */
	char path[BG_PATH_MAX];	/* in: the path; out: the result */
};
_Static_assert(sizeof(struct bg_t_norm) == 4104, "bg_t_norm size");

/* bg_t_watch: watch__match_any (file/watch.bpf.h) on one absolute path, no dentry. */
struct bg_t_watch {
	__u32 len;		/* in: path bytes */
	__u32 access;		/* in: enum bg_watch_mode bits the operation needs */
	__u32 all;		/* in: 1: every matching entry's bits (as the verdict caches ask) */
	__u32 mode;		/* out: enum bg_watch_mode bits of the matching entries in access */
	char path[BG_PATH_MAX];	/* in: the path */
};
_Static_assert(sizeof(struct bg_t_watch) == 4112, "bg_t_watch size");

/* bg_t_ctx: the ctx of bg_t_sys (testrun.test.bpf.c), a SEC("syscall") program: copied back. */
struct bg_t_ctx {
	__u32 in;		/* in */
	__u32 out;		/* out: in * 2 + 1 */
};
_Static_assert(sizeof(struct bg_t_ctx) == 8, "bg_t_ctx size");

#endif /* BG_TESTS_HARNESS_H */
