/** @module sensors/net: TCP connect/accept/outcome/close, UDP first sends (DNS names), listen and bind. */
import { u32, u8, type Sensor } from './sensor.js';
import type { SensorRuntime } from './runtime.js';
import type { EventKind } from '../events/types.js';
import { BgKind } from '../events/generated/layouts.js';

const NET_KIND_CODES: Readonly<Record<string, number>> = {
	net_connect: BgKind.BG_EV_NET_CONNECT,
	net_accept: BgKind.BG_EV_NET_ACCEPT,
	net_outcome: BgKind.BG_EV_NET_OUTCOME,
	net_close: BgKind.BG_EV_NET_CLOSE,
	net_listen: BgKind.BG_EV_NET_LISTEN,
	net_bind: BgKind.BG_EV_NET_BIND,
	net_send: BgKind.BG_EV_NET_SEND,
};

/** bg_net_skip: one bit per network record kind not in wanted (undefined: skip none). */
export function netSkipMask(wanted: readonly EventKind[] | undefined): Buffer {
	let mask = 0;
	if (wanted) {
		const keep = new Set<string>(wanted);
		for (const [kind, code] of Object.entries(NET_KIND_CODES)) if (!keep.has(kind)) mask |= 1 << (code - BgKind.BG_EV_NET_CONNECT);
	}
	return u32(mask);
}

function u16(v: number): Buffer {
	const b = Buffer.alloc(2);
	b.writeUInt16LE(v & 0xffff);
	return b;
}

/** The network sensor (bpf/net.bpf.c). */
export const netSensor: Sensor = {
	name: 'net',
	object: 'net',
	kinds: ['net_connect', 'net_accept', 'net_outcome', 'net_close', 'net_listen', 'net_bind', 'net_send'],
	syscalls: [
		{ hook: 'enter', syscalls: ['connect'], prog: 'bg_net_conn_in' },
		{ hook: 'exit', syscalls: ['connect'], prog: 'bg_net_connect' },
		{ hook: 'exit', syscalls: ['accept', 'accept4'], prog: 'bg_net_accept' },
		{ hook: 'exit', syscalls: ['listen'], prog: 'bg_net_listen' },
		{ hook: 'exit', syscalls: ['bind'], prog: 'bg_net_bind' },
		{ hook: 'exit', syscalls: ['sendto'], prog: 'bg_net_sendto' },
		{ hook: 'exit', syscalls: ['sendmsg'], prog: 'bg_net_sendmsg' },
	],
	description: 'network: TCP connects with outcome, accepts, closes with bytes and duration, UDP destinations and DNS names, listen, bind',
	configure(obj, f) {
		if (f.uid !== undefined) obj.setRodata('cfg_uid', u32(f.uid));
		if (f.pid !== undefined) obj.setRodata('cfg_pid', u32(f.pid));
		if (f.ports?.length) obj.setRodata('cfg_ports', u8(1));
	},
	populate(obj, f) {
		for (const p of f.ports ?? []) obj.mapUpdate('bg_net_ports', u16(p), u8(1));
		obj.mapUpdate('bg_net_skip', u32(0), netSkipMask(f.netKinds));
	},
};

/** Change which record kinds a running net sensor emits (undefined: all); next record on. */
export function setNetKinds(rt: SensorRuntime, kinds: readonly EventKind[] | undefined): void {
	rt.object(netSensor.name).mapUpdate('bg_net_skip', u32(0), netSkipMask(kinds));
}
