/** @module test/helpers/rules: fixtures for rule tests (a process table and contexts from synthetic events). */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BgEvent, ExecEvent } from '../../src/events/types.js';
import { ProcessTable } from '../../src/process/table.js';
import { UserDb } from '../../src/process/users.js';
import { EvalCtx } from '../../src/rules/context.js';

let n = 0;

/** An exec event with sensible defaults. */
export function execEvent(p: Partial<ExecEvent> & { pid: number }): ExecEvent {
	const args = p.args ?? ['/bin/true'];
	return {
		kind: 'exec',
		flags: 0,
		bootNs: BigInt(++n) * 1000n,
		timeMs: 1_700_000_000_000 + n,
		tid: p.pid,
		cgroupId: 1n,
		ppid: 1,
		oldTid: p.pid,
		uid: 0,
		gid: 0,
		euid: 0,
		egid: 0,
		loginuid: 4294967295,
		sid: p.pid,
		ret: 0,
		argc: args.length,
		stdioSock: 0,
		enforce: 0,
		startNs: BigInt(n) * 1000n,
		comm: (args[0].split('/').pop() ?? '').slice(0, 15),
		exe: args[0],
		args,
		argsTruncated: false,
		cwd: '/',
		tty: '',
		script: '',
		env: {},
		stdioKind: ['tty', 'tty', 'tty'],
		stdioIno: [3, 3, 3],
		vpid: p.pid,
		pidns: 0,
		mntns: 0,
		cgroup: '/',
		cgroup1: '',
		cgroupTruncated: false,
		stdinPath: '',
		...p,
	};
}

/** A table over an empty fake /proc and a context bound to it; apply() feeds events. */
export function fixture(): { table: ProcessTable; ctx: EvalCtx; apply(e: BgEvent): EvalCtx } {
	const root = mkdtempSync(join(tmpdir(), 'bg-rules-'));
	const users = new UserDb({ passwd: join(root, 'passwd'), group: join(root, 'group') });
	const table = new ProcessTable({ procRoot: root, users });
	const ctx = new EvalCtx(table, users);
	return {
		table,
		ctx,
		apply(e) {
			table.apply(e);
			return ctx.set(e);
		},
	};
}
