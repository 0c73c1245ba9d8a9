/** @module events/decoders/seccomp: seccomp violation records (a call a filter refused or killed). */
import { BG_HDR, BG_SECCOMP, BgScAction, BgScArch } from '../generated/layouts.js';
import { bootNsToWallMs } from '../clock.js';
import { blobString } from '../wire.js';
import { decodeCString } from '../strings.js';
import type { SeccompAction, SeccompArch, SeccompEvent } from '../types.js';
import { syscallNameIn } from '../syscalls.js';

const byValue = <T extends string>(e: Readonly<Record<string, number>>, prefix: RegExp): Map<number, T> => new Map(Object.entries(e).map(([k, v]) => [v, k.replace(prefix, '').toLowerCase() as T]));
const ACTIONS = byValue<SeccompAction>(BgScAction, /^BG_SCA_/);
const ARCHES = byValue<SeccompArch>(BgScArch, /^BG_SC_ARCH_/);

/** Decode a struct bg_seccomp record. */
export function decodeSeccomp(buf: Buffer, off: number, size: number): SeccompEvent {
	const bootNs = buf.readBigUInt64LE(off + BG_HDR.ktime_ns);
	const nr = buf.readInt32LE(off + BG_SECCOMP.nr);
	const arch = ARCHES.get(buf.readUInt32LE(off + BG_SECCOMP.arch)) ?? 'x86_64';
	const args: bigint[] = [];
	for (let i = 0; i < 6; i++) args.push(buf.readBigUInt64LE(off + BG_SECCOMP.args + 8 * i));
	return {
		kind: 'seccomp',
		flags: buf.readUInt16LE(off + BG_HDR.flags),
		bootNs,
		timeMs: bootNsToWallMs(bootNs),
		pid: buf.readUInt32LE(off + BG_HDR.pid),
		tid: buf.readUInt32LE(off + BG_HDR.tid),
		cgroupId: buf.readBigUInt64LE(off + BG_HDR.cgroup_id),
		nr,
		arch,
		syscall: syscallNameIn(nr, arch),
		ret: Number(buf.readBigInt64LE(off + BG_SECCOMP.ret)),
		args,
		action: ACTIONS.get(buf.readUInt32LE(off + BG_SECCOMP.action)) ?? 'skipped',
		uid: buf.readUInt32LE(off + BG_SECCOMP.uid),
		ppid: buf.readUInt32LE(off + BG_SECCOMP.ppid),
		comm: decodeCString(buf, off + BG_SECCOMP.comm, 16),
		exe: blobString(buf, off, size, BG_SECCOMP.exe),
	};
}
