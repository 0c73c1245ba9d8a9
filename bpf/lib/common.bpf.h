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

#endif /* BG_COMMON_BPF_H */
