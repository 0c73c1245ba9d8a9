/** @module sensors/priv: identity syscalls, exec privilege transitions and unexplained credential changes. */
import { BgPrivSys } from '../events/generated/layouts.js';
import { kindsOfSensor, PRIV_SYSCALLS } from '../events/table.js';
import { configureFollow, populateFollow, u32, u8, type Sensor } from './sensor.js';
import { syscallNr } from '../events/syscalls.js';

/** Syscalls that may legitimately change creds by entering a user namespace (no record). */
const NS_SYSCALLS = ['unshare', 'setns'];

/**
 * Common syscalls whose exit can run the cheap credential check (an exploit usually returns to
 * user space through one of these soon). Opt-in (PrivOptions.hotChecks): it reads the creds on
 * every read, write, close… and costs the hottest syscalls several percent; without it drift
 * is still caught at the next identity syscall, exec, fork or exit of the task. Optional:
 * skipped where another sensor owns the slot.
 */
export const PRIV_CHECK_SYSCALLS = ['openat', 'open', 'read', 'write', 'close', 'connect', 'socket', 'mmap', 'ioctl'];

const IDENTITY = Object.keys(PRIV_SYSCALLS);

/** The priv sensor (bpf/priv/priv.bpf.c). */
export const privSensor: Sensor<'priv'> = {
	name: 'priv',
	object: 'priv',
	kinds: kindsOfSensor('priv'),
	syscalls: [
		{ hook: 'enter', syscalls: [...IDENTITY, 'execve', 'execveat'], prog: 'bg_priv_enter', ia32Prog: 'bg_priv_enter32' },
		{ hook: 'exit', syscalls: [...IDENTITY, ...NS_SYSCALLS], prog: 'bg_priv_exit', ia32Prog: 'bg_priv_exit32' },
		{ hook: 'exit', syscalls: PRIV_CHECK_SYSCALLS, prog: 'bg_priv_check', optional: true, optIn: 'hotChecks' },
	],
	description: 'identity syscalls with creds before/after, setuid/file-capability exec transitions, unexplained cred changes',
	configure(obj, f, o) {
		if (o.noopCalls === false) obj.setRodata('cfg_noop_calls', u8(0));
		configureFollow(obj, f, ['bg_priv_free']);
	},
	populate(obj, f) {
		populateFollow(obj, f);
		const table: [string, number][] = [...Object.entries(PRIV_SYSCALLS).map(([n, s]): [string, number] => [n, s.sys]), ...NS_SYSCALLS.map((n): [string, number] => [n, BgPrivSys.BG_PSYS_NS])];
		for (const [name, sys] of table) {
			const nr = syscallNr(name);
			if (nr !== undefined) obj.mapUpdate('bg_priv_sys', u32(nr), u8(sys));
		}
	},
};
