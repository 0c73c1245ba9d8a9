/** @module events/clock: kernel CLOCK_BOOTTIME stamps to wall-clock time. */
import { addon } from '../bridge/addon.js';

let offsetNs: bigint | undefined;
let offsetMs: number | undefined;

/** Calibrate once (unless set): wall-clock ns minus boot-time ns, sampled back to back. */
function offset(): bigint {
	if (offsetNs === undefined) {
		const a = addon().bootTimeNs();
		const wall = BigInt(Date.now()) * 1_000_000n;
		const b = addon().bootTimeNs();
		offsetNs = wall - (a + b) / 2n;
	}
	return offsetNs;
}

/**
 * Use this wall-clock minus boot-time offset (ns) instead of calibrating against the kernel
 * (replays of recorded records, tests: no addon needed); null calibrates again at the next use.
 */
export function setClockOffset(ns: bigint | null): void {
	offsetNs = ns ?? undefined;
	offsetMs = undefined;
}

/** Wall-clock milliseconds (with fraction) of a kernel boot-time stamp in ns. */
export function bootNsToWallMs(bootNs: bigint): number {
	// Number arithmetic (per event on the hot path): BigInt math allocates; a double keeps µs here.
	offsetMs ??= Number(offset()) / 1e6;
	return Math.round((Number(bootNs) / 1e6 + offsetMs) * 1000) / 1000;
}

/** Current CLOCK_BOOTTIME in ns. */
export function nowBootNs(): bigint {
	return addon().bootTimeNs();
}
