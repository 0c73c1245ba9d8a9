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
struct bg_creds bg_anchor_creds;
struct bg_priv bg_anchor_priv;
enum bg_priv_flag bg_anchor_priv_flag;
enum bg_priv_site bg_anchor_priv_site;
enum bg_priv_sys bg_anchor_priv_sys;
struct bg_file bg_anchor_file;
enum bg_file_flag bg_anchor_file_flag;
struct bg_watch_key bg_anchor_watch_key;
struct bg_name_key bg_anchor_name_key;
struct bg_watch_val bg_anchor_watch_val;
struct bg_watch_lens bg_anchor_watch_lens;
struct bg_net_filter bg_anchor_net_filter;
enum bg_net_filter_limit bg_anchor_net_filter_limit;
struct bg_fsys bg_anchor_fsys;
enum bg_watch_mode bg_anchor_watch_mode;
enum bg_watch_limit bg_anchor_watch_limit;
enum bg_watch_where bg_anchor_watch_where;
enum bg_fsys_flag bg_anchor_fsys_flag;
struct bg_net bg_anchor_net;
enum bg_net_flag bg_anchor_net_flag;
enum bg_net_state bg_anchor_net_state;
enum bg_net_limit bg_anchor_net_limit;
struct bg_vc_key bg_anchor_vc_key;
struct bg_vc_val bg_anchor_vc_val;
