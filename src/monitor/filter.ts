/** @module monitor/filter: the kernel-side settings `bpfguard monitor` runs its sensors with (what it does not need never leaves the kernel). */
import type { SensorFilter } from '../sensors/sensor.js';

/**
 * Settings for the monitor's sensors. Identity syscalls that succeed and change no credential
 * carry no privilege information for the monitor: they are counted in the kernel (priv_noop)
 * instead of sent; failed calls and every change are still reported. The cheap credential check
 * at hot syscalls stays off (privsnoop and `priv.hot_checks` turn it on).
 */
export function monitorFilter(opts: { privHotChecks?: boolean } = {}): SensorFilter {
	return { privNoopCalls: false, privHotChecks: opts.privHotChecks === true };
}
