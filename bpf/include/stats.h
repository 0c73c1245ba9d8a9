/* SPDX-License-Identifier: GPL-2.0 */
/* Kernel-side counters: every drop or cut has a name here (bg_stats, per-CPU array). */
#ifndef BG_STATS_H
#define BG_STATS_H

enum bg_stat {
	BG_STAT_EMITTED = 0,	/* records written to the ring buffer */
	BG_STAT_RB_FULL = 1,	/* records lost: ring buffer full (bpf_ringbuf_output failed) */
	BG_STAT_NO_SCRATCH = 2,	/* records lost: per-CPU scratch unavailable */
	BG_STAT_FILTERED = 3,	/* events decided uninteresting in the kernel */
	BG_STAT_ARGS_TRUNC = 4,	/* argv cut (record still sent, flagged) */
	BG_STAT_PATH_TRUNC = 5,	/* path cut (record still sent, flagged) */
	BG_STAT_READ_FAIL = 6,	/* a kernel or user read failed (record still sent) */
	BG_STAT_FOLLOW_FULL = 7,	/* -p follow set full: a descendant may be missed */
	BG_STAT_PRIV_FAILED = 14,	/* identity syscalls that failed (record still sent) */
	BG_STAT_PRIV_NO_STORE = 15,	/* per-task cred storage unavailable: a check was skipped */
	BG_STAT_PRIV_DRIFT = 16,	/* unexplained credential changes seen */
	BG_STAT_PRIV_NOOP = 17,	/* identity syscalls that succeeded and changed nothing: no record */
	BG_STAT_FILE_NOFILE = 8,	/* file: fd gone at exit; path built from the raw argument */
	BG_STAT_FILE_NOSPEC = 9,	/* file: handler called for a syscall without a bg_file_sys entry */
	BG_STAT_FILE_URING_EARLY = 10,	/* file: io_uring request sent at its submission, outcome unknown:
					 * the table of pending requests was full (record still sent, flagged) */
	BG_STAT_URING_CQ_OVERFLOW = 11,	/* io_uring completions that overflowed their completion queue: no
					 * io_uring_complete, so an open, connect, accept or send completed
					 * there is not reported (changes are kept at their submission) */
	BG_STAT_COMPAT_SYSCALL = 13,	/* dispatch: 32-bit (ia32) calls of a syscall a sensor handles, with no 32-bit handler: not decoded */
	BG_STAT_NET_TRACK_FAIL = 20,	/* socket owner not stored (map full): outcome/close missed */
	BG_STAT_NET_UNTRACKED = 21,	/* TCP socket reached CLOSE with no owner (older than the run, or filtered) */
	BG_STAT_NET_NO_DST = 22,	/* UDP send whose destination was not seen leaving: no record */
	BG_STAT_NET_PAYLOAD_TRUNC = 23,	/* DNS payload cut (record still sent, flagged) */
	BG_STAT_ENF_ACTED = 28,	/* enforcement: kills sent, connects refused */
	BG_STAT_ENF_AUDIT = 29,	/* enforcement: would have acted (audit mode) */
	BG_STAT_ENF_SPARED = 30,	/* enforcement: not acted: protected target or budget spent */
	BG_STAT_SC_NO_STATE = 32,	/* seccomp: per-task state unavailable: a filtered thread's syscall not judged */
	BG_STAT_SC_NO_HANDLER = 33,	/* seccomp: a filtered thread's syscall not judged (the sensor's program not wired) */
	BG_STAT_ACT_REPEAT = 36,	/* ptrace peek/poke, process_vm_*: the same call on the same target
					 * as the caller's last record: no record */
	BG_STAT_ACT_NO_STORE = 37,	/* act sensors: per-task storage unavailable: a repeat not detected */
	BG_STAT_ENV_TRUNC = 38,	/* process: exec env scan cut (record still sent, flagged) */
	/* Slots by domain: common 0-7, file 8-13, priv 14-19, net 20-27, enforcement 28-31,
	 * seccomp 32-35, acts (kernel, inject) 36-37, process 38-39. */
	BG_STAT__MAX = 40,
};

#endif /* BG_STATS_H */
