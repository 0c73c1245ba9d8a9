/** @module events/decoders/priv: identity syscall, exec transition and credential drift records. */
import { BG_CREDS, BG_HDR, BG_PRIV, BgPrivSite } from '../generated/layouts.js';
import { bootNsToWallMs } from '../clock.js';
import { blobString, type Decoder } from '../wire.js';
import { decodeCString } from '../strings.js';
import type { Creds, PrivEvent } from '../types.js';
import { syscallName } from '../syscalls.js';
import { PRIV_ID_SYSCALLS } from '../syscall-args.js';

const SITE_NAMES = new Map<number, string>(Object.entries(BgPrivSite).map(([k, v]) => [v, k.replace(/^BG_PS_/, '').toLowerCase()]));

function creds(buf: Buffer, at: number): Creds {
	return {
		uid: buf.readUInt32LE(at + BG_CREDS.uid),
		euid: buf.readUInt32LE(at + BG_CREDS.euid),
		suid: buf.readUInt32LE(at + BG_CREDS.suid),
		fsuid: buf.readUInt32LE(at + BG_CREDS.fsuid),
		gid: buf.readUInt32LE(at + BG_CREDS.gid),
		egid: buf.readUInt32LE(at + BG_CREDS.egid),
		sgid: buf.readUInt32LE(at + BG_CREDS.sgid),
		fsgid: buf.readUInt32LE(at + BG_CREDS.fsgid),
		capEff: buf.readBigUInt64LE(at + BG_CREDS.cap_eff),
		capPrm: buf.readBigUInt64LE(at + BG_CREDS.cap_prm),
		userns: buf.readUInt32LE(at + BG_CREDS.userns),
		ngroups: buf.readUInt32LE(at + BG_CREDS.ngroups),
	};
}

/** Number of id arguments a syscall has (0 for capset: its sets are in reqEff/reqPrm; setgroups: the count). */
function arity(name: string): number {
	return PRIV_ID_SYSCALLS[name]?.args.length ?? 0;
}

/** The decoder of one privilege record kind (every kind shares struct bg_priv). */
export function privDecoder(kind: PrivEvent['kind']): Decoder {
	return (buf, off, size) => decodePriv(kind, buf, off, size);
}

function decodePriv(kind: PrivEvent['kind'], buf: Buffer, off: number, size: number): PrivEvent {
	const nr = buf.readUInt32LE(off + BG_PRIV.nr);
	const syscall = kind === 'priv_exec' ? 'execve' : syscallName(nr);
	const args: number[] = [];
	const flags = buf.readUInt16LE(off + BG_HDR.flags);
	const bootNs = buf.readBigUInt64LE(off + BG_HDR.ktime_ns);
	for (let i = 0; i < (kind === 'priv_call' ? arity(syscall) : 0); i++) args.push(buf.readUInt32LE(off + BG_PRIV.arg + 4 * i));
	return {
		kind,
		flags,
		bootNs,
		timeMs: bootNsToWallMs(bootNs),
		pid: buf.readUInt32LE(off + BG_HDR.pid),
		tid: buf.readUInt32LE(off + BG_HDR.tid),
		cgroupId: buf.readBigUInt64LE(off + BG_HDR.cgroup_id),
		syscall,
		ret: buf.readInt32LE(off + BG_PRIV.ret),
		args,
		reqEff: buf.readBigUInt64LE(off + BG_PRIV.req_eff),
		reqPrm: buf.readBigUInt64LE(off + BG_PRIV.req_prm),
		site: SITE_NAMES.get(buf.readUInt32LE(off + BG_PRIV.site)) ?? 'unknown',
		old: creds(buf, off + BG_PRIV.old),
		new: creds(buf, off + BG_PRIV.new),
		ppid: buf.readUInt32LE(off + BG_PRIV.ppid),
		fileUid: buf.readUInt32LE(off + BG_PRIV.file_uid),
		fileGid: buf.readUInt32LE(off + BG_PRIV.file_gid),
		fileMode: buf.readUInt16LE(off + BG_PRIV.file_mode),
		comm: decodeCString(buf, off + BG_PRIV.comm, 16),
		exe: blobString(buf, off, size, BG_PRIV.exe),
	};
}

/** evt.type of an identity-syscall record, without decoding: its syscall. */
export const peekPrivCallType = (buf: Buffer, off: number): string => syscallName(buf.readUInt32LE(off + BG_PRIV.nr));
