/** @module events/net-fields: network record kinds as rule-engine evt.type values. */
import type { BgEvent, NetEvent, NetKind } from './types.js';

/** Record kind → evt.type. */
export const NET_EVT_TYPE: Readonly<Record<NetKind, string>> = {
	net_connect: 'connect',
	net_accept: 'accept',
	net_outcome: 'connect_result',
	net_close: 'close',
	net_listen: 'listen',
	net_bind: 'bind',
	net_send: 'sendto',
};

/** True for the records of the network sensor. */
export function isNet(e: BgEvent): e is NetEvent {
	return e.kind.startsWith('net_');
}
