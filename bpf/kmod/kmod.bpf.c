// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel sensor: acts that change what runs in the kernel, at the syscall's exit with the
 * result, attempts included (a refused module load is still an attack signal).
 *  - modules: init_module (the image is in user memory: its size, no name), finit_module (the
 *    path of the file its fd names), delete_module (the name, from user memory);
 *  - BPF: bpf(BPF_PROG_LOAD) and the attaches (BPF_PROG_ATTACH, BPF_LINK_CREATE,
 *    BPF_RAW_TRACEPOINT_OPEN) by any process but this bpfguard (cfg_self_tgid): program type and
 *    name from the loaded or attached struct bpf_prog (its fd); a failed load's from its attr.
 *
 * Parameters of struct bg_act, in order: nr, op (flags; bpf cmd), ret, arg (image bytes; prog
 * type), aux (attach type), uid, ppid, comm, exe, name (file path, module name, program name).
 */
#include "lib/act.bpf.h"

char LICENSE[] SEC("license") = "GPL";

/* This bpfguard's tgid: its own loads and attaches are not reported (counted filtered). */
const volatile __u32 cfg_self_tgid = 0;

enum {
	/* include/uapi/linux/bpf.h enum bpf_cmd */
	BG_BPF_PROG_LOAD = 5,
	BG_BPF_PROG_ATTACH = 8,
	BG_BPF_RAW_TRACEPOINT_OPEN = 17,
	BG_BPF_LINK_CREATE = 28,
};

/* init_module(umod, len, uargs): the image's size; its name is inside the image. */
SEC("tp_btf/sys_exit")
int BPF_PROG(bg_kmod_init, struct pt_regs *regs, long ret)
{
	struct bg_act *r = act__begin(BG_EV_KMOD, compat__syscall_nr(regs), ret);

	if (!r)
		return 0;
	r->arg = PT_REGS_PARM2_CORE_SYSCALL(regs);
	act__finish(r);
	return 0;
}

/* finit_module(fd, uargs, flags): the path of the module file. */
SEC("tp_btf/sys_exit")
int BPF_PROG(bg_kmod_finit, struct pt_regs *regs, long ret)
{
	struct bg_act *r = act__begin(BG_EV_KMOD, compat__syscall_nr(regs), ret);
	struct file *f;

	if (!r)
		return 0;
	r->op = PT_REGS_PARM3_CORE_SYSCALL(regs);
	f = task__file(bpf_get_current_task_btf(), PT_REGS_PARM1_CORE_SYSCALL(regs));
	if (f)
		path__tail(r, &r->name, f->f_path.mnt, f->f_path.dentry, BG_AF_NAME_TRUNC);
	act__finish(r);
	return 0;
}

/* delete_module(name, flags): the name as given (user memory: the module may not exist). */
SEC("tp_btf/sys_exit")
int BPF_PROG(bg_kmod_delete, struct pt_regs *regs, long ret)
{
	struct bg_act *r = act__begin(BG_EV_KMOD, compat__syscall_nr(regs), ret);

	if (!r)
		return 0;
	r->op = PT_REGS_PARM2_CORE_SYSCALL(regs);
	emit__tail_str(r, &r->name, (void *)PT_REGS_PARM1_CORE_SYSCALL(regs), BG_ACT_NAME_MAX, 1);
	r->hdr.flags |= BG_AF_NAME_USER;
	act__finish(r);
	return 0;
}

/* Type and name of the program behind a prog fd (the kernel accepted it: ret >= 0). */
static __always_inline void bpf__prog_of(struct bg_act *r, __s32 fd)
{
	struct file *f = task__file(bpf_get_current_task_btf(), fd);
	struct bpf_prog *p;

	if (!f)
		return;
	p = bg_cast(f->private_data, struct bpf_prog);
	r->arg = p->type;
	emit__tail_str(r, &r->name, p->aux->name, sizeof(p->aux->name), 0);
}

/* A failed load: type and name from the caller's attr (user memory). */
static __always_inline void bpf__attr_of(struct bg_act *r, union bpf_attr *ua)
{
	__u32 type = 0;

	bpf_probe_read_user(&type, sizeof(type), &ua->prog_type);
	r->arg = type;
	emit__tail_str(r, &r->name, ua->prog_name, sizeof(ua->prog_name), 1);
	r->hdr.flags |= BG_AF_NAME_USER;
}

/* The prog fd and attach type of an attach command, from its attr (user memory). */
static __always_inline __s32 bpf__attach_fd(struct bg_act *r, __u32 cmd, union bpf_attr *ua)
{
	__u32 v[3] = {};

	bpf_probe_read_user(v, sizeof(v), ua);
	if (cmd == BG_BPF_PROG_ATTACH) {
		r->aux = v[2];
		return v[1];	/* target_fd, attach_bpf_fd, attach_type */
	}
	if (cmd == BG_BPF_LINK_CREATE) {
		r->aux = v[2];
		return v[0];	/* prog_fd, target_fd, attach_type */
	}
	return v[2];		/* raw_tracepoint: name (u64), prog_fd */
}

/* bpf(cmd, attr, size): program loads and attaches; every other command is filtered. */
SEC("tp_btf/sys_exit")
int BPF_PROG(bg_bpf_exit, struct pt_regs *regs, long ret)
{
	__u32 cmd = PT_REGS_PARM1_CORE_SYSCALL(regs);
	union bpf_attr *ua = (void *)PT_REGS_PARM2_CORE_SYSCALL(regs);
	struct bg_act *r;
	__s32 fd;

	if ((cmd != BG_BPF_PROG_LOAD && cmd != BG_BPF_PROG_ATTACH && cmd != BG_BPF_LINK_CREATE &&
	     cmd != BG_BPF_RAW_TRACEPOINT_OPEN) || (bpf_get_current_pid_tgid() >> 32) == cfg_self_tgid) {
		stats__inc(BG_STAT_FILTERED);
		return 0;
	}
	r = act__begin(BG_EV_BPF, compat__syscall_nr(regs), ret);
	if (!r)
		return 0;
	r->op = cmd;
	if (cmd == BG_BPF_PROG_LOAD) {
		if (ret >= 0)
			bpf__prog_of(r, ret);
		else
			bpf__attr_of(r, ua);
	} else {
		fd = bpf__attach_fd(r, cmd, ua);
		if (ret >= 0)
			bpf__prog_of(r, fd);
	}
	act__finish(r);
	return 0;
}
