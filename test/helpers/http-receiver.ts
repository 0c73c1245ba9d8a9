/** @module test/helpers/http-receiver: a loopback webhook receiver (http or https) that can go down (connection refused) and come back on the same port. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';

/** One request as the receiver saw it. */
export interface Received {
	ids: string[];
	key: string | undefined;
	auth: string | undefined;
	/** The client certificate's common name, when a client certificate was presented and verified. */
	peer?: string;
}

/** HTTPS settings (PEM texts); requestCert with ca makes client certificates mandatory. */
export interface ReceiverTls {
	key: string;
	cert: string;
	ca?: string;
	requestCert?: boolean;
}

/** Records every accepted request; down() closes the listening socket and every connection. */
export class HttpReceiver {
	readonly requests: Received[] = [];
	/** Requests of any method and status, as `METHOD /path` (redirect tests: was a redirect followed?). */
	readonly seen: string[] = [];
	/** Status to answer with (tests of refused payloads and redirects). */
	status = 200;
	/** Location header sent with a 3xx status. */
	location?: string;
	/** Read requests but never answer (tests of request timeouts). */
	hang = false;
	private server?: Server;
	port = 0;

	/** tls: serve https (may be changed while down; up() uses the current value). */
	constructor(public tls?: ReceiverTls) {}

	/** Every id received, in order, repeats included. */
	get ids(): string[] {
		return this.requests.flatMap((r) => r.ids);
	}

	get url(): string {
		return `${this.tls ? 'https' : 'http'}://127.0.0.1:${this.port}/alerts`;
	}

	/** Listens on 127.0.0.1 (the same port after the first time). */
	async up(): Promise<void> {
		const handler = (req: IncomingMessage, res: ServerResponse) => this.handle(req, res);
		const t = this.tls;
		const server: Server = t
			? createTlsServer({ key: t.key, cert: t.cert, ca: t.ca, requestCert: t.requestCert ?? false, rejectUnauthorized: t.requestCert ?? false }, handler)
			: createServer(handler);
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(this.port, '127.0.0.1', () => resolve());
		});
		this.port = (server.address() as AddressInfo).port;
		this.server = server;
	}

	/** Stops listening and drops open connections: clients get connection refused/reset. */
	async down(): Promise<void> {
		const s = this.server;
		this.server = undefined;
		if (!s) return;
		const closed = new Promise((r) => s.close(r));
		s.closeAllConnections();
		await closed;
	}

	private handle(req: IncomingMessage, res: ServerResponse): void {
		const chunks: Buffer[] = [];
		this.seen.push(`${req.method} ${req.url}`);
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			if (this.hang) return;
			const ok = this.status >= 200 && this.status < 300;
			if (ok && req.method === 'POST') {
				const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id: string } | { id: string }[];
				const ids = (Array.isArray(body) ? body : [body]).map((a) => a.id);
				const h = req.headers;
				const sock = req.socket as Partial<TLSSocket>;
				const cn = sock.getPeerCertificate?.()?.subject?.CN;
				this.requests.push({ ids, key: h['idempotency-key'] as string | undefined, auth: h.authorization, ...(cn ? { peer: String(cn) } : {}) });
			}
			const headers: Record<string, string> = { 'content-type': 'text/plain' };
			if (this.location && this.status >= 300 && this.status < 400) headers.location = this.location;
			res.writeHead(this.status, headers).end('ok');
		});
	}
}
