/* SPDX-License-Identifier: GPL-2.0 */
/* Includes and small definitions every bpfguard program needs. */
#ifndef BG_COMMON_BPF_H
#define BG_COMMON_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "events.h"
#include "stats.h"
#include "maps_abi.h"

#ifndef barrier_var
#define barrier_var(var) asm volatile("" : "+r"(var))
#endif

#define BG_MASK(v, pow2) ((v) & ((pow2) - 1))

/*
 * A kernel address read as a number (e.g. an array slot through bpf_probe_read_kernel) made a
 * typed BTF pointer again, so its fields are plain loads instead of one helper call each (the
 * verifier inlines the call). Linux 6.2+; weak, so an object whose programs that use it are not
 * loaded (the dispatcher's io_uring programs, on an older kernel) still loads.
 */
extern void *bpf_rdonly_cast(const void *obj__ign, __u32 btf_id__k) __ksym __weak;
#define bg_cast(p, type) ((type *)bpf_rdonly_cast((p), bpf_core_type_id_kernel(type)))

#endif /* BG_COMMON_BPF_H */
