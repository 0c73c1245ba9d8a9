/** @module test/kernel/process.test: the process sensor on the real kernel (exec, failed exec, exit, -p, truncation). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, readlinkSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireBpf } from '../helpers/bpf.js';
import { collect, run, sleep } from '../helpers/collect.js';
import { processSensor } from '../../src/sensors/process.js';
import { BgFlag, BgLimit } from '../../src/events/generated/layouts.js';
import type { BgEvent, ExecEvent, ExitEvent, ForkEvent } from '../../src/events/types.js';
import { repoPath } from '../../src/util/paths.js';

const TRYEXEC = repoPath('build/progs/tryexec');
const execs = (evs: BgEvent[], pid: number) => evs.filter((e): e is ExecEvent => e.kind === 'exec' && e.pid === pid);
/** The session id of this process (field 6 of /proc/self/stat; the child inherits it). */
const ownSessionId = (): number => {
	const stat = readFileSync('/proc/self/stat', 'utf8');
	return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[3]);
};
const exits = (evs: BgEvent[], pid: number) => evs.filter((e): e is ExitEvent => e.kind === 'exit' && e.pid === pid);

test('exec of /bin/echo carries exact argv, ppid, ids, exe, cwd; fork and exit too', async (t) => {
	if (!requireBpf(t)) return;
	let pid = 0;
	const { events } = await collect([processSensor], {}, async () => {
		const r = await run('/bin/echo', ['a', 'b c', 'd'], { cwd: '/tmp' });
		pid = r.pid;
	});
	const ex = execs(events, pid);
	assert.equal(ex.length, 1, 'one exec event');
	const e = ex[0];
	assert.deepEqual(e.args, ['/bin/echo', 'a', 'b c', 'd']);
	assert.equal(e.argc, 4);
	assert.equal(e.argsTruncated, false);
	assert.equal(e.ret, 0);
	assert.equal(e.ppid, process.pid);
	assert.equal(e.tid, pid);
	assert.equal(e.oldTid, pid);
	assert.equal(e.comm, 'echo');
	assert.equal(e.exe, realpathSync('/bin/echo'));
	assert.equal(e.cwd, realpathSync('/tmp'));
	assert.equal(e.uid, 0);
	assert.equal(e.euid, 0);
	assert.equal(e.gid, 0);
	assert.equal(e.egid, 0);
	assert.equal(e.flags, 0);
	assert.equal(e.sid, ownSessionId(), 'session id inherited from the test runner (0 when it has none)');
	assert.ok(e.startNs > 0n && e.startNs <= e.bootNs, 'start before exec');
	assert.ok(Math.abs(e.timeMs - Date.now()) < 10_000, 'wall clock time');
	assert.ok(e.cgroupId > 0n, 'cgroup id');
	const forks = events.filter((f): f is ForkEvent => f.kind === 'fork' && f.pid === pid);
	assert.equal(forks.length, 1, 'one fork event');
	assert.equal(forks[0].ppid, process.pid);
	assert.equal(forks[0].startNs, e.startNs);
	const x = exits(events, pid);
	assert.equal(x.length, 1, 'one exit event');
	assert.equal(x[0].exitCode, 0);
	assert.equal(x[0].signal, null);
	assert.equal(x[0].comm, 'echo');
	assert.equal(x[0].ppid, process.pid);
	/* container identity: the test runner's namespaces and cgroups, as /proc names them */
	const ns = (kind: string) => Number(/\[(\d+)\]/.exec(readlinkSync(`/proc/self/ns/${kind}`))![1]);
	const cg = readFileSync('/proc/self/cgroup', 'utf8');
	const v1 = ['pids', 'memory', 'cpu'].map((c) => new RegExp(`^\\d+:(?:[^:]*,)?${c}(?:,[^:]*)?:(.*)$`, 'm').exec(cg)?.[1]).find((p) => p !== undefined) ?? '';
	assert.deepEqual([e.vpid, e.pidns, e.mntns], [pid, ns('pid'), ns('mnt')]);
	assert.deepEqual([e.cgroup, e.cgroup1, e.cgroupTruncated], [/^0::(.*)$/m.exec(cg)![1], v1, false]);
	assert.deepEqual([forks[0].vpid, forks[0].pidns, forks[0].mntns], [pid, ns('pid'), ns('mnt')]);
});

test('failed exec: nonexistent path gives ENOENT, non-executable file gives EACCES', async (t) => {
	if (!requireBpf(t)) return;
	const dir = mkdtempSync(join(tmpdir(), 'bg-exec-'));
	const noexec = join(dir, 'not-executable');
	writeFileSync(noexec, '#!/bin/sh\necho no\n');
	chmodSync(noexec, 0o644);
	const pids: number[] = [];
	try {
		const { events } = await collect([processSensor], {}, async () => {
			for (const target of ['/nonexistent/bpfguard-test', noexec]) {
				const r = await run(TRYEXEC, [target, 'arg1', 'arg two']);
				pids.push(Number(/pid=(\d+)/.exec(r.stdout)?.[1]));
			}
		});
		const [enoent] = execs(events, pids[0]).filter((e) => e.ret !== 0);
		assert.ok(enoent, 'failed exec event for nonexistent path');
		assert.equal(enoent.ret, -2);
		assert.equal(enoent.exe, '/nonexistent/bpfguard-test');
		assert.deepEqual(enoent.args, ['/nonexistent/bpfguard-test', 'arg1', 'arg two']);
		assert.equal(enoent.comm, 'tryexec');
		const [eacces] = execs(events, pids[1]).filter((e) => e.ret !== 0);
		assert.ok(eacces, 'failed exec event for non-executable file');
		assert.equal(eacces.ret, -13);
		assert.equal(eacces.exe, noexec);
		assert.equal(eacces.argc, 3);
		assert.equal(exits(events, pids[1])[0]?.exitCode, 13);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});

test('exit codes and signals are reported', async (t) => {
	if (!requireBpf(t)) return;
	const r: Record<string, number> = {};
	const { events } = await collect([processSensor], {}, async () => {
		r.code = (await run('/bin/sh', ['-c', 'exit 3'])).pid;
		r.kill = (await run('/bin/sh', ['-c', 'kill -KILL $$'])).pid;
		r.term = (await run('/bin/sh', ['-c', 'kill -TERM $$'])).pid;
	});
	const code = exits(events, r.code)[0];
	assert.equal(code.exitCode, 3);
	assert.equal(code.signal, null);
	assert.equal(code.status, 3 << 8);
	const kill = exits(events, r.kill)[0];
	assert.equal(kill.signal, 9);
	assert.equal(kill.exitCode, null);
	assert.equal(exits(events, r.term)[0].signal, 15);
});

test('follow (-p) sees a grandchild but not an unrelated process', async (t) => {
	if (!requireBpf(t)) return;
	const parent = spawn('/bin/sh', ['-c', 'read x; /bin/sh -c "/bin/echo grandchild-marker; true"'], { stdio: ['pipe', 'ignore', 'ignore'] });
	const parentPid = parent.pid!;
	const done = new Promise((r) => parent.on('close', r));
	const { events } = await collect([processSensor], { followPids: [parentPid] }, async () => {
		await run('/bin/echo', ['unrelated-marker']);
		parent.stdin!.write('go\n');
		await done;
	});
	const all = events.filter((e): e is ExecEvent => e.kind === 'exec');
	const gc = all.find((e) => e.args.includes('grandchild-marker'));
	assert.ok(gc, 'grandchild exec seen');
	assert.notEqual(gc.pid, parentPid);
	const child = events.find((e): e is ForkEvent => e.kind === 'fork' && e.ppid === parentPid);
	assert.ok(child, 'child fork seen');
	assert.ok(gc.ppid === child.pid || gc.pid === child.pid || gc.ppid === parentPid, 'grandchild descends from the followed pid');
	assert.equal(all.find((e) => e.args.includes('unrelated-marker')), undefined, 'unrelated process not reported');
	assert.ok(events.every((e) => e.pid !== process.pid), 'the test runner itself is not followed');
});

test('an exec with 300 arguments is truncated and flagged, not dropped', async (t) => {
	if (!requireBpf(t)) return;
	const many = Array.from({ length: 300 }, (_, i) => `arg${i}`);
	const long = Array.from({ length: 6 }, (_, i) => String(i).repeat(1000));
	const p: number[] = [];
	const { events, kernel } = await collect([processSensor], {}, async () => {
		p.push((await run('/bin/true', many)).pid);
		p.push((await run('/bin/true', long)).pid);
	});
	const e = execs(events, p[0])[0];
	assert.ok(e, '300-arg exec reported');
	assert.equal(e.argc, 301);
	assert.equal(e.args.length, BgLimit.BG_MAX_ARGS);
	assert.deepEqual(e.args.slice(0, 3), ['/bin/true', 'arg0', 'arg1']);
	assert.equal(e.argsTruncated, true);
	assert.ok(e.flags & BgFlag.BG_F_ARGS_TRUNC, 'truncation flag set in the kernel');
	const l = execs(events, p[1])[0];
	assert.ok(l, 'long-arg exec reported');
	assert.equal(l.argsTruncated, true);
	assert.equal(l.args[1], '0'.repeat(1000));
	assert.ok(l.args.join('\0').length <= BgLimit.BG_ARGS_MAX);
	assert.ok(kernel.args_trunc >= 2, 'kernel counted the truncations');
	assert.equal(kernel.rb_full, 0);
});

test('uid filter is decided in the kernel', async (t) => {
	if (!requireBpf(t)) return;
	let pid = 0;
	const { events, kernel } = await collect([processSensor], { uid: 65534 }, async () => {
		pid = (await run('/bin/true', ['root-run'])).pid;
		await sleep(10);
	});
	assert.equal(execs(events, pid).length, 0);
	assert.ok(kernel.filtered >= 1, 'filtered counter increments');
});

test('a sensor that cannot load is left out with the reason when tolerated; the others run', async (t) => {
	if (!requireBpf(t)) return;
	const { SensorRuntime } = await import('../../src/sensors/runtime.js');
	const broken = { ...processSensor, name: 'broken', object: 'does-not-exist', syscalls: [] } as unknown as typeof processSensor;
	assert.throws(() => SensorRuntime.start([processSensor, broken], {}, () => {}), /does-not-exist/);
	let seen = 0;
	const rt = SensorRuntime.start([processSensor, broken], {}, (evs) => (seen += evs.length), { tolerate: true });
	try {
		assert.deepEqual(rt.degraded.map((d) => d.sensor), ['broken']);
		assert.match(rt.degraded[0].error, /open .*does-not-exist\.bpf\.o/);
		assert.deepEqual(rt.sensors.map((s) => s.name), ['process']);
		await run('/bin/true', []);
		await sleep(100);
	} finally {
		await rt.stop();
	}
	assert.ok(seen >= 2, 'process sensor still delivers');
});
