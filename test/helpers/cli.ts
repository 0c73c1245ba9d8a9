/** @module test/helpers/cli: run bin/bpfguard as a user does (argument arrays, no shell): one-shot commands and tracing commands around an action. */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { repoPath } from '../../src/util/paths.js';
import { sleep } from './collect.js';

const BIN = repoPath('bin/bpfguard');

/** Start `bpfguard COMMAND ARGS`, wait until its sensors are attached, run action, stop with SIGINT; returns stdout, stderr, exit code. */
export async function traceAround(
	command: string,
	args: string[],
	action: () => Promise<void>,
	settleMs = 300,
): Promise<{ out: string; err: string; code: unknown }> {
	const p = spawn(process.execPath, [BIN, command, ...args, '--duration', '30'], { stdio: ['ignore', 'pipe', 'pipe'] });
	let out = '';
	let err = '';
	p.stdout.on('data', (d) => (out += d));
	p.stderr.on('data', (d) => (err += d));
	for (let i = 0; i < 100 && !err.includes('sensors attached'); i++) await sleep(100);
	assert.match(err, /sensors attached/);
	await action();
	await sleep(settleMs);
	p.kill('SIGINT');
	const code = await new Promise((r) => p.on('close', r));
	return { out, err, code };
}

/** What a bpfguard run printed and how it exited. */
export interface CliRun {
	status: number | null;
	stdout: string;
	stderr: string;
}

/** Runs bpfguard with args (an argument array, never a shell string). */
export function bpfguard(args: string[]): CliRun {
	const r = spawnSync(process.execPath, [repoPath('bin/bpfguard'), ...args], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, TZ: 'UTC' } });
	return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Asserts a failed run: the exit code, and exactly one stderr line matching pattern, no stack trace. */
export function assertOneLineError(r: CliRun, status: number, pattern: RegExp): void {
	assert.equal(r.status, status, r.stderr);
	const lines = r.stderr.trim().split('\n');
	assert.equal(lines.length, 1, `one line, got: ${r.stderr}`);
	assert.match(lines[0], pattern);
}
