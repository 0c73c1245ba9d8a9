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

#endif /* BG_MAPS_ABI_H */
