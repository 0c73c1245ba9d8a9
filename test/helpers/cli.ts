/** @module test/helpers/cli: run a bpfguard tracing command around an action, as a user would. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
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
