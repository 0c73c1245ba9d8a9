/** @module sensors/process: fork, exec (success and failure) and exit. */
import { configureFollow, populateFollow, u32, u8, type Sensor } from './sensor.js';
import { kindsOfSensor } from '../events/table.js';
import { BgLimit } from '../events/generated/layouts.js';

/** cfg_env_names: BG_ENV_NAMES slots of BG_ENV_NAME_MAX bytes, each "NAME=" and zeros; throws on a name that does not fit. */
export function envNamesRodata(names: readonly string[]): Buffer {
	const slot = BgLimit.BG_ENV_NAME_MAX;
	if (names.length > BgLimit.BG_ENV_NAMES) throw new Error(`process sensor: at most ${BgLimit.BG_ENV_NAMES} environment names, got ${names.length}`);
	const b = Buffer.alloc(BgLimit.BG_ENV_NAMES * slot);
	names.forEach((n, i) => {
		if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(n) || n.length + 2 > slot) throw new Error(`process sensor: bad environment name '${n}'`);
		b.write(`${n}=`, i * slot, 'latin1');
	});
	return b;
}

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
		if (o.envNames) obj.setRodata('cfg_env_names', envNamesRodata(o.envNames));
	},
	populate(obj, f) {
		populateFollow(obj, f);
	},
};
