/** @module seccomp/profile.test: profile validation names the place of the problem; compile evaluates includes/excludes per host. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseProfile, ProfileError } from './profile.js';
import { compileProfile } from './compile.js';
import { jsonErrorOffset } from './json-where.js';
import type { Host } from './host.js';

const ROOT_X86: Host = { goArch: 'amd64', arch: 'SCMP_ARCH_X86_64', caps: new Set(['CAP_SYS_ADMIN']), kernel: [6, 18] };
const NOCAP_ARM: Host = { goArch: 'arm64', arch: 'SCMP_ARCH_AARCH64', caps: new Set(), kernel: [4, 4] };

function problem(text: string): string {
	try {
		parseProfile(text, 'p.json');
	} catch (e) {
		assert.ok(e instanceof ProfileError);
		return e.message;
	}
	assert.fail('no error');
}

test('bad JSON is placed at file:line:col', () => {
	assert.match(problem('{"defaultAction": "SCMP_ACT_ALLOW",\n  "syscalls": [ }'), /^read profile p\.json:2:17: bad JSON: /);
});

test('unknown action, arg op, architecture and bad names are placed at their JSON path', () => {
	assert.equal(problem('{"defaultAction":"SCMP_ACT_NOPE"}'), 'read profile p.json: defaultAction: unknown action "SCMP_ACT_NOPE"');
	const op = '{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["read"],"action":"SCMP_ACT_ALLOW"},{"names":["write"],"action":"SCMP_ACT_ALLOW","args":[{"index":0,"value":1,"op":"SCMP_CMP_XX"}]}]}';
	assert.equal(problem(op), 'read profile p.json: syscalls[1].args[0].op: unknown argument op "SCMP_CMP_XX"');
	assert.match(problem('{"defaultAction":"SCMP_ACT_ERRNO","architectures":["SCMP_ARCH_VAX"]}'), /architectures\[0\]: unknown architecture "SCMP_ARCH_VAX"/);
	assert.match(problem('{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["re ad"],"action":"SCMP_ACT_ALLOW"}]}'), /syscalls\[0\]\.names\[0\]: must be a syscall name/);
	assert.match(problem('{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"action":"SCMP_ACT_ALLOW"}]}'), /syscalls\[0\]: needs "names"/);
	assert.match(problem('{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["read"],"action":"SCMP_ACT_ALLOW","args":[{"index":6,"value":1,"op":"SCMP_CMP_EQ"}]}]}'), /syscalls\[0\]\.args\[0\]\.index: /);
	assert.match(problem('{}'), /^read profile p\.json: defaultAction: required$/);
});

test('several problems: the first is named, the rest counted', () => {
	assert.match(problem('{"defaultAction":"X","syscalls":[{"names":["a"],"action":"Y"}]}'), /defaultAction: unknown action "X" \(and 1 more problem\)$/);
});

test('compile: default first, archMap of the native arch, one rule line per name, places kept', () => {
	const p = parseProfile(JSON.stringify({
		defaultAction: 'SCMP_ACT_ERRNO', defaultErrnoRet: 38,
		archMap: [{ architecture: 'SCMP_ARCH_X86_64', subArchitectures: ['SCMP_ARCH_X86'] }, { architecture: 'SCMP_ARCH_AARCH64' }],
		syscalls: [
			{ names: ['read', 'write'], action: 'SCMP_ACT_ALLOW' },
			{ names: ['keyctl'], action: 'SCMP_ACT_ERRNO', errnoRet: 1 },
			{ names: ['ptrace'], action: 'SCMP_ACT_KILL' },
			{ names: ['same'], action: 'SCMP_ACT_ERRNO', errnoRet: 38 },
		],
	}), 'p.json');
	const c = compileProfile(p, ROOT_X86);
	assert.equal(c.text, 'default errno 38\narch x86_64\narch x86\nrule allow 0 read 0\nrule allow 0 write 0\nrule errno 1 keyctl 0\nrule kill_thread 0 ptrace 0\n');
	assert.deepEqual(c.places, ['defaultAction', 'archMap', 'archMap', 'syscalls[0].names[0]', 'syscalls[0].names[1]', 'syscalls[1].names[0]', 'syscalls[2].names[0]']);
	assert.equal(compileProfile(p, NOCAP_ARM).text.split('\n')[1], 'arch aarch64');
});

test('compile: args in libseccomp op numbers; a repeated index becomes one rule per condition (runc)', () => {
	const p = parseProfile(JSON.stringify({
		defaultAction: 'SCMP_ACT_KILL_PROCESS', architectures: ['SCMP_ARCH_X86_64'],
		syscalls: [
			{ names: ['socket'], action: 'SCMP_ACT_ALLOW', args: [{ index: 0, value: 16, op: 'SCMP_CMP_NE' }, { index: 2, value: 9, valueTwo: 0, op: 'SCMP_CMP_EQ' }] },
			{ names: ['personality'], action: 'SCMP_ACT_ALLOW', args: [{ index: 0, value: 0, op: 'SCMP_CMP_EQ' }, { index: 0, value: 0xff, valueTwo: 8, op: 'SCMP_CMP_MASKED_EQ' }] },
		],
	}), 'p.json');
	assert.deepEqual(compileProfile(p, ROOT_X86).text.split('\n').slice(2, 5), [
		'rule allow 0 socket 2 0 1 16 0 2 4 9 0',
		'rule allow 0 personality 1 0 4 0 0',
		'rule allow 0 personality 1 0 7 255 8',
	]);
});

test('compile: includes/excludes by caps, arches and minKernel, as the container runtimes evaluate them', () => {
	const p = parseProfile(JSON.stringify({
		defaultAction: 'SCMP_ACT_ERRNO', defaultErrnoRet: 38,
		syscalls: [
			{ names: ['bpf'], action: 'SCMP_ACT_ALLOW', includes: { caps: ['CAP_SYS_ADMIN'] } },
			{ names: ['bpf'], action: 'SCMP_ACT_ERRNO', errnoRet: 1, excludes: { caps: ['CAP_SYS_ADMIN'] } },
			{ names: ['arch_prctl'], action: 'SCMP_ACT_ALLOW', includes: { arches: ['amd64', 'x32'] } },
			{ names: ['clone3'], action: 'SCMP_ACT_ALLOW', includes: { minKernel: '5.3' } },
			{ names: ['old'], action: 'SCMP_ACT_ALLOW', excludes: { minKernel: '5.0', arches: ['s390x'] } },
		],
	}), 'p.json');
	const rules = (h: Host) => compileProfile(p, h).text.split('\n').filter((l) => l.startsWith('rule'));
	assert.deepEqual(rules(ROOT_X86), ['rule allow 0 bpf 0', 'rule allow 0 arch_prctl 0', 'rule allow 0 clone3 0']);
	assert.deepEqual(rules(NOCAP_ARM), ['rule errno 1 bpf 0', 'rule allow 0 old 0']);
	assert.equal(compileProfile(p, NOCAP_ARM).skipped, 3);
});

test('property: any mutation of a profile gives a profile or a ProfileError; the JSON scanner agrees with JSON.parse', () => {
	const base = JSON.stringify({ defaultAction: 'SCMP_ACT_ERRNO', syscalls: [{ names: ['read', 'write'], action: 'SCMP_ACT_ALLOW', args: [{ index: 0, value: 1, op: 'SCMP_CMP_EQ' }] }] }, null, 1);
	let seed = 17;
	const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
	const alphabet = '{}[]":,0123456789-.eE tfnul\\\nabcSCMP_ACT';
	for (let k = 0; k < 3000; k++) {
		const chars = [...base];
		for (let m = 1 + rnd(3); m > 0; m--) {
			const at = rnd(chars.length);
			const op = rnd(3);
			if (op === 0) chars.splice(at, 1);
			else if (op === 1) chars.splice(at, 0, alphabet[rnd(alphabet.length)]);
			else chars[at] = alphabet[rnd(alphabet.length)];
		}
		const text = chars.join('');
		let valid = true;
		try {
			JSON.parse(text);
		} catch {
			valid = false;
		}
		assert.equal(jsonErrorOffset(text) < 0, valid, text);
		try {
			parseProfile(text, 'p.json');
		} catch (e) {
			assert.ok(e instanceof ProfileError, `${text}: ${String(e)}`);
			assert.doesNotMatch(e.message, /\n/);
		}
	}
});
