/** @module sensors/inject: one process on another's memory or registers: ptrace requests and process_vm_readv/writev (bpf/inject/inject.bpf.c). */
import { kindsOfSensor } from '../events/table.js';
import { configureFollow, populateFollow, type Sensor } from './sensor.js';

/** The injection sensor; it has no options. */
export const injectSensor: Sensor<'inject'> = {
	name: 'inject',
	object: 'inject',
	kinds: kindsOfSensor('inject'),
	syscalls: [
		{ hook: 'exit', syscalls: ['ptrace'], prog: 'bg_inj_ptrace' },
		{ hook: 'exit', syscalls: ['process_vm_readv', 'process_vm_writev'], prog: 'bg_inj_vm' },
	],
	description: 'ptrace attach, seize, traceme and memory or register peeks and pokes, process_vm_readv/writev, with the target process (pid, name, exe, user, whether it is the caller\'s own)',
	configure(obj, f) {
		configureFollow(obj, f, []);
	},
	populate(obj, f) {
		populateFollow(obj, f);
	},
};
