/** @module events/decoders/net: the network records (one layout, struct bg_net, for every kind). */
import { BG_HDR, BG_NET, BgNetFlag, BgNetState } from '../generated/layouts.js';
import { blob, type Decoder } from '../wire.js';
import { bootNsToWallMs } from '../clock.js';
import { decodeCString } from '../strings.js';
import type { NetEvent, NetKind, NetState } from '../types.js';
import { ipv4ToString, ipv6ToString, isV4Mapped } from '../../util/ip.js';
import { dnsQueryName } from '../../util/dns.js';

const AF_INET = 2;
const IPPROTO_TCP = 6;

/** enum bg_net_state → name. */
const STATES: readonly NetState[] = (() => {
	const names: NetState[] = [];
	for (const [k, v] of Object.entries(BgNetState)) names[v] = (k === 'BG_NS_NONE' ? '' : k.slice(6).toLowerCase()) as NetState;
	return names;
})();

function addr(buf: Buffer, off: number, v4: boolean): string {
	if (v4) return ipv4ToString(buf, off);
	return isV4Mapped(buf, off) ? ipv4ToString(buf, off + 12) : ipv6ToString(buf, off);
}

/** A u64 counter as a number (exact below 2^53), without a BigInt. */
const u64n = (buf: Buffer, o: number): number => buf.readUInt32LE(o) + buf.readUInt32LE(o + 4) * 4294967296;

/** The DNS query name of a datagram to port 53 (payload blob), or null. */
function dnsQuery(buf: Buffer, off: number, size: number): string | null {
	const [ps, pe] = blob(buf, off, size, BG_NET.payload);
	return pe > ps ? dnsQueryName(buf.subarray(ps, pe)) : null;
}

/** The decoder of one network record kind (every kind shares struct bg_net). */
export function netDecoder(kind: NetKind): Decoder {
	const inbound = kind === 'net_accept' || kind === 'net_listen' || kind === 'net_bind';
	return (buf: Buffer, off: number, size: number): NetEvent => {
		const flags = buf.readUInt16LE(off + BG_HDR.flags);
		const bootNs = buf.readBigUInt64LE(off + BG_HDR.ktime_ns);
		const v4 = buf.readUInt16LE(off + BG_NET.family) === AF_INET;
		const dport = buf.readUInt16LE(off + BG_NET.dport);
		return {
			kind,
			flags,
			bootNs,
			timeMs: bootNsToWallMs(bootNs),
			pid: buf.readUInt32LE(off + BG_HDR.pid),
			tid: buf.readUInt32LE(off + BG_HDR.tid),
			cgroupId: buf.readBigUInt64LE(off + BG_HDR.cgroup_id),
			uid: buf.readUInt32LE(off + BG_NET.uid),
			ret: buf.readInt32LE(off + BG_NET.ret),
			startNs: buf.readBigUInt64LE(off + BG_NET.start_ns),
			connId: buf.readBigUInt64LE(off + BG_NET.conn_id),
			durationMs: u64n(buf, off + BG_NET.duration_ns) / 1e6,
			bytesSent: u64n(buf, off + BG_NET.bytes_sent),
			bytesReceived: u64n(buf, off + BG_NET.bytes_received),
			family: v4 ? 'ip' : 'ip6',
			proto: buf[off + BG_NET.proto] === IPPROTO_TCP ? 'tcp' : 'udp',
			sip: addr(buf, off + BG_NET.saddr, v4),
			dip: addr(buf, off + BG_NET.daddr, v4),
			v4mapped: !v4 && (isV4Mapped(buf, off + BG_NET.daddr) || isV4Mapped(buf, off + BG_NET.saddr)),
			sport: buf.readUInt16LE(off + BG_NET.sport),
			dport,
			state: STATES[buf[off + BG_NET.state]] ?? 'error',
			dir: inbound || flags & BgNetFlag.BG_F_NET_INBOUND ? 'in' : 'out',
			fd: buf.readInt32LE(off + BG_NET.fd),
			enforce: buf.readUInt32LE(off + BG_NET.enforce),
			comm: decodeCString(buf, off + BG_NET.comm, 16),
			dnsQuery: dport === 53 ? dnsQuery(buf, off, size) : null,
		};
	};
}
