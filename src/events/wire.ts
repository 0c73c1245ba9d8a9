/** @module events/wire: the ring-buffer framing and the record tail (blobs, arg areas), shared by every decoder. */
import { BG_BLOB, BG_HDR, BgLimit } from './generated/layouts.js';
import { decodeBytes } from './strings.js';
import type { BgEvent } from './types.js';

/** A decoder turns the record at off (size bytes) into an event. */
export type Decoder = (buf: Buffer, off: number, size: number) => BgEvent;

/** evt.type of the record at off, read without decoding it (must equal evtType of the decoded event). */
export type TypePeek = (buf: Buffer, off: number) => string;

/** Calls fn for each record of a batch (framing: [u32 size][u32 0][record, 8-aligned]). */
export function forEachRecord(batch: Buffer, fn: (buf: Buffer, off: number, size: number) => void): number {
	let off = 0;
	let n = 0;
	const end = batch.length;
	while (off + 8 <= end) {
		const size = batch.readUInt32LE(off);
		const rec = off + 8;
		if (size < BG_HDR.SIZE || rec + size > end) break;
		fn(batch, rec, size);
		n++;
		off = rec + ((size + 7) & ~7);
	}
	return n;
}

/** Kind of the record at off. */
export function recordKind(buf: Buffer, off: number): number {
	return buf.readUInt16LE(off + BG_HDR.kind);
}

/** Bytes of a tail blob, clamped to the record. */
export function blob(buf: Buffer, off: number, size: number, field: number): [number, number] {
	const bo = buf.readUInt16LE(off + field + BG_BLOB.off);
	const bl = buf.readUInt16LE(off + field + BG_BLOB.len);
	if (bo + bl > size) return [off, off];
	return [off + bo, off + bo + bl];
}

/** A tail blob as a string (non-UTF-8 bytes escaped). */
export function blobString(buf: Buffer, off: number, size: number, field: number): string {
	const [s, e] = blob(buf, off, size, field);
	return decodeBytes(buf, s, e);
}

/** Split a NUL-separated arg area into at most BG_MAX_ARGS strings. */
export function splitArgs(buf: Buffer, start: number, end: number): { args: string[]; cut: boolean } {
	const args: string[] = [];
	let s = start;
	for (let i = start; i < end; i++) {
		if (buf[i] !== 0) continue;
		if (args.length >= BgLimit.BG_MAX_ARGS) return { args, cut: true };
		args.push(decodeBytes(buf, s, i));
		s = i + 1;
	}
	if (s < end) {
		if (args.length >= BgLimit.BG_MAX_ARGS) return { args, cut: true };
		args.push(decodeBytes(buf, s, end));
	}
	return { args, cut: false };
}
