/** @module sensors/kernel: module loads and unloads, and BPF program loads and attaches by other processes (bpf/kmod/kmod.bpf.c). */
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
	description: 'kernel module loads and unloads (attempts too, with the file or name) and BPF program loads and attaches by other processes (type, name)',
	configure(obj, f) {
		obj.setRodata('cfg_self_tgid', u32(process.pid));
		configureFollow(obj, f, []);
	},
	populate(obj, f) {
		populateFollow(obj, f);
	},
};
