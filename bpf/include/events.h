/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bpfguard kernel records: the one place their layout is declared.
 * User space reads these layouts from the compiled BTF (make gen), never from copies.
 *
 * Framing of every record in the ring buffer:
 *
 *   0               32                       sizeof(struct bg_<kind>)         hdr.size
 *   +---------------+------------------------+-------------------------------+
 *   | struct bg_hdr | fixed fields of <kind> | tail: variable-length bytes   |
 *   +---------------+------------------------+-------------------------------+
 *                      struct bg_blob {off, len} ---^  off is from the record start
 *
 * Strings in the tail are not NUL-terminated (len says how long); argv is the raw
 * NUL-separated arg area. A value cut short sets its BG_F_*_TRUNC flag.
 *
 * hdr.flags: one bit scheme per record family; the kind says which enum reads it. Families
 * reuse bits (bit 8 is BG_PF_NO_BEFORE on a priv record, BG_F_NET_PAYLOAD_TRUNC on a net one),
 * so a bit means nothing without the kind. Values never change: recorded records rely on them.
 *
 *   hdr.kind (enum bg_kind)              bits      enum(s) of hdr.flags
 *   ------------------------------------ --------- -------------------------------------------
 *   BG_EV_EXEC                           0-8       bg_flag
 *   BG_EV_FORK, BG_EV_EXIT               none      - (always 0)
 *   BG_EV_PRIV_CALL, _EXEC, _DRIFT       1, 8-12   bg_priv_flag, and BG_F_EXE_TRUNC of bg_flag
 *   BG_EV_OPEN, BG_EV_FCHANGE            0-10      bg_file_flag
 *   BG_EV_NET_CONNECT … BG_EV_NET_SEND   8-15      bg_net_flag
 *   BG_EV_SECCOMP                        1         BG_F_EXE_TRUNC of bg_flag
 *   BG_EV_KMOD … BG_EV_PROCMEM           1, 8-14   bg_act_flag
 *   BG_EV_AUDIT_CTL                      1, 8-12   bg_audit_flag
 *
 * Within a family a bit means the same on every kind; each flag's comment names the kinds
 * that can carry it.
 */
#ifndef BG_EVENTS_H
#define BG_EVENTS_H

/*
 * Kind numbers by domain: process 1-9, file 10-19, priv 20-29, net 30-39, syscalls 40-49,
 * acts on the kernel or another process 50-59.
 */
enum bg_kind {
	BG_EV_EXEC = 1,		/* process: execve/execveat, success (at sched_process_exec) or failure */
	BG_EV_FORK = 2,		/* process: a new process (not a thread) */
	BG_EV_EXIT = 3,		/* process: the last thread of a process exited */
	BG_EV_PRIV_CALL = 20,	/* priv: an identity syscall (setuid … capset) at exit, ok or failed */
	BG_EV_PRIV_EXEC = 21,	/* priv: an exec that changed effective ids or capabilities */
	BG_EV_PRIV_DRIFT = 22,	/* priv: credentials changed with no identity syscall or exec between */
	BG_EV_OPEN = 10,	/* file: open/openat/openat2/creat, success or failure */
	BG_EV_FCHANGE = 11,	/* file: unlink, rename, chmod, chown, link, symlink, mkdir, rmdir, truncate */
	BG_EV_NET_CONNECT = 30,	/* net: connect() exit (TCP attempt and, if known by then, outcome; UDP) */
	BG_EV_NET_ACCEPT = 31,	/* net: accept()/accept4() exit, the new connection */
	BG_EV_NET_OUTCOME = 32,	/* net: TCP connect outcome known after connect() returned */
	BG_EV_NET_CLOSE = 33,	/* net: a tracked TCP connection reached CLOSE */
	BG_EV_NET_LISTEN = 34,	/* net: listen() exit */
	BG_EV_NET_BIND = 35,	/* net: bind() exit */
	BG_EV_NET_SEND = 36,	/* net: first UDP sendto()/sendmsg() of a socket to a destination */
	BG_EV_SECCOMP = 40,	/* syscalls: a call a seccomp filter refused (exit) or killed (task exit) */
	BG_EV_KMOD = 50,	/* kernel: init_module/finit_module/delete_module exit, ok or failed */
	BG_EV_BPF = 51,		/* kernel: bpf() program load or attach exit, ok or failed */
	BG_EV_PTRACE = 52,	/* inject: ptrace() traceme, attach, seize, peek/poke/regs exit */
	BG_EV_PROCMEM = 53,	/* inject: process_vm_readv/process_vm_writev exit */
	BG_EV_AUDIT_CTL = 54,	/* kernel: an audit configuration message sent on a NETLINK_AUDIT
				 * socket (sendto/sendmsg exit), one record per message */
};

/* hdr.flags of BG_EV_EXEC records (bits 0-7); BG_F_EXE_TRUNC also on BG_EV_PRIV_* records. */
enum bg_flag {
	BG_F_ARGS_TRUNC = 1 << 0,	/* EXEC: argv over BG_ARGS_MAX bytes or BG_MAX_ARGS args */
	BG_F_EXE_TRUNC = 1 << 1,	/* EXEC, PRIV_*: exe path cut (too long or too deep) */
	BG_F_CWD_TRUNC = 1 << 2,	/* EXEC: cwd path cut */
	BG_F_ARGS_FAULT = 1 << 3,	/* EXEC: argv could not be read */
	BG_F_EXE_DELETED = 1 << 4,	/* EXEC: the executed file is unlinked (or memfd) */
	BG_F_ENV_TRUNC = 1 << 5,	/* EXEC: env scan cut (BG_ENV_MAX, BG_ENV_VARS or unreadable) */
	BG_F_CGROUP_TRUNC = 1 << 6,	/* EXEC: cgroup path cut from the top (deeper than
					 * BG_CGROUP_DEPTH, or a name over BG_CGROUP_NAME bytes) */
	BG_F_CGROUP1_TRUNC = 1 << 7,	/* EXEC: cgroup1 path cut the same way */
	BG_F_STDIN_TRUNC = 1 << 8,	/* EXEC: stdin_path cut (too long or too deep) */
};

/* What an fd of a new process is (bg_exec.stdio_kind), from its struct file's inode. */
enum bg_fd_kind {
	BG_FD_NONE = 0,		/* not open */
	BG_FD_FILE = 1,		/* regular file */
	BG_FD_PIPE = 2,		/* pipe or FIFO (S_IFIFO): stdio_ino is the pipe's, both ends share it */
	BG_FD_SOCK = 3,		/* socket, any family */
	BG_FD_TTY = 4,		/* terminal: char device of major 4, 5 or 136-143 (tty, ptmx, pts) */
	BG_FD_CHR = 5,		/* another char device (/dev/null …) */
	BG_FD_OTHER = 6,	/* directory, block device, anon inode … */
};

enum bg_limit {
	BG_ARGS_MAX = 4096,	/* bytes of the NUL-separated arg area kept */
	BG_MAX_ARGS = 128,	/* args decoded; more sets BG_F_ARGS_TRUNC */
	BG_PATH_MAX = 4096,	/* path buffer; a path keeps at most BG_PATH_MAX - 1 bytes */
	BG_PATH_DEPTH = 64,	/* path components walked */
	BG_TTY_MAX = 64,	/* tty name bytes */
	BG_REC_MAX = 16384,	/* largest record, header and tail included */
	BG_ENV_MAX = 1024,	/* bytes of NAME=value pairs kept from the environment */
	BG_ENV_VARS = 512,	/* environment strings scanned at exec; more sets BG_F_ENV_TRUNC */
	BG_ENV_NAMES = 8,	/* environment names looked for (cfg_env_names) */
	BG_ENV_NAME_MAX = 32,	/* bytes of each, "NAME=" with its NUL */
	BG_CGROUP_DEPTH = 6,	/* cgroup path components kept, the lowest (a container's are there) */
	BG_CGROUP_NAME = 128,	/* bytes of each component kept, its NUL included */
};

struct bg_hdr {
	__u16 kind;		/* enum bg_kind */
	__u16 flags;		/* bits of the kind's flags enum (table at the top) */
	__u32 size;		/* bytes, header and tail included */
	__u64 ktime_ns;		/* ns, CLOCK_BOOTTIME (bpf_ktime_get_boot_ns) */
	__u32 pid;		/* tgid, as user space calls it a pid */
	__u32 tid;		/* kernel task pid */
	__u64 cgroup_id;	/* cgroup v2 id of the task */
};
_Static_assert(sizeof(struct bg_hdr) == 32, "bg_hdr size");

struct bg_blob {
	__u16 off;		/* bytes from the record start */
	__u16 len;		/* bytes */
};

struct bg_exec {
	struct bg_hdr hdr;
	__u32 ppid;		/* real_parent->tgid */
	__u32 old_tid;		/* tid that called exec (a thread may exec) */
	__u32 uid;		/* cred->uid after exec */
	__u32 gid;		/* cred->gid */
	__u32 euid;		/* cred->euid */
	__u32 egid;		/* cred->egid */
	__u32 loginuid;		/* task->loginuid, 0xffffffff when unset */
	__u32 sid;		/* session id (signal->pids[PIDTYPE_SID]) */
	__s32 ret;		/* 0, or -errno for a failed exec */
	__u32 argc;		/* argument count the kernel saw (bprm->argc), before truncation */
	__u32 stdio_sock;	/* bit i set: fd i (0 stdin, 1 stdout, 2 stderr) is an inet socket */
	__u32 enforce;		/* kill in the kernel: slot + 1 | enum bg_enf_verdict (maps_abi.h); 0 none */
	__u64 start_ns;		/* ns, task->start_boottime */
	char comm[16];		/* task->comm after exec */
	struct bg_blob exe;	/* path: from bprm->file (success), the filename argument (failure) */
	struct bg_blob args;	/* NUL-separated argv: mm arg area (success), user argv (failure) */
	struct bg_blob cwd;	/* path: task->fs->pwd */
	struct bg_blob tty;	/* signal->tty->name, empty without a tty */
	struct bg_blob script;	/* bprm->filename when a binfmt handler (#!) put an interpreter (exe) in
				 * its place: the script as exec was given it; empty otherwise */
	struct bg_blob env;	/* NUL-separated NAME=value of the variables in cfg_env_names found in
				 * the new mm's env area (success only) */
	__u8 stdio_kind[4];	/* enum bg_fd_kind of fds 0, 1, 2 at exec; [3] is 0 */
	__u32 _pad;
	__u64 stdio_ino[3];	/* inode number of fds 0, 1, 2 (a pipe's is shared by both its ends) */
	__u32 vpid;		/* pid in its own pid namespace: thread_pid->numbers[level].nr */
	__u32 pidns;		/* inode number of its pid namespace: thread_pid->numbers[level].ns */
	__u32 mntns;		/* inode number of its mount namespace: nsproxy->mnt_ns->ns.inum */
	struct bg_blob cgroup;	/* path: cgroups->dfl_cgrp (cgroup v2), kernfs names from its root
				 * ("/" for the root), at most the last BG_CGROUP_DEPTH */
	struct bg_blob cgroup1;	/* path: the cgroup of the first v1 hierarchy of the pids, memory and
				 * cpu controllers (subsys[id]->cgroup), as cgroup; empty when all three
				 * are on v2 or absent */
	struct bg_blob stdin_path;	/* path: the file on fd 0 at exec when it is a regular file
					 * (stdio_kind[0] BG_FD_FILE: `sh < /tmp/x.sh`), from its struct
					 * file; empty otherwise and for a failed exec */
};
_Static_assert(sizeof(struct bg_exec) == 184, "bg_exec size");

struct bg_fork {
	struct bg_hdr hdr;	/* pid/tid: the child */
	__u32 ppid;		/* parent tgid */
	__u32 parent_tid;	/* parent task pid */
	__u64 start_ns;		/* ns, child->start_boottime */
	char comm[16];		/* child comm (inherited) */
	__u32 vpid;		/* child pid in its own pid namespace: thread_pid->numbers[level].nr */
	__u32 pidns;		/* inode number of the child's pid namespace */
	__u32 mntns;		/* inode number of the child's mount namespace (nsproxy->mnt_ns) */
	__u32 _pad;
};
_Static_assert(sizeof(struct bg_fork) == 80, "bg_fork size");

struct bg_exit {
	struct bg_hdr hdr;	/* pid: the process; tid: its last thread */
	__u32 ppid;		/* real_parent->tgid */
	__u32 exit_code;	/* raw wait status: (code << 8) | signal, 0x80 = core */
	__u64 start_ns;		/* ns, task->start_boottime */
	char comm[16];		/* task->comm */
};
_Static_assert(sizeof(struct bg_exit) == 64, "bg_exit size");

/*
 * hdr.flags of BG_EV_PRIV_CALL, _PRIV_EXEC and _PRIV_DRIFT records: these bits (8-15) and
 * BG_F_EXE_TRUNC of bg_flag (0-7), the exe blob cut.
 */
enum bg_priv_flag {
	BG_PF_NO_BEFORE = 1 << 8,	/* CALL, EXEC: no sys_enter seen: old = the expected creds */
	BG_PF_SETUID_FILE = 1 << 9,	/* EXEC: the executed file has S_ISUID */
	BG_PF_SETGID_FILE = 1 << 10,	/* EXEC: the executed file has S_ISGID */
	BG_PF_USERNS = 1 << 11,		/* CALL, EXEC, DRIFT: cred->user_ns changed (ids in a new ns) */
	BG_PF_IA32 = 1 << 12,		/* CALL: a 32-bit (ia32) syscall; nr is the 64-bit number of the same call */
};

/* Where a credential check ran (bg_priv.site). */
enum bg_priv_site {
	BG_PS_SYSCALL = 1,	/* an identity syscall's exit (bg_priv.nr) */
	BG_PS_ENTER = 2,	/* sys_enter of an identity syscall or exec (bg_priv.nr) */
	BG_PS_CHECK = 3,	/* exit of a common syscall with a cheap check (bg_priv.nr) */
	BG_PS_EXEC = 4,		/* sched_process_exec */
	BG_PS_FORK = 5,		/* sched_process_fork (the parent) */
	BG_PS_EXIT = 6,		/* sched_process_exit */
};

/* One task's credentials, from task->real_cred (the objective creds). */
struct bg_creds {
	__u32 uid;		/* cred->uid, in the initial user ns */
	__u32 euid;		/* cred->euid */
	__u32 suid;		/* cred->suid */
	__u32 fsuid;		/* cred->fsuid */
	__u32 gid;		/* cred->gid */
	__u32 egid;		/* cred->egid */
	__u32 sgid;		/* cred->sgid */
	__u32 fsgid;		/* cred->fsgid */
	__u64 cap_eff;		/* bit mask of CAP_*, cred->cap_effective */
	__u64 cap_prm;		/* bit mask of CAP_*, cred->cap_permitted */
	__u32 userns;		/* inode number of cred->user_ns */
	__u32 ngroups;		/* cred->group_info->ngroups */
};
_Static_assert(sizeof(struct bg_creds) == 56, "bg_creds size");

/*
 * Priv record, one layout for BG_EV_PRIV_CALL, _EXEC and _DRIFT. For DRIFT, old holds the
 * expected creds (last seen at an exec or identity syscall) and new the actual ones.
 */
struct bg_priv {
	struct bg_hdr hdr;
	__u32 nr;		/* syscall number (CALL, DRIFT at a syscall); 0 otherwise */
	__s32 ret;		/* CALL: return value, 0 or -errno; otherwise 0 */
	__u32 arg[3];		/* CALL: ids as requested, syscall args 1-3 (setgroups: size) */
	__u32 site;		/* enum bg_priv_site: where the creds were compared */
	__u64 req_eff;		/* capset: effective set requested, user datap[0..1] read at exit */
	__u64 req_prm;		/* capset: permitted set requested, same source */
	struct bg_creds old;	/* before: at sys_enter (CALL, EXEC) or expected (DRIFT) */
	struct bg_creds new;	/* after: at sys_exit / sched_process_exec / now (DRIFT) */
	__u32 ppid;		/* real_parent->tgid */
	__u32 file_uid;		/* EXEC: owner uid of bprm->file's inode */
	__u32 file_gid;		/* EXEC: owner gid of the inode */
	__u16 file_mode;	/* EXEC: inode i_mode (type and permission bits) */
	__u16 _pad;
	char comm[16];		/* task->comm (after exec for EXEC) */
	struct bg_blob exe;	/* path: bprm->file (EXEC), mm->exe_file otherwise */
	__u32 _pad2;
};
_Static_assert(sizeof(struct bg_priv) == 224, "bg_priv size");
/* hdr.flags of BG_EV_OPEN and BG_EV_FCHANGE records (bits 0-13; no other enum's bits). */
enum bg_file_flag {
	BG_FF_NAME_FILE = 1 << 0,	/* OPEN, FCHANGE: name is the struct file's path (else from raw) */
	BG_FF_NAME_TRUNC = 1 << 1,	/* OPEN, FCHANGE: name cut (over BG_PATH_MAX - 1 or too deep) */
	BG_FF_NAME2_TRUNC = 1 << 2,	/* FCHANGE: name2 cut */
	BG_FF_RAW_FAULT = 1 << 3,	/* OPEN, FCHANGE: a path argument could not be read (user memory) */
	BG_FF_NAME_DIRFD = 1 << 4,	/* OPEN, FCHANGE: relative raw joined to the dirfd's path (else cwd) */
	BG_FF_NO_FILE = 1 << 5,	/* OPEN: the fd was gone at exit (another thread closed it): name from raw */
	BG_FF_NAME_DEEP = 1 << 6,	/* OPEN, FCHANGE: name too deep to normalise in the kernel: sent unnormalised
					 * whatever the watch set (user space normalises it) */
	BG_FF_NAME2_DEEP = 1 << 7,	/* FCHANGE: the same for name2 */
	BG_FF_IO_URING = 1 << 8,	/* OPEN, FCHANGE: submitted through io_uring (IORING_OP_OPENAT/OPENAT2,
					 * RENAMEAT, UNLINKAT, LINKAT, MKDIRAT, SYMLINKAT), sent at its completion */
	BG_FF_IA32 = 1 << 9,		/* OPEN, FCHANGE: a 32-bit (ia32) syscall; sysnr is the 64-bit number of the same call */
	BG_FF_MNT_FOREIGN = 1 << 10,	/* OPEN: the opened file's mount is not in the caller's mount namespace
					 * (reached through /proc/PID/root or an fd from elsewhere): name is
					 * its path in the namespace that mount belongs to */
	BG_FF_URING_SUBMIT = 1 << 11,	/* OPEN, FCHANGE (with BG_FF_IO_URING): sent at the request's submission,
					 * its outcome unknown (ret 0): it asked for no completion on success
					 * (IOSQE_CQE_SKIP_SUCCESS), its completion queue was full, or the
					 * pending table was full */
	BG_FF_NAME_REAL = 1 << 12,	/* FCHANGE: name is the path of the dentry the kernel changed (not the
					 * argument text): symlinked directories and ".." resolved */
	BG_FF_NAME2_REAL = 1 << 13,	/* FCHANGE: the same for name2 (rename: where the dentry moved; link: the new name) */
};

/*
 * A file operation at syscall exit. name/name2 are absolute: the opened struct file's path
 * (open success; fchmod/fchown/ftruncate), otherwise the raw argument joined to the dirfd's or
 * cwd's path without resolving "." , ".." or symlinks (the object may be gone, e.g. unlink).
 */
struct bg_file {
	struct bg_hdr hdr;
	__u32 sysnr;		/* syscall number (pt_regs orig_ax / syscallno) */
	__s32 ret;		/* return value: fd or 0; -errno on failure */
	__u32 uid;		/* cred->uid */
	__u32 gid;		/* cred->gid */
	__u32 oflags;		/* flags argument, raw: O_* (opens; creat: O_CREAT|O_WRONLY|O_TRUNC), AT_*, RENAME_* */
	__u32 mode;		/* mode argument, raw: create/mkdir/chmod mode bits; 0 when none */
	__u32 owner;		/* chown uid argument; 0xffffffff unchanged or none */
	__u32 group;		/* chown gid argument; 0xffffffff unchanged or none */
	__s32 dirfd;		/* dirfd (or fd) argument; -100 (AT_FDCWD) when none */
	__u16 watch;		/* enum bg_watch_mode bits (READ, WRITE) of the watch entry that matched; 0 in all mode */
	__u16 enforce;		/* kill in the kernel (opens): slot + 1 | enum bg_enf_verdict (maps_abi.h); 0 none */
	char comm[16];		/* task->comm */
	struct bg_blob name;	/* absolute path (see above) */
	struct bg_blob raw;	/* path argument as passed: user memory at exit */
	struct bg_blob name2;	/* second path built like name: rename/link new name */
	struct bg_blob raw2;	/* second argument as passed: new name, or the symlink target */
	__u64 ino;		/* OPEN success: the opened struct file's inode number (f_inode->i_ino);
				 * FCHANGE with BG_FF_NAME_REAL: the changed (or created) inode's; else 0 */
	__u32 dev;		/* its superblock's device (i_sb->s_dev, kernel encoding major << 20 |
				 * minor; user space converts to stat()'s st_dev); 0 when ino is */
	__u32 _pad;
};
_Static_assert(sizeof(struct bg_file) == 120, "bg_file size");
/* hdr.flags of BG_EV_NET_CONNECT … BG_EV_NET_SEND records (bits 8-15; no other enum's bits). */
enum bg_net_flag {
	BG_F_NET_PAYLOAD_TRUNC = 1 << 8,	/* SEND: datagram over BG_NET_PAYLOAD_MAX bytes */
	BG_F_NET_PAYLOAD_FAULT = 1 << 9,	/* SEND: the user buffer could not be read */
	BG_F_NET_DST_FROM_SKB = 1 << 10,	/* SEND: destination from the datagram's IP header */
	BG_F_NET_INBOUND = 1 << 11,	/* ACCEPT, CLOSE: an accepted connection (accept, its close) */
	BG_F_NET_DENY = 1 << 12,	/* CONNECT, SEND: from the deny hook (cgroup connect/sendmsg), enforce says what it did */
	BG_F_NET_IO_URING = 1 << 13,	/* CONNECT, ACCEPT, SEND: submitted through io_uring (IORING_OP_CONNECT/ACCEPT,
					 * SEND/SENDMSG and their _ZC forms), at its completion */
	BG_F_NET_IA32 = 1 << 14,	/* CONNECT, ACCEPT, LISTEN, BIND, SEND: a 32-bit (ia32) syscall (socketcall too) */
	BG_F_NET_URING_SUBMIT = 1 << 15,	/* SEND with BG_F_NET_IO_URING: reported at its submission (no
					 * completion will come: IOSQE_CQE_SKIP_SUCCESS, or a full
					 * completion queue), ret 0, outcome unknown */
};

/* Where a connection stands (bg_net.state). */
enum bg_net_state {
	BG_NS_NONE = 0,		/* not applicable (UDP, bind) */
	BG_NS_ESTABLISHED = 1,	/* TCP handshake completed */
	BG_NS_IN_PROGRESS = 2,	/* SYN sent, outcome follows as BG_EV_NET_OUTCOME */
	BG_NS_REFUSED = 3,	/* sk_err ECONNREFUSED (RST to the SYN) */
	BG_NS_TIMEOUT = 4,	/* sk_err ETIMEDOUT (no answer to the SYNs) */
	BG_NS_ERROR = 5,	/* any other failure; ret says which */
	BG_NS_CLOSED = 6,	/* connection reached TCP_CLOSE */
	BG_NS_LISTEN = 7,	/* listening */
};

enum bg_net_limit {
	BG_NET_PAYLOAD_MAX = 512,	/* bytes of a DNS (port 53) datagram kept for display */
};

/*
 * One layout for every network record. Addresses come from struct sock (UDP without a
 * connected peer: from the datagram's IP header). The owner (hdr.pid/tid/cgroup_id, uid,
 * comm, start_ns) is the process that connected or accepted, recorded then in process
 * context; outcome and close records carry it, never the task that happens to run.
 */
struct bg_net {
	struct bg_hdr hdr;	/* pid/tid/cgroup_id: the socket's owner (see above) */
	__u32 uid;		/* owner cred->uid */
	__s32 ret;		/* syscall return (0, bytes, -errno); outcome/close: -sk_err */
	__u64 start_ns;		/* ns, owner task->start_boottime */
	__u64 conn_id;		/* bpfguard id of the tracked TCP socket (connect..close), 0 if none */
	__u64 duration_ns;	/* close: ns, established (or accepted) to close; else 0 */
	__u64 bytes_sent;	/* close: bytes, tcp_sock->bytes_acked (sequence space: data + SYN/FIN) */
	__u64 bytes_received;	/* close: bytes, tcp_sock->bytes_received (data + FIN) */
	__u8 saddr[16];		/* local address, network order: skc_rcv_saddr (4 bytes) or skc_v6_rcv_saddr */
	__u8 daddr[16];		/* remote address, network order: skc_daddr or skc_v6_daddr */
	__u16 sport;		/* local port, host order: inet_sock->inet_sport */
	__u16 dport;		/* remote port, host order: skc_dport */
	__u16 family;		/* AF_INET (2) or AF_INET6 (10): skc_family */
	__u8 proto;		/* IPPROTO_TCP (6) or IPPROTO_UDP (17): sk_protocol */
	__u8 state;		/* enum bg_net_state */
	__s32 fd;		/* the syscall's fd (accept: the new fd); -1 for outcome/close */
	__u32 enforce;		/* BG_F_NET_DENY records: slot + 1 | enum bg_enf_verdict; else 0 */
	char comm[16];		/* owner task->comm */
	struct bg_blob payload;	/* UDP to port 53: first bytes of the datagram (user buffer, display only) */
	__u32 _pad2;
};
_Static_assert(sizeof(struct bg_net) == 152, "bg_net size");

/* What the seccomp filter did to the call (bg_seccomp.action), as seen from outside it. */
enum bg_sc_action {
	BG_SCA_ERRNO = 1,	/* SECCOMP_RET_ERRNO: the call failed with ret = -errno without running */
	BG_SCA_TRAP = 2,	/* SECCOMP_RET_TRAP: not run, SIGSYS (si_code SYS_SECCOMP) sent */
	BG_SCA_KILL_THREAD = 3,	/* SECCOMP_RET_KILL_THREAD: the thread ended, the process lives on */
	BG_SCA_KILL_PROCESS = 4,	/* SECCOMP_RET_KILL_PROCESS, or KILL_THREAD of the last thread
					 * (the kernel then ends the whole process with SIGSYS) */
	BG_SCA_SKIPPED = 5,	/* not run, no errno and no SIGSYS: a user_notif reply or a tracer's */
};

/* The syscall table the number belongs to (bg_seccomp.arch). */
enum bg_sc_arch {
	BG_SC_ARCH_X86_64 = 1,	/* x86-64 */
	BG_SC_ARCH_I386 = 2,	/* 32-bit x86 (a compat task, or int $0x80 from a 64-bit one) */
	BG_SC_ARCH_X32 = 3,	/* x32 ABI (x86-64 number with __X32_SYSCALL_BIT, 0x40000000) */
	BG_SC_ARCH_AARCH64 = 4,	/* arm64 */
};

/*
 * A seccomp violation. Errno, trap and skipped calls: at the sys_exit of a call of a filtered
 * task whose sys_enter never fired (seccomp runs first). Kills: at the killed thread's exit
 * (seccomp mode SECCOMP_MODE_DEAD), registers from its pt_regs.
 */
struct bg_seccomp {
	struct bg_hdr hdr;
	__s32 nr;		/* syscall number in arch's table (pt_regs orig_ax / syscallno) */
	__u32 arch;		/* enum bg_sc_arch */
	__s64 ret;		/* what the call returned: -errno (ERRNO), the number (TRAP); 0 (kills) */
	__u64 args[6];		/* raw argument registers of the call, in arch's calling convention */
	__u32 action;		/* enum bg_sc_action */
	__u32 uid;		/* real_cred->uid */
	__u32 ppid;		/* real_parent->tgid */
	__u32 _pad;
	char comm[16];		/* task->comm */
	struct bg_blob exe;	/* path: mm->exe_file (empty when the mm is gone) */
	__u32 _pad2;
};
_Static_assert(sizeof(struct bg_seccomp) == 136, "bg_seccomp size");

/* hdr.flags of struct bg_act records (BG_EV_KMOD, BG_EV_BPF, BG_EV_PTRACE, BG_EV_PROCMEM). */
enum bg_act_flag {
	BG_AF_EXE_TRUNC = 1 << 1,	/* all: exe path cut (the bit of BG_F_EXE_TRUNC) */
	BG_AF_TARGET = 1 << 8,		/* PTRACE, PROCMEM: the target task was found at exit (t* set) */
	BG_AF_EXACT = 1 << 9,		/* PTRACE: the target is the caller's tracee (task->parent), not
					 * only the task its pid names at exit */
	BG_AF_OWN = 1 << 10,		/* PTRACE, PROCMEM: the target is the caller's process or a
					 * descendant of it (real_parent chain, BG_ACT_DEPTH levels) */
	BG_AF_OTHER_USER = 1 << 11,	/* PTRACE, PROCMEM: target real uid != caller's real uid */
	BG_AF_NAME_TRUNC = 1 << 12,	/* KMOD, BPF: name cut */
	BG_AF_NAME_USER = 1 << 13,	/* KMOD, BPF: name read from user memory (delete_module's name, a
					 * failed load's attr), not from a kernel object */
	BG_AF_TEXE_TRUNC = 1 << 14,	/* PTRACE, PROCMEM: target exe path cut */
};

enum bg_act_limit {
	BG_ACT_DEPTH = 16,	/* real_parent levels walked to tell a descendant */
	BG_ACT_NAME_MAX = 256,	/* bytes of a name from user memory (delete_module) */
};

/*
 * An act on the kernel (module load or unload, BPF program load or attach) or on another
 * process (ptrace, process_vm_readv/writev), at the syscall's exit with its result. Read at
 * exit from kernel objects: the finit_module file (its fd), the loaded or attached bpf_prog (its
 * fd), the target task (the caller's tracee; else the task its pid names in the caller's pid
 * namespace, bpf_task_from_vpid). Parameters, in order: nr, op, ret, arg, aux, uid, ppid, tpid,
 * ttid, tuid, comm, tcomm, exe, name, texe.
 */
struct bg_act {
	struct bg_hdr hdr;
	__s32 nr;		/* syscall number */
	__u32 op;		/* KMOD: flags argument; BPF: cmd; PTRACE: request; PROCMEM: 0 */
	__s64 ret;		/* return value (-errno on failure) */
	__u64 arg;		/* KMOD: init_module image bytes; BPF: prog type; PTRACE: addr;
				 * PROCMEM: remote iovec count */
	__u32 aux;		/* BPF: attach type (PROG_ATTACH, LINK_CREATE); else 0 */
	__u32 uid;		/* real_cred->uid */
	__u32 ppid;		/* real_parent->tgid */
	__u32 tpid;		/* target tgid (0: no target) */
	__u32 ttid;		/* target task pid; PTRACE, PROCMEM: the pid argument when not found */
	__u32 tuid;		/* target real_cred->uid */
	char comm[16];		/* task->comm */
	char tcomm[16];		/* target task->comm */
	struct bg_blob exe;	/* path: mm->exe_file */
	struct bg_blob name;	/* KMOD: finit file path or delete name; BPF: program name */
	struct bg_blob texe;	/* path: target mm->exe_file */
	__u32 _pad;
};
_Static_assert(sizeof(struct bg_act) == 128, "bg_act size");

/* hdr.flags of struct bg_audit_ctl records (BG_EV_AUDIT_CTL). */
enum bg_audit_flag {
	BG_AUF_EXE_TRUNC = 1 << 1,	/* exe path cut (the bit of BG_F_EXE_TRUNC) */
	BG_AUF_ACK = 1 << 8,		/* err holds the kernel's answer, read from its NLMSG_ERROR ack
					 * queued on the sender's socket (kernel memory) */
	BG_AUF_BODY = 1 << 9,		/* AUDIT_SET, AUDIT_TTY_SET, AUDIT_SET_FEATURE: the values were
					 * read (from the caller's memory at exit) */
	BG_AUF_MORE = 1 << 10,		/* the send held more than BG_AUDIT_MSGS_MAX messages: this is the
					 * first one not walked; it and those after it are not reported */
	BG_AUF_IOV = 1 << 11,		/* sendmsg with more than one iovec: only the first was read */
	BG_AUF_TYPE_USER = 1 << 12,	/* no ack matched: type and seq are from the caller's memory only */
};

enum bg_audit_limit {
	BG_AUDIT_MSGS_MAX = 8,		/* netlink messages walked in one send */
	BG_AUDIT_ACKS_MAX = 8,		/* queued skbs searched (from the tail) for a message's ack */
};

/*
 * An audit configuration message (include/uapi/linux/audit.h: AUDIT_SET, AUDIT_ADD_RULE,
 * AUDIT_DEL_RULE, AUDIT_TRIM, AUDIT_MAKE_EQUIV, AUDIT_TTY_SET, AUDIT_SET_FEATURE, and the
 * refused old AUDIT_ADD/AUDIT_DEL) sent by sendto()/sendmsg() on a NETLINK_AUDIT socket, at the
 * syscall's exit. The kernel handles the message inside the call, so at exit its answer is the
 * NLMSG_ERROR ack on the sender's socket (err, BG_AUF_ACK; a message without NLM_F_ACK that
 * succeeded has none). The message (type, seq, values) is read from the caller's buffer at exit:
 * the kernel keeps no copy of it (the ack copies the header). Parameters, in order: nr, type,
 * nlflags, ret, err, seq, mask, enabled, failure, pid, rate_limit, backlog_limit,
 * backlog_wait_time, uid, ppid, index, comm, exe.
 */
struct bg_audit_ctl {
	struct bg_hdr hdr;
	__s32 nr;		/* syscall number (sendto, sendmsg) */
	__u16 type;		/* nlmsg_type (AUDIT_SET = 1001 …) */
	__u16 nlflags;		/* nlmsg_flags (NLM_F_ACK …) */
	__s64 ret;		/* syscall return value: bytes sent, or -errno */
	__s32 err;		/* the kernel's answer: 0 done, -errno refused (BG_AUF_ACK) */
	__u32 seq;		/* nlmsg_seq */
	__u32 mask;		/* AUDIT_SET: audit_status.mask (AUDIT_STATUS_*); SET_FEATURE: mask */
	__u32 enabled;		/* AUDIT_SET: enabled (0 off, 1 on, 2 locked); TTY_SET: enabled;
				 * SET_FEATURE: features */
	__u32 failure;		/* AUDIT_SET: failure mode (0 silent, 1 printk, 2 panic);
				 * SET_FEATURE: lock */
	__u32 pid;		/* AUDIT_SET: the audit daemon's pid to set (0: none) */
	__u32 rate_limit;	/* AUDIT_SET: messages per second (0: unlimited) */
	__u32 backlog_limit;	/* AUDIT_SET: queued records */
	__u32 backlog_wait_time;	/* AUDIT_SET: jiffies */
	__u32 uid;		/* real_cred->uid */
	__u32 ppid;		/* real_parent->tgid */
	__u16 index;		/* the message's place in the send (0 first) */
	__u16 _pad0;
	char comm[16];		/* task->comm */
	struct bg_blob exe;	/* path: mm->exe_file */
	__u32 _pad;
};
_Static_assert(sizeof(struct bg_audit_ctl) == 120, "bg_audit_ctl size");

#endif /* BG_EVENTS_H */
