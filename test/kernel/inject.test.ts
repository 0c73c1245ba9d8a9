/** @module test/kernel/inject.test: ptrace and process_vm_readv/writev on another process: the default rules on the real kernel, with gdb, strace and direct syscalls, and their close negatives (the same on the caller's own child). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { requireBpf } from '../helpers/bpf.js';
import { collect, run, sleep } from '../helpers/collect.js';
import { SENSORS } from '../../src/sensors/registry.js';
import type { ActEvent } from '../../src/events/types.js';
import { BgActFlag } from '../../src/events/generated/layouts.js';
import { withMonitor } from '../helpers/monitor.js';
import { repoPath } from '../../src/util/paths.js';
import type { Alert } from '../../src/alerts/alert.js';

const INJECTOR = repoPath('build/progs/injector');
const OBJECTS = ['dispatch', 'process', 'inject', 'file'];
const NOBODY = ['--reuid=65534', '--regid=65534', '--clear-groups'];
const RULE = {
	attach: 'Ptrace attach to another process',
	write: 'Ptrace write into another process',
	read: 'Memory of another process read',
	written: 'Memory of another process written',
	memRead: 'Memory of another process opened for reading',
	memWrite: 'Memory of another process opened for writing',
};

/** A victim: a sleep that is no descendant of the injector (a sibling: both are children of this test). */
async function victim(asNobody = false): Promise<ChildProcess> {
	const c = asNobody ? spawn('/usr/bin/setpriv', [...NOBODY, '/usr/bin/sleep', '60'], { stdio: 'ignore' }) : spawn('/usr/bin/sleep', ['60'], { stdio: 'ignore' });
	await sleep(100); // setpriv has exec'd sleep
	return c;
}

/** "STEP ret=R errno=E" lines of test/progs/injector, by step (the last of each). */
function steps(out: string): Record<string, number> {
	const r: Record<string, number> = {};
	for (const m of out.matchAll(/^(\w+) ret=(-?\d+)/gm)) r[m[1]] = Number(m[2]);
	return r;
}

function tools(t: { skip(m: string): void }, names: string[]): boolean {
	for (const n of names) {
		if (!spawnSync(n, ['--version']).error) continue;
		if (process.env.CI === 'true') throw new Error(`${n} missing`);
		t.skip(`${n} not installed`);
		return false;
	}
	return true;
}

const by = (alerts: Alert[], pid: number) => alerts.filter((a) => a.fields['proc.pid'] === pid);
const outputs = (alerts: Alert[]) => JSON.stringify(alerts.map((a) => a.output));

test('ptrace attach, register write and process_vm_readv/writev into a sibling alert with the target; into a process of another user too', async (t) => {
	if (!requireBpf(t, OBJECTS)) return;
	const v = await victim();
	const u = await victim(true);
	const pids: Record<string, number> = {};
	const res: Record<string, Record<string, number>> = {};
	try {
		const { alerts } = await withMonitor(async () => {
			for (const [step, target] of [['attach', v], ['vmread', v], ['vmwrite', v], ['seize', u]] as const) {
				const p = await run(INJECTOR, [step, String(target.pid)]);
				pids[step] = p.pid;
				res[step] = steps(p.stdout);
			}
		});
		const at = by(alerts, pids.attach);
		assert.deepEqual(at.map((a) => a.rule).sort(), [RULE.attach, RULE.write], outputs(alerts));
		for (const a of at) {
			assert.equal(a.fields['target.pid'], v.pid);
			assert.equal(a.fields['target.name'], 'sleep');
			assert.equal(a.fields['target.exepath'], '/usr/bin/sleep');
			assert.equal(a.fields['target.uid'], 0);
			assert.equal(a.fields['proc.exepath'], INJECTOR);
			assert.equal(a.fields['evt.res'], 'SUCCESS');
			assert.ok(a.tags.includes('T1055.008'), a.tags.join());
		}
		assert.equal(at.find((a) => a.rule === RULE.attach)!.fields['ptrace.request'], 'attach');
		assert.equal(at.find((a) => a.rule === RULE.attach)!.fields['target.own'], false);
		const w = at.find((a) => a.rule === RULE.write)!;
		assert.equal(w.fields['ptrace.request'], 'setregs');
		assert.equal(w.fields['target.exact'], true, 'the tracee the kernel acted on');
		assert.equal(res.attach.setregs, 0);
		const rd = by(alerts, pids.vmread);
		assert.deepEqual(rd.map((a) => a.rule), [RULE.read], outputs(alerts));
		assert.equal(rd[0].fields['target.pid'], v.pid);
		assert.equal(rd[0].fields['evt.rawres'], res.vmread.vmread);
		assert.equal(rd[0].fields['procmem.iovcnt'], 1);
		assert.ok(rd[0].tags.includes('T1003'));
		// vmwrite reads the 8 bytes first: the read and the write alert, each once
		const wr = by(alerts, pids.vmwrite);
		assert.deepEqual(wr.map((a) => a.rule).sort(), [RULE.read, RULE.written], outputs(alerts));
		const wv = wr.find((a) => a.rule === RULE.written)!;
		assert.equal(wv.fields['evt.rawres'], 8);
		assert.equal(wv.fields['target.name'], 'sleep');
		assert.ok(wv.tags.includes('T1055'));
		const sz = by(alerts, pids.seize);
		assert.deepEqual(sz.map((a) => a.rule), [RULE.attach], outputs(alerts));
		assert.equal(sz[0].fields['ptrace.request'], 'seize');
		assert.equal(sz[0].fields['target.pid'], u.pid);
		assert.equal(sz[0].fields['target.uid'], 65534);
	} finally {
		v.kill('SIGKILL');
		u.kill('SIGKILL');
	}
});

test('gdb -p and strace -p on a running process alert; gdb and strace running their own program, and an injector on its own child, do not', async (t) => {
	if (!requireBpf(t, OBJECTS)) return;
	if (!tools(t, ['gdb', 'strace'])) return;
	const v = await victim();
	const pids: Record<string, number> = {};
	let child = 0;
	try {
		const { alerts } = await withMonitor(async () => {
			pids.gdbp = (await run('gdb', ['-p', String(v.pid), '-batch', '-ex', 'info registers rip'])).pid;
			pids.stracep = (await run('timeout', ['-s', 'INT', '1', 'strace', '-p', String(v.pid)])).pid;
			pids.gdbrun = (await run('gdb', ['-batch', '-ex', 'run', '--args', '/bin/true'])).pid;
			pids.straceown = (await run('strace', ['-f', '-o', '/dev/null', '/bin/true'])).pid;
			const own = await run(INJECTOR, ['own']);
			pids.own = own.pid;
			child = Number(/child=(\d+)/.exec(own.stdout)?.[1]);
			assert.equal(steps(own.stdout).setregs, 0, own.stdout);
		});
		const gdb = by(alerts, pids.gdbp);
		assert.ok(gdb.some((a) => a.rule === RULE.attach && a.fields['ptrace.request'] === 'attach' && a.fields['target.pid'] === v.pid), outputs(alerts));
		assert.equal(gdb.find((a) => a.rule === RULE.attach)!.fields['proc.name'], 'gdb');
		// strace -p runs as a child of timeout: its own pid is not known here; it is the one whose parent is timeout
		const strace = alerts.filter((a) => a.rule === RULE.attach && a.fields['proc.ppid'] === pids.stracep);
		assert.equal(strace.length, 1, outputs(alerts));
		assert.equal(strace[0].fields['ptrace.request'], 'seize');
		assert.equal(strace[0].fields['target.pid'], v.pid);
		assert.equal(strace[0].fields['proc.name'], 'strace');
		const quiet = (pid: number) => alerts.filter((a) => a.fields['proc.pid'] === pid || a.fields['proc.ppid'] === pid);
		assert.deepEqual(quiet(pids.gdbrun), [], 'gdb running its own program');
		assert.deepEqual(quiet(pids.straceown), [], 'strace of its own child');
		assert.ok(child > 0);
		assert.deepEqual(quiet(pids.own), [], 'an injector on its own child and itself');
	} finally {
		v.kill('SIGKILL');
	}
});

test('/proc/PID/mem of another process opened for reading (dd, and by another user: refused) or writing (direct open) alerts; /proc/self/mem and a child\'s do not', async (t) => {
	if (!requireBpf(t, OBJECTS)) return;
	const v = await victim();
	const pids: Record<string, number> = {};
	let child = 0;
	try {
		const { alerts } = await withMonitor(async () => {
			pids.dd = (await run('dd', [`if=/proc/${v.pid}/mem`, 'of=/dev/null', 'bs=1', 'count=1'])).pid;
			pids.nobody = (await run('/usr/bin/setpriv', [...NOBODY, 'dd', `if=/proc/${v.pid}/mem`, 'of=/dev/null', 'bs=1', 'count=1'])).pid;
			const w = await run(INJECTOR, ['memwrite', String(v.pid)]);
			pids.write = w.pid;
			assert.equal(steps(w.stdout).memwrite, 8, w.stdout);
			pids.self = (await run('head', ['-c', '1', '/proc/self/mem'])).pid;
			const own = await run(INJECTOR, ['own']);
			pids.own = own.pid;
			child = Number(/child=(\d+)/.exec(own.stdout)?.[1]);
			assert.equal(steps(own.stdout).memwrite, 8, own.stdout);
		});
		const dd = by(alerts, pids.dd);
		assert.deepEqual(dd.map((a) => a.rule), [RULE.memRead], outputs(alerts));
		assert.equal(dd[0].fields['fd.name'], `/proc/${v.pid}/mem`);
		assert.equal(dd[0].fields['evt.res'], 'SUCCESS');
		assert.equal(dd[0].fields['target.pid'], v.pid);
		assert.equal(dd[0].fields['target.name'], 'sleep');
		assert.equal(dd[0].fields['target.exepath'], '/usr/bin/sleep');
		assert.ok(dd[0].tags.includes('T1003.007'));
		const nb = by(alerts, pids.nobody);
		assert.deepEqual(nb.map((a) => a.rule), [RULE.memRead], outputs(alerts));
		assert.equal(nb[0].fields['evt.res'], 'EACCES');
		assert.equal(nb[0].fields['user.uid'], 65534);
		assert.equal(nb[0].fields['target.uid'], 0);
		const wr = by(alerts, pids.write);
		assert.deepEqual(wr.map((a) => a.rule), [RULE.memWrite], outputs(alerts));
		assert.equal(wr[0].fields['target.pid'], v.pid);
		assert.equal(wr[0].fields['proc.exepath'], INJECTOR);
		assert.ok(wr[0].tags.includes('T1055.009'));
		assert.deepEqual(by(alerts, pids.self), [], '/proc/self/mem');
		assert.ok(child > 0);
		assert.deepEqual(by(alerts, pids.own), [], "its own child's /proc/PID/mem");
	} finally {
		v.kill('SIGKILL');
	}
});

test('every record field of a run on its own child; a repeated read of the same target is folded (act_repeat) and a new attach starts over', async (t) => {
	if (!requireBpf(t, OBJECTS)) return;
	let pid = 0;
	let child = 0;
	const { events, kernel } = await collect(
		SENSORS.filter((s) => s.name === 'process' || s.name === 'inject'),
		{},
		async () => {
			const own = await run(INJECTOR, ['own']);
			pid = own.pid;
			child = Number(/child=(\d+)/.exec(own.stdout)?.[1]);
		},
	);
	const mine = events.filter((e): e is ActEvent => (e.kind === 'ptrace' || e.kind === 'procmem') && (e.pid === pid || e.pid === child));
	const sig = mine.map((e) => `${e.pid === child ? 'child' : 'parent'} ${e.syscall} ${e.op} ${e.target?.pid === child ? 'child' : e.target?.pid === pid ? 'parent' : e.target?.pid}`);
	// the child's TRACEME (target: its tracer); peekuser, getregs, setregs; the first readv of the child (the
	// second, in vmwrite, is folded); the writev; the readv of itself
	assert.deepEqual(sig, ['child ptrace 0 parent', 'parent ptrace 3 child', 'parent ptrace 12 child', 'parent ptrace 13 child', 'parent process_vm_readv 0 child', 'parent process_vm_writev 0 child', 'parent process_vm_readv 0 parent']);
	assert.ok(kernel.act_repeat >= 1, JSON.stringify(kernel));
	const traceme = mine[0];
	assert.equal(traceme.ret, 0);
	assert.equal(traceme.comm, 'injector');
	assert.equal(traceme.exe, INJECTOR);
	assert.equal(traceme.ppid, pid);
	assert.equal(traceme.uid, 0);
	assert.deepEqual(traceme.target, { pid, tid: pid, uid: 0, comm: 'injector', exe: INJECTOR });
	const F = BgActFlag;
	assert.equal(traceme.flags, F.BG_AF_TARGET | F.BG_AF_EXACT, 'its tracer is no descendant of the child');
	const setregs = mine[3];
	assert.equal(setregs.targetArg, child);
	assert.equal(setregs.ret, 0);
	assert.equal(setregs.ppid, process.pid);
	assert.equal(setregs.arg, 0n);
	assert.equal(setregs.flags, F.BG_AF_TARGET | F.BG_AF_EXACT | F.BG_AF_OWN);
	assert.deepEqual(setregs.target, { pid: child, tid: child, uid: 0, comm: 'injector', exe: INJECTOR });
	const read = mine[4];
	assert.equal(read.ret, 64);
	assert.equal(read.arg, 1n, 'one remote range');
	assert.equal(read.name, '');
	assert.equal(read.flags, F.BG_AF_TARGET | F.BG_AF_OWN);
});
