/** @module rules/fields/proc-exec.test: script, loader-variable and standard-stream fields, and the pipe link between two exec'd processes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldValues } from './index.js';
import { EvalCtx } from '../context.js';
import { execEvent, fixture } from '../../../test/helpers/rules.js';
import type { BgEvent, StdioKind } from '../../events/types.js';
import { envNamesRodata } from '../../sensors/process.js';

const fork = (pid: number, ppid: number): BgEvent => ({ kind: 'fork', flags: 0, bootNs: 1n, timeMs: 1, pid, tid: pid, cgroupId: 1n, ppid, parentTid: ppid, startNs: BigInt(pid), comm: 'bash', vpid: pid, pidns: 0, mntns: 0 });
const piped = (pid: number, args: string[], kind: [StdioKind, StdioKind], ino: [number, number]) =>
	execEvent({ pid, ppid: 10, args, exe: `/usr/bin/${args[0]}`, startNs: BigInt(pid), stdioKind: [kind[0], kind[1], 'tty'], stdioIno: [ino[0], ino[1], 3] });
const PEER = ['proc.stdin.writer.name', 'proc.stdin.writer.pid', 'proc.stdout.reader.name', 'proc.stdout.reader.pid'];

test('loader variables: proc.env[NAME] and proc.env_paths[NAME] (split, relative and empty entries from the cwd)', () => {
	const c = new EvalCtx().set(execEvent({ pid: 5, cwd: '/tmp/w', env: { LD_PRELOAD: '/tmp/a.so lib.so', LD_LIBRARY_PATH: '/usr/lib::x' } }));
	const v = fieldValues(['proc.env[LD_PRELOAD]', 'proc.env_paths[LD_PRELOAD]', 'proc.env_paths[LD_LIBRARY_PATH]', 'proc.env[LD_AUDIT]', 'proc.env_paths[LD_AUDIT]'], c);
	assert.deepEqual(Object.values(v), ['/tmp/a.so lib.so', ['/tmp/a.so', '/tmp/w/lib.so'], ['/usr/lib', '/tmp/w', '/tmp/w/x'], null, null]);
});

test('stdio kinds and the script without a table; a seeded process has no stdio facts', () => {
	const c = new EvalCtx().set(execEvent({ pid: 5, exe: '/usr/bin/dash', args: ['sh', 'x.sh'], cwd: '/tmp', stdioKind: ['pipe', 'file', 'socket'], stdioIno: [9, 10, 11] }));
	assert.deepEqual(Object.values(fieldValues(['proc.stdin.type', 'proc.stdout.type', 'proc.stderr.type', 'proc.stdin.ino', 'proc.script', 'proc.is_script', 'proc.stdin.writer.name'], c)), ['pipe', 'file', 'socket', 9, '/tmp/x.sh', true, null]);
});

test('the pipe links a writer and a reader once both exec\'d, in either order; a forked shell that never execs writes nothing', () => {
	const f = fixture();
	f.apply(fork(20, 10));
	f.apply(fork(21, 10));
	// writer first: the reader's exec sees it
	f.apply(piped(20, ['curl', 'x'], ['tty', 'pipe'], [3, 700]));
	assert.deepEqual(Object.values(fieldValues(PEER, f.apply(piped(21, ['sh'], ['pipe', 'tty'], [700, 3])))), ['curl', 20, null, null]);
	// reader first: the writer's exec sees it
	f.apply(fork(22, 10));
	f.apply(fork(23, 10));
	f.apply(piped(23, ['sh'], ['pipe', 'tty'], [701, 3]));
	assert.deepEqual(Object.values(fieldValues(PEER, f.apply(piped(22, ['base64', '-d'], ['tty', 'pipe'], [3, 701])))), [null, null, 'sh', 23]);
	// echo | sh: the writer is the shell's fork (a builtin), never exec'd: no writer
	f.apply(fork(24, 10));
	assert.deepEqual(Object.values(fieldValues(PEER, f.apply(piped(25, ['sh'], ['pipe', 'tty'], [702, 3])))), [null, null, null, null]);
	// a pipe's writer that exec'd something else since is no longer its writer
	f.apply(piped(20, ['sleep', '1'], ['tty', 'tty'], [3, 3]));
	assert.equal(f.table.pipeWriter(700), undefined);
});

test('cfg_env_names: "NAME=" in 32-byte slots, zeros after; too many or bad names throw', () => {
	const b = envNamesRodata(['LD_PRELOAD', 'X']);
	assert.equal(b.length, 8 * 32);
	assert.equal(b.toString('latin1', 0, 12), 'LD_PRELOAD=\0');
	assert.equal(b.toString('latin1', 32, 35), 'X=\0');
	assert.ok(b.subarray(64).every((x) => x === 0));
	assert.throws(() => envNamesRodata(Array.from({ length: 9 }, (_, i) => `V${i}`)), /at most 8/);
	assert.throws(() => envNamesRodata(['A=B']), /bad environment name/);
	assert.throws(() => envNamesRodata(['V'.repeat(31)]), /bad environment name/);
});
