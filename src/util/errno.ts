/** @module util/errno: errno numbers to names (ENOENT) and back. */
import { constants } from 'node:os';

const NAMES = new Map<number, string>();
for (const [name, num] of Object.entries(constants.errno)) if (!NAMES.has(num)) NAMES.set(num, name);

/** "ENOENT" for 2 or -2; "E<n>" when unknown. */
export function errnoName(n: number): string {
	const a = Math.abs(n);
	return NAMES.get(a) ?? `E${a}`;
}
