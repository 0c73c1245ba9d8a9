/** @module sensors/net: TCP connect/accept/outcome/close, UDP first sends (DNS names), listen and bind. */
import { u32, u8, type Sensor } from './sensor.js';

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
	},
};
