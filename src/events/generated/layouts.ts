/** @module events/generated/layouts: record layouts and enums from bpf/include (BTF). DO NOT EDIT: make gen. */

/** struct bg_blob: byte offsets of its members. */
export const BG_BLOB = {
	SIZE: 4,
	off: 0, // u16, 2 bytes
	len: 2, // u16, 2 bytes
} as const;

/** struct bg_exec: byte offsets of its members. */
export const BG_EXEC = {
	SIZE: 112,
	hdr: 0, // struct bg_hdr, 32 bytes
	ppid: 32, // u32, 4 bytes
	old_tid: 36, // u32, 4 bytes
	uid: 40, // u32, 4 bytes
	gid: 44, // u32, 4 bytes
	euid: 48, // u32, 4 bytes
	egid: 52, // u32, 4 bytes
	loginuid: 56, // u32, 4 bytes
	sid: 60, // u32, 4 bytes
	ret: 64, // s32, 4 bytes
	argc: 68, // u32, 4 bytes
	start_ns: 72, // u64, 8 bytes
	comm: 80, // s8[16], 16 bytes
	exe: 96, // struct bg_blob, 4 bytes
	args: 100, // struct bg_blob, 4 bytes
	cwd: 104, // struct bg_blob, 4 bytes
	tty: 108, // struct bg_blob, 4 bytes
} as const;

/** struct bg_exit: byte offsets of its members. */
export const BG_EXIT = {
	SIZE: 64,
	hdr: 0, // struct bg_hdr, 32 bytes
	ppid: 32, // u32, 4 bytes
	exit_code: 36, // u32, 4 bytes
	start_ns: 40, // u64, 8 bytes
	comm: 48, // s8[16], 16 bytes
} as const;

/** struct bg_fork: byte offsets of its members. */
export const BG_FORK = {
	SIZE: 64,
	hdr: 0, // struct bg_hdr, 32 bytes
	ppid: 32, // u32, 4 bytes
	parent_tid: 36, // u32, 4 bytes
	start_ns: 40, // u64, 8 bytes
	comm: 48, // s8[16], 16 bytes
} as const;

/** struct bg_hdr: byte offsets of its members. */
export const BG_HDR = {
	SIZE: 32,
	kind: 0, // u16, 2 bytes
	flags: 2, // u16, 2 bytes
	size: 4, // u32, 4 bytes
	ktime_ns: 8, // u64, 8 bytes
	pid: 16, // u32, 4 bytes
	tid: 20, // u32, 4 bytes
	cgroup_id: 24, // u64, 8 bytes
} as const;

/** struct bg_net: byte offsets of its members. */
export const BG_NET = {
	SIZE: 152,
	hdr: 0, // struct bg_hdr, 32 bytes
	uid: 32, // u32, 4 bytes
	ret: 36, // s32, 4 bytes
	start_ns: 40, // u64, 8 bytes
	conn_id: 48, // u64, 8 bytes
	duration_ns: 56, // u64, 8 bytes
	bytes_sent: 64, // u64, 8 bytes
	bytes_received: 72, // u64, 8 bytes
	saddr: 80, // u8[16], 16 bytes
	daddr: 96, // u8[16], 16 bytes
	sport: 112, // u16, 2 bytes
	dport: 114, // u16, 2 bytes
	family: 116, // u16, 2 bytes
	proto: 118, // u8, 1 bytes
	state: 119, // u8, 1 bytes
	fd: 120, // s32, 4 bytes
	_pad: 124, // u32, 4 bytes
	comm: 128, // s8[16], 16 bytes
	payload: 144, // struct bg_blob, 4 bytes
	_pad2: 148, // u32, 4 bytes
} as const;

/** enum bg_flag. */
export const BgFlag = {
	BG_F_ARGS_TRUNC: 1,
	BG_F_EXE_TRUNC: 2,
	BG_F_CWD_TRUNC: 4,
	BG_F_ARGS_FAULT: 8,
	BG_F_EXE_DELETED: 16,
} as const;

/** enum bg_kind. */
export const BgKind = {
	BG_EV_EXEC: 1,
	BG_EV_FORK: 2,
	BG_EV_EXIT: 3,
	BG_EV_NET_CONNECT: 30,
	BG_EV_NET_ACCEPT: 31,
	BG_EV_NET_OUTCOME: 32,
	BG_EV_NET_CLOSE: 33,
	BG_EV_NET_LISTEN: 34,
	BG_EV_NET_BIND: 35,
	BG_EV_NET_SEND: 36,
} as const;

/** enum bg_limit. */
export const BgLimit = {
	BG_ARGS_MAX: 4096,
	BG_MAX_ARGS: 128,
	BG_PATH_MAX: 4096,
	BG_PATH_DEPTH: 64,
	BG_TTY_MAX: 64,
	BG_REC_MAX: 16384,
} as const;

/** enum bg_map_limit. */
export const BgMapLimit = {
	BG_FOLLOW_MAX: 65536,
	BG_RINGBUF_BYTES: 16777216,
	BG_WAKEUP_BYTES: 262144,
	BG_SYSCALL_MAX: 512,
} as const;

/** enum bg_net_flag. */
export const BgNetFlag = {
	BG_F_NET_PAYLOAD_TRUNC: 256,
	BG_F_NET_PAYLOAD_FAULT: 512,
	BG_F_NET_DST_FROM_SKB: 1024,
	BG_F_NET_INBOUND: 2048,
} as const;

/** enum bg_net_limit. */
export const BgNetLimit = {
	BG_NET_PAYLOAD_MAX: 512,
} as const;

/** enum bg_net_state. */
export const BgNetState = {
	BG_NS_NONE: 0,
	BG_NS_ESTABLISHED: 1,
	BG_NS_IN_PROGRESS: 2,
	BG_NS_REFUSED: 3,
	BG_NS_TIMEOUT: 4,
	BG_NS_ERROR: 5,
	BG_NS_CLOSED: 6,
	BG_NS_LISTEN: 7,
} as const;

/** enum bg_stat. */
export const BgStat = {
	BG_STAT_EMITTED: 0,
	BG_STAT_RB_FULL: 1,
	BG_STAT_NO_SCRATCH: 2,
	BG_STAT_FILTERED: 3,
	BG_STAT_ARGS_TRUNC: 4,
	BG_STAT_PATH_TRUNC: 5,
	BG_STAT_READ_FAIL: 6,
	BG_STAT_FOLLOW_FULL: 7,
	BG_STAT_NET_TRACK_FAIL: 20,
	BG_STAT_NET_UNTRACKED: 21,
	BG_STAT_NET_NO_DST: 22,
	BG_STAT_NET_PAYLOAD_TRUNC: 23,
	BG_STAT__MAX: 32,
} as const;
