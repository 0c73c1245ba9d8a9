/** @module events/decoders/audit: records of audit configuration messages sent on a NETLINK_AUDIT socket (struct bg_audit_ctl). */
import { BG_AUDIT_CTL, BG_HDR, BgAuditFlag } from '../generated/layouts.js';
import { bootNsToWallMs } from '../clock.js';
import { blobString } from '../wire.js';
import { decodeCString } from '../strings.js';
import type { AuditCtlEvent } from '../types.js';
import { syscallName } from '../syscalls.js';

/** Decode a struct bg_audit_ctl record. */
export function decodeAuditCtl(buf: Buffer, off: number, size: number): AuditCtlEvent {
	const bootNs = buf.readBigUInt64LE(off + BG_HDR.ktime_ns);
	const flags = buf.readUInt16LE(off + BG_HDR.flags);
	const nr = buf.readInt32LE(off + BG_AUDIT_CTL.nr);
	return {
		kind: 'audit_ctl',
		flags,
		bootNs,
		timeMs: bootNsToWallMs(bootNs),
		pid: buf.readUInt32LE(off + BG_HDR.pid),
		tid: buf.readUInt32LE(off + BG_HDR.tid),
		cgroupId: buf.readBigUInt64LE(off + BG_HDR.cgroup_id),
		nr,
		syscall: syscallName(nr),
		ret: Number(buf.readBigInt64LE(off + BG_AUDIT_CTL.ret)),
		err: flags & BgAuditFlag.BG_AUF_ACK ? buf.readInt32LE(off + BG_AUDIT_CTL.err) : undefined,
		type: buf.readUInt16LE(off + BG_AUDIT_CTL.type),
		nlflags: buf.readUInt16LE(off + BG_AUDIT_CTL.nlflags),
		seq: buf.readUInt32LE(off + BG_AUDIT_CTL.seq),
		mask: buf.readUInt32LE(off + BG_AUDIT_CTL.mask),
		enabled: buf.readUInt32LE(off + BG_AUDIT_CTL.enabled),
		failure: buf.readUInt32LE(off + BG_AUDIT_CTL.failure),
		auditPid: buf.readUInt32LE(off + BG_AUDIT_CTL.pid),
		rateLimit: buf.readUInt32LE(off + BG_AUDIT_CTL.rate_limit),
		backlogLimit: buf.readUInt32LE(off + BG_AUDIT_CTL.backlog_limit),
		backlogWaitTime: buf.readUInt32LE(off + BG_AUDIT_CTL.backlog_wait_time),
		uid: buf.readUInt32LE(off + BG_AUDIT_CTL.uid),
		ppid: buf.readUInt32LE(off + BG_AUDIT_CTL.ppid),
		index: buf.readUInt16LE(off + BG_AUDIT_CTL.index),
		comm: decodeCString(buf, off + BG_AUDIT_CTL.comm, 16),
		exe: blobString(buf, off, size, BG_AUDIT_CTL.exe),
	};
}
