// SPDX-License-Identifier: GPL-2.0
/* BTF anchor: one global per record and enum so user space can generate its layouts. Never loaded. */
#include "lib/common.bpf.h"

struct bg_hdr bg_anchor_hdr;
struct bg_blob bg_anchor_blob;
struct bg_exec bg_anchor_exec;
struct bg_fork bg_anchor_fork;
struct bg_exit bg_anchor_exit;
enum bg_kind bg_anchor_kind;
enum bg_flag bg_anchor_flag;
enum bg_limit bg_anchor_limit;
enum bg_stat bg_anchor_stat;
enum bg_map_limit bg_anchor_map_limit;
struct bg_net bg_anchor_net;
enum bg_net_flag bg_anchor_net_flag;
enum bg_net_state bg_anchor_net_state;
enum bg_net_limit bg_anchor_net_limit;
