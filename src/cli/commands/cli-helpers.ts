/** @module cli/commands/cli-helpers: running bin/bpfguard as a user does (argument arrays, no shell) for the command tests. */
import { spawnSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { repoPath } from '../../util/paths.js';

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
