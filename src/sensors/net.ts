/** @module sensors/net: TCP connect/accept/outcome/close, UDP first sends (DNS names), listen and bind. */
import { configureFollow, populateFollow, u32, u8, type Sensor } from './sensor.js';
import type { SensorRuntime } from './runtime.js';
import { BG_NET_FILTER, BgKind, BgNetFilterLimit, BgNetState } from '../events/generated/layouts.js';
import { EVENT_TABLE, kindsOfSensor } from '../events/table.js';
import type { NetNeeds } from './options.js';
import type { NativeBpfObject } from '../bridge/addon.js';
import { hasIoUringTracepoints, IORING_OP } from './uring.js';

function u16(v: number): Buffer {
	const b = Buffer.alloc(2);
	b.writeUInt16LE(v & 0xffff);
	return b;
}

const NET_ROWS = EVENT_TABLE.filter((r) => r.sensor === 'net');

/** bg_net_filter.skip bits: one per network record kind not in wanted (undefined: skip none). */
export function netSkipMask(wanted: readonly string[] | undefined): number {
	let mask = 0;
	if (wanted) {
		const keep = new Set<string>(wanted);
		for (const r of NET_ROWS) if (!keep.has(r.kind)) mask |= 1 << (r.code - BgKind.BG_EV_NET_CONNECT);
	}
	return mask;
}

/** The kernel's key for a process name: 16 bytes, NUL-padded; null when longer than a comm can be. */
export function commKey(name: string): Buffer | null {
	const b = Buffer.from(name);
	if (!b.length || b.length > 15) return null;
	const k = Buffer.alloc(16);
	b.copy(k);
	return k;
}

/** bg_net_filter.states: one bit per net.state name (enum bg_net_state). */
export function netStateMask(states: readonly string[] | undefined): number {
	let mask = 0;
	for (const s of states ?? []) {
		const v = (BgNetState as Record<string, number>)[`BG_NS_${s.toUpperCase()}`];
		if (v !== undefined) mask |= 1 << v;
	}
	return mask >>> 0;
}

function filterValue(n: NetNeeds): Buffer {
	const v = Buffer.alloc(BG_NET_FILTER.SIZE);
	v.writeUInt32LE(netSkipMask(n.kinds) >>> 0, BG_NET_FILTER.skip);
	v.writeUInt32LE(n.comms ? 1 : 0, BG_NET_FILTER.by_comm);
	v.writeUInt32LE(n.comms ? netStateMask(n.states) : 0, BG_NET_FILTER.states);
	return v;
}

/**
 * Make the kernel emit what n asks for. New names go in before the filter is switched on and
 * old ones out after, so no name either set needs is missing in between.
 */
export function applyNetNeeds(obj: NativeBpfObject, n: NetNeeds): void {
	const keys = new Map<string, Buffer>();
	for (const c of n.comms ?? []) {
		const k = commKey(c);
		if (k) keys.set(k.toString('hex'), k);
	}
	if (keys.size > BgNetFilterLimit.BG_NET_COMMS_MAX) throw new Error(`net filter: at most ${BgNetFilterLimit.BG_NET_COMMS_MAX} process names`);
	for (const k of keys.values()) obj.mapUpdate('bg_net_comms', k, u8(1));
	obj.mapUpdate('bg_net_filter', u32(0), filterValue(n));
	for (const k of obj.mapKeys('bg_net_comms')) if (!keys.has(k.toString('hex'))) obj.mapDelete('bg_net_comms', k);
}

/** The network sensor (bpf/net/net.bpf.c). */
export const netSensor: Sensor<'net'> = {
	name: 'net',
	object: 'net',
	kinds: kindsOfSensor('net'),
	syscalls: [
		{ hook: 'enter', syscalls: ['connect'], prog: 'bg_net_conn_in', ia32Prog: 'bg_net_conn_in32' },
		{ hook: 'exit', syscalls: ['connect'], prog: 'bg_net_connect', ia32Prog: 'bg_net_connect32' },
		{ hook: 'exit', syscalls: ['accept', 'accept4'], prog: 'bg_net_accept', ia32Prog: 'bg_net_accept32' },
		{ hook: 'exit', syscalls: ['listen'], prog: 'bg_net_listen', ia32Prog: 'bg_net_listen32' },
		{ hook: 'exit', syscalls: ['bind'], prog: 'bg_net_bind', ia32Prog: 'bg_net_bind32' },
		{ hook: 'enter', syscalls: ['sendto'], prog: 'bg_net_tfo_sendto_in' },
		{ hook: 'enter', syscalls: ['sendmsg'], prog: 'bg_net_tfo_sendmsg_in' },
		{ hook: 'exit', syscalls: ['sendto'], prog: 'bg_net_sendto' },
		{ hook: 'exit', syscalls: ['sendmsg'], prog: 'bg_net_sendmsg' },
		{ hook: 'exit', syscalls: ['sendmmsg'], prog: 'bg_net_sendmmsg' },
	],
	uring: [
		{ hook: 'submit', ops: [IORING_OP.CONNECT, IORING_OP.SEND, IORING_OP.SENDMSG, IORING_OP.SEND_ZC, IORING_OP.SENDMSG_ZC], prog: 'bg_net_uring_sub' },
		{ hook: 'complete', ops: [IORING_OP.CONNECT, IORING_OP.ACCEPT, IORING_OP.SEND, IORING_OP.SENDMSG, IORING_OP.SEND_ZC, IORING_OP.SENDMSG_ZC], prog: 'bg_net_uring' },
	],
	description: 'network: TCP connects (also by TCP Fast Open sends) with outcome, accepts, closes with bytes and duration, UDP destinations and DNS names, listen, bind',
	configure(obj, f, o) {
		if (!hasIoUringTracepoints()) for (const p of ['bg_net_uring', 'bg_net_uring_sub']) obj.setAutoload(p, false);
		if (f.uid !== undefined) obj.setRodata('cfg_uid', u32(f.uid));
		if (o.pid !== undefined) obj.setRodata('cfg_pid', u32(o.pid));
		if (o.ports?.length) obj.setRodata('cfg_ports', u8(1));
		configureFollow(obj, f, ['bg_net_free']);
	},
	populate(obj, f, o) {
		populateFollow(obj, f);
		for (const p of o.ports ?? []) obj.mapUpdate('bg_net_ports', u16(p), u8(1));
		applyNetNeeds(obj, o.needs ?? {});
	},
};

/** Change what a running net sensor emits (see NetNeeds); from the next record on. */
export function setNetNeeds(rt: SensorRuntime, n: NetNeeds): void {
	applyNetNeeds(rt.object(netSensor.name), n);
}
