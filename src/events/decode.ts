/** @module events/decode: ring-buffer batches to typed events, using the generated layouts. */
import { BG_BLOB, BG_EXEC, BG_EXIT, BG_FORK, BG_HDR, BgFlag, BgKind, BgLimit } from './generated/layouts.js';
import { bootNsToWallMs } from './clock.js';
import { decodeBytes, decodeCString } from './strings.js';
import type { BgEvent, EventBase, ExecEvent, ExitEvent, ForkEvent } from './types.js';

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

function base(buf: Buffer, off: number): EventBase {
	const bootNs = buf.readBigUInt64LE(off + BG_HDR.ktime_ns);
	return {
		flags: buf.readUInt16LE(off + BG_HDR.flags),
		bootNs,
		timeMs: bootNsToWallMs(bootNs),
		pid: buf.readUInt32LE(off + BG_HDR.pid),
		tid: buf.readUInt32LE(off + BG_HDR.tid),
		cgroupId: buf.readBigUInt64LE(off + BG_HDR.cgroup_id),
	};
}

/** Bytes of a tail blob, clamped to the record. */
function blob(buf: Buffer, off: number, size: number, field: number): [number, number] {
	const bo = buf.readUInt16LE(off + field + BG_BLOB.off);
	const bl = buf.readUInt16LE(off + field + BG_BLOB.len);
	if (bo + bl > size) return [off, off];
	return [off + bo, off + bo + bl];
}

function blobString(buf: Buffer, off: number, size: number, field: number): string {
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

function decodeExec(buf: Buffer, off: number, size: number): ExecEvent {
	const b = base(buf, off);
	const [as, ae] = blob(buf, off, size, BG_EXEC.args);
	const { args, cut } = splitArgs(buf, as, ae);
	const argc = buf.readUInt32LE(off + BG_EXEC.argc);
	return {
		kind: 'exec',
		...b,
		ppid: buf.readUInt32LE(off + BG_EXEC.ppid),
		oldTid: buf.readUInt32LE(off + BG_EXEC.old_tid),
		uid: buf.readUInt32LE(off + BG_EXEC.uid),
		gid: buf.readUInt32LE(off + BG_EXEC.gid),
		euid: buf.readUInt32LE(off + BG_EXEC.euid),
		egid: buf.readUInt32LE(off + BG_EXEC.egid),
		loginuid: buf.readUInt32LE(off + BG_EXEC.loginuid),
		sid: buf.readUInt32LE(off + BG_EXEC.sid),
		ret: buf.readInt32LE(off + BG_EXEC.ret),
		argc,
		startNs: buf.readBigUInt64LE(off + BG_EXEC.start_ns),
		comm: decodeCString(buf, off + BG_EXEC.comm, 16),
		exe: blobString(buf, off, size, BG_EXEC.exe),
		args,
		argsTruncated: cut || (b.flags & BgFlag.BG_F_ARGS_TRUNC) !== 0 || args.length < argc,
		cwd: blobString(buf, off, size, BG_EXEC.cwd),
		tty: blobString(buf, off, size, BG_EXEC.tty),
	};
}

function decodeFork(buf: Buffer, off: number): ForkEvent {
	return {
		kind: 'fork',
		...base(buf, off),
		ppid: buf.readUInt32LE(off + BG_FORK.ppid),
		parentTid: buf.readUInt32LE(off + BG_FORK.parent_tid),
		startNs: buf.readBigUInt64LE(off + BG_FORK.start_ns),
		comm: decodeCString(buf, off + BG_FORK.comm, 16),
	};
}

function decodeExit(buf: Buffer, off: number): ExitEvent {
	const status = buf.readUInt32LE(off + BG_EXIT.exit_code);
	const sig = status & 0x7f;
	return {
		kind: 'exit',
		...base(buf, off),
		ppid: buf.readUInt32LE(off + BG_EXIT.ppid),
		status,
		exitCode: sig ? null : (status >> 8) & 0xff,
		signal: sig ? sig : null,
		coreDumped: (status & 0x80) !== 0,
		startNs: buf.readBigUInt64LE(off + BG_EXIT.start_ns),
		comm: decodeCString(buf, off + BG_EXIT.comm, 16),
	};
}

/** Decode one record; null for kinds this build does not know (counted by the caller). */
export function decodeRecord(buf: Buffer, off: number, size: number): BgEvent | null {
	switch (recordKind(buf, off)) {
		case BgKind.BG_EV_EXEC:
			return decodeExec(buf, off, size);
		case BgKind.BG_EV_FORK:
			return decodeFork(buf, off);
		case BgKind.BG_EV_EXIT:
			return decodeExit(buf, off);
		default:
			return null;
	}
}
