/** @module events/decoders/file: open and file-change records (struct bg_file). */
import { isUtf8 } from 'node:buffer';
import { posix } from 'node:path';
import { BG_FILE, BG_HDR, BgFileFlag } from '../generated/layouts.js';
import { bootNsToWallMs } from '../clock.js';
import { blob } from '../wire.js';
import { decodeBytes, decodeCString } from '../strings.js';
import { syscallName } from '../syscalls.js';
import type { FileChangeEvent, FileEventBase, OpenEvent } from '../types.js';

/** A path blob as [text, base64 when the bytes are not valid UTF-8]. */
function pathBlob(buf: Buffer, off: number, size: number, field: number): [string, string | undefined] {
	const [s, e] = blob(buf, off, size, field);
	const text = decodeBytes(buf, s, e);
	// decodeBytes only escapes invalid bytes as "\xNN": without a backslash the text is exact.
	if (!text.includes('\\') || isUtf8(buf.subarray(s, e))) return [text, undefined];
	return [text, buf.toString('base64', s, e)];
}

/**
 * A path the kernel could not normalise (more than 128 components kept before a ".."): the same
 * lexical rules in user space ("//", "/./", "x/.." removed), on the text and on the exact bytes.
 */
function normalised([text, b64]: [string, string | undefined]): [string, string | undefined] {
	const n = posix.normalize(text);
	return [n, b64 === undefined ? undefined : Buffer.from(posix.normalize(Buffer.from(b64, 'base64').toString('latin1')), 'latin1').toString('base64')];
}

/**
 * A kernel device number (major << 20 | minor, as in i_sb->s_dev) in the encoding stat() reports
 * (glibc's makedev: minor's low byte, major, then minor's high bits).
 */
export function statDev(kdev: number): number {
	const major = kdev >>> 20;
	const minor = kdev & 0xfffff;
	return (minor & 0xff) + (major & 0xfff) * 0x100 + (minor >>> 8) * 0x100000;
}

/** Both kinds share the layout; one literal with kind first keeps every event one shape per kind (no spreads: they cost microseconds). */
function fields<K extends 'open' | 'file_change'>(kind: K, buf: Buffer, off: number, size: number): FileEventBase & { kind: K } {
	const flags = buf.readUInt16LE(off + BG_HDR.flags);
	const bootNs = buf.readBigUInt64LE(off + BG_HDR.ktime_ns);

	const n1 = pathBlob(buf, off, size, BG_FILE.name);
	const [name, nameB64] = flags & BgFileFlag.BG_FF_NAME_DEEP ? normalised(n1) : n1;
	const [raw, rawB64] = pathBlob(buf, off, size, BG_FILE.raw);
	const n2 = pathBlob(buf, off, size, BG_FILE.name2);
	const [name2, name2B64] = flags & BgFileFlag.BG_FF_NAME2_DEEP ? normalised(n2) : n2;
	const [raw2, raw2B64] = pathBlob(buf, off, size, BG_FILE.raw2);
	return {
		kind,
		flags,
		bootNs,
		timeMs: bootNsToWallMs(bootNs),
		pid: buf.readUInt32LE(off + BG_HDR.pid),
		tid: buf.readUInt32LE(off + BG_HDR.tid),
		cgroupId: buf.readBigUInt64LE(off + BG_HDR.cgroup_id),
		syscall: syscallName(buf.readUInt32LE(off + BG_FILE.sysnr)),
		ret: buf.readInt32LE(off + BG_FILE.ret),
		uid: buf.readUInt32LE(off + BG_FILE.uid),
		gid: buf.readUInt32LE(off + BG_FILE.gid),
		argFlags: buf.readUInt32LE(off + BG_FILE.oflags),
		mode: buf.readUInt32LE(off + BG_FILE.mode),
		owner: buf.readInt32LE(off + BG_FILE.owner),
		group: buf.readInt32LE(off + BG_FILE.group),
		dirfd: buf.readInt32LE(off + BG_FILE.dirfd),
		watch: buf.readUInt16LE(off + BG_FILE.watch),
		enforce: buf.readUInt16LE(off + BG_FILE.enforce),
		comm: decodeCString(buf, off + BG_FILE.comm, 16),
		name,
		nameB64,
		raw,
		rawB64,
		name2,
		name2B64,
		raw2,
		raw2B64,
		nameFromFile: (flags & BgFileFlag.BG_FF_NAME_FILE) !== 0,
		nameReal: (flags & BgFileFlag.BG_FF_NAME_REAL) !== 0,
		nameTruncated: (flags & BgFileFlag.BG_FF_NAME_TRUNC) !== 0,
		ino: Number(buf.readBigUInt64LE(off + BG_FILE.ino)),
		dev: statDev(buf.readUInt32LE(off + BG_FILE.dev)),
	};
}

export function decodeOpen(buf: Buffer, off: number, size: number): OpenEvent {
	return fields('open', buf, off, size);
}

export function decodeFileChange(buf: Buffer, off: number, size: number): FileChangeEvent {
	return fields('file_change', buf, off, size);
}

/** evt.type of an open or file-change record, without decoding: its syscall. */
export const peekFileType = (buf: Buffer, off: number): string => syscallName(buf.readUInt32LE(off + BG_FILE.sysnr));
