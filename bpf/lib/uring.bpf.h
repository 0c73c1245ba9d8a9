/* SPDX-License-Identifier: GPL-2.0 */
/*
 * io_uring requests at their submission (io_uring_submit_req): will the completion reach
 * io_uring_complete? Not when the request asked for none on success (IOSQE_CQE_SKIP_SUCCESS),
 * nor when the ring's completion queue has no room (the kernel sets the completion aside:
 * io_uring_cqe_overflow, which does not name the request). Such a request is reported at its
 * submission, outcome unknown.
 */
#ifndef BG_URING_BPF_H
#define BG_URING_BPF_H

#include "common.bpf.h"

/*
 * The completion queue is full or has overflowed already. The head is the application's (shared
 * memory, as the kernel reads it): one that moves it back after this check, or other requests that
 * complete first, still overflow it unseen (counted: uring_cq_overflow).
 */
static __always_inline int uring__cq_full(struct io_kiocb *r)
{
	struct io_ring_ctx *c = r->ctx;
	__u32 head = c->rings->cq.head;

	if (c->check_cq & (1UL << IO_CHECK_CQ_OVERFLOW_BIT))
		return 1;
	return c->cached_cq_tail - head >= c->cq_entries;
}

/* No io_uring_complete will come for this request when it succeeds. r: a typed pointer (plain loads). */
static __always_inline int uring__no_completion(struct io_kiocb *r)
{
	return (r->flags & REQ_F_CQE_SKIP) || uring__cq_full(r);
}

/* include/uapi/linux/io_uring.h IORING_FILE_INDEX_ALLOC (a macro): "any free slot" */
#define BG_URING_FILE_INDEX_ALLOC (~0U)

/*
 * The file in slot idx of the ring's fixed-file table (io_uring_register_files, or an open or
 * accept into a slot), as a BTF pointer; NULL for an empty slot, or on an older kernel whose table
 * has another shape (not read there). c: a typed pointer.
 */
static __always_inline struct file *uring__fixed_file(struct io_ring_ctx *c, __u32 idx)
{
	struct io_rsrc_node **nodes, *n = NULL;

	if (!bpf_core_field_exists(struct io_rsrc_node, file_ptr) ||
	    !bpf_core_field_exists(struct io_file_table, data))
		return NULL;
	if (idx >= c->file_table.data.nr)
		return NULL;
	nodes = c->file_table.data.nodes;
	if (bpf_probe_read_kernel(&n, sizeof(n), &nodes[idx]) || !n)
		return NULL;
	/* io_uring/filetable.h: the low two bits of file_ptr are flags (FFS_NOWAIT, FFS_ISREG) */
	return bg_cast((void *)(bg_cast(n, struct io_rsrc_node)->file_ptr & ~3UL), struct file);
}

#endif /* BG_URING_BPF_H */
