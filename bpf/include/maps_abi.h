/* SPDX-License-Identifier: GPL-2.0 */
/* What user space writes into BPF maps and rodata. */
#ifndef BG_MAPS_ABI_H
#define BG_MAPS_ABI_H

enum bg_map_limit {
	BG_FOLLOW_MAX = 65536,		/* processes in the -p follow set */
	BG_RINGBUF_BYTES = 16777216,	/* ring buffer size (power of two) */
	BG_WAKEUP_BYTES = 262144,	/* wake user space once this much is waiting */
	BG_WAKEUP_NS = 2000000,		/* or for a record after this long without one (2 ms) */
	BG_SYSCALL_MAX = 512,		/* slots in the syscall dispatch tables (by syscall number) */
	BG_URING_OPS = 256,		/* slots in the io_uring dispatch tables (by opcode, a u8) */
};

/* Priv sensor: what a syscall number means to bg_priv_exit (bg_priv_sys, filled by user space). */
enum bg_priv_sys {
	BG_PSYS_NONE = 0,	/* not an identity syscall */
	BG_PSYS_ID1 = 1,	/* identity syscall with 1 id argument (setuid, setfsuid) */
	BG_PSYS_ID2 = 2,	/* 2 id arguments (setreuid, setregid) */
	BG_PSYS_ID3 = 3,	/* 3 id arguments (setresuid, setresgid) */
	BG_PSYS_CAPSET = 4,	/* capset: requested sets read from the user data */
	BG_PSYS_NS = 5,		/* unshare/setns: may enter a user ns; refresh the expected creds */
	BG_PSYS_GROUPS = 6,	/* setgroups (1 argument: size); always reported: members are not in bg_creds */
};

/*
 * 32-bit (ia32) syscalls (bg_ia32_sys, by ia32 number; filled by user space from the i386 table):
 * the 64-bit number of the same call and which sensor handlers decode it. socketcall's own
 * entry only says so (BG_IA32_SOCKETCALL): its sub-calls are at BG_IA32_SOCKETCALL_KEY + call.
 */
enum bg_ia32_flag {
	BG_IA32_WATCHED = 1,	/* a sensor handles the 64-bit call (its 32-bit handler, if any: bg_sys_*32) */
	BG_IA32_UID16 = 4,	/* ids are 16-bit (setuid, chown …: old_uid_t; 0xffff is -1) */
	BG_IA32_SOCKETCALL = 8,	/* socketcall(call, u32 *args): look up BG_IA32_SOCKETCALL_KEY + call */
	BG_IA32_MEMARGS = 16,	/* a socketcall sub-call: its arguments are the u32 array in user memory */
};

struct bg_ia32 {
	__u16 nr;		/* the 64-bit syscall number of the same call */
	__u8 fl;		/* enum bg_ia32_flag bits; 0: no sensor looks at it */
	__u8 _pad;
};
_Static_assert(sizeof(struct bg_ia32) == 4, "bg_ia32 size");

enum bg_ia32_limit {
	BG_IA32_MAX = 512,		/* ia32 syscall numbers kept (the i386 table ends below) */
	BG_IA32_SOCKETCALL_KEY = 512,	/* + the socketcall call number (SYS_CONNECT 3 …) */
	BG_IA32_KEYS = 544,		/* entries in bg_ia32_sys */
};

/* File sensor: what a watch entry (bg_watch_pfx, bg_watch_name) covers. */
enum bg_watch_mode {
	BG_WATCH_READ = 1,	/* opens for reading */
	BG_WATCH_WRITE = 2,	/* opens for writing, creating or truncating; every change */
	BG_WATCH_KILL_SHIFT = 8,	/* bit 8 + n of a mode: enforcement slot n (bg_enf_slots) kills such an open */
};
#define BG_WATCH_KILLS (~0U << BG_WATCH_KILL_SHIFT)

enum bg_watch_limit {
	BG_WATCH_KEY = 256,	/* bytes of path in an LPM key (longer prefixes cannot be watched) */
	BG_WATCH_NAME = 60,	/* bytes of a watched base or directory name, NUL-padded */
	BG_WATCH_MAX = 4096,	/* entries in each watch map */
	BG_VC_MAX = 16384,	/* opened files (and directories) whose watch verdict is cached */
};

/*
 * Verdict cache key: a (mount, dentry) pair, so one path, with the dentry's parent and name
 * (hash and length). The mount matters: a bind mount reaches the same dentry by another path.
 * The inode's number and generation (random for a new inode on ext4, tmpfs, xfs) keep a freed
 * and reused dentry (and parent) address, given the same name, from inheriting a verdict:
 * unlink and mkdir change no generation of ours.
 * bg_watch_vc holds opened files, bg_watch_dc the directories holding them.
 */
struct bg_vc_key {
	__u64 dentry;		/* struct dentry * of the opened file (or of its directory) */
	__u64 parent;		/* its d_parent */
	__u64 name;		/* d_name.hash_len */
	__u64 mnt;		/* the mount it was reached through: mnt_id_unique (6.8+), else its address */
	__u64 ino;		/* d_inode->i_ino */
	__u32 igen;		/* d_inode->i_generation */
	__u32 _pad;
};

/* bg_watch_l0 (per CPU): the last opened file's verdict, valid while gen and check hold. */
struct bg_watch_l0 {
	struct bg_vc_key k;
	__u64 gen;		/* as bg_vc_val.gen */
	__u64 mode;		/* enum bg_watch_mode bits matching the file's path */
	__u64 check;		/* watch__l0_check() of the rest */
};

/* What the watch set said about that file, valid while bg_watch_gen[0] still equals gen. */
struct bg_vc_val {
	__u64 gen;		/* generation: bumped by user space on watch changes, by the kernel on renames and mounts */
	__u32 mode;		/* bg_watch_vc: enum bg_watch_mode bits matching the file's path (0: not watched);
				 * bg_watch_dc: 1 when some watch entry can match a file in the directory */
	__u32 _pad;
};

/* LPM key over path bytes; an exact entry includes the trailing NUL in prefixlen. */
struct bg_watch_key {
	__u32 prefixlen;	/* bits */
	__u8 data[256];		/* path bytes (BG_WATCH_KEY) */
};

/* Base name ("authorized_keys") or directory name (".ssh") watched in every directory. */
enum bg_watch_where {
	BG_WATCH_BASE = 1,	/* the last component */
	BG_WATCH_DIR = 2,	/* the component before it (the directory holding the file) */
};

struct bg_name_key {
	__u32 where;		/* enum bg_watch_where */
	char name[60];		/* NUL-padded (BG_WATCH_NAME) */
};

struct bg_watch_val {
	__u32 mode;		/* enum bg_watch_mode bits */
};

/*
 * Key of bg_watch_ino: a watched host object by identity, from stat() of a watch entry's path
 * when the set is applied, so a container reaching it under another path (a bind mount of the
 * host's /etc at /host-etc, or of / at /host) is seen too. Value: struct bg_watch_val (mode bits
 * only, no kill slots; mode 0 on a directory only marks it as holding a watched file).
 */
struct bg_ino_key {
	__u64 ino;		/* st_ino */
	__u32 dev;		/* st_dev in the kernel's encoding (i_sb->s_dev: major << 20 | minor) */
	__u32 dir;		/* 0: the file itself; 1: a directory, matching the files directly in it */
};

/* Which lengths the watched names have (bit n: some name of n bytes): most names skip the lookup. */
struct bg_watch_lens {
	__u64 base;		/* BG_WATCH_BASE names */
	__u64 dir;		/* BG_WATCH_DIR names */
};

/* Network sensor filter from the rules (bg_net_filter[0]); all zero emits everything. */
struct bg_net_filter {
	__u32 skip;		/* record kinds not to emit: bit kind - BG_EV_NET_CONNECT */
	__u32 by_comm;		/* 1: emit in process context only when the process name is in bg_net_comms */
	__u32 states;		/* by_comm: a connect record of another name still goes when bit (enum bg_net_state) is set */
	__u32 _pad;
};

enum bg_net_filter_limit {
	BG_NET_COMMS_MAX = 1024,	/* process names in bg_net_comms */
};

/* Where a file syscall's arguments are (bg_file_sys, by syscall number; -1 = absent). */
enum bg_fsys_flag {
	BG_FSYS_HOW = 1,	/* flags and mode in the struct open_how at the flags index (openat2) */
	BG_FSYS_FD = 2,		/* the object is the fd at index dfd (fchmod, fchown, ftruncate) */
	BG_FSYS_RAW2 = 4,	/* path2 is kept raw only, not a path (symlink target) */
	BG_FSYS_ALL = 8,	/* emit this syscall whatever the watch set (rules need every one, e.g. chmod) */
};

/*
 * How the file sensor finds the object a change syscall changed from the kernel's own objects
 * (the inodes whose ctime it updates, bpf/file/file.bpf.c bg_file_ctime): bg_fsys.res.
 */
enum bg_fsys_res {
	BG_RES_NONE = 0,	/* named from its argument text (or fd) only */
	BG_RES_OBJ = 1,		/* the inode it updates is the object (chmod, chown, truncate: symlinks followed) */
	BG_RES_NAMED = 2,	/* the updated inode whose name is the path's last component (unlink, rmdir) */
	BG_RES_RENAME = 3,	/* the same, and the new name is where that dentry moved (rename) */
	BG_RES_LINK = 4,	/* the same, and the new name is the inode's newest name (link) */
	BG_RES_CREATE = 5,	/* the inode created (no name until the call instantiates it: mkdir, symlink) */
};

struct bg_fsys {
	__u16 kind;		/* enum bg_kind: BG_EV_OPEN or BG_EV_FCHANGE */
	__u8 fl;		/* enum bg_fsys_flag bits */
	__s8 dfd;		/* arg index of path's dirfd (or the fd with BG_FSYS_FD) */
	__s8 path;		/* arg index of the path */
	__s8 dfd2;		/* arg index of path2's dirfd */
	__s8 path2;		/* arg index of the second path */
	__s8 flags;		/* arg index of the flags */
	__s8 mode;		/* arg index of the mode */
	__s8 owner;		/* arg index of the chown uid */
	__s8 group;		/* arg index of the chown gid */
	__u8 res;		/* enum bg_fsys_res */
	__u32 fixed_flags;	/* flags when the syscall takes none (creat) */
};
_Static_assert(sizeof(struct bg_fsys) == 16, "bg_fsys size");
_Static_assert(sizeof(struct bg_watch_key) == 260, "bg_watch_key size");
_Static_assert(sizeof(struct bg_name_key) == 64, "bg_name_key size");

/*
 * Seccomp denials of `bpfguard sandbox` (bpf/seccomp/seccomp.bpf.c): a syscall that exits without
 * having entered. Seccomp runs before the sys_enter tracepoint, so a call it refuses (ERRNO,
 * TRACE without a tracer, KILL, TRAP) shows only its sys_exit. Counted by number and result.
 */
struct bg_sc_key {
	__s32 nr;		/* syscall number (native table) */
	__s32 ret;		/* its return value: -errno for ERRNO and TRACE; for a kill, not meaningful */
};

enum bg_sc_limit {
	BG_SC_KEYS = 1024,	/* distinct (syscall, result) pairs counted per run */
};

_Static_assert(sizeof(struct bg_sc_key) == 8, "bg_sc_key size");

/*
 * Enforcement (bpf/lib/enforce.bpf.h): a kill/deny rule the kernel can decide holds a slot.
 * Exec kills: bg_enf_exe (exe path prefix or exact, like bg_watch_pfx keys) gives slot bits;
 * open kills: the slot bits sit in a watch entry's mode (BG_WATCH_KILLS); connect denies:
 * bpf/enforce/deny.bpf.c. A slot's remaining conditions are checked at the hook.
 */
enum bg_enf_limit {
	BG_ENF_SLOTS = 24,	/* kill rules decided in the kernel */
	BG_ENF_COMMS = 4,	/* process names a slot spares (or only targets) */
	BG_ENF_PIDS = 256,	/* protected processes (bpfguard, its parent chain) */
	BG_ENF_EXES = 256,	/* protected executables, by inode */
	BG_ENF_DENY = 1024,	/* connect deny entries */
};

enum bg_enf_mode {
	BG_ENF_OFF = 0,		/* slot unused */
	BG_ENF_AUDIT = 1,	/* decide and report, never act ("would have blocked") */
	BG_ENF_ENFORCE = 2,	/* act */
};

/* bg_exec.enforce, bg_file.enforce: slot + 1 in bits 0-7 (0: no slot matched), verdict in bits 8-15. */
enum bg_enf_verdict {
	BG_ENF_V_ACTED = 1 << 8,	/* SIGKILL sent (deny: the call refused) */
	BG_ENF_V_AUDIT = 1 << 9,	/* audit mode: would have acted */
	BG_ENF_V_PROTECTED = 1 << 10,	/* target protected (pid 1, kernel thread, bpfguard and its parents, protected exe) */
	BG_ENF_V_BUDGET = 1 << 11,	/* the slot's kill budget is spent: not acted */
	BG_ENF_V_FAILED = 1 << 12,	/* bpf_send_signal failed */
};

/* bg_enf_slot.access: bg_watch_mode bits, and this. */
enum bg_enf_access {
	BG_ENF_OK_ONLY = 0x80,	/* only a call that succeeded (the rule requires evt.res = SUCCESS) */
};

enum bg_enf_comm_how {
	BG_ENF_COMM_ANY = 0,	/* names unused */
	BG_ENF_COMM_SPARE = 1,	/* processes with one of the names are spared */
	BG_ENF_COMM_ONLY = 2,	/* only processes with one of the names are targets */
};

struct bg_enf_slot {
	__u8 mode;		/* enum bg_enf_mode */
	__u8 access;		/* open kills: enum bg_watch_mode bits the slot acts on; BG_ENF_OK_ONLY */
	__u8 comm_how;		/* enum bg_enf_comm_how */
	__u8 ncomm;		/* names used in comm[] */
	__u32 uid;		/* only this uid (cred->uid), 0xffffffff any */
	__u32 not_uid;		/* spare this uid, 0xffffffff none */
	__u32 budget;		/* kills per budget window (60 s); 0 unlimited */
	char comm[4][16];	/* BG_ENF_COMMS process names */
};

/* bg_enf_budget: kills in the current window of a slot (races between CPUs are benign). */
struct bg_enf_budget {
	__u64 window_ns;	/* boot-time start of the window */
	__u64 count;		/* kills in it */
};

/* Protected executable: its inode. */
struct bg_enf_exe_key {
	__u64 ino;
	__u32 dev;		/* super_block s_dev */
	__u32 _pad;
};

/* Connect deny (bpf/enforce/deny.bpf.c): destinations by address (LPM) -> slot bits; a slot adds port, protocol, names. */
struct bg_deny_key4 {
	__u32 prefixlen;	/* bits of addr */
	__u8 addr[4];		/* network order */
};

struct bg_deny_key6 {
	__u32 prefixlen;
	__u8 addr[16];
};

struct bg_deny_slot {
	__u8 mode;		/* enum bg_enf_mode */
	__u8 proto;		/* IPPROTO_TCP, IPPROTO_UDP, 0 any */
	__u8 nports;		/* ports used, 0 any port */
	__u8 comm_how;		/* enum bg_enf_comm_how */
	__u8 ncomm;
	__u8 _pad[3];
	__u16 ports[8];		/* destination ports, host order */
	char comm[4][16];
};

enum bg_deny_limit {
	BG_DENY_SLOTS = 24,	/* deny rules */
	BG_DENY_PORTS = 8,	/* ports per rule */
};

_Static_assert(sizeof(struct bg_enf_slot) == 80, "bg_enf_slot size");
_Static_assert(sizeof(struct bg_deny_slot) == 88, "bg_deny_slot size");

#endif /* BG_MAPS_ABI_H */
