/** @module events/generated/layouts: record layouts and enums from bpf/include (BTF). DO NOT EDIT: make gen. */

/** struct bg_act: byte offsets of its members. */
export const BG_ACT = {
	SIZE: 128,
	hdr: 0, // struct bg_hdr, 32 bytes
	nr: 32, // s32, 4 bytes
	op: 36, // u32, 4 bytes
	ret: 40, // s64, 8 bytes
	arg: 48, // u64, 8 bytes
	aux: 56, // u32, 4 bytes
	uid: 60, // u32, 4 bytes
	ppid: 64, // u32, 4 bytes
	tpid: 68, // u32, 4 bytes
	ttid: 72, // u32, 4 bytes
	tuid: 76, // u32, 4 bytes
	comm: 80, // s8[16], 16 bytes
	tcomm: 96, // s8[16], 16 bytes
	exe: 112, // struct bg_blob, 4 bytes
	name: 116, // struct bg_blob, 4 bytes
	texe: 120, // struct bg_blob, 4 bytes
	_pad: 124, // u32, 4 bytes
} as const;

/** struct bg_audit_ctl: byte offsets of its members. */
export const BG_AUDIT_CTL = {
	SIZE: 120,
	hdr: 0, // struct bg_hdr, 32 bytes
	nr: 32, // s32, 4 bytes
	type: 36, // u16, 2 bytes
	nlflags: 38, // u16, 2 bytes
	ret: 40, // s64, 8 bytes
	err: 48, // s32, 4 bytes
	seq: 52, // u32, 4 bytes
	mask: 56, // u32, 4 bytes
	enabled: 60, // u32, 4 bytes
	failure: 64, // u32, 4 bytes
	pid: 68, // u32, 4 bytes
	rate_limit: 72, // u32, 4 bytes
	backlog_limit: 76, // u32, 4 bytes
	backlog_wait_time: 80, // u32, 4 bytes
	uid: 84, // u32, 4 bytes
	ppid: 88, // u32, 4 bytes
	index: 92, // u16, 2 bytes
	_pad0: 94, // u16, 2 bytes
	comm: 96, // s8[16], 16 bytes
	exe: 112, // struct bg_blob, 4 bytes
	_pad: 116, // u32, 4 bytes
} as const;

/** struct bg_blob: byte offsets of its members. */
export const BG_BLOB = {
	SIZE: 4,
	off: 0, // u16, 2 bytes
	len: 2, // u16, 2 bytes
} as const;

/** struct bg_creds: byte offsets of its members. */
export const BG_CREDS = {
	SIZE: 56,
	uid: 0, // u32, 4 bytes
	euid: 4, // u32, 4 bytes
	suid: 8, // u32, 4 bytes
	fsuid: 12, // u32, 4 bytes
	gid: 16, // u32, 4 bytes
	egid: 20, // u32, 4 bytes
	sgid: 24, // u32, 4 bytes
	fsgid: 28, // u32, 4 bytes
	cap_eff: 32, // u64, 8 bytes
	cap_prm: 40, // u64, 8 bytes
	userns: 48, // u32, 4 bytes
	ngroups: 52, // u32, 4 bytes
} as const;

/** struct bg_deny_key4: byte offsets of its members. */
export const BG_DENY_KEY4 = {
	SIZE: 8,
	prefixlen: 0, // u32, 4 bytes
	addr: 4, // u8[4], 4 bytes
} as const;

/** struct bg_deny_key6: byte offsets of its members. */
export const BG_DENY_KEY6 = {
	SIZE: 20,
	prefixlen: 0, // u32, 4 bytes
	addr: 4, // u8[16], 16 bytes
} as const;

/** struct bg_deny_slot: byte offsets of its members. */
export const BG_DENY_SLOT = {
	SIZE: 88,
	mode: 0, // u8, 1 bytes
	proto: 1, // u8, 1 bytes
	nports: 2, // u8, 1 bytes
	comm_how: 3, // u8, 1 bytes
	ncomm: 4, // u8, 1 bytes
	_pad: 5, // u8[3], 3 bytes
	ports: 8, // u16[8], 16 bytes
	comm: 24, // s8[16][4], 64 bytes
} as const;

/** struct bg_enf_budget: byte offsets of its members. */
export const BG_ENF_BUDGET = {
	SIZE: 16,
	window_ns: 0, // u64, 8 bytes
	count: 8, // u64, 8 bytes
} as const;

/** struct bg_enf_exe_key: byte offsets of its members. */
export const BG_ENF_EXE_KEY = {
	SIZE: 16,
	ino: 0, // u64, 8 bytes
	dev: 8, // u32, 4 bytes
	_pad: 12, // u32, 4 bytes
} as const;

/** struct bg_enf_slot: byte offsets of its members. */
export const BG_ENF_SLOT = {
	SIZE: 80,
	mode: 0, // u8, 1 bytes
	access: 1, // u8, 1 bytes
	comm_how: 2, // u8, 1 bytes
	ncomm: 3, // u8, 1 bytes
	uid: 4, // u32, 4 bytes
	not_uid: 8, // u32, 4 bytes
	budget: 12, // u32, 4 bytes
	comm: 16, // s8[16][4], 64 bytes
} as const;

/** struct bg_exec: byte offsets of its members. */
export const BG_EXEC = {
	SIZE: 184,
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
	stdio_sock: 72, // u32, 4 bytes
	enforce: 76, // u32, 4 bytes
	start_ns: 80, // u64, 8 bytes
	comm: 88, // s8[16], 16 bytes
	exe: 104, // struct bg_blob, 4 bytes
	args: 108, // struct bg_blob, 4 bytes
	cwd: 112, // struct bg_blob, 4 bytes
	tty: 116, // struct bg_blob, 4 bytes
	script: 120, // struct bg_blob, 4 bytes
	env: 124, // struct bg_blob, 4 bytes
	stdio_kind: 128, // u8[4], 4 bytes
	_pad: 132, // u32, 4 bytes
	stdio_ino: 136, // u64[3], 24 bytes
	vpid: 160, // u32, 4 bytes
	pidns: 164, // u32, 4 bytes
	mntns: 168, // u32, 4 bytes
	cgroup: 172, // struct bg_blob, 4 bytes
	cgroup1: 176, // struct bg_blob, 4 bytes
	stdin_path: 180, // struct bg_blob, 4 bytes
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

/** struct bg_file: byte offsets of its members. */
export const BG_FILE = {
	SIZE: 120,
	hdr: 0, // struct bg_hdr, 32 bytes
	sysnr: 32, // u32, 4 bytes
	ret: 36, // s32, 4 bytes
	uid: 40, // u32, 4 bytes
	gid: 44, // u32, 4 bytes
	oflags: 48, // u32, 4 bytes
	mode: 52, // u32, 4 bytes
	owner: 56, // u32, 4 bytes
	group: 60, // u32, 4 bytes
	dirfd: 64, // s32, 4 bytes
	watch: 68, // u16, 2 bytes
	enforce: 70, // u16, 2 bytes
	comm: 72, // s8[16], 16 bytes
	name: 88, // struct bg_blob, 4 bytes
	raw: 92, // struct bg_blob, 4 bytes
	name2: 96, // struct bg_blob, 4 bytes
	raw2: 100, // struct bg_blob, 4 bytes
	ino: 104, // u64, 8 bytes
	dev: 112, // u32, 4 bytes
	_pad: 116, // u32, 4 bytes
} as const;

/** struct bg_fork: byte offsets of its members. */
export const BG_FORK = {
	SIZE: 80,
	hdr: 0, // struct bg_hdr, 32 bytes
	ppid: 32, // u32, 4 bytes
	parent_tid: 36, // u32, 4 bytes
	start_ns: 40, // u64, 8 bytes
	comm: 48, // s8[16], 16 bytes
	vpid: 64, // u32, 4 bytes
	pidns: 68, // u32, 4 bytes
	mntns: 72, // u32, 4 bytes
	_pad: 76, // u32, 4 bytes
} as const;

/** struct bg_fsys: byte offsets of its members. */
export const BG_FSYS = {
	SIZE: 16,
	kind: 0, // u16, 2 bytes
	fl: 2, // u8, 1 bytes
	dfd: 3, // s8, 1 bytes
	path: 4, // s8, 1 bytes
	dfd2: 5, // s8, 1 bytes
	path2: 6, // s8, 1 bytes
	flags: 7, // s8, 1 bytes
	mode: 8, // s8, 1 bytes
	owner: 9, // s8, 1 bytes
	group: 10, // s8, 1 bytes
	res: 11, // u8, 1 bytes
	fixed_flags: 12, // u32, 4 bytes
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

/** struct bg_ia32: byte offsets of its members. */
export const BG_IA32 = {
	SIZE: 4,
	nr: 0, // u16, 2 bytes
	fl: 2, // u8, 1 bytes
	_pad: 3, // u8, 1 bytes
} as const;

/** struct bg_ino_key: byte offsets of its members. */
export const BG_INO_KEY = {
	SIZE: 16,
	ino: 0, // u64, 8 bytes
	dev: 8, // u32, 4 bytes
	dir: 12, // u32, 4 bytes
} as const;

/** struct bg_name_key: byte offsets of its members. */
export const BG_NAME_KEY = {
	SIZE: 64,
	where: 0, // u32, 4 bytes
	name: 4, // s8[60], 60 bytes
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
	enforce: 124, // u32, 4 bytes
	comm: 128, // s8[16], 16 bytes
	payload: 144, // struct bg_blob, 4 bytes
	_pad2: 148, // u32, 4 bytes
} as const;

/** struct bg_net_filter: byte offsets of its members. */
export const BG_NET_FILTER = {
	SIZE: 16,
	skip: 0, // u32, 4 bytes
	by_comm: 4, // u32, 4 bytes
	states: 8, // u32, 4 bytes
	_pad: 12, // u32, 4 bytes
} as const;

/** struct bg_priv: byte offsets of its members. */
export const BG_PRIV = {
	SIZE: 224,
	hdr: 0, // struct bg_hdr, 32 bytes
	nr: 32, // u32, 4 bytes
	ret: 36, // s32, 4 bytes
	arg: 40, // u32[3], 12 bytes
	site: 52, // u32, 4 bytes
	req_eff: 56, // u64, 8 bytes
	req_prm: 64, // u64, 8 bytes
	old: 72, // struct bg_creds, 56 bytes
	new: 128, // struct bg_creds, 56 bytes
	ppid: 184, // u32, 4 bytes
	file_uid: 188, // u32, 4 bytes
	file_gid: 192, // u32, 4 bytes
	file_mode: 196, // u16, 2 bytes
	_pad: 198, // u16, 2 bytes
	comm: 200, // s8[16], 16 bytes
	exe: 216, // struct bg_blob, 4 bytes
	_pad2: 220, // u32, 4 bytes
} as const;

/** struct bg_sc_key: byte offsets of its members. */
export const BG_SC_KEY = {
	SIZE: 8,
	nr: 0, // s32, 4 bytes
	ret: 4, // s32, 4 bytes
} as const;

/** struct bg_seccomp: byte offsets of its members. */
export const BG_SECCOMP = {
	SIZE: 136,
	hdr: 0, // struct bg_hdr, 32 bytes
	nr: 32, // s32, 4 bytes
	arch: 36, // u32, 4 bytes
	ret: 40, // s64, 8 bytes
	args: 48, // u64[6], 48 bytes
	action: 96, // u32, 4 bytes
	uid: 100, // u32, 4 bytes
	ppid: 104, // u32, 4 bytes
	_pad: 108, // u32, 4 bytes
	comm: 112, // s8[16], 16 bytes
	exe: 128, // struct bg_blob, 4 bytes
	_pad2: 132, // u32, 4 bytes
} as const;

/** struct bg_vc_key: byte offsets of its members. */
export const BG_VC_KEY = {
	SIZE: 48,
	dentry: 0, // u64, 8 bytes
	parent: 8, // u64, 8 bytes
	name: 16, // u64, 8 bytes
	mnt: 24, // u64, 8 bytes
	ino: 32, // u64, 8 bytes
	igen: 40, // u32, 4 bytes
	_pad: 44, // u32, 4 bytes
} as const;

/** struct bg_vc_val: byte offsets of its members. */
export const BG_VC_VAL = {
	SIZE: 16,
	gen: 0, // u64, 8 bytes
	mode: 8, // u32, 4 bytes
	_pad: 12, // u32, 4 bytes
} as const;

/** struct bg_watch_key: byte offsets of its members. */
export const BG_WATCH_KEY = {
	SIZE: 260,
	prefixlen: 0, // u32, 4 bytes
	data: 4, // u8[256], 256 bytes
} as const;

/** struct bg_watch_l0: byte offsets of its members. */
export const BG_WATCH_L0 = {
	SIZE: 72,
	k: 0, // struct bg_vc_key, 48 bytes
	gen: 48, // u64, 8 bytes
	mode: 56, // u64, 8 bytes
	check: 64, // u64, 8 bytes
} as const;

/** struct bg_watch_lens: byte offsets of its members. */
export const BG_WATCH_LENS = {
	SIZE: 16,
	base: 0, // u64, 8 bytes
	dir: 8, // u64, 8 bytes
} as const;

/** struct bg_watch_val: byte offsets of its members. */
export const BG_WATCH_VAL = {
	SIZE: 4,
	mode: 0, // u32, 4 bytes
} as const;

/** enum bg_act_flag. */
export const BgActFlag = {
	BG_AF_EXE_TRUNC: 2,
	BG_AF_TARGET: 256,
	BG_AF_EXACT: 512,
	BG_AF_OWN: 1024,
	BG_AF_OTHER_USER: 2048,
	BG_AF_NAME_TRUNC: 4096,
	BG_AF_NAME_USER: 8192,
	BG_AF_TEXE_TRUNC: 16384,
} as const;

/** enum bg_act_limit. */
export const BgActLimit = {
	BG_ACT_DEPTH: 16,
	BG_ACT_NAME_MAX: 256,
} as const;

/** enum bg_audit_flag. */
export const BgAuditFlag = {
	BG_AUF_EXE_TRUNC: 2,
	BG_AUF_ACK: 256,
	BG_AUF_BODY: 512,
	BG_AUF_MORE: 1024,
	BG_AUF_IOV: 2048,
	BG_AUF_TYPE_USER: 4096,
} as const;

/** enum bg_audit_limit. */
export const BgAuditLimit = {
	BG_AUDIT_MSGS_MAX: 8,
	BG_AUDIT_ACKS_MAX: 8,
} as const;

/** enum bg_deny_limit. */
export const BgDenyLimit = {
	BG_DENY_SLOTS: 24,
	BG_DENY_PORTS: 8,
} as const;

/** enum bg_enf_access. */
export const BgEnfAccess = {
	BG_ENF_OK_ONLY: 128,
} as const;

/** enum bg_enf_comm_how. */
export const BgEnfCommHow = {
	BG_ENF_COMM_ANY: 0,
	BG_ENF_COMM_SPARE: 1,
	BG_ENF_COMM_ONLY: 2,
} as const;

/** enum bg_enf_limit. */
export const BgEnfLimit = {
	BG_ENF_SLOTS: 24,
	BG_ENF_COMMS: 4,
	BG_ENF_PIDS: 256,
	BG_ENF_EXES: 256,
	BG_ENF_DENY: 1024,
} as const;

/** enum bg_enf_mode. */
export const BgEnfMode = {
	BG_ENF_OFF: 0,
	BG_ENF_AUDIT: 1,
	BG_ENF_ENFORCE: 2,
} as const;

/** enum bg_enf_verdict. */
export const BgEnfVerdict = {
	BG_ENF_V_ACTED: 256,
	BG_ENF_V_AUDIT: 512,
	BG_ENF_V_PROTECTED: 1024,
	BG_ENF_V_BUDGET: 2048,
	BG_ENF_V_FAILED: 4096,
} as const;

/** enum bg_fd_kind. */
export const BgFdKind = {
	BG_FD_NONE: 0,
	BG_FD_FILE: 1,
	BG_FD_PIPE: 2,
	BG_FD_SOCK: 3,
	BG_FD_TTY: 4,
	BG_FD_CHR: 5,
	BG_FD_OTHER: 6,
} as const;

/** enum bg_file_flag. */
export const BgFileFlag = {
	BG_FF_NAME_FILE: 1,
	BG_FF_NAME_TRUNC: 2,
	BG_FF_NAME2_TRUNC: 4,
	BG_FF_RAW_FAULT: 8,
	BG_FF_NAME_DIRFD: 16,
	BG_FF_NO_FILE: 32,
	BG_FF_NAME_DEEP: 64,
	BG_FF_NAME2_DEEP: 128,
	BG_FF_IO_URING: 256,
	BG_FF_IA32: 512,
	BG_FF_MNT_FOREIGN: 1024,
	BG_FF_URING_SUBMIT: 2048,
	BG_FF_NAME_REAL: 4096,
	BG_FF_NAME2_REAL: 8192,
} as const;

/** enum bg_flag. */
export const BgFlag = {
	BG_F_ARGS_TRUNC: 1,
	BG_F_EXE_TRUNC: 2,
	BG_F_CWD_TRUNC: 4,
	BG_F_ARGS_FAULT: 8,
	BG_F_EXE_DELETED: 16,
	BG_F_ENV_TRUNC: 32,
	BG_F_CGROUP_TRUNC: 64,
	BG_F_CGROUP1_TRUNC: 128,
	BG_F_STDIN_TRUNC: 256,
} as const;

/** enum bg_fsys_flag. */
export const BgFsysFlag = {
	BG_FSYS_HOW: 1,
	BG_FSYS_FD: 2,
	BG_FSYS_RAW2: 4,
	BG_FSYS_ALL: 8,
} as const;

/** enum bg_fsys_res. */
export const BgFsysRes = {
	BG_RES_NONE: 0,
	BG_RES_OBJ: 1,
	BG_RES_NAMED: 2,
	BG_RES_RENAME: 3,
	BG_RES_LINK: 4,
	BG_RES_CREATE: 5,
} as const;

/** enum bg_ia32_flag. */
export const BgIa32Flag = {
	BG_IA32_WATCHED: 1,
	BG_IA32_UID16: 4,
	BG_IA32_SOCKETCALL: 8,
	BG_IA32_MEMARGS: 16,
} as const;

/** enum bg_ia32_limit. */
export const BgIa32Limit = {
	BG_IA32_MAX: 512,
	BG_IA32_SOCKETCALL_KEY: 512,
	BG_IA32_KEYS: 544,
} as const;

/** enum bg_kind. */
export const BgKind = {
	BG_EV_EXEC: 1,
	BG_EV_FORK: 2,
	BG_EV_EXIT: 3,
	BG_EV_PRIV_CALL: 20,
	BG_EV_PRIV_EXEC: 21,
	BG_EV_PRIV_DRIFT: 22,
	BG_EV_OPEN: 10,
	BG_EV_FCHANGE: 11,
	BG_EV_NET_CONNECT: 30,
	BG_EV_NET_ACCEPT: 31,
	BG_EV_NET_OUTCOME: 32,
	BG_EV_NET_CLOSE: 33,
	BG_EV_NET_LISTEN: 34,
	BG_EV_NET_BIND: 35,
	BG_EV_NET_SEND: 36,
	BG_EV_SECCOMP: 40,
	BG_EV_KMOD: 50,
	BG_EV_BPF: 51,
	BG_EV_PTRACE: 52,
	BG_EV_PROCMEM: 53,
	BG_EV_AUDIT_CTL: 54,
} as const;

/** enum bg_limit. */
export const BgLimit = {
	BG_ARGS_MAX: 4096,
	BG_MAX_ARGS: 128,
	BG_PATH_MAX: 4096,
	BG_PATH_DEPTH: 64,
	BG_TTY_MAX: 64,
	BG_REC_MAX: 16384,
	BG_ENV_MAX: 1024,
	BG_ENV_VARS: 512,
	BG_ENV_NAMES: 8,
	BG_ENV_NAME_MAX: 32,
	BG_CGROUP_DEPTH: 6,
	BG_CGROUP_NAME: 128,
} as const;

/** enum bg_map_limit. */
export const BgMapLimit = {
	BG_FOLLOW_MAX: 65536,
	BG_RINGBUF_BYTES: 16777216,
	BG_WAKEUP_BYTES: 262144,
	BG_WAKEUP_NS: 2000000,
	BG_SYSCALL_MAX: 512,
	BG_URING_OPS: 256,
} as const;

/** enum bg_net_filter_limit. */
export const BgNetFilterLimit = {
	BG_NET_COMMS_MAX: 1024,
} as const;

/** enum bg_net_flag. */
export const BgNetFlag = {
	BG_F_NET_PAYLOAD_TRUNC: 256,
	BG_F_NET_PAYLOAD_FAULT: 512,
	BG_F_NET_DST_FROM_SKB: 1024,
	BG_F_NET_INBOUND: 2048,
	BG_F_NET_DENY: 4096,
	BG_F_NET_IO_URING: 8192,
	BG_F_NET_IA32: 16384,
	BG_F_NET_URING_SUBMIT: 32768,
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

/** enum bg_priv_flag. */
export const BgPrivFlag = {
	BG_PF_NO_BEFORE: 256,
	BG_PF_SETUID_FILE: 512,
	BG_PF_SETGID_FILE: 1024,
	BG_PF_USERNS: 2048,
	BG_PF_IA32: 4096,
} as const;

/** enum bg_priv_site. */
export const BgPrivSite = {
	BG_PS_SYSCALL: 1,
	BG_PS_ENTER: 2,
	BG_PS_CHECK: 3,
	BG_PS_EXEC: 4,
	BG_PS_FORK: 5,
	BG_PS_EXIT: 6,
} as const;

/** enum bg_priv_sys. */
export const BgPrivSys = {
	BG_PSYS_NONE: 0,
	BG_PSYS_ID1: 1,
	BG_PSYS_ID2: 2,
	BG_PSYS_ID3: 3,
	BG_PSYS_CAPSET: 4,
	BG_PSYS_NS: 5,
	BG_PSYS_GROUPS: 6,
} as const;

/** enum bg_sc_action. */
export const BgScAction = {
	BG_SCA_ERRNO: 1,
	BG_SCA_TRAP: 2,
	BG_SCA_KILL_THREAD: 3,
	BG_SCA_KILL_PROCESS: 4,
	BG_SCA_SKIPPED: 5,
} as const;

/** enum bg_sc_arch. */
export const BgScArch = {
	BG_SC_ARCH_X86_64: 1,
	BG_SC_ARCH_I386: 2,
	BG_SC_ARCH_X32: 3,
	BG_SC_ARCH_AARCH64: 4,
} as const;

/** enum bg_sc_limit. */
export const BgScLimit = {
	BG_SC_KEYS: 1024,
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
	BG_STAT_PRIV_FAILED: 14,
	BG_STAT_PRIV_NO_STORE: 15,
	BG_STAT_PRIV_DRIFT: 16,
	BG_STAT_PRIV_NOOP: 17,
	BG_STAT_FILE_NOFILE: 8,
	BG_STAT_FILE_NOSPEC: 9,
	BG_STAT_FILE_URING_EARLY: 10,
	BG_STAT_URING_CQ_OVERFLOW: 11,
	BG_STAT_COMPAT_SYSCALL: 13,
	BG_STAT_NET_TRACK_FAIL: 20,
	BG_STAT_NET_UNTRACKED: 21,
	BG_STAT_NET_NO_DST: 22,
	BG_STAT_NET_PAYLOAD_TRUNC: 23,
	BG_STAT_ENF_ACTED: 28,
	BG_STAT_ENF_AUDIT: 29,
	BG_STAT_ENF_SPARED: 30,
	BG_STAT_SC_NO_STATE: 32,
	BG_STAT_SC_NO_HANDLER: 33,
	BG_STAT_ACT_REPEAT: 36,
	BG_STAT_ACT_NO_STORE: 37,
	BG_STAT_ENV_TRUNC: 38,
	BG_STAT__MAX: 40,
} as const;

/** enum bg_watch_limit. */
export const BgWatchLimit = {
	BG_WATCH_KEY: 256,
	BG_WATCH_NAME: 60,
	BG_WATCH_MAX: 4096,
	BG_VC_MAX: 16384,
} as const;

/** enum bg_watch_mode. */
export const BgWatchMode = {
	BG_WATCH_READ: 1,
	BG_WATCH_WRITE: 2,
	BG_WATCH_KILL_SHIFT: 8,
} as const;

/** enum bg_watch_where. */
export const BgWatchWhere = {
	BG_WATCH_BASE: 1,
	BG_WATCH_DIR: 2,
} as const;
