/** @module sensors/process: fork, exec (success and failure) and exit. */
import { configureFollow, populateFollow, u32, u8, type Sensor } from './sensor.js';
import { kindsOfSensor } from '../events/table.js';

/** The process sensor (bpf/process/process.bpf.c). */
export const processSensor: Sensor<'process'> = {
	name: 'process',
	object: 'process',
	kinds: kindsOfSensor('process'),
	syscalls: [{ hook: 'exit', syscalls: ['execve', 'execveat'], prog: 'bg_exec_fail' }],
	description: 'process lifecycle: fork, exec with argv from the new mm, failed execs, exit status',
	configure(obj, f, o) {
		if (f.uid !== undefined) obj.setRodata('cfg_uid', u32(f.uid));
		configureFollow(obj, f, ['bg_proc_free']);
		if (f.failedOnly) obj.setRodata('cfg_failed_only', u8(1));
		if (o.lifecycle === false) obj.setRodata('cfg_lifecycle', u8(0));
	},
	populate(obj, f) {
		populateFollow(obj, f);
	},
};
