/** @module test/kernel/seccomp-events.test: violations of any seccomp filter seen by the seccomp sensor and the running monitor: errno, trap, kill_thread, kill_process, a 32-bit call, and nothing without a filter. */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoPath } from '../../src/util/paths.js';
import { requireBpf } from '../helpers/bpf.js';
import { collect, run } from '../helpers/collect.js';
import { withMonitor } from '../helpers/monitor.js';
import { seccompSensor } from '../../src/sensors/seccomp.js';
import type { BgEvent, OpenEvent, SeccompEvent } from '../../src/events/types.js';
import { fileSensor } from '../../src/sensors/file.js';
import { ia32Syscalls } from '../helpers/ia32.js';

const BIN = repoPath('bin/bpfguard');
const MINIMAL = repoPath('profiles/minimal.json');
const CONTAINERS = '/usr/share/containers/seccomp.json';
const prog = (n: string) => repoPath(`build/progs/${n}`);
const AT_FDCWD = 0xffffffffffffff9cn;

/** Root, the objects, the launcher and the raw x86-64 programs are required (a failure under CI=true). */
function ready(t: TestContext): boolean {
	if (!requireBpf(t, ['dispatch', 'secviol', 'process'])) return false;
	const why = !existsSync(repoPath('build/bpfguard-sandbox')) ? 'launcher not built' : !existsSync(prog('rawopen')) ? 'raw x86-64 programs not built (not x86_64)' : null;
	if (!why) return true;
	if (process.env.CI === 'true') throw new Error(`seccomp event test required under CI=true: ${why}`);
	t.skip(why);
	return false;
}

let dir: string | undefined;
/** A profile in a private temporary directory. */
function profile(name: string, p: object): string {
	dir ??= mkdtempSync(join(tmpdir(), 'bg-secviol-'));
	chmodSync(dir, 0o700);
	const f = join(dir, name);
	writeFileSync(f, JSON.stringify(p), { mode: 0o600 });
	return f;
}
process.on('exit', () => dir && rmSync(dir, { recursive: true, force: true }));

const ERRNO = { defaultAction: 'SCMP_ACT_ERRNO', defaultErrnoRet: 1, syscalls: [{ names: ['read', 'write', 'exit', 'exit_group', 'execve'], action: 'SCMP_ACT_ALLOW' }] };
const only = (action: string, name = 'getppid', extra: object = {}) => ({ defaultAction: 'SCMP_ACT_ALLOW', ...extra, syscalls: [{ names: [name], action, ...(action === 'SCMP_ACT_ERRNO' ? { errnoRet: 13 } : {}) }] });

const sandbox = (p: string, cmd: string[]) => run(process.execPath, [BIN, 'sandbox', '--profile', p, '--', ...cmd]);
const mine = (events: BgEvent[], exe: string): SeccompEvent[] => events.filter((e): e is SeccompEvent => e.kind === 'seccomp' && e.exe === exe);

/** The fields every record has, for a process of this test run as root. */
function assertCommon(e: SeccompEvent, exe: string, comm: string): void {
	assert.equal(e.exe, exe);
	assert.equal(e.comm, comm);
	assert.equal(e.uid, 0);
	assert.ok(e.pid > 1 && e.tid >= e.pid, `pid ${e.pid} tid ${e.tid}`);
	assert.ok(e.ppid > 1, `ppid ${e.ppid}`);
	assert.ok(e.cgroupId > 0n, 'cgroup id');
	assert.ok(e.bootNs > 0n && Math.abs(e.timeMs - Date.now()) < 60_000, 'time');
	assert.equal(e.flags, 0);
	assert.equal(e.args.length, 6);
}

test('refused calls: errno (openat under an ERRNO default), trap, and a 32-bit open named by its i386 number; every field', async (t) => {
	if (!ready(t)) return;
	const errnoP = profile('errno.json', ERRNO);
	const trapP = profile('trap.json', only('SCMP_ACT_TRAP'));
	const i386P = profile('i386.json', only('SCMP_ACT_ERRNO', 'open', { architectures: ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86'] }));
	const runs: Record<string, Awaited<ReturnType<typeof run>>> = {};
	const { events, kernel } = await collect([seccompSensor], {}, async () => {
		runs.errno = await sandbox(errnoP, [prog('rawopen')]);
		runs.trap = await sandbox(trapP, [prog('trysyscall'), 'getppid']);
		runs.i386 = await sandbox(i386P, [prog('int80'), '/etc/hostname']);
	}, 300);
	assert.equal(runs.errno.code, 1, 'rawopen exits with the errno (EPERM)');
	assert.equal(runs.trap.signal, null);
	assert.equal(runs.trap.code, 128 + 31, 'the sandbox passes SIGSYS on as 159');
	const i386 = ia32Syscalls();
	if (i386.ok) assert.match(runs.i386.stdout, /ret=-13\n$/);
	else {
		// no 32-bit syscalls on this kernel: the int $0x80 faults before seccomp could see a call
		assert.equal(runs.i386.code, 128 + 11, `int80 dies of SIGSEGV under the sandbox: ${JSON.stringify(runs.i386)}`);
		t.diagnostic(i386.why);
	}

	const [o] = mine(events, prog('rawopen'));
	assert.equal(mine(events, prog('rawopen')).length, 1);
	assertCommon(o, prog('rawopen'), 'rawopen');
	assert.deepEqual([o.syscall, o.nr, o.arch, o.action, o.ret], ['openat', 257, 'x86_64', 'errno', -1]);
	assert.equal(o.args[0], AT_FDCWD);
	assert.ok(o.args[1] > 0n, 'path pointer');
	assert.deepEqual(o.args.slice(2, 4), [0n, 0n], 'flags O_RDONLY, mode 0');

	const tr = mine(events, prog('trysyscall'));
	assert.equal(tr.length, 1, JSON.stringify(tr.map((e) => [e.syscall, e.action])));
	assertCommon(tr[0], prog('trysyscall'), 'trysyscall');
	assert.deepEqual([tr[0].syscall, tr[0].nr, tr[0].arch, tr[0].action, tr[0].ret], ['getppid', 110, 'x86_64', 'trap', 110]);
	assert.deepEqual(tr[0].args.slice(0, 2), [0x1234n, 0x5678n]);

	const i = mine(events, prog('int80'));
	if (!i386.ok) assert.deepEqual(i, [], 'no seccomp event where no 32-bit call ran');
	else {
		assert.equal(i.length, 1, JSON.stringify(i.map((e) => [e.syscall, e.action])));
		assertCommon(i[0], prog('int80'), 'int80');
		assert.deepEqual([i[0].syscall, i[0].nr, i[0].arch, i[0].action, i[0].ret], ['open', 5, 'i386', 'errno', -13]);
		assert.ok(i[0].args[0] > 0n && i[0].args[0] < 1n << 32n, 'a 32-bit path pointer in ebx');
		assert.deepEqual(i[0].args.slice(1, 3), [0n, 0n], 'flags and mode in ecx, edx');
	}
	assert.equal(kernel.sc_no_state, 0);
	assert.equal(kernel.sc_no_handler, 0);
});

test('kills: KILL_PROCESS (the minimal profile) and KILL_THREAD of one thread of two; KILL_THREAD of a lone thread ends the process', async (t) => {
	if (!ready(t)) return;
	const ktP = profile('kill-thread.json', only('SCMP_ACT_KILL_THREAD'));
	const runs: Record<string, Awaited<ReturnType<typeof run>>> = {};
	const { events } = await collect([seccompSensor], {}, async () => {
		runs.minimal = await sandbox(MINIMAL, [prog('rawopen')]);
		runs.thread = await sandbox(ktP, [prog('threadcall')]);
		runs.lone = await sandbox(ktP, [prog('trysyscall'), 'getppid']);
	}, 300);
	assert.equal(runs.minimal.code, 159);
	assert.match(runs.thread.stdout, /^joined tid=\d+\n$/, 'the process outlives its killed thread');
	assert.equal(runs.lone.code, 159);

	const k = mine(events, prog('rawopen'));
	assert.equal(k.length, 1, JSON.stringify(k.map((e) => [e.syscall, e.action])));
	assertCommon(k[0], prog('rawopen'), 'rawopen');
	assert.deepEqual([k[0].syscall, k[0].nr, k[0].arch, k[0].action, k[0].ret], ['openat', 257, 'x86_64', 'kill_process', 0]);
	assert.equal(k[0].args[0], AT_FDCWD);
	assert.equal(k[0].pid, k[0].tid);

	const th = mine(events, prog('threadcall'));
	assert.equal(th.length, 1, JSON.stringify(th.map((e) => [e.syscall, e.action])));
	assertCommon(th[0], prog('threadcall'), 'threadcall');
	assert.deepEqual([th[0].syscall, th[0].action, th[0].ret], ['getppid', 'kill_thread', 0]);
	assert.deepEqual(th[0].args.slice(0, 2), [0x1234n, 0x5678n]);
	assert.equal(String(th[0].tid), /tid=(\d+)/.exec(runs.thread.stdout)![1], 'the killed thread, not the process');
	assert.notEqual(th[0].tid, th[0].pid);

	const lone = mine(events, prog('trysyscall'));
	assert.equal(lone.length, 1);
	assert.deepEqual([lone[0].syscall, lone[0].action], ['getppid', 'kill_process']);
});

test('a running monitor with the default rules alerts on an errno refusal (warning) and a kill (error) naming openat; the same program without a filter raises nothing', async (t) => {
	if (!ready(t)) return;
	const errnoP = profile('errno-mon.json', ERRNO);
	const { alerts } = await withMonitor(async () => {
		await sandbox(errnoP, [prog('rawopen')]);
		await sandbox(MINIMAL, [prog('rawopen')]);
		await run(prog('rawopen'), []);
	});
	const ours = alerts.filter((a) => a.fields['proc.exepath'] === prog('rawopen'));
	const refused = ours.filter((a) => a.rule === 'Seccomp filter refused a syscall');
	const killed = ours.filter((a) => a.rule === 'Seccomp filter killed a process');
	assert.equal(refused.length, 1, JSON.stringify(ours.map((a) => a.output)));
	assert.equal(killed.length, 1, JSON.stringify(ours.map((a) => a.output)));
	assert.equal(ours.length, 2, 'the unfiltered run raises nothing');
	assert.equal(refused[0].priority, 'warning');
	assert.equal(refused[0].fields['seccomp.syscall'], 'openat');
	assert.equal(refused[0].fields['seccomp.action'], 'errno');
	assert.equal(refused[0].fields['evt.res'], 'EPERM');
	assert.equal(refused[0].fields['seccomp.arch'], 'x86_64');
	assert.equal(refused[0].fields['user.uid'], 0);
	assert.equal(refused[0].fields['container.id'], 'host');
	assert.match(refused[0].output, /syscall=openat arch=x86_64 action=errno res=EPERM args=0xffffffffffffff9c 0x[0-9a-f]+ 0x0 0x0 0x0 0x0 exe=/);
	assert.equal(killed[0].priority, 'error');
	assert.equal(killed[0].fields['seccomp.syscall'], 'openat');
	assert.equal(killed[0].fields['seccomp.action'], 'kill_process');
});

test('no seccomp events from programs without a filter making the same calls, nor from filtered ones making allowed calls (threads, forks, execs; one started before the sensor)', async (t) => {
	if (!ready(t)) return;
	if (!existsSync(CONTAINERS)) {
		if (process.env.CI === 'true') throw new Error(`${CONTAINERS} missing (scripts/setup.sh installs it)`);
		t.skip(`${CONTAINERS} missing`);
		return;
	}
	// blocked in a syscall (sleep) when the sensor starts: its exit has no entry seen, and must not count
	const before = sandbox(CONTAINERS, ['/bin/sh', '-c', `sleep 1; ${prog('threadcall')}; ls /etc`]);
	const { events } = await collect([seccompSensor], {}, async () => {
		await run(prog('rawopen'), []);
		await run(prog('trysyscall'), ['getppid']);
		await run(prog('int80'), ['/etc/hostname']);
		await run(prog('threadcall'), []);
		const allowed = await sandbox(CONTAINERS, ['/bin/sh', '-c', `ls -R /usr/share/doc >/dev/null; ${prog('threadcall')}; ${prog('int80')} /etc/hostname`]);
		// where the kernel runs no 32-bit syscalls the int $0x80 faults (the shell reports it on stderr): no call, no event
		assert.match(allowed.stdout, ia32Syscalls().ok ? /^joined tid=\d+\npid=\d+ ret=\d+\n$/ : /^joined tid=\d+\n$/);
		assert.match((await before).stdout, /^joined tid=\d+\n/);
	}, 300);
	// this test's programs and what its shells run (other processes on the host may have filters of their own)
	const ours = events.filter((e) => e.kind === 'seccomp' && (e.exe.startsWith(prog('')) || /^\/usr\/bin\/(ls|dash|sleep)$/.test(e.exe)));
	assert.deepEqual(ours, []);
});

test("the dispatch goes on for filtered threads: the file sensor still sees their opens, allowed (under the containers' profile) and refused (errno)", async (t) => {
	if (!ready(t)) return;
	if (!existsSync(CONTAINERS)) {
		if (process.env.CI === 'true') throw new Error(`${CONTAINERS} missing (scripts/setup.sh installs it)`);
		t.skip(`${CONTAINERS} missing`);
		return;
	}
	const errnoP = profile('errno-file.json', ERRNO);
	const { events } = await collect([fileSensor, seccompSensor], { file: { all: true } }, async () => {
		await sandbox(CONTAINERS, ['/bin/cat', '/etc/passwd']);
		await sandbox(errnoP, [prog('rawopen')]);
	}, 300);
	const opens = events.filter((e): e is OpenEvent => e.kind === 'open' && e.name === '/etc/passwd' && e.comm === 'cat');
	assert.equal(opens.length, 1, 'the allowed open of a filtered cat');
	assert.equal(opens[0].ret >= 0, true);
	const refused = events.filter((e): e is OpenEvent => e.kind === 'open' && e.comm === 'rawopen');
	assert.equal(refused.length, 1, 'the refused openat still reaches the file sensor');
	assert.equal(refused[0].ret, -1);
	assert.equal(refused[0].name, '/etc/hostname');
	assert.equal(mine(events, prog('rawopen')).length, 1, 'and is a seccomp event');
});

test('a user_notif reply (the call answered by a supervisor, not run): skipped, with the value it was given; seen right after the thread installed its filter', async (t) => {
	if (!ready(t)) return;
	let r: Awaited<ReturnType<typeof run>> | undefined;
	const { events } = await collect([seccompSensor], {}, async () => {
		r = await run(prog('usernotif'), []);
	}, 300);
	assert.equal(r!.stdout, 'getppid ret=42\n');
	const n = mine(events, prog('usernotif'));
	assert.equal(n.length, 1, JSON.stringify(n.map((e) => [e.syscall, e.action])));
	assertCommon(n[0], prog('usernotif'), 'usernotif');
	assert.deepEqual([n[0].syscall, n[0].nr, n[0].arch, n[0].action, n[0].ret], ['getppid', 110, 'x86_64', 'skipped', 42]);
	assert.equal(n[0].args[0], 0x1234n);
	assert.notEqual(n[0].tid, n[0].pid, 'the filtered thread');
	assert.equal(n[0].pid, r!.pid);
});
