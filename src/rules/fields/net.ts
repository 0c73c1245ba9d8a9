/** @module rules/fields/net: connection fields (direction, state, duration, bytes, DNS name). */
import { defineFields } from './registry.js';
import type { EvalCtx } from '../context.js';
import type { NetEvent } from '../../events/types.js';
import { isNet } from '../../events/table.js';

const net = (c: EvalCtx): NetEvent | undefined => (isNet(c.e) ? c.e : undefined);

defineFields([
	{ name: 'evt.dir', type: 'string', sensor: 'net', desc: "connection direction: 'out' (connect, send) or 'in' (accept, listen, bind)", extract: (c) => net(c)?.dir },
	{ name: 'net.state', type: 'string', sensor: 'net', desc: 'established, in_progress, refused, timeout, error, closed or listen', extract: (c) => net(c)?.state },
	{ name: 'net.conn_id', type: 'number', sensor: 'net', desc: 'bpfguard id of a tracked TCP connection, the same from connect or accept to close (0 when not tracked)', extract: (c) => (net(c) ? Number(net(c)!.connId) : undefined) },
	{ name: 'net.duration_ms', type: 'number', sensor: 'net', desc: 'close: ms the connection lasted', extract: (c) => net(c)?.durationMs },
	{ name: 'net.bytes_sent', type: 'number', sensor: 'net', desc: 'close: bytes sent (tcp bytes_acked)', extract: (c) => net(c)?.bytesSent },
	{ name: 'net.bytes_received', type: 'number', sensor: 'net', desc: 'close: bytes received', extract: (c) => net(c)?.bytesReceived },
	{ name: 'net.dns_query', type: 'string', sensor: 'net', desc: 'query name of a datagram to port 53', extract: (c) => net(c)?.dnsQuery ?? undefined },
	{ name: 'fd.v4mapped', type: 'bool', sensor: 'net', desc: 'the IPv6 socket carries an IPv4-mapped address', extract: (c) => net(c)?.v4mapped },
]);
