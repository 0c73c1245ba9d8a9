/**
 * @module test/helpers/fake-runtime: a fake Docker/Podman API served by node:http on a unix socket in
 * a temporary directory: fixed answers by path, an optional delay, and a socket that accepts and never answers.
 */
import { createServer as httpServer, type Server } from 'node:http';
import { createServer as netServer, type Server as NetServer, type Socket } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A running fake API. */
export interface FakeRuntime {
	readonly socketPath: string;
	/** Paths requested so far, in order. */
	readonly requests: string[];
	close(): Promise<void>;
}

/** A temporary directory for sockets (0700). */
export function socketDir(): string {
	return mkdtempSync(join(tmpdir(), 'bg-cmeta-'));
}

/** Serve answers[path] as JSON (status 200), anything else 404 with Docker's error body; delayMs before each answer. */
export async function fakeRuntime(answers: Record<string, unknown>, o: { delayMs?: number; socketPath?: string } = {}): Promise<FakeRuntime> {
	const socketPath = o.socketPath ?? join(socketDir(), 'api.sock');
	const requests: string[] = [];
	const server: Server = httpServer((req, res) => {
		const path = req.url ?? '';
		requests.push(path);
		const send = () => {
			const hit = Object.hasOwn(answers, path);
			res.writeHead(hit ? 200 : 404, { 'content-type': 'application/json' });
			res.end(JSON.stringify(hit ? answers[path] : { message: `no such container: ${path}` }));
		};
		if (o.delayMs) setTimeout(send, o.delayMs).unref();
		else send();
	});
	await new Promise<void>((resolve) => server.listen(socketPath, resolve));
	return {
		socketPath,
		requests,
		close: () => {
			server.closeAllConnections();
			return new Promise((resolve) => server.close(() => resolve()));
		},
	};
}

/** A unix socket that accepts connections and never answers (a hung runtime). */
export async function silentSocket(socketPath = join(socketDir(), 'hung.sock')): Promise<{ socketPath: string; accepted: () => number; close(): Promise<void> }> {
	const held: Socket[] = [];
	const server: NetServer = netServer((s) => {
		held.push(s);
		s.on('error', () => {});
	});
	await new Promise<void>((resolve) => server.listen(socketPath, resolve));
	return {
		socketPath,
		accepted: () => held.length,
		close: () => {
			for (const s of held) s.destroy();
			return new Promise((resolve) => server.close(() => resolve()));
		},
	};
}
