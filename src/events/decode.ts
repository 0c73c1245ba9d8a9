/** @module events/decode: ring-buffer records to typed events, through the event table. */
import { recordKind } from './wire.js';
import { KIND_BY_CODE } from './table.js';
import type { BgEvent } from './types.js';

export { forEachRecord, recordKind } from './wire.js';

/** Decode one record; null for kinds this build does not know (counted by the caller). */
export function decodeRecord(buf: Buffer, off: number, size: number): BgEvent | null {
	const row = KIND_BY_CODE.get(recordKind(buf, off));
	return row ? row.decode(buf, off, size) : null;
}
