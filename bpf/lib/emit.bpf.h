/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The only way records leave the kernel: build in per-CPU scratch, then copy into the
 * shared ring buffer with an adaptive wakeup. Every failure increments a bg_stats counter.
 */
#ifndef BG_EMIT_BPF_H
#define BG_EMIT_BPF_H

#include "common.bpf.h"

enum { BG_SCRATCH_BYTES = 24576 };	/* > BG_REC_MAX + largest single write */

struct bg_scratch_val {
	char data[BG_SCRATCH_BYTES];
};

/* One whole record kept in a map (built in scratch, sent later). */
struct bg_rec_buf {
	char data[BG_REC_MAX];
};

/* Shared by every object (user space reuses the fds): keep definitions identical. */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, BG_RINGBUF_BYTES);
} bg_events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, BG_STAT__MAX);
	__type(key, __u32);
	__type(value, __u64);
} bg_stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct bg_scratch_val);
} bg_scratch SEC(".maps");

/*
 * Adaptive wakeup: never one per record. The consumer is woken for a record that follows a quiet
 * spell (no record from this object for cfg_wakeup_ns: a lone alert is delivered at once) or
 * when much is waiting. A steady stream wakes nobody: the consumer drains it on its own timer
 * (10 ms), and polls every 1 ms for a few ms after each wakeup, for the records that follow.
 */
const volatile __u64 cfg_wakeup_bytes = BG_WAKEUP_BYTES;
const volatile __u64 cfg_wakeup_ns = BG_WAKEUP_NS;
__u64 emit__last_ns;	/* .bss: boot time of this object's last record (races are benign) */

static __always_inline void stats__inc(__u32 idx)
{
	__u64 *v = bpf_map_lookup_elem(&bg_stats, &idx);

	if (v)
		*v += 1;
}

/*
 * Per-CPU record buffer of scratch (a PERCPU_ARRAY of struct bg_scratch_val), header filled;
 * NULL (and counted) when unavailable. A program that can run in softirq (a state change of a
 * socket) must build in its own buffer: it may interrupt a process-context program of the same
 * object between its reserve and its submit on that CPU, and would overwrite its record.
 */
static __always_inline void *emit__begin_in(void *scratch, __u16 kind, __u32 fixed_size)
{
	__u32 zero = 0;
	struct bg_scratch_val *s = bpf_map_lookup_elem(scratch, &zero);
	struct bg_hdr *h;
	__u64 id;

	if (!s) {
		stats__inc(BG_STAT_NO_SCRATCH);
		return NULL;
	}
	h = (struct bg_hdr *)s->data;
	id = bpf_get_current_pid_tgid();
	h->kind = kind;
	h->flags = 0;
	h->size = fixed_size;
	h->ktime_ns = bpf_ktime_get_boot_ns();
	h->pid = id >> 32;
	h->tid = (__u32)id;
	h->cgroup_id = bpf_get_current_cgroup_id();
	return s->data;
}

/* A record in the object's process-context buffer (bg_scratch). */
static __always_inline void *emit__begin(__u16 kind, __u32 fixed_size)
{
	return emit__begin_in(&bg_scratch, kind, fixed_size);
}

/* Copy the record (hdr->size bytes) into the ring buffer; count the loss if it is full. */
static __always_inline void emit__submit(void *rec)
{
	struct bg_hdr *h = rec;
	__u64 size = h->size;
	__u64 flags = BPF_RB_NO_WAKEUP, now;

	if (size > BG_REC_MAX)
		size = BG_REC_MAX;
	if (size < sizeof(struct bg_hdr))
		size = sizeof(struct bg_hdr);
	barrier_var(size);
	h->size = size;
	now = bpf_ktime_get_boot_ns();	/* at submit: building the record may have taken a while */
	if (now - emit__last_ns >= cfg_wakeup_ns ||
	    bpf_ringbuf_query(&bg_events, BPF_RB_AVAIL_DATA) + size >= cfg_wakeup_bytes)
		flags = BPF_RB_FORCE_WAKEUP;
	emit__last_ns = now;
	if (bpf_ringbuf_output(&bg_events, rec, size, flags)) {
		stats__inc(BG_STAT_RB_FULL);
		return;
	}
	stats__inc(BG_STAT_EMITTED);
}

/* Append len bytes of kernel memory to the tail; fills *blob. Returns bytes copied. */
static __always_inline __u32 emit__tail_kernel(void *rec, struct bg_blob *blob, const void *src,
					       __u32 len, __u32 max)
{
	struct bg_hdr *h = rec;
	__u32 pos = h->size;

	if (len > max)
		len = max;
	if (pos > BG_REC_MAX || len > BG_REC_MAX - pos)
		len = 0;
	pos &= BG_REC_MAX - 1;
	if (len > BG_PATH_MAX)
		len = BG_PATH_MAX;
	barrier_var(len);
	if (len && bpf_probe_read_kernel((char *)rec + pos, len, src))
		len = 0;
	blob->off = pos;
	blob->len = len;
	h->size = pos + len;
	return len;
}

/* Append a NUL-terminated string (kernel or user) to the tail; the NUL is not kept. */
static __always_inline __u32 emit__tail_str(void *rec, struct bg_blob *blob, const void *src,
					    __u32 max, int user)
{
	struct bg_hdr *h = rec;
	__u32 pos = h->size;
	long n;

	if (pos > BG_REC_MAX - BG_PATH_MAX)
		pos = BG_REC_MAX - BG_PATH_MAX;
	pos &= BG_REC_MAX - 1;
	if (max > BG_PATH_MAX)
		max = BG_PATH_MAX;
	barrier_var(max);
	if (user)
		n = bpf_probe_read_user_str((char *)rec + pos, max, src);
	else
		n = bpf_probe_read_kernel_str((char *)rec + pos, max, src);
	if (n <= 0)
		n = 1;
	blob->off = pos;
	blob->len = n - 1;
	h->size = pos + n - 1;
	return n - 1;
}

#endif /* BG_EMIT_BPF_H */
