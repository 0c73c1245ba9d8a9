/** @module process/cred-check.test: the user-space credential check on synthetic event sequences. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CredTracker } from './cred-check.js';
import type { BgEvent, Creds, EventBase, PrivEvent } from '../events/types.js';

const BASE: EventBase = { flags: 0, bootNs: 1n, timeMs: 0, pid: 10, tid: 10, cgroupId: 1n };
const creds = (uid: number, euid = uid): Creds => ({
	uid, euid, suid: euid, fsuid: euid, gid: uid, egid: uid, sgid: uid, fsgid: uid, capEff: 0n, capPrm: 0n, userns: 1, ngroups: 0,
});
const exec = (pid: number, uid: number, euid = uid, ret = 0): BgEvent => ({
	kind: 'exec', ...BASE, pid, tid: pid, ppid: 1, oldTid: pid, uid, gid: uid, euid, egid: uid, loginuid: 0, sid: 1, ret, argc: 1, stdioSock: 0,
	startNs: 0n, comm: 'x', exe: '/x', args: [], argsTruncated: false, cwd: '/', tty: '',
});
const call = (pid: number, old: Creds, now: Creds): PrivEvent => ({
	kind: 'priv_call', ...BASE, pid, tid: pid, syscall: 'setuid', ret: 0, args: [now.uid], reqEff: 0n, reqPrm: 0n, site: 'syscall',
	old, new: now, ppid: 1, fileUid: 0, fileGid: 0, fileMode: 0, comm: 'x', exe: '/x',
});

test('an identity call whose before matches the known ids is explained; the after becomes known', () => {
	const t = new CredTracker();
	assert.equal(t.observe(exec(10, 1000)), null);
	assert.equal(t.observe(call(10, creds(1000), creds(1000, 0))), null);
	assert.equal(t.observe(call(10, creds(1000, 0), creds(0))), null);
});

test('creds that changed between two events with nothing in between are reported once', () => {
	const t = new CredTracker();
	t.observe(exec(10, 1000));
	const d = t.observe(call(10, creds(0), creds(0)));
	assert.deepEqual(d, { pid: 10, tid: 10, seenIn: 'priv_call', expected: { uid: 1000, euid: 1000, gid: 1000, egid: 1000 }, actual: { uid: 0, euid: 0, gid: 0, egid: 0 } });
	assert.equal(t.observe(call(10, creds(0), creds(0))), null, 'then the new ids are the known ones');
});

test('a failed exec carries the current ids and is checked; a successful one rebases', () => {
	const t = new CredTracker();
	t.observe(exec(10, 1000));
	assert.equal(t.observe(exec(10, 1000, 0)), null, 'setuid exec: rebase, the kernel checks transitions');
	assert.ok(t.observe(exec(10, 5, 5, -2)), 'a failed exec with other ids than known');
});

test('fork copies the parent ids to the child; exit forgets the task', () => {
	const t = new CredTracker();
	t.observe(exec(10, 1000));
	t.observe({ kind: 'fork', ...BASE, pid: 11, tid: 11, ppid: 10, parentTid: 10, startNs: 0n, comm: 'x' });
	assert.ok(t.observe(call(11, creds(0), creds(0))), 'child with root ids it never got');
	t.observe({ kind: 'exit', ...BASE, pid: 10, tid: 10, ppid: 1, status: 0, exitCode: 0, signal: null, coreDumped: false, startNs: 0n, comm: 'x' });
	assert.equal(t.observe(call(10, creds(0), creds(0))), null, 'a reused pid starts fresh');
	assert.equal(t.size, 2);
});
