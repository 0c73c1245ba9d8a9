/** @module monitor/metrics-server: serves /metrics over HTTP; loopback unless allowed, a bearer token when remote. */
import { createServer, type Server } from 'node:http';
import { isIP } from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { MonitorMetrics } from './metrics.js';
import { secretProblem } from '../util/file-trust.js';

/** A listen address that cannot be used, with the reason (one line). */
export class MetricsConfigError extends Error {
	readonly code = 'EMETRICS';
}

/** Where and how /metrics is served. */
export interface MetricsListen {
	host: string;
	port: number;
	/** Required from every scraper when set (Authorization: Bearer …). */
	token?: string;
}

/** Whether host is a loopback address (127.0.0.0/8, ::1, localhost). */
export function isLoopback(host: string): boolean {
	if (host === 'localhost') return true;
	if (isIP(host) === 4) return host.startsWith('127.');
	if (isIP(host) === 6) return host === '::1' || /^::ffff:127\./i.test(host);
	return false;
}

/**
 * Parse "HOST:PORT" ("[::1]:9464" for IPv6) and check the policy: a non-loopback host needs
 * allowRemote and a token (inline or from tokenFile). Throws MetricsConfigError.
 */
export function metricsListen(addr: string, o: { allowRemote?: boolean; token?: string; tokenFile?: string } = {}): MetricsListen {
	const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]\s]+)):(\d{1,5})$/.exec(addr);
	const port = m ? Number(m[3]) : NaN;
	if (!m || port > 65535) throw new MetricsConfigError(`metrics: bad listen address '${addr}': expected HOST:PORT (e.g. 127.0.0.1:9464, [::1]:9464)`);
	const host = m[1] ?? m[2];
	if (m[1] && isIP(host) !== 6) throw new MetricsConfigError(`metrics: bad listen address '${addr}': not an IPv6 address in brackets`);
	if (isLoopback(host)) return { host, port };
	if (!o.allowRemote) throw new MetricsConfigError(`metrics: refusing to listen on non-loopback address ${host}: set metrics.allow_remote: true (and a token) to expose metrics`);
	if (o.token !== undefined && o.tokenFile !== undefined) throw new MetricsConfigError('metrics: give one of token, token_file');
	let token = o.token;
	if (o.tokenFile) {
		const unsafe = secretProblem(o.tokenFile);
		if (unsafe) throw new MetricsConfigError(`metrics: token file ${o.tokenFile}: ${unsafe}`);
		try {
			token = readFileSync(o.tokenFile, 'utf8').trim();
		} catch (e) {
			throw new MetricsConfigError(`metrics: cannot read token file ${o.tokenFile}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
		}
	}
	if (!token) throw new MetricsConfigError(`metrics: listening on ${host} needs a bearer token (metrics.token or metrics.token_file)`);
	if (!/^[\x21-\x7e]{16,}$/.test(token)) throw new MetricsConfigError('metrics: the token must be at least 16 visible ASCII characters (no spaces)');
	return { host, port, token };
}

function authorized(header: string | undefined, token: string): boolean {
	const want = Buffer.from(`Bearer ${token}`);
	const got = Buffer.from(header ?? '');
	return got.length === want.length && timingSafeEqual(got, want);
}

/** Start serving GET /metrics; resolves once listening (rejects on EADDRINUSE and the like). */
export function serveMetrics(metrics: MonitorMetrics, l: MetricsListen): Promise<Server> {
	const server = createServer((req, res) => {
		const path = (req.url ?? '').split('?')[0];
		if (path !== '/metrics') {
			res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /metrics\n');
			return;
		}
		if (req.method !== 'GET' && req.method !== 'HEAD') {
			res.writeHead(405, { allow: 'GET, HEAD' }).end();
			return;
		}
		if (l.token && !authorized(req.headers.authorization, l.token)) {
			res.writeHead(401, { 'www-authenticate': 'Bearer realm="bpfguard"', 'content-type': 'text/plain' }).end('unauthorized\n');
			return;
		}
		metrics.text().then(
			(body) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(req.method === 'HEAD' ? undefined : body),
			(e: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`collect metrics: ${e.message}\n`),
		);
	});
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(l.port, l.host, () => {
			server.off('error', reject);
			resolve(server);
		});
	});
}
