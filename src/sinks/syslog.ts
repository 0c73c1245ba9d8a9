/** @module sinks/syslog: RFC 5424 messages to a unix datagram socket (/dev/log) or udp://host:port. */
import { createSocket, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import type { Alert } from '../alerts/alert.js';
import type { Sink, SinkStats } from './sink.js';
import { PRIORITIES } from '../alerts/alert.js';
import { addon } from '../bridge/addon.js';
import { FACILITIES, type Facility } from './config.js';
import { escapeText } from './escape.js';
import { SinkError } from './errors.js';
import { IdleWaiters, sleep } from './idle.js';

/** Where syslog messages go and how they are tagged. */
export interface SyslogOptions {
	/** Absolute unix datagram socket path (default /dev/log) or udp://host:port (port default 514). */
	target?: string;
	/** Default authpriv (security/authorization messages, not world-readable on stock systems). */
	facility?: Facility;
	logs?: boolean;
	/** Messages longer than this are cut (MSG only, counted in `truncated`). Default 8192. */
	maxMessageBytes?: number;
	/** Messages waiting past this count drop the oldest (counted). Default 10000. */
	maxQueue?: number;
}

/** SD-ID of our structured data: 32473 is the documentation enterprise number (RFC 5612). */
export const SD_ID = 'bpfguard@32473';
const ATTEMPTS = 4;

// A datagram transport; send rejects/throws with a coded error.
interface Transport {
	send(b: Buffer): Promise<void> | void;
	close(): void;
}

/** PARAM-VALUE escaping (RFC 5424 §6.3.3): controls escaped first, then `"`, `\` and `]`. */
export function escapeSdValue(v: string): string {
	return escapeText(v).replace(/["\\\]]/g, '\\$&');
}

function headerField(v: string, max: number): string {
	const s = v.replace(/[^\x21-\x7e]/g, '_').slice(0, max);
	return s || '-';
}

/** One alert as an RFC 5424 message; MSG is one line, cut at a UTF-8 boundary to fit maxBytes. */
export function formatSyslog(a: Alert, facility: number, pid: number, maxBytes = 8192): { msg: Buffer; truncated: boolean } {
	const pri = facility * 8 + PRIORITIES.indexOf(a.priority);
	const params = [`rule="${escapeSdValue(a.rule)}"`, `priority="${a.priority}"`, `id="${escapeSdValue(a.id)}"`];
	if (a.count > 1) params.push(`count="${a.count}"`);
	const ts = new Date(a.timeMs).toISOString();
	const head = `<${pri}>1 ${ts} ${headerField(a.hostname, 255)} bpfguard ${pid} - [${SD_ID} ${params.join(' ')}] `;
	const buf = Buffer.from(head + escapeText(a.output));
	if (buf.length <= maxBytes) return { msg: buf, truncated: false };
	let end = Math.max(Buffer.byteLength(head), maxBytes);
	while (end > 0 && (buf[end] & 0xc0) === 0x80) end--;
	return { msg: buf.subarray(0, end), truncated: true };
}

class UnixTransport implements Transport {
	constructor(private readonly path: string) {}
	send(b: Buffer): void {
		addon().sendUnixDgram(this.path, b);
	}
	close(): void {}
}

class UdpTransport implements Transport {
	private readonly sock: Socket;
	constructor(
		private readonly host: string,
		private readonly port: number,
	) {
		this.sock = createSocket(isIPv6(host) ? 'udp6' : 'udp4');
		this.sock.on('error', () => {}); // reported per send
		this.sock.unref();
	}
	send(b: Buffer): Promise<void> {
		return new Promise((resolve, reject) => this.sock.send(b, this.port, this.host, (e) => (e ? reject(e) : resolve())));
	}
	close(): void {
		this.sock.close();
	}
}

// A transport for `/path` or `udp://host:port`.
function transportFor(target: string): Transport {
	if (target.startsWith('/')) return new UnixTransport(target);
	let u: URL;
	try {
		u = new URL(target);
	} catch {
		throw new SinkError(`parse syslog target ${target}: not a url`, 'EINVAL', 'syslog');
	}
	if (u.protocol !== 'udp:' || !u.hostname) throw new SinkError(`parse syslog target ${target}: expected udp://host:port`, 'EINVAL', 'syslog');
	return new UdpTransport(u.hostname.replace(/^\[(.*)\]$/, '$1'), u.port ? Number(u.port) : 514);
}

/** Sends each alert as one datagram, in order, off the event path; failures retried briefly, then dropped and counted. */
export class SyslogSink implements Sink {
	readonly name = 'syslog';
	readonly acceptsLogs: boolean;
	private readonly target: string;
	private readonly facility: number;
	private readonly maxBytes: number;
	private readonly maxQueue: number;
	private readonly s: SinkStats & { truncated: number } = { written: 0, failed: 0, dropped: 0, queued: 0, truncated: 0 };
	private transport?: Transport;
	private queue: Buffer[] = [];
	private pumping = false;
	private closed = false;
	private readonly idle = new IdleWaiters();
	private readonly stop = new AbortController();

	constructor(opts: SyslogOptions = {}) {
		this.target = opts.target ?? '/dev/log';
		this.facility = FACILITIES[opts.facility ?? 'authpriv'];
		this.acceptsLogs = opts.logs ?? false;
		this.maxBytes = opts.maxMessageBytes ?? 8192;
		this.maxQueue = opts.maxQueue ?? 10_000;
	}

	async start(): Promise<void> {
		this.transport = transportFor(this.target);
	}

	write(a: Alert): void {
		if (this.closed || !this.transport) {
			this.s.dropped++;
			return;
		}
		const { msg, truncated } = formatSyslog(a, this.facility, process.pid, this.maxBytes);
		if (truncated) this.s.truncated++;
		if (this.queue.length >= Math.max(2, this.maxQueue)) {
			this.queue.splice(this.pumping ? 1 : 0, 1); // the head may be in flight
			this.s.dropped++;
		} else this.s.queued++;
		this.queue.push(msg);
		if (!this.pumping) {
			this.pumping = true;
			setImmediate(() => void this.pump());
		}
	}

	// Sends queued messages one at a time, in order.
	private async pump(): Promise<void> {
		let attempt = 0;
		while (this.queue.length > 0 && !this.stop.signal.aborted) {
			try {
				await this.transport!.send(this.queue[0]);
				this.s.written++;
			} catch {
				this.s.failed++;
				if (++attempt < ATTEMPTS) {
					await sleep(25 * 2 ** attempt, this.stop.signal);
					continue;
				}
				this.s.dropped++;
			}
			attempt = 0;
			this.queue.shift();
			this.s.queued--;
		}
		this.pumping = false;
		this.idle.notify();
	}

	/** Waits until every queued message was sent or dropped, at most timeoutMs. */
	async flush(timeoutMs = 5000): Promise<void> {
		if (this.pumping) await this.idle.wait(timeoutMs);
	}

	async close(): Promise<void> {
		if (this.closed) return;
		this.closed = true;
		await this.flush();
		this.stop.abort();
		if (this.pumping) await this.idle.wait(1000);
		this.s.dropped += this.queue.length;
		this.s.queued -= this.queue.length;
		this.queue = [];
		this.transport?.close();
	}

	stats(): SinkStats & { truncated: number } {
		return { ...this.s };
	}
}
