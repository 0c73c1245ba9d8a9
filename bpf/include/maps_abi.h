/* SPDX-License-Identifier: GPL-2.0 */
/* What user space writes into BPF maps and rodata. */
#ifndef BG_MAPS_ABI_H
#define BG_MAPS_ABI_H

enum bg_map_limit {
	BG_FOLLOW_MAX = 65536,		/* processes in the -p follow set */
	BG_RINGBUF_BYTES = 16777216,	/* ring buffer size (power of two) */
	BG_WAKEUP_BYTES = 262144,	/* wake user space once this much is waiting */
	BG_SYSCALL_MAX = 512,		/* slots in the syscall dispatch tables (by syscall number) */
};

/* Priv sensor: what a syscall number means to bg_priv_exit (bg_priv_sys, filled by user space). */
enum bg_priv_sys {
	BG_PSYS_NONE = 0,	/* not an identity syscall */
	BG_PSYS_ID1 = 1,	/* identity syscall with 1 id argument (setuid, setfsuid, setgroups: size) */
	BG_PSYS_ID2 = 2,	/* 2 id arguments (setreuid, setregid) */
	BG_PSYS_ID3 = 3,	/* 3 id arguments (setresuid, setresgid) */
	BG_PSYS_CAPSET = 4,	/* capset: requested sets read from the user data */
	BG_PSYS_NS = 5,		/* unshare/setns: may enter a user ns; refresh the expected creds */
};

#endif /* BG_MAPS_ABI_H */
