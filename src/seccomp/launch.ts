/** @module seccomp/launch: runs a command under a compiled profile via the native launcher; signals in, status out. */
import { spawn, spawnSync } from 'node:child_process';
import { constants } from 'node:os';
import type { Socket } from 'node:net';
import { repoPath } from '../util/paths.js';
import type { CompiledSpec } from './compile.js';

/** build/bpfguard-sandbox (native/sandbox/launcher.c). */
export const LAUNCHER = repoPath('build/bpfguard-sandbox');
const FORWARDED = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'] as const;
/** Signals a terminal sends to its whole foreground group: the command has them already. */
const FROM_TTY = new Set<string>(['SIGINT', 'SIGQUIT']);

/** How the launched command ended, or why the launcher refused to run it. */
export interface LaunchResult {
	readonly pid: number;
	readonly code: number | null;
	readonly signal: NodeJS.Signals | null;
	/** The launcher's failure: the spec line (0 if none), a code word and a message; null when the command ran. */
	readonly failure: { line: number; code: string; message: string } | null;
}

/** Parses the launcher's one failure line "LINE CODE message". */
export function parseFailure(s: string): LaunchResult['failure'] {
	const m = /^(\d+) (\S+) (.*)$/m.exec(s);
	return m ? { line: Number(m[1]), code: m[2], message: m[3] } : s.trim() ? { line: 0, code: 'launcher', message: s.trim() } : null;
}

/** The exit status a shell would give: the code, or 128 + the signal's number. */
export function exitStatus(code: number | null, signal: NodeJS.Signals | null): number {
	if (code !== null) return code;
	return 128 + (signal ? (constants.signals[signal] ?? 0) : 0);
}

/**
 * Starts `cmd args` under the spec; forwards SIGINT/SIGTERM/SIGHUP/SIGQUIT to it while it runs
 * (SIGINT and SIGQUIT not when stdin is a terminal: Ctrl-C and Ctrl-\ reach the command directly).
 * onSpawn runs with the launcher's pid before the launcher has its spec, so before the filter and the exec.
 */
export function launch(spec: CompiledSpec, cmd: string, args: readonly string[], onSpawn?: (pid: number) => void): Promise<LaunchResult> {
	return new Promise((resolve, reject) => {
		const child = spawn(LAUNCHER, ['3', cmd, ...args], { stdio: ['inherit', 'inherit', 'inherit', 'pipe'] });
		const fwd = FORWARDED.map((sig) => {
			const tty = process.stdin.isTTY === true && FROM_TTY.has(sig);
			const h = () => (tty ? undefined : child.kill(sig));
			process.on(sig, h);
			return () => process.off(sig, h);
		});
		const chan = child.stdio[3] as Socket;
		let said = '';
		chan.setEncoding('utf8');
		chan.on('data', (d: string) => (said += d.slice(0, 4096)));
		chan.on('error', () => undefined);
		if (child.pid !== undefined) {
			try {
				onSpawn?.(child.pid);
			} catch (e) {
				child.kill('SIGKILL');
				reject(e);
				return;
			}
		}
		chan.end(spec.text);
		child.on('error', (e) => {
			fwd.forEach((off) => off());
			reject(e);
		});
		child.on('close', (code, signal) => {
			fwd.forEach((off) => off());
			resolve({ pid: child.pid as number, code, signal, failure: parseFailure(said) });
		});
	});
}

/** Syscall names for "arch:nr" keys, resolved by libseccomp through the launcher. */
export function syscallNames(keys: readonly { arch: number; nr: number }[]): Map<string, string> {
	const out = new Map<string, string>();
	const byArch = new Map<number, number[]>();
	for (const k of keys) byArch.set(k.arch, [...(byArch.get(k.arch) ?? []), k.nr]);
	for (const [arch, nrs] of byArch) {
		const r = spawnSync(LAUNCHER, ['--names', arch.toString(16), ...nrs.map(String)], { encoding: 'utf8' });
		const names = (r.stdout ?? '').split('\n');
		nrs.forEach((nr, i) => {
			if (names[i] && names[i] !== '?') out.set(`${arch}:${nr}`, names[i]);
		});
	}
	return out;
}
