/** @module sensors/kernel: module loads and unloads, BPF program loads and attaches by other processes, and audit configuration messages (bpf/kmod/kmod.bpf.c). */
import { kindsOfSensor } from '../events/table.js';
import { configureFollow, populateFollow, u32, type Sensor } from './sensor.js';

/** The kernel sensor; it has no options. Its own process's bpf() calls are left out in the kernel (cfg_self_tgid). */
export const kernelSensor: Sensor<'kernel'> = {
	name: 'kernel',
	object: 'kmod',
	kinds: kindsOfSensor('kernel'),
	syscalls: [
		{ hook: 'exit', syscalls: ['init_module'], prog: 'bg_kmod_init' },
		{ hook: 'exit', syscalls: ['finit_module'], prog: 'bg_kmod_finit' },
		{ hook: 'exit', syscalls: ['delete_module'], prog: 'bg_kmod_delete' },
		{ hook: 'exit', syscalls: ['bpf'], prog: 'bg_bpf_exit' },
	],
	// sendto/sendmsg go first to the audit check (a NETLINK_AUDIT socket?), which resumes with their own handler (the net sensor's)
	dispatch: { slots: [{ table: 'bg_au_exit_tbl', prog: 'bg_audit_exit' }] },
	description: 'kernel module loads and unloads (attempts too, with the file or name), BPF program loads and attaches by other processes (type, name), and changes to the kernel audit subsystem (audit netlink messages: rules added or deleted, auditing enabled or disabled, audit daemon set)',
	configure(obj, f) {
		obj.setRodata('cfg_self_tgid', u32(process.pid));
		configureFollow(obj, f, []);
	},
	populate(obj, f) {
		populateFollow(obj, f);
	},
};
