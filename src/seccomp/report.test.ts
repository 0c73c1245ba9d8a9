/** @module seccomp/report.test: kernel seccomp records become counted, escaped violation lines. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseKmsgLine, type KmsgBatch } from './kmsg.js';
import { actionOf, countViolations, mergeViolations, reportLines } from './report.js';
import { exitStatus, parseFailure } from './launch.js';

const AUDIT = (pid: number, nr: number, code: string) =>
	`5,1234,3623887873,-;audit: type=1326 audit(1796619297.434:1): auid=4294967295 uid=0 gid=0 ses=4294967295 pid=${pid} comm="rawopen" exe="/tmp/x" sig=0 arch=c000003e syscall=${nr} compat=0 ip=0x40102d code=0x${code}\n`;

test('kmsg: audit type=1326 records and suppressed-callback counts are parsed; other lines ignored', () => {
	const b: KmsgBatch = { records: [], suppressed: 0, overrun: 0 };
	parseKmsgLine(AUDIT(42, 257, '80000000'), b);
	parseKmsgLine('4,99,1,-;kauditd_printk_skb: 7 callbacks suppressed\n', b);
	parseKmsgLine('6,100,2,-;eth0: link up\n', b);
	assert.deepEqual(b, { records: [{ pid: 42, arch: 0xc000003e, nr: 257, code: 0x80000000 }], suppressed: 7, overrun: 0 });
});

test('actions from the filter return value', () => {
	assert.deepEqual(actionOf(0x80000000), { action: 'kill_process' });
	assert.deepEqual(actionOf(0), { action: 'kill_thread' });
	assert.deepEqual(actionOf(0x30000), { action: 'trap' });
	assert.deepEqual(actionOf(0x50000), { action: 'errno' });
	assert.deepEqual(actionOf(0x50001), { action: 'errno', errno: 'EPERM' });
	assert.deepEqual(actionOf(0x7ffc0000), { action: 'log' });
});

test('violations are counted by syscall and action, most frequent first, names escaped', () => {
	const r = (nr: number, code: number) => ({ pid: 1, arch: 0xc000003e, nr, code });
	const v = countViolations([r(257, 0x50000), r(0, 0x7ffc0000), r(257, 0x50000)], new Map([['3221225534:257', 'openat'], ['3221225534:0', 're\nad']]));
	assert.deepEqual(v.map((x) => [x.syscall, x.action, x.count, x.arch]), [['openat', 'errno', 2, 'x86_64'], ['re\nad', 'log', 1, 'x86_64']]);
	const lines = reportLines({ violations: v, suppressed: 3, overrun: 0, otherPids: 0, exit: { code: 0, signal: null } });
	assert.deepEqual(lines, [
		'bpfguard sandbox: openat: errno, 2 times',
		'bpfguard sandbox: re\\nad: log, 1 time',
		'bpfguard sandbox: kernel log lost 3 seccomp record(s) (rate limit 3, overrun 0): counts may be low',
	]);
});

test('a SIGSYS death with no record, and an unreadable log, are said', () => {
	const lines = reportLines({ violations: [], suppressed: 0, overrun: 0, otherPids: 2, unseen: 'cannot read /dev/kmsg: EACCES', exit: { code: null, signal: 'SIGSYS' } });
	assert.equal(lines.length, 2);
	assert.match(lines[0], /killed by SIGSYS/);
	assert.match(lines[1], /violations not visible: cannot read \/dev\/kmsg: EACCES/);
});

test('launcher failure lines and exit statuses', () => {
	assert.deepEqual(parseFailure('4 syscall unknown syscall nosuch\n'), { line: 4, code: 'syscall', message: 'unknown syscall nosuch' });
	assert.equal(parseFailure(''), null);
	assert.equal(exitStatus(7, null), 7);
	assert.equal(exitStatus(null, 'SIGSYS'), 159);
	assert.equal(exitStatus(null, 'SIGTERM'), 143);
});

test('merge: kernel counts give errno denials; a kill record names the counted call it killed; log records stay', () => {
	const arch = 0xc000003e;
	const names = new Map([[`${arch}:250`, 'keyctl'], [`${arch}:257`, 'openat'], [`${arch}:0`, 'read'], [`${arch}:1`, 'write']]);
	const k = { denials: [{ nr: 250, ret: -1, count: 25 }, { nr: 257, ret: 257, count: 1 }, { nr: 0, ret: 3, count: 2 }, { nr: 250, ret: -38, count: 1 }], lost: 0, unmarked: 0 };
	const audit = [
		{ pid: 1, arch, nr: 257, code: 0x80000000 },
		{ pid: 1, arch, nr: 250, code: 0x50000 },
		{ pid: 1, arch, nr: 1, code: 0x7ffc0000 },
	];
	const v = mergeViolations(k, audit, names).map((x) => [x.syscall, x.action, x.errno, x.count]);
	assert.deepEqual(v, [
		['keyctl', 'errno', 'EPERM', 25],
		['read', 'kill/trap', undefined, 2],
		['keyctl', 'errno', 'ENOSYS', 1],
		['openat', 'kill_process', undefined, 1],
		['write', 'log', undefined, 1],
	]);
});

test('with the kernel counter, an unreadable log only hides action names; the log rate limit is not mentioned', () => {
	const lines = reportLines({ violations: [], suppressed: 4, overrun: 0, otherPids: 0, kernel: { lost: 1, unmarked: 0 }, unseen: 'cannot read /dev/kmsg: EPERM', exit: { code: 0, signal: null } });
	assert.deepEqual(lines, [
		'bpfguard sandbox: kill, trap and log actions not named: cannot read /dev/kmsg: EPERM',
		'bpfguard sandbox: kernel counter lost 1 denial(s), 0 thread(s) unmarked: counts may be off',
	]);
});
