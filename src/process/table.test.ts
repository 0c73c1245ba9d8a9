/** @module process/table.test: seeding from a fake /proc, fork/exec/exit, ancestry, eviction, pid reuse, missing parents. */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecEvent, ExitEvent, ForkEvent } from '../events/types.js';
import { ProcessTable, UNKNOWN_ID, UNSET_LOGINUID } from './table.js';
import { ttyName } from './procfs.js';
import { UserDb } from './users.js';

const TICK = 10_000_000n;
const PTS0 = 136 << 8;

interface FakeProc {
	ppid: number;
	comm: string;
	uid?: [number, number];
	gid?: [number, number];
	args?: string[];
	exe?: string;
	cwd?: string;
	sid?: number;
	ttyNr?: number;
	ticks?: number;
	loginuid?: number;
	cgroup?: string;
}

/** Write procRoot/[pid] the way the kernel lays it out (only the files the table reads). */
function fakeProc(root: string, pid: number, p: FakeProc): void {
	const dir = join(root, String(pid));
	mkdirSync(dir);
	const rest = ['S', p.ppid, pid, p.sid ?? 0, p.ttyNr ?? 0, -1, 0, ...Array(12).fill(0), p.ticks ?? 0, 0, 0];
	writeFileSync(join(dir, 'stat'), `${pid} (${p.comm}) ${rest.join(' ')}\n`);
	const [uid, euid] = p.uid ?? [0, 0];
	const [gid, egid] = p.gid ?? [0, 0];
	writeFileSync(join(dir, 'status'), `Name:\t${p.comm}\nUid:\t${uid}\t${euid}\t${euid}\t${euid}\nGid:\t${gid}\t${egid}\t${egid}\t${egid}\n`);
	writeFileSync(join(dir, 'cmdline'), p.args?.length ? p.args.join('\0') + '\0' : '');
	writeFileSync(join(dir, 'loginuid'), String(p.loginuid ?? UNSET_LOGINUID));
	if (p.cgroup !== undefined) writeFileSync(join(dir, 'cgroup'), `0::${p.cgroup}\n`);
	if (p.exe) symlinkSync(p.exe, join(dir, 'exe'));
	if (p.cwd) symlinkSync(p.cwd, join(dir, 'cwd'));
}

/** A temp dir with proc/, cgroup/ and passwd; removed after the test. */
function world(t: TestContext): { root: string; cgroup: string; users: UserDb } {
	const dir = mkdtempSync(join(tmpdir(), 'bg-proc-'));
	t.after(() => rmSync(dir, { recursive: true, force: true }));
	const root = join(dir, 'proc');
	const cgroup = join(dir, 'cgroup');
	mkdirSync(root);
	mkdirSync(join(cgroup, 'user.slice'), { recursive: true });
	writeFileSync(join(dir, 'passwd'), 'root:x:0:0::/root:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/sh\n');
	const users = new UserDb({ passwd: join(dir, 'passwd'), group: join(dir, 'group') });
	fakeProc(root, 1, { ppid: 0, comm: 'systemd', args: ['/sbin/init'], exe: '/usr/lib/systemd/systemd', cwd: '/', sid: 1, ticks: 1 });
	fakeProc(root, 2, { ppid: 0, comm: 'kthreadd', ticks: 1 });
	const bash = ['-bash'];
	const alice = { uid: [1000, 1000] as [number, number], gid: [1000, 1000] as [number, number], loginuid: 1000 };
	fakeProc(root, 500, { ppid: 1, comm: 'bash', args: bash, exe: '/usr/bin/bash', cwd: '/home/alice', sid: 500, ttyNr: PTS0, ticks: 12345, cgroup: '/user.slice', ...alice });
	mkdirSync(join(root, 'self'));
	mkdirSync(join(root, '999'));
	return { root, cgroup, users };
}

const base = (pid: number) => ({ flags: 0, bootNs: 1n, timeMs: 0, pid, tid: pid, cgroupId: 7n });
const fork = (pid: number, ppid: number, startNs: bigint, comm = 'bash'): ForkEvent => ({ kind: 'fork', ...base(pid), ppid, parentTid: ppid, startNs, comm, vpid: pid, pidns: 0, mntns: 0 });
const exit = (pid: number, status: number, startNs: bigint, ppid = 1): ExitEvent => ({
	kind: 'exit',
	...base(pid),
	ppid,
	status,
	exitCode: status & 0x7f ? null : status >> 8,
	signal: status & 0x7f || null,
	coreDumped: false,
	startNs,
	comm: 'x',
});
function exec(pid: number, ppid: number, startNs: bigint, args: string[], ret = 0): ExecEvent {
	const ids = { uid: 0, gid: 0, euid: 0, egid: 0, loginuid: 1000, sid: 500 };
	const comm = args[0].split('/').pop() ?? '';
	const exe = `/usr/bin/${comm}`;
	return { kind: 'exec', ...base(pid), ppid, oldTid: pid, ...ids, ret, argc: args.length, stdioSock: 0, enforce: 0, startNs, comm, exe, args, argsTruncated: false, cwd: '/tmp', tty: 'pts1', script: '', env: {}, stdioKind: ['tty', 'tty', 'tty'], stdioIno: [3, 3, 3], vpid: pid, pidns: 0, mntns: 0, cgroup: '/', cgroup1: '', cgroupTruncated: false, stdinPath: '' };
}

test('seed reads stat, status, cmdline, links, loginuid and cgroup; skips vanished and non-pid entries', (t) => {
	const w = world(t);
	const table = new ProcessTable({ procRoot: w.root, cgroupRoot: w.cgroup, users: w.users });
	assert.equal(table.seed(), 3);
	assert.equal(table.size, 3);
	const b = table.get(500);
	assert.ok(b);
	assert.deepEqual(
		{ pid: b.pid, ppid: b.ppid, comm: b.comm, exe: b.exe, args: b.args, cwd: b.cwd, sid: b.sid, tty: b.tty, loginuid: b.loginuid },
		{ pid: 500, ppid: 1, comm: 'bash', exe: '/usr/bin/bash', args: ['-bash'], cwd: '/home/alice', sid: 500, tty: 'pts0', loginuid: 1000 },
	);
	assert.deepEqual([b.uid, b.euid, b.gid, b.egid], [1000, 1000, 1000, 1000]);
	assert.equal(b.startNs, 12345n * TICK);
	assert.equal(b.cgroupId, statSync(join(w.cgroup, 'user.slice'), { bigint: true }).ino);
	assert.equal(b.userName, 'alice');
	assert.equal(b.source, 'proc');
	assert.equal(b.exited, false);
	assert.equal(b.exitStatus, null);
	const k = table.get(2);
	assert.deepEqual([k?.comm, k?.exe, k?.cwd, k?.args, k?.ppid, k?.cgroupId], ['kthreadd', '', '', [], 0, 0n]);
	assert.equal(table.get(1)?.userName, 'root');
	assert.equal(table.get(999), undefined, 'a pid without stat (exited meanwhile) is skipped');
	assert.deepEqual(table.stats(), { live: 3, exited: 0, seeded: 3, evicted: 0, missingParent: 0, containerLookups: 0, containerLookupsGone: 0 });
});

test('seed names a process by its executable, not by a comm it renamed itself to', (t) => {
	const w = world(t);
	fakeProc(w.root, 710, { ppid: 1, comm: 'sshd', args: ['sshd'], exe: '/tmp/evil-binary-with-a-long-name', ticks: 5 });
	fakeProc(w.root, 711, { ppid: 1, comm: 'kworker/0:1', args: [], exe: '/dev/shm/x (deleted)', ticks: 5 });
	const table = new ProcessTable({ procRoot: w.root, users: w.users });
	table.seed();
	assert.equal(table.get(710)?.comm, 'evil-binary-wit');
	assert.equal(table.get(711)?.comm, 'x');
	assert.equal(table.get(2)?.comm, 'kthreadd', 'a kernel thread (no exe) keeps its comm');
});

test('seed handles a comm with spaces and parentheses, and counts a missing parent', (t) => {
	const w = world(t);
	fakeProc(w.root, 700, { ppid: 650, comm: 'a) (b c', args: ['x'], ticks: 5 });
	const table = new ProcessTable({ procRoot: w.root, users: w.users });
	table.seed();
	const p = table.get(700);
	assert.equal(p?.comm, 'a) (b c');
	assert.equal(p?.ppid, 650);
	assert.equal(p?.startNs, 5n * TICK);
	assert.equal(table.stats().missingParent, 1);
});

test('fork inherits from the parent, exec replaces the image, failed exec changes nothing, exit keeps the entry', (t) => {
	const w = world(t);
	const table = new ProcessTable({ procRoot: w.root, users: w.users });
	table.seed();
	table.apply(fork(600, 500, 200n * TICK, 'kworker'));
	let c = table.get(600);
	assert.deepEqual([c?.exe, c?.args, c?.uid, c?.euid, c?.cwd, c?.tty, c?.sid, c?.loginuid], ['/usr/bin/bash', ['-bash'], 1000, 1000, '/home/alice', 'pts0', 500, 1000]);
	assert.equal(c?.comm, table.get(500)?.comm, "the parent's name, not the comm it renamed itself to before forking");
	assert.deepEqual([c?.source, c?.startNs, c?.cgroupId, c?.userName], ['event', 200n * TICK, 7n, 'alice']);
	table.apply(exec(600, 500, 200n * TICK, ['ls', '-l']));
	c = table.get(600);
	assert.deepEqual([c?.comm, c?.exe, c?.args, c?.uid, c?.cwd, c?.tty, c?.userName], ['ls', '/usr/bin/ls', ['ls', '-l'], 0, '/tmp', 'pts1', 'root']);
	table.apply(exec(600, 500, 200n * TICK, ['/nonexistent', 'z'], -2));
	assert.deepEqual(table.get(600)?.args, ['ls', '-l'], 'a failed exec does not change the process');
	assert.equal(table.get(600)?.comm, 'ls');
	table.apply(exit(600, 3 << 8, 200n * TICK, 500));
	c = table.get(600);
	assert.equal(c?.exited, true);
	assert.equal(c?.exitStatus, 3 << 8);
	assert.equal(c?.comm, 'ls', 'exit keeps what exec set');
	assert.deepEqual(table.stats(), { live: 3, exited: 1, seeded: 3, evicted: 0, missingParent: 0, containerLookups: 0, containerLookupsGone: 0 });
	table.apply(exit(600, 0, 200n * TICK, 500));
	assert.equal(table.get(600)?.exitStatus, 3 << 8, 'a duplicate exit is ignored');
	assert.equal(table.stats().exited, 1);
});

test('exec for a seeded process matches despite the tick precision of /proc', (t) => {
	const w = world(t);
	const table = new ProcessTable({ procRoot: w.root, users: w.users });
	table.seed();
	table.apply(exec(500, 1, 12345n * TICK + 9_999_999n, ['vim', 'notes']));
	const p = table.get(500);
	assert.equal(p?.source, 'proc', 'same process, updated in place');
	assert.equal(p?.startNs, 12345n * TICK);
	assert.deepEqual(p?.args, ['vim', 'notes']);
});

test('ancestry is parent first, bounded, stops at pid 1 and at loops; isDescendant follows it', (t) => {
	const w = world(t);
	const table = new ProcessTable({ procRoot: w.root, users: w.users });
	table.seed();
	table.apply(fork(600, 500, 200n * TICK));
	table.apply(fork(700, 600, 300n * TICK));
	assert.deepEqual(table.ancestry(700).map((p) => p.pid), [600, 500, 1]);
	assert.deepEqual(table.ancestry(700, 2).map((p) => p.pid), [600, 500]);
	assert.deepEqual(table.ancestry(1), []);
	assert.deepEqual(table.ancestry(12345), []);
	assert.equal(table.isDescendant(700, 500), true);
	assert.equal(table.isDescendant(700, 1), true);
	assert.equal(table.isDescendant(500, 700), false);
	assert.equal(table.isDescendant(700, 700), false);
	table.apply(exec(800, 801, 400n * TICK, ['a']));
	table.apply(exec(801, 800, 401n * TICK, ['b']));
	assert.deepEqual(table.ancestry(800).map((p) => p.pid), [801], 'a ppid loop ends');
	assert.equal(table.isDescendant(800, 1), false);
});

test('an exited process stays for exitedTtlMs, then the next apply evicts it', (t) => {
	const w = world(t);
	let now = 1_000;
	const table = new ProcessTable({ procRoot: w.root, users: w.users, exitedTtlMs: 5_000, now: () => now });
	table.seed();
	table.apply(fork(600, 500, 200n * TICK));
	table.apply(exit(600, 0, 200n * TICK, 500));
	now = 5_999;
	table.apply(fork(601, 500, 201n * TICK));
	assert.equal(table.get(600)?.exited, true, 'still resolvable before the TTL');
	now = 6_000;
	table.apply(fork(602, 500, 202n * TICK));
	assert.equal(table.get(600), undefined, 'evicted at the TTL');
	assert.deepEqual(table.stats(), { live: 5, exited: 0, seeded: 3, evicted: 1, missingParent: 0, containerLookups: 0, containerLookupsGone: 0 });
	table.apply(exit(601, 0, 201n * TICK, 500));
	now = 20_000;
	assert.equal(table.sweep(), 1);
	assert.equal(table.get(601), undefined);
});

test('maxEntries evicts the oldest exited first, then the oldest entry', (t) => {
	const w = world(t);
	const table = new ProcessTable({ procRoot: w.root, users: w.users, maxEntries: 4, exitedTtlMs: 60_000 });
	table.seed();
	table.apply(fork(600, 500, 200n * TICK));
	table.apply(exit(600, 0, 200n * TICK, 500));
	table.apply(fork(601, 500, 201n * TICK));
	assert.equal(table.get(600), undefined, 'the exited entry went first');
	assert.deepEqual([1, 2, 500, 601].map((p) => table.get(p)?.pid), [1, 2, 500, 601]);
	table.apply(fork(602, 500, 202n * TICK));
	assert.equal(table.get(1), undefined, 'then the oldest entry');
	assert.equal(table.size, 4);
	assert.equal(table.stats().evicted, 2);
});

test('pid reuse: a fork or an exec with another start time replaces the old entry', (t) => {
	const w = world(t);
	let now = 0;
	const table = new ProcessTable({ procRoot: w.root, users: w.users, exitedTtlMs: 1_000, now: () => now });
	table.seed();
	table.apply(fork(600, 500, 200n * TICK));
	table.apply(exec(600, 500, 200n * TICK, ['old']));
	table.apply(exit(600, 9, 200n * TICK, 500));
	table.apply(fork(600, 1, 900n * TICK, 'systemd'));
	let p = table.get(600);
	assert.deepEqual([p?.ppid, p?.exited, p?.exitStatus, p?.args, p?.startNs], [1, false, null, ['/sbin/init'], 900n * TICK]);
	assert.equal(table.stats().exited, 0);
	now = 5_000;
	table.apply(fork(601, 1, 901n * TICK));
	assert.equal(table.get(600)?.startNs, 900n * TICK, 'the old exit does not evict the new process');
	table.apply(exec(600, 1, 950n * TICK, ['new']));
	p = table.get(600);
	assert.deepEqual([p?.startNs, p?.args, p?.ppid, p?.source], [950n * TICK, ['new'], 1, 'event'], 'missed exit and fork: replaced');
	table.apply(fork(600, 1, 950n * TICK));
	assert.deepEqual(table.get(600)?.args, ['new'], 'a late fork of the same process keeps its exec');
});

test('a fork, exec or exit with an unknown parent or pid still makes an entry and is counted', (t) => {
	const w = world(t);
	const table = new ProcessTable({ procRoot: w.root, users: w.users });
	table.apply(fork(900, 899, 10n * TICK, 'orphan'));
	const o = table.get(900);
	assert.deepEqual([o?.comm, o?.exe, o?.args, o?.uid, o?.euid, o?.ppid], ['orphan', '', [], UNKNOWN_ID, UNKNOWN_ID, 899]);
	assert.equal(o?.userName, String(UNKNOWN_ID));
	assert.deepEqual(table.ancestry(900), []);
	table.apply(exit(950, 9, 11n * TICK, 949));
	assert.deepEqual([table.get(950)?.exited, table.get(950)?.exitStatus], [true, 9]);
	assert.deepEqual(table.stats(), { live: 1, exited: 1, seeded: 0, evicted: 0, missingParent: 2, containerLookups: 0, containerLookupsGone: 0 });
});

test('ttyName spells device numbers like the kernel', () => {
	assert.equal(ttyName(0), '');
	assert.equal(ttyName(PTS0), 'pts0');
	assert.equal(ttyName((136 << 8) | 5), 'pts5');
	assert.equal(ttyName((137 << 8) | 1), 'pts257');
	assert.equal(ttyName((136 << 8) | (300 & 0xff) | ((300 & ~0xff) << 12)), 'pts300');
	assert.equal(ttyName((4 << 8) | 1), 'tty1');
	assert.equal(ttyName((4 << 8) | 64), 'ttyS0');
	assert.equal(ttyName((5 << 8) | 1), 'console');
	assert.equal(ttyName((188 << 8) | 0), '188:0');
});

test('container identity: seeded from /proc (cgroup, ns, NSpid), set at exec, inherited at fork with the fork\'s namespaces', (t) => {
	const w = world(t);
	const id = 'a7d7d7605d562e0f3ad7e44b6cf9326a8b7f40123a6f64e2d257d701ea694b8b';
	/* namespace links as files: their inode numbers stand for the namespaces' inums */
	const ns = (pid: number, kind: 'pid' | 'mnt', like?: number): number => {
		const dir = join(w.root, String(pid), 'ns');
		mkdirSync(dir, { recursive: true });
		if (like !== undefined) symlinkSync(join(w.root, String(like), 'ns', kind), join(dir, kind));
		else writeFileSync(join(dir, kind), '');
		return Number(statSync(join(dir, kind)).ino);
	};
	const hostPid = ns(1, 'pid');
	const hostMnt = ns(1, 'mnt');
	ns(500, 'pid', 1);
	ns(500, 'mnt', 1);
	fakeProc(w.root, 600, { ppid: 1, comm: 'sleep', args: ['sleep', '600'], ticks: 2 });
	writeFileSync(join(w.root, '600', 'cgroup'), `8:pids:/libpod_parent/libpod-${id}\n4:memory:/libpod_parent/libpod-${id}\n0::/\n`);
	writeFileSync(join(w.root, '600', 'status'), 'Name:\tsleep\nUid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nNSpid:\t600\t1\n');
	const cPid = ns(600, 'pid');
	const cMnt = ns(600, 'mnt');
	const table = new ProcessTable({ procRoot: w.root, users: w.users });
	table.seed();
	const c = table.get(600)!;
	assert.deepEqual([c.container.id, c.container.fullId, c.container.runtime, c.vpid, c.pidns, c.mntns, c.cgroup1], [id.slice(0, 12), id, 'podman', 1, cPid, cMnt, `/libpod_parent/libpod-${id}`]);
	const h = table.get(500)!;
	assert.deepEqual([h.container.id, h.vpid, h.pidns, h.mntns], ['host', 500, hostPid, hostMnt]);
	/* a fork of the container's init: same container, its own vpid */
	table.apply({ ...fork(700, 600, 300n), vpid: 7, pidns: cPid, mntns: cMnt });
	assert.deepEqual([table.get(700)!.container.id, table.get(700)!.vpid], [id.slice(0, 12), 7]);
	/* a host shell that unshares pid and mount namespaces (unshare -fpm): not the host */
	table.apply({ ...fork(710, 500, 400n), vpid: 1, pidns: 4026532243, mntns: 4026532242 });
	assert.equal(table.get(710)!.container.id, 'pidns-4026532243');
	table.apply({ ...exec(710, 500, 400n, ['/bin/sh']), vpid: 1, pidns: 4026532243, mntns: 4026532242, cgroup: '/user.slice', cgroup1: '/' });
	assert.deepEqual([table.get(710)!.container.id, table.get(710)!.container.runtime, table.get(710)!.vpid], ['pidns-4026532243', 'unknown', 1]);
	/* an exec record in a docker container, its v2 cgroup the root (a hybrid host) */
	table.apply({ ...exec(720, 500, 500n, ['/bin/cat']), vpid: 9, pidns: cPid, mntns: cMnt, cgroup: '/', cgroup1: `/docker/${id}` });
	assert.deepEqual([table.get(720)!.container.id, table.get(720)!.container.runtime], [id.slice(0, 12), 'docker']);
	/* a fork whose parent the table never saw: read once from /proc when asked (here: gone) and counted */
	table.apply({ ...fork(730, 9999, 600n), vpid: 730, pidns: hostPid, mntns: hostMnt });
	assert.equal(table.get(730)!.container.id, '<NA>');
	assert.equal(table.containerOf(731).container.id, '<NA>');
	assert.deepEqual([table.stats().containerLookups, table.stats().containerLookupsGone], [2, 2]);
});
