// SPDX-License-Identifier: GPL-2.0
/*
 * Harness: the file sensor's watch decision (file/watch.bpf.h) for a path given by the test, with
 * the watch maps filled by the production user-space code (src/sensors/file-watch.ts applyWatch).
 */
#include "lib/common.bpf.h"
#include "file/watch.bpf.h"
#include "tests/harness.h"

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct bg_t_watch);
} bg_t_io SEC(".maps");

/* Parameters: len, access, all, path in; mode out. Returns -1 without a record or for a bad len. */
SEC("raw_tp")
int bg_t_watch(void *ctx)
{
	__u32 zero = 0;
	struct bg_t_watch *c = bpf_map_lookup_elem(&bg_t_io, &zero);

	if (!c || c->len >= BG_PATH_MAX)
		return -1;
	c->mode = watch__match_any(c->path, c->len, c->access, NULL, c->all);
	return 0;
}
