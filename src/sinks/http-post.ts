/** @module sinks/http-post: one HTTP(S) POST over a keep-alive agent; redirects are answers, never followed. */
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** PEM texts for an https agent: ca replaces the built-in CAs; cert and key authenticate the client. */
export interface TlsMaterial {
	ca?: string;
	cert?: string;
	key?: string;
}

/** A keep-alive agent with one connection (requests are sequential) for url's scheme. */
export function makeAgent(url: URL, tls: TlsMaterial = {}): HttpAgent {
	const common = { keepAlive: true, maxSockets: 1 };
	return url.protocol === 'https:' ? new HttpsAgent({ ...common, ...tls }) : new HttpAgent(common);
}

/** Request settings: signal bounds the whole exchange, response body included. */
export interface PostOptions {
	agent: HttpAgent;
	headers: Record<string, string>;
	body: string;
	signal: AbortSignal;
}

/**
 * POSTs body and reads the whole response; resolves with its status. A 3xx is returned like any
 * status (node:http does not follow redirects); rejects on a connection, TLS or timeout error.
 */
export function post(url: URL, o: PostOptions): Promise<number> {
	const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
	const headers = { ...o.headers, 'content-length': String(Buffer.byteLength(o.body)) };
	return new Promise((resolve, reject) => {
		const req = send(url, { method: 'POST', agent: o.agent, headers, signal: o.signal }, (res) => {
			res.on('error', reject);
			res.on('end', () => resolve(res.statusCode ?? 0));
			res.on('close', () => {
				if (!res.complete) reject(new Error('post: response cut short'));
			});
			res.resume();
		});
		req.on('error', reject);
		req.end(o.body);
	});
}
