/** @module test/helpers/tcpserver: a real loopback TCP server (build/progs/tcpserver) for the network tests. */
import { spawn } from 'node:child_process';
import { repoPath } from '../../src/util/paths.js';

/** A running tcpserver: its pid and port, its end, and a kill for failures. */
export interface TcpServer {
	pid: number;
	port: number;
	done: Promise<unknown>;
	kill: () => void;
}

/** Start tcpserver on addr for n connections; resolves once it listens (rejects if it exits first). */
export async function tcpServer(addr: string, n: number, opts: { cwd?: string } = {}): Promise<TcpServer> {
	const s = spawn(repoPath('build/progs/tcpserver'), [addr, String(n)], { cwd: opts.cwd, stdio: ['ignore', 'pipe', 'inherit'] });
	const done = new Promise((r) => s.on('close', r));
	let out = '';
	await new Promise<void>((resolve, reject) => {
		s.stdout.on('data', (d) => {
			out += d;
			if (out.includes('\n')) resolve();
		});
		s.on('close', () => reject(new Error(`tcpserver exited: ${out}`)));
	});
	return { pid: s.pid!, port: Number(/port=(\d+)/.exec(out)![1]), done, kill: () => s.kill('SIGKILL') };
}
