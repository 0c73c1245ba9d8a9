/** @module events/clock: kernel CLOCK_BOOTTIME stamps to wall-clock time. */
import { addon } from '../bridge/addon.js';

let offsetNs: bigint | undefined;

/** Calibrate once: wall-clock ns minus boot-time ns, sampled back to back. */
function offset(): bigint {
	if (offsetNs === undefined) {
		const a = addon().bootTimeNs();
		const wall = BigInt(Date.now()) * 1_000_000n;
		const b = addon().bootTimeNs();
		offsetNs = wall - (a + b) / 2n;
	}
	return offsetNs;
}

/** Wall-clock milliseconds (with fraction) of a kernel boot-time stamp in ns. */
export function bootNsToWallMs(bootNs: bigint): number {
	return Number((bootNs + offset()) / 1000n) / 1000;
}

/** Current CLOCK_BOOTTIME in ns. */
export function nowBootNs(): bigint {
	return addon().bootTimeNs();
}
