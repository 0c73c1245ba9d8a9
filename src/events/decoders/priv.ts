/** @module events/decoders/priv: identity syscall, exec transition and credential drift records. */
import { BG_CREDS, BG_HDR, BG_PRIV, BgKind, BgPrivSite, BgPrivSys } from '../generated/layouts.js';
import { bootNsToWallMs } from '../clock.js';
import { blobString } from '../decode.js';
import { decodeCString } from '../strings.js';
import type { Creds, PrivEvent } from '../types.js';
import { syscallName } from '../../sensors/syscalls.js';
import { PRIV_SYSCALLS } from '../../sensors/priv.js';

const KIND_NAMES: Record<number, PrivEvent['kind']> = {
	[BgKind.BG_EV_PRIV_CALL]: 'priv_call',
	[BgKind.BG_EV_PRIV_EXEC]: 'priv_exec',
	[BgKind.BG_EV_PRIV_DRIFT]: 'priv_drift',
};

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

/** Number of id arguments a syscall has (0 for capset: its sets are in reqEff/reqPrm). */
function arity(name: string): number {
	const s = PRIV_SYSCALLS[name];
	if (s === BgPrivSys.BG_PSYS_GROUPS) return 1;
	return s === undefined || s === BgPrivSys.BG_PSYS_CAPSET ? 0 : s;
}

export function decodePriv(buf: Buffer, off: number, size: number): PrivEvent {
	const kind = KIND_NAMES[buf.readUInt16LE(off)];
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

/** Event kind names by record kind. */
export const PRIV_KINDS = Object.entries(KIND_NAMES).map(([k, name]) => [Number(k), name] as const);

/** evt.type by kind, without decoding. */
export const PRIV_TYPES = [
	[BgKind.BG_EV_PRIV_CALL, (buf: Buffer, off: number) => syscallName(buf.readUInt32LE(off + BG_PRIV.nr))],
	[BgKind.BG_EV_PRIV_EXEC, () => 'execve'],
	[BgKind.BG_EV_PRIV_DRIFT, () => 'privdrift'],
] as const;

/** Decoders of this domain by kind. */
export const PRIV_DECODERS = [
	[BgKind.BG_EV_PRIV_CALL, decodePriv],
	[BgKind.BG_EV_PRIV_EXEC, decodePriv],
	[BgKind.BG_EV_PRIV_DRIFT, decodePriv],
] as const;
