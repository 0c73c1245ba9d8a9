/** @module events/decoders/process: exec, fork and exit records. */
import { BG_EXEC, BG_EXIT, BG_FORK, BG_HDR, BgFlag } from '../generated/layouts.js';
import { bootNsToWallMs } from '../clock.js';
import { blob, blobString, splitArgs } from '../wire.js';
import { decodeBytes, decodeCString } from '../strings.js';
import type { ExecEvent, ExitEvent, ForkEvent, StdioKind } from '../types.js';

/** enum bg_fd_kind by value. */
const FD_KINDS: readonly StdioKind[] = ['none', 'file', 'pipe', 'socket', 'tty', 'chr', 'other'];
const NO_ENV: Readonly<Record<string, string>> = Object.freeze({});

/** NAME=value pairs of the env blob (NUL-separated), or the shared empty object. */
function envOf(buf: Buffer, start: number, end: number): Readonly<Record<string, string>> {
	if (end <= start) return NO_ENV;
	const out: Record<string, string> = {};
	for (let s = start; s < end; ) {
		let z = buf.indexOf(0, s);
		if (z < 0 || z > end) z = end;
		const eq = buf.indexOf(0x3d, s);
		if (eq > s && eq < z) out[decodeBytes(buf, s, eq)] = decodeBytes(buf, eq + 1, z);
		s = z + 1;
	}
	return out;
}

export function decodeExec(buf: Buffer, off: number, size: number): ExecEvent {
	const flags = buf.readUInt16LE(off + BG_HDR.flags);
	const bootNs = buf.readBigUInt64LE(off + BG_HDR.ktime_ns);
	const [as, ae] = blob(buf, off, size, BG_EXEC.args);
	const { args, cut } = splitArgs(buf, as, ae);
	const argc = buf.readUInt32LE(off + BG_EXEC.argc);
	return {
		kind: 'exec',
		flags,
		bootNs,
		timeMs: bootNsToWallMs(bootNs),
		pid: buf.readUInt32LE(off + BG_HDR.pid),
		tid: buf.readUInt32LE(off + BG_HDR.tid),
		cgroupId: buf.readBigUInt64LE(off + BG_HDR.cgroup_id),
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
		stdioSock: buf.readUInt32LE(off + BG_EXEC.stdio_sock),
		enforce: buf.readUInt32LE(off + BG_EXEC.enforce),
		startNs: buf.readBigUInt64LE(off + BG_EXEC.start_ns),
		comm: decodeCString(buf, off + BG_EXEC.comm, 16),
		exe: blobString(buf, off, size, BG_EXEC.exe),
		args,
		argsTruncated: cut || (flags & BgFlag.BG_F_ARGS_TRUNC) !== 0 || args.length < argc,
		cwd: blobString(buf, off, size, BG_EXEC.cwd),
		tty: blobString(buf, off, size, BG_EXEC.tty),
		script: blobString(buf, off, size, BG_EXEC.script),
		env: envOf(buf, ...blob(buf, off, size, BG_EXEC.env)),
		stdioKind: [0, 1, 2].map((i) => FD_KINDS[buf[off + BG_EXEC.stdio_kind + i]] ?? 'other'),
		stdioIno: [0, 1, 2].map((i) => Number(buf.readBigUInt64LE(off + BG_EXEC.stdio_ino + 8 * i))),
		vpid: buf.readUInt32LE(off + BG_EXEC.vpid),
		pidns: buf.readUInt32LE(off + BG_EXEC.pidns),
		mntns: buf.readUInt32LE(off + BG_EXEC.mntns),
		cgroup: blobString(buf, off, size, BG_EXEC.cgroup),
		cgroup1: blobString(buf, off, size, BG_EXEC.cgroup1),
		cgroupTruncated: (flags & (BgFlag.BG_F_CGROUP_TRUNC | BgFlag.BG_F_CGROUP1_TRUNC)) !== 0,
		stdinPath: blobString(buf, off, size, BG_EXEC.stdin_path),
	};
}

export function decodeFork(buf: Buffer, off: number): ForkEvent {
	const flags = buf.readUInt16LE(off + BG_HDR.flags);
	const bootNs = buf.readBigUInt64LE(off + BG_HDR.ktime_ns);
	return {
		kind: 'fork',
		flags,
		bootNs,
		timeMs: bootNsToWallMs(bootNs),
		pid: buf.readUInt32LE(off + BG_HDR.pid),
		tid: buf.readUInt32LE(off + BG_HDR.tid),
		cgroupId: buf.readBigUInt64LE(off + BG_HDR.cgroup_id),
		ppid: buf.readUInt32LE(off + BG_FORK.ppid),
		parentTid: buf.readUInt32LE(off + BG_FORK.parent_tid),
		startNs: buf.readBigUInt64LE(off + BG_FORK.start_ns),
		comm: decodeCString(buf, off + BG_FORK.comm, 16),
		vpid: buf.readUInt32LE(off + BG_FORK.vpid),
		pidns: buf.readUInt32LE(off + BG_FORK.pidns),
		mntns: buf.readUInt32LE(off + BG_FORK.mntns),
	};
}

export function decodeExit(buf: Buffer, off: number): ExitEvent {
	const status = buf.readUInt32LE(off + BG_EXIT.exit_code);
	const sig = status & 0x7f;
	const flags = buf.readUInt16LE(off + BG_HDR.flags);
	const bootNs = buf.readBigUInt64LE(off + BG_HDR.ktime_ns);
	return {
		kind: 'exit',
		flags,
		bootNs,
		timeMs: bootNsToWallMs(bootNs),
		pid: buf.readUInt32LE(off + BG_HDR.pid),
		tid: buf.readUInt32LE(off + BG_HDR.tid),
		cgroupId: buf.readBigUInt64LE(off + BG_HDR.cgroup_id),
		ppid: buf.readUInt32LE(off + BG_EXIT.ppid),
		status,
		exitCode: sig ? null : (status >> 8) & 0xff,
		signal: sig ? sig : null,
		coreDumped: (status & 0x80) !== 0,
		startNs: buf.readBigUInt64LE(off + BG_EXIT.start_ns),
		comm: decodeCString(buf, off + BG_EXIT.comm, 16),
	};
}
