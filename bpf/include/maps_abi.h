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

/* File sensor: what a watch entry (bg_watch_pfx, bg_watch_name) covers. */
enum bg_watch_mode {
	BG_WATCH_READ = 1,	/* opens for reading */
	BG_WATCH_WRITE = 2,	/* opens for writing, creating or truncating; every change */
};

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

/* Which lengths the watched names have (bit n: some name of n bytes): most names skip the lookup. */
struct bg_watch_lens {
	__u64 base;		/* BG_WATCH_BASE names */
	__u64 dir;		/* BG_WATCH_DIR names */
};

/* Network sensor filter from the rules (bg_net_filter[0]); all zero emits everything. */
struct bg_net_filter {
	__u32 skip;		/* record kinds not to emit: bit kind - BG_EV_NET_CONNECT */
	__u32 by_comm;		/* 1: emit in process context only when the process name is in bg_net_comms */
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
	__u8 _pad;
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

#endif /* BG_MAPS_ABI_H */
