/** @module rules/fields/kernel: fields of acts on the kernel: module loads and unloads (kmod.*), BPF program loads and attaches (bpf.*). */
import { defineFields } from './registry.js';
import type { EvalCtx } from '../context.js';
import type { ActEvent } from '../../events/types.js';
import { BgActFlag } from '../../events/generated/layouts.js';

/** include/uapi/linux/bpf.h enum bpf_cmd: the commands the kernel sensor reports. */
const BPF_CMDS: Readonly<Record<number, string>> = { 5: 'prog_load', 8: 'prog_attach', 17: 'raw_tracepoint_open', 28: 'link_create' };

/** include/uapi/linux/bpf.h enum bpf_prog_type, by value (BPF_PROG_TYPE_ dropped, lowercase). */
const PROG_TYPES = [
	'unspec', 'socket_filter', 'kprobe', 'sched_cls', 'sched_act', 'tracepoint', 'xdp', 'perf_event', 'cgroup_skb', 'cgroup_sock', 'lwt_in',
	'lwt_out', 'lwt_xmit', 'sock_ops', 'sk_skb', 'cgroup_device', 'sk_msg', 'raw_tracepoint', 'cgroup_sock_addr', 'lwt_seg6local', 'lirc_mode2',
	'sk_reuseport', 'flow_dissector', 'cgroup_sysctl', 'raw_tracepoint_writable', 'cgroup_sockopt', 'tracing', 'struct_ops', 'ext', 'lsm', 'sk_lookup',
	'syscall', 'netfilter',
];

const kmod = (c: EvalCtx): ActEvent | undefined => (c.e.kind === 'kmod' ? c.e : undefined);
const bpf = (c: EvalCtx): ActEvent | undefined => (c.e.kind === 'bpf' ? c.e : undefined);
const isLoad = (e: ActEvent): boolean => e.syscall !== 'delete_module';

/** A module file's name without its directory and .ko (and compression) suffix, as the kernel names the module. */
export function moduleNameOf(path: string): string {
	const base = path.slice(path.lastIndexOf('/') + 1);
	return base.replace(/\.ko(\.(xz|zst|gz))?$/, '').replace(/-/g, '_');
}

defineFields([
	{ name: 'kmod.op', type: 'string', sensor: 'kernel', desc: 'load (init_module, finit_module) or unload (delete_module); attempts too: evt.res tells whether the kernel took it', extract: (c) => (kmod(c) ? (isLoad(kmod(c)!) ? 'load' : 'unload') : undefined) },
	{
		name: 'kmod.name',
		type: 'string',
		sensor: 'kernel',
		desc: "the module's name: delete_module's argument (read from the caller's memory), or finit_module's file name without .ko (dashes as underscores); empty for init_module (the name is inside the image)",
		extract: (c) => {
			const e = kmod(c);
			if (!e) return undefined;
			return e.syscall === 'finit_module' ? moduleNameOf(e.name) : e.syscall === 'delete_module' ? e.name : '';
		},
	},
	{ name: 'kmod.path', type: 'string', sensor: 'kernel', desc: "finit_module: the path of the module file, from the opened file its fd names (exact); empty otherwise", extract: (c) => (kmod(c) ? (kmod(c)!.syscall === 'finit_module' ? kmod(c)!.name : '') : undefined) },
	{ name: 'kmod.image_size', type: 'number', sensor: 'kernel', desc: 'init_module: bytes of the module image passed from memory; 0 otherwise', extract: (c) => (kmod(c) ? (kmod(c)!.syscall === 'init_module' ? Number(kmod(c)!.arg) : 0) : undefined) },
	{ name: 'kmod.flags', type: 'number', sensor: 'kernel', desc: 'finit_module and delete_module: the flags argument (MODULE_INIT_*, O_NONBLOCK/O_TRUNC)', extract: (c) => kmod(c)?.op },
	{ name: 'bpf.cmd', type: 'string', sensor: 'kernel', desc: 'the bpf() command: prog_load, prog_attach, link_create or raw_tracepoint_open (other commands are not reported)', extract: (c) => (bpf(c) ? (BPF_CMDS[bpf(c)!.op] ?? String(bpf(c)!.op)) : undefined) },
	{
		name: 'bpf.prog_type',
		type: 'string',
		sensor: 'kernel',
		desc: 'program type (kprobe, tracing, lsm, xdp, …): of the loaded or attached program (exact); a failed load: as the caller asked; empty for a failed attach',
		extract: (c) => {
			const e = bpf(c);
			if (!e) return undefined;
			if (e.op !== 5 && e.ret < 0) return '';
			return PROG_TYPES[Number(e.arg)] ?? String(e.arg);
		},
	},
	{ name: 'bpf.prog_name', type: 'string', sensor: 'kernel', desc: 'program name (up to 15 characters) of the loaded or attached program; a failed load: as the caller asked (bpf.from_user)', extract: (c) => bpf(c)?.name },
	{ name: 'bpf.attach_type', type: 'number', sensor: 'kernel', desc: 'prog_attach and link_create: the attach type (enum bpf_attach_type) as the caller asked; 0 otherwise', extract: (c) => bpf(c)?.aux },
	{ name: 'bpf.from_user', type: 'bool', sensor: 'kernel', desc: "the program type and name come from the caller's memory (a failed load), not from the kernel's program", extract: (c) => (bpf(c) ? (bpf(c)!.flags & BgActFlag.BG_AF_NAME_USER) !== 0 : undefined) },
]);
