/** @module sensors/seccomp: violations of any seccomp filter on the host (refused calls and kills), found by the dispatcher, recorded by bpf/seccomp/secviol.bpf.c. */
import { kindsOfSensor } from '../events/table.js';
import type { Sensor } from './sensor.js';

/** The seccomp violation sensor; it has no options. */
export const seccompSensor: Sensor<'seccomp'> = {
	name: 'seccomp',
	object: 'secviol',
	kinds: kindsOfSensor('seccomp'),
	dispatch: {
		rodata: 'cfg_seccomp',
		slots: [
			{ table: 'bg_sc_enter_tbl', prog: 'bg_secviol_enter' },
			{ table: 'bg_sc_exit_tbl', prog: 'bg_secviol_exit' },
		],
	},
	description: 'calls any seccomp filter on the host refused (errno, trap, user_notif) or killed, with the syscall, its arch and arguments',
	configure() {},
	populate() {},
};
