/** @module test/helpers/http-receiver: a loopback webhook receiver that can go down (connection refused) and come back on the same port. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the receiver saw it. */
export interface Received {
	ids: string[];
	key: string | undefined;
	auth: string | undefined;
}

/** Records every accepted request; down() closes the listening socket and every connection. */
export class HttpReceiver {
	readonly requests: Received[] = [];
	/** Status to answer with (tests of refused payloads). */
	status = 200;
	/** Read requests but never answer (tests of request timeouts). */
	hang = false;
	private server?: Server;
	port = 0;

	/** Every id received, in order, repeats included. */
	get ids(): string[] {
		return this.requests.flatMap((r) => r.ids);
	}

	get url(): string {
		return `http://127.0.0.1:${this.port}/alerts`;
	}

	/** Listens on 127.0.0.1 (the same port after the first time). */
	async up(): Promise<void> {
		const server = createServer((req, res) => this.handle(req, res));
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
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			if (this.hang) return;
			if (this.status >= 200 && this.status < 300) {
				const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id: string } | { id: string }[];
				const ids = (Array.isArray(body) ? body : [body]).map((a) => a.id);
				const h = req.headers;
				this.requests.push({ ids, key: h['idempotency-key'] as string | undefined, auth: h.authorization });
			}
			res.writeHead(this.status, { 'content-type': 'text/plain' }).end('ok');
		});
	}
}
