/** @module test/kernel/priv.test: the priv sensor on the real kernel: identity syscalls, setuid/file-cap execs, sudo. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireBpf, bpfUnavailable } from '../helpers/bpf.js';
import { collect, run } from '../helpers/collect.js';
import { privSensor } from '../../src/sensors/priv.js';
import { processSensor } from '../../src/sensors/process.js';
import { BgPrivFlag } from '../../src/events/generated/layouts.js';
import type { BgEvent, Creds, PrivEvent } from '../../src/events/types.js';
import { SystemPaths } from '../../src/process/system-paths.js';
import { isUnusual } from '../../src/process/priv-facts.js';
import { EvalCtx } from '../../src/rules/context.js';
import { eventJson } from '../../src/rules/fields/json.js';
import { repoPath } from '../../src/util/paths.js';

const SETIDS = repoPath('build/progs/setids');
const USER = `bgpriv${process.pid % 100000}`;
const PATHS = new SystemPaths();
const CTX = new EvalCtx();
/** The record as privsnoop --json prints it. */
const privJson = (e: BgEvent) => eventJson(CTX.set(e));
let uid = -1;
let gid = -1;

const privs = (evs: BgEvent[], pid: number) => evs.filter((e): e is PrivEvent => e.kind.startsWith('priv_') && e.pid === pid) as PrivEvent[];
const pidOf = (stdout: string) => Number(/pid=(\d+)/.exec(stdout)?.[1]);
/** setpriv arguments running cmd as the test user; sh in between so that cmd starts with no capabilities (setpriv keeps them until its exec). */
const asUser = (cmd: string[]) => ['--reuid', String(uid), '--regid', String(gid), '--init-groups', '/bin/sh', '-c', 'exec "$0" "$@"', ...cmd];

function rootCreds(c: Creds, caps: bigint): void {
	assert.deepEqual([c.uid, c.euid, c.suid, c.fsuid, c.gid, c.egid, c.sgid, c.fsgid], [0, 0, 0, 0, 0, 0, 0, 0]);
	assert.equal(c.capEff, caps);
	assert.equal(c.capPrm, caps);
}

/** Effective caps of this (root) test process, as the kernel reports them. */
function myCaps(): bigint {
	const s = spawnSync('/bin/grep', ['^CapEff', '/proc/self/status'], { encoding: 'utf8' }).stdout;
	return BigInt(`0x${s.split(/\s+/)[1]}`);
}

before(() => {
	if (bpfUnavailable(['dispatch', 'priv'])) return;
	const r = spawnSync('useradd', ['-M', '-s', '/bin/sh', USER], { encoding: 'utf8' });
	assert.equal(r.status, 0, `useradd: ${r.stderr}`);
	uid = Number(spawnSync('id', ['-u', USER], { encoding: 'utf8' }).stdout);
	gid = Number(spawnSync('id', ['-g', USER], { encoding: 'utf8' }).stdout);
});

after(() => {
	if (uid >= 0) spawnSync('userdel', [USER]);
});

test('root setresuid(1000,1000,1000) → target 1000, result 0; then setuid(0) as uid 1000 → EPERM', async (t) => {
	if (!requireBpf(t, ['dispatch', 'priv'])) return;
	let pid = 0;
	let out = '';
	const { events, kernel } = await collect([privSensor], {}, async () => {
		const r = await run(SETIDS, ['resuid:1000,1000,1000', 'uid:0']);
		out = r.stdout;
		pid = pidOf(r.stdout);
	});
	assert.match(out, /resuid=0 0\nuid=-1 1\n/);
	const caps = myCaps();
	const ev = privs(events, pid);
	assert.equal(ev.length, 2, 'two identity syscalls, nothing else');
	const [a, b] = ev;
	assert.equal(a.kind, 'priv_call');
	assert.equal(a.syscall, 'setresuid');
	assert.deepEqual(a.args, [1000, 1000, 1000]);
	assert.equal(a.ret, 0);
	assert.equal(a.site, 'syscall');
	assert.equal(a.flags, 0);
	assert.equal(a.tid, pid);
	assert.equal(a.ppid, process.pid);
	assert.equal(a.comm, 'setids');
	assert.equal(a.exe, SETIDS);
	assert.equal(a.reqEff, 0n);
	assert.equal(a.reqPrm, 0n);
	assert.deepEqual([a.fileUid, a.fileGid, a.fileMode], [0, 0, 0]);
	rootCreds(a.old, caps);
	assert.deepEqual([a.new.uid, a.new.euid, a.new.suid, a.new.fsuid], [1000, 1000, 1000, 1000]);
	assert.deepEqual([a.new.gid, a.new.egid, a.new.sgid, a.new.fsgid], [0, 0, 0, 0]);
	assert.equal(a.new.capEff, 0n, 'uid change from 0 drops all caps');
	assert.equal(a.new.capPrm, 0n);
	assert.equal(a.new.userns, a.old.userns);
	assert.ok(a.old.userns > 0);
	assert.equal(b.syscall, 'setuid');
	assert.deepEqual(b.args, [0]);
	assert.equal(b.ret, -1, 'EPERM');
	assert.deepEqual(b.old, a.new, 'before of the 2nd call = after of the 1st');
	assert.deepEqual(b.new, a.new, 'a failed call changes nothing');
	assert.ok(b.bootNs > a.bootNs);
	const j = privJson(b);
	assert.equal(j['evt.res'], 'EPERM');
	assert.equal(j['evt.failed'], true);
	assert.equal(j['evt.arg.uid'], 0);
	assert.equal(j['priv.unusual'], false);
	assert.ok(kernel.priv_failed >= 1, 'failure counted');
});

test('monitor mode (privNoopCalls false): a no-op setuid(0) as root is counted, not sent; changes and failures still are', async (t) => {
	if (!requireBpf(t, ['dispatch', 'priv'])) return;
	let pid = 0;
	const { events, kernel } = await collect([privSensor], { priv: { noopCalls: false } }, async () => {
		const r = await run(SETIDS, ['uid:0', 'uid:0', 'resuid:1000,1000,1000', 'uid:0']);
		pid = pidOf(r.stdout);
	});
	const ev = privs(events, pid);
	assert.deepEqual(ev.map((e) => [e.syscall, e.ret]), [['setresuid', 0], ['setuid', -1]], 'the change and the failure, not the two no-ops');
	assert.ok(kernel.priv_noop >= 2, `no-op calls counted (${kernel.priv_noop})`);
});

test('other identity syscalls: requested ids as passed (-1 kept), setgroups count, capset sets', async (t) => {
	if (!requireBpf(t, ['dispatch', 'priv'])) return;
	let pid = 0;
	const ops = ['regid:-1,5', 'resgid:7,7,7', 'groups:7,8', 'fsuid:9', 'fsgid:9', 'reuid:-1,3', 'capset:0,0', 'gid:0'];
	const { events } = await collect([privSensor], {}, async () => {
		pid = pidOf((await run(SETIDS, ops)).stdout);
	});
	const ev = privs(events, pid);
	assert.deepEqual(ev.map((e) => e.syscall), ['setregid', 'setresgid', 'setgroups', 'setfsuid', 'setfsgid', 'setreuid', 'capset', 'setgid']);
	assert.deepEqual(ev.map((e) => e.args), [[0xffffffff, 5], [7, 7, 7], [2], [9], [9], [0xffffffff, 3], [], [0]]);
	assert.deepEqual(ev.map((e) => e.ret), [0, 0, 0, 0, 7, 0, 0, -1], 'setfsuid/setfsgid return the previous fs id');
	assert.equal(ev[0].new.egid, 5);
	assert.deepEqual([ev[1].new.gid, ev[1].new.egid, ev[1].new.sgid], [7, 7, 7]);
	assert.equal(ev[2].new.ngroups, 2);
	assert.equal(ev[3].new.fsuid, 9);
	assert.equal(ev[5].new.euid, 3);
	assert.equal(ev[6].new.capEff, 0n, 'capset(0,0) cleared the sets');
	assert.equal(ev[6].reqEff, 0n);
	for (let i = 1; i < ev.length; i++) assert.deepEqual(ev[i].old, ev[i - 1].new, `${ev[i].syscall}: before = previous after`);
});

test('a setuid-root copy in /tmp run by a non-root user: exec transition uid → euid 0, flagged unusual', async (t) => {
	if (!requireBpf(t, ['dispatch', 'priv'])) return;
	const dir = mkdtempSync('/tmp/bg-priv-');
	const bin = join(dir, 'suid-id');
	try {
		copyFileSync('/usr/bin/id', bin);
		chownSync(bin, 0, 0);
		chmodSync(bin, 0o4755);
		chmodSync(dir, 0o755);
		let pid = 0;
		let out = '';
		const { events } = await collect([privSensor], {}, async () => {
			const r = await run('setpriv', asUser([bin, '-u']));
			pid = r.pid;
			out = r.stdout;
		});
		assert.equal(out.trim(), '0', '/tmp is not nosuid: the copy ran with euid 0');
		const ex = privs(events, pid).filter((e) => e.kind === 'priv_exec' && e.exe === bin);
		assert.equal(ex.length, 1);
		const e = ex[0];
		assert.equal(e.syscall, 'execve');
		assert.equal(e.exe, bin);
		assert.equal(e.comm, 'suid-id');
		assert.deepEqual([e.old.uid, e.old.euid, e.old.gid, e.old.egid], [uid, uid, gid, gid]);
		assert.deepEqual([e.new.uid, e.new.euid, e.new.suid, e.new.gid, e.new.egid], [uid, 0, 0, gid, gid]);
		assert.equal(e.old.capEff, 0n);
		assert.equal(e.new.capEff, myCaps() & e.new.capPrm, 'a setuid-root exec gets the full (bounded) set');
		assert.ok(e.new.capEff > 0n);
		assert.deepEqual([e.fileUid, e.fileGid, e.fileMode], [0, 0, 0o104755]);
		assert.equal(e.flags, BgPrivFlag.BG_PF_SETUID_FILE);
		assert.equal(e.site, 'exec');
		assert.equal(e.ret, 0);
		assert.equal(isUnusual(e, PATHS), true);
		const j = privJson(e);
		assert.equal(j['priv.unusual'], true);
		assert.equal(j['priv.becomes_root'], true);
		assert.equal(j['priv.old_euid'], uid);
		assert.equal(j['priv.new_euid'], 0);
		assert.equal(j['priv.file_mode'], 0o4755);
		assert.ok((j['priv.gained_caps'] as string[]).includes('CAP_SETUID'));
		const calls = privs(events, pid).filter((c) => c.kind === 'priv_call').map((c) => c.syscall);
		assert.deepEqual(calls, ['capset', 'setresuid', 'capset', 'setresgid', 'setgroups'], "setpriv's own calls, in order");
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});

test('sudo -u nobody true (NOPASSWD): the sudo transition, then the setuid calls sudo makes, in order', async (t) => {
	if (!requireBpf(t, ['dispatch', 'priv', 'process'])) return;
	const rule = `/etc/sudoers.d/${USER}`;
	try {
		writeFileSync(rule, `${USER} ALL=(nobody) NOPASSWD: /usr/bin/true\n`, { mode: 0o440 });
		let pid = 0;
		let code: number | null = -1;
		const { events } = await collect([processSensor, privSensor], {}, async () => {
			const r = await run('setpriv', asUser(['/usr/bin/sudo', '-n', '-u', 'nobody', '/usr/bin/true']));
			pid = r.pid;
			code = r.code;
		});
		assert.equal(code, 0, 'sudo succeeded');
		const kids = new Set(events.filter((e) => e.kind === 'fork' && e.ppid === pid).map((e) => e.pid));
		const mine = events
			.filter((e): e is PrivEvent => e.kind.startsWith('priv_') && ((e as PrivEvent).pid === pid || kids.has((e as PrivEvent).pid)))
			.sort((a, b) => (a.bootNs < b.bootNs ? -1 : 1));
		const tr = mine.findIndex((e) => e.kind === 'priv_exec' && e.exe === '/usr/bin/sudo');
		assert.ok(tr >= 0, 'sudo transition seen');
		const s = mine[tr];
		assert.deepEqual([s.old.uid, s.old.euid, s.new.uid, s.new.euid], [uid, uid, uid, 0]);
		assert.equal(s.fileUid, 0);
		assert.equal(s.fileMode & 0o4000, 0o4000);
		assert.equal(isUnusual(s, PATHS), false, 'sudo is package-owned');
		const before = mine.slice(0, tr).filter((e) => e.kind === 'priv_call');
		assert.deepEqual(before.map((e) => e.syscall), ['capset', 'setresuid', 'capset', 'setresgid', 'setgroups'], 'setpriv dropped to the user first');
		const afterCalls = mine.slice(tr + 1).filter((e) => e.kind === 'priv_call');
		assert.ok(afterCalls.every((e) => e.ret === 0), 'every call sudo makes succeeds');
		assert.deepEqual([afterCalls[0].syscall, afterCalls[0].args, afterCalls[0].pid], ['setresuid', [0, 0xffffffff, 0xffffffff], pid], 'sudo first makes its real uid root');
		assert.deepEqual([afterCalls[0].new.uid, afterCalls[0].new.euid], [0, 0]);
		const parentTail = afterCalls.filter((e) => e.pid === pid).slice(-3);
		assert.deepEqual(parentTail.map((e) => [e.syscall, e.args]), [['setgroups', [1]], ['setgid', [65534]], ['capset', []]], 'then groups and gid of the target user');
		assert.deepEqual([parentTail[1].new.gid, parentTail[1].new.egid], [65534, 65534]);
		const last = afterCalls[afterCalls.length - 1];
		assert.ok(kids.has(last.pid), 'the uid switch happens in the child that runs the command');
		assert.deepEqual([last.syscall, last.args], ['setresuid', [65534, 65534, 65534]]);
		assert.deepEqual([last.old.uid, last.old.euid, last.new.uid, last.new.euid, last.new.suid], [uid, 0, 65534, 65534, 65534]);
		assert.equal(last.new.capEff, 0n, 'nobody has no capabilities');
		assert.equal(mine.filter((e) => e.kind === 'priv_drift').length, 0, 'no unexplained change');
		for (let i = 1; i < mine.length; i++) assert.ok(mine[i].bootNs >= mine[i - 1].bootNs);
	} finally {
		rmSync(rule, { force: true });
	}
});

test('file capabilities (setcap cap_net_raw+ep) show the gained capability without a uid change', async (t) => {
	if (!requireBpf(t, ['dispatch', 'priv'])) return;
	const dir = mkdtempSync('/tmp/bg-cap-');
	const bin = join(dir, 'cap-true');
	try {
		copyFileSync('/usr/bin/true', bin);
		chmodSync(bin, 0o755);
		chmodSync(dir, 0o755);
		const sc = spawnSync('setcap', ['cap_net_raw+ep', bin], { encoding: 'utf8' });
		assert.equal(sc.status, 0, `setcap: ${sc.stderr}`);
		let pid = 0;
		const { events } = await collect([privSensor], {}, async () => {
			pid = (await run('setpriv', asUser([bin]))).pid;
		});
		const ex = privs(events, pid).filter((e) => e.kind === 'priv_exec' && e.exe === bin);
		assert.equal(ex.length, 1);
		const e = ex[0];
		assert.deepEqual([e.old.euid, e.new.euid, e.new.uid], [uid, uid, uid]);
		assert.equal(e.old.capEff, 0n);
		assert.equal(e.new.capEff, 1n << 13n, 'CAP_NET_RAW');
		assert.equal(e.new.capPrm, 1n << 13n);
		assert.equal(e.flags, 0, 'not a setuid file');
		assert.deepEqual([e.fileUid, e.fileMode], [0, 0o100755]);
		const j = privJson(e);
		assert.deepEqual(j['priv.gained_caps'], ['CAP_NET_RAW']);
		assert.equal(j['priv.unusual'], false, 'no root gained');
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});

test('no unexplained change is reported for ordinary work (false-positive check)', async (t) => {
	if (!requireBpf(t, ['dispatch', 'priv'])) return;
	const pids: number[] = [];
	const { events, kernel } = await collect([privSensor], {}, async () => {
		pids.push((await run('/bin/sh', ['-c', 'cat /etc/hostname >/dev/null; ls / >/dev/null'])).pid);
		pids.push(pidOf((await run(SETIDS, ['resuid:-1,1000,-1', 'resuid:-1,0,-1', 'exec:/bin/true'])).stdout));
		pids.push((await run('unshare', ['-U', '/bin/true'])).pid);
	});
	for (const p of pids) assert.deepEqual(privs(events, p).filter((e) => e.kind === 'priv_drift'), [], `pid ${p}`);
	assert.equal(kernel.priv_no_store, 0);
	assert.equal(kernel.rb_full, 0);
});
