// SPDX-License-Identifier: GPL-2.0
/* Harness: lexical path normalisation (file/normpath.bpf.h) of a path given by the test. */
#include "lib/common.bpf.h"
#include "file/normpath.bpf.h"
#include "tests/harness.h"

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct bg_t_norm);
} bg_t_io SEC(".maps");

/* Parameters: len, path in; len, normed, path out. Returns -1 without a record or on a bad read. */
SEC("raw_tp")
int bg_t_norm(void *ctx)
{
	__u32 zero = 0, len;
	struct bg_t_norm *c = bpf_map_lookup_elem(&bg_t_io, &zero);
	const char *p;

	if (!c)
		return -1;
	p = c->path;
	len = c->len;
	c->normed = norm__path(&p, &len, 1) ? 2 : p != c->path;
	if (c->normed && bpf_probe_read_kernel(c->path, len & (BG_PATH_MAX - 1), p))
		return -1;
	c->len = len;
	return 0;
}
