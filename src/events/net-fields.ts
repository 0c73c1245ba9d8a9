/** @module events/net-fields: network record kinds as rule-engine evt.type values. */
import type { NetKind } from './types.js';

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
