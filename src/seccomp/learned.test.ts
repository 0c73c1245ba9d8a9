/** @module seccomp/learned.test: the learned profile's text, merge, diff and systemd lines; the kernel bitmap's decoding (kernel-free). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseProfile, type Profile } from './profile.js';
import { compileProfile } from './compile.js';
import { allowedNames, diffProfiles, learnedProfile, mergeProblem, mergeProfiles, profileText, systemdLines } from './learned.js';
import { bitsToNrs } from './learn.js';
import type { Host } from './host.js';

const HOST: Host = { goArch: 'amd64', arch: 'SCMP_ARCH_X86_64', caps: new Set(), kernel: [6, 18] };
const parse = (o: unknown): Profile => parseProfile(JSON.stringify(o), 'p.json');

test('a learned profile: EPERM by default, the host arch, one allow rule, sorted, deduplicated, with what the launcher needs', () => {
	const p = learnedProfile(['write', 'read', 'write', 'openat'], ['SCMP_ARCH_X86_64']);
	assert.deepEqual(p, {
		defaultAction: 'SCMP_ACT_ERRNO',
		defaultErrnoRet: 1,
		architectures: ['SCMP_ARCH_X86_64'],
		syscalls: [{ names: ['execve', 'exit_group', 'openat', 'read', 'write'], action: 'SCMP_ACT_ALLOW' }],
	});
	const text = profileText(p);
	assert.ok(text.endsWith('}\n'));
	// what bpfguard writes, bpfguard (and so libseccomp's launcher) reads back
	const back = parseProfile(text, 'learned.json');
	assert.deepEqual([...allowedNames(back)].sort(), ['execve', 'exit_group', 'openat', 'read', 'write']);
	assert.equal(compileProfile(back, HOST).text, 'default errno 1\narch x86_64\nrule allow 0 execve 0\nrule allow 0 exit_group 0\nrule allow 0 openat 0\nrule allow 0 read 0\nrule allow 0 write 0\n');
});

test('--merge: the union of names and architectures; profiles that are not plain allow lists are refused', () => {
	const old = parse({ defaultAction: 'SCMP_ACT_ERRNO', architectures: ['SCMP_ARCH_X86'], syscalls: [{ names: ['close', 'read'], action: 'SCMP_ACT_ALLOW' }, { names: ['ptrace'], action: 'SCMP_ACT_ERRNO' }] });
	const m = mergeProfiles(learnedProfile(['read', 'write'], ['SCMP_ARCH_X86_64']), old);
	assert.deepEqual(m.syscalls, [{ names: ['close', 'execve', 'exit_group', 'read', 'write'], action: 'SCMP_ACT_ALLOW' }]);
	assert.deepEqual(m.architectures, ['SCMP_ARCH_X86', 'SCMP_ARCH_X86_64']);
	assert.equal(mergeProblem(old), null);
	assert.equal(mergeProblem(parse({ defaultAction: 'SCMP_ACT_ALLOW' })), 'defaultAction SCMP_ACT_ALLOW is not an allow list');
	const cond = parse({ defaultAction: 'SCMP_ACT_ERRNO', syscalls: [{ names: ['personality'], action: 'SCMP_ACT_ALLOW', args: [{ index: 0, value: 0, op: 'SCMP_CMP_EQ' }] }] });
	assert.equal(mergeProblem(cond), 'syscalls with argument conditions cannot be merged: personality');
});

test('diff: "<" only in A, ">" only in B, conditional rules and default actions apart; nothing for equal allow lists', () => {
	const a = parse({ defaultAction: 'SCMP_ACT_ERRNO', syscalls: [{ names: ['read', 'write', 'openat'], action: 'SCMP_ACT_ALLOW' }] });
	const b = parse({ defaultAction: 'SCMP_ACT_KILL_PROCESS', syscalls: [{ names: ['read'], action: 'SCMP_ACT_ALLOW' }, { name: 'mmap', action: 'SCMP_ACT_ALLOW' }, { names: ['personality'], action: 'SCMP_ACT_ALLOW', args: [{ index: 0, value: 0, op: 'SCMP_CMP_EQ' }] }] });
	assert.deepEqual(diffProfiles(a, b), ['< defaultAction SCMP_ACT_ERRNO 1', '> defaultAction SCMP_ACT_KILL_PROCESS', '< openat', '< write', '> mmap', '> personality (with argument conditions)']);
	const a2 = parse({ defaultAction: 'SCMP_ACT_ERRNO', defaultErrnoRet: 1, syscalls: [{ names: ['write', 'read'], action: 'SCMP_ACT_ALLOW' }, { names: ['openat'], action: 'SCMP_ACT_ALLOW' }] });
	assert.deepEqual(diffProfiles(a, a2), []);
});

test('systemd: an allow list in lines of eight, the errno by name, native arch; a deny-by-default-allow profile as ~list', () => {
	const names = ['a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7', 'a8', 'a9'].map((n) => `sys_${n}`);
	const p = parse({ defaultAction: 'SCMP_ACT_ERRNO', defaultErrnoRet: 1, syscalls: [{ names, action: 'SCMP_ACT_ALLOW' }, { names: ['personality'], action: 'SCMP_ACT_ALLOW', args: [{ index: 0, value: 0, op: 'SCMP_CMP_EQ' }] }] });
	assert.deepEqual(systemdLines(p), [
		'SystemCallFilter=sys_a1 sys_a2 sys_a3 sys_a4 sys_a5 sys_a6 sys_a7 sys_a8',
		'SystemCallFilter=sys_a9',
		'# not allowed (systemd cannot test their arguments): personality',
		'SystemCallErrorNumber=EPERM',
		'SystemCallArchitectures=native',
	]);
	const deny = parse({ defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['ptrace', 'keyctl'], action: 'SCMP_ACT_ERRNO' }] });
	assert.deepEqual(systemdLines(deny), ['SystemCallFilter=~keyctl ptrace', 'SystemCallArchitectures=native']);
});

test('the kernel bitmap: bit b of word w is syscall 64w + b', () => {
	assert.deepEqual(bitsToNrs([0b1011n, 0n, (1n << 63n) | 1n]), [0, 1, 3, 128, 191]);
	assert.deepEqual(bitsToNrs([]), []);
});
