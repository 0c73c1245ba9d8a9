/** @module events/decoders/act: records of acts on the kernel (module, BPF) or on another process (ptrace, process_vm_*). */
import { BG_ACT, BG_HDR, BgActFlag } from '../generated/layouts.js';
import { bootNsToWallMs } from '../clock.js';
import { blobString, type Decoder, type TypePeek } from '../wire.js';
import { decodeCString } from '../strings.js';
import type { ActEvent, ActKind } from '../types.js';
import { syscallName } from '../syscalls.js';

/** evt.type of a raw act record: its syscall's name. */
export const peekActType: TypePeek = (buf, off) => syscallName(buf.readInt32LE(off + BG_ACT.nr));

/** Decoder of a struct bg_act record of this kind. */
export function actDecoder(kind: ActKind): Decoder {
	return (buf, off, size): ActEvent => {
		const bootNs = buf.readBigUInt64LE(off + BG_HDR.ktime_ns);
		const flags = buf.readUInt16LE(off + BG_HDR.flags);
		const nr = buf.readInt32LE(off + BG_ACT.nr);
		const ttid = buf.readUInt32LE(off + BG_ACT.ttid);
		return {
			kind,
			flags,
			bootNs,
			timeMs: bootNsToWallMs(bootNs),
			pid: buf.readUInt32LE(off + BG_HDR.pid),
			tid: buf.readUInt32LE(off + BG_HDR.tid),
			cgroupId: buf.readBigUInt64LE(off + BG_HDR.cgroup_id),
			nr,
			syscall: syscallName(nr),
			ret: Number(buf.readBigInt64LE(off + BG_ACT.ret)),
			op: buf.readUInt32LE(off + BG_ACT.op),
			arg: buf.readBigUInt64LE(off + BG_ACT.arg),
			aux: buf.readUInt32LE(off + BG_ACT.aux),
			uid: buf.readUInt32LE(off + BG_ACT.uid),
			ppid: buf.readUInt32LE(off + BG_ACT.ppid),
			comm: decodeCString(buf, off + BG_ACT.comm, 16),
			exe: blobString(buf, off, size, BG_ACT.exe),
			name: blobString(buf, off, size, BG_ACT.name),
			target:
				flags & BgActFlag.BG_AF_TARGET
					? {
							pid: buf.readUInt32LE(off + BG_ACT.tpid),
							tid: ttid,
							uid: buf.readUInt32LE(off + BG_ACT.tuid),
							comm: decodeCString(buf, off + BG_ACT.tcomm, 16),
							exe: blobString(buf, off, size, BG_ACT.texe),
						}
					: undefined,
			targetArg: ttid,
		};
	};
}
