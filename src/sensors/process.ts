/** @module sensors/process: fork, exec (success and failure) and exit. */
import { u32, u8, type Sensor } from './sensor.js';
import { kindsOfSensor } from '../events/table.js';

/** The process sensor (bpf/process.bpf.c). */
export const processSensor: Sensor<'process'> = {
	name: 'process',
	object: 'process',
	kinds: kindsOfSensor('process'),
	syscalls: [{ hook: 'exit', syscalls: ['execve', 'execveat'], prog: 'bg_exec_fail' }],
	description: 'process lifecycle: fork, exec with argv from the new mm, failed execs, exit status',
	configure(obj, f, o) {
		if (f.uid !== undefined) obj.setRodata('cfg_uid', u32(f.uid));
		if (f.followPids?.length) obj.setRodata('cfg_follow', u8(1));
		if (f.failedOnly) obj.setRodata('cfg_failed_only', u8(1));
		if (o.lifecycle === false) obj.setRodata('cfg_lifecycle', u8(0));
	},
	populate(obj, f) {
		for (const pid of f.followPids ?? []) obj.mapUpdate('bg_follow', u32(pid), u8(1));
	},
};
