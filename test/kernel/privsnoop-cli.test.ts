/** @module test/kernel/privsnoop-cli.test: bpfguard privsnoop end to end: JSON fields, table, marker, escaping. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, chownSync, copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { repoPath } from '../../src/util/paths.js';
import { requireBpf } from '../helpers/bpf.js';
import { traceAround } from '../helpers/cli.js';
import { run } from '../helpers/collect.js';

const BIN = repoPath('bin/bpfguard');
const SETIDS = repoPath('build/progs/setids');

/** Run privsnoop with args around action; returns stdout and the exit code. */
async function privsnoop(args: string[], action: () => Promise<void>): Promise<{ out: string; code: unknown }> {
	const { out, err, code } = await traceAround('privsnoop', args, action);
	assert.match(err, /privsnoop: \d+ events .*lost 0/);
	return { out, code };
}

test('privsnoop --json -n: exact rule-engine fields of setresuid and a failed setuid', async (t) => {
	if (!requireBpf(t, ['dispatch', 'priv'])) return;
	let pid = 0;
	const { out, code } = await privsnoop(['--json', '-n', '^setids$'], async () => {
		pid = Number(/pid=(\d+)/.exec((await run(SETIDS, ['resuid:1000,1000,1000', 'uid:0'])).stdout)?.[1]);
	});
	assert.equal(code, 0);
	const lines = out.trim().split('\n').map((l) => JSON.parse(l)).filter((j) => j['proc.pid'] === pid);
	assert.equal(lines.length, 2);
	const [a, b] = lines;
	assert.equal(a['evt.type'], 'setresuid');
	assert.deepEqual([a['evt.arg.ruid'], a['evt.arg.euid'], a['evt.arg.suid']], [1000, 1000, 1000]);
	assert.deepEqual([a['evt.res'], a['evt.rawres'], a['evt.failed']], ['SUCCESS', 0, false]);
	assert.deepEqual([a['priv.old_uid'], a['priv.old_euid'], a['priv.new_uid'], a['priv.new_euid']], [0, 0, 1000, 1000]);
	assert.deepEqual([a['user.uid'], a['user.euid'], a['group.gid']], [1000, 1000, 0]);
	assert.ok(a['priv.old_caps'].includes('CAP_SETUID'));
	assert.deepEqual(a['priv.new_caps'], []);
	assert.deepEqual(a['priv.gained_caps'], []);
	assert.deepEqual([a['proc.name'], a['proc.exepath'], a['proc.ppid'], a['priv.kind']], ['setids', SETIDS, process.pid, 'call']);
	assert.deepEqual([a['priv.unusual'], a['priv.unexplained'], a['priv.becomes_root']], [false, false, false]);
	assert.deepEqual([a['priv.site'], a['priv.syscall'], a['proc.tid']], ['syscall', 'setresuid', pid]);
	assert.equal(b['evt.type'], 'setuid');
	assert.equal(b['evt.arg.uid'], 0);
	assert.deepEqual([b['evt.res'], b['evt.rawres'], b['evt.failed']], ['EPERM', -1, true]);
	assert.ok(Math.abs(Date.parse(b['evt.time.iso']) - Date.now()) < 30_000);
});

test('privsnoop table: an unusual root exec is marked, event data is escaped', async (t) => {
	if (!requireBpf(t, ['dispatch', 'priv'])) return;
	const dir = mkdtempSync('/tmp/bg-snoop-');
	const bin = join(dir, 'bg\u001b[31mx');
	try {
		copyFileSync(SETIDS, bin);
		chownSync(bin, 0, 0);
		chmodSync(bin, 0o4755);
		chmodSync(dir, 0o755);
		let pid = 0;
		const { out } = await privsnoop(['-n', '^bg'], async () => {
			const r = await run('setpriv', ['--reuid', '65534', '--regid', '65534', '--clear-groups', '/bin/sh', '-c', 'exec "$0" "$@"', bin, 'resuid:0,0,0']);
			pid = r.pid;
		});
		const lines = out.split('\n');
		assert.match(lines[0], /^! TIME +PID +UID +GID +TARGET +COMM +EXE +RESULT$/);
		const mine = lines.filter((l) => l.includes(` ${pid} `));
		assert.equal(mine.length, 2, out);
		const esc = 'bg\\e[31mx';
		assert.match(mine[0], new RegExp(`^! \\d\\d:\\d\\d:\\d\\d ${pid} +65534 +65534 +execve +${esc.replace(/[\\[]/g, '\\$&')} +${dir}/${esc.replace(/[\\[]/g, '\\$&')} euid 65534→0 suid 65534→0 fsuid 65534→0 \\+\\d+ caps$`));
		assert.match(mine[1], new RegExp(`^ {2}\\d\\d:\\d\\d:\\d\\d ${pid} +65534 +65534 +setresuid\\(0,0,0\\) +bg\\\\e\\[31mx +\\S+ 0 uid 65534→0$`), 'already euid 0: not marked');
		assert.ok(!out.includes('\u001b'), 'no raw escape character reaches the terminal');
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});

test('privsnoop --help lists its flags; a bad -p is a one-line error', async () => {
	const help = await run(process.execPath, [BIN, 'privsnoop', '--help']);
	assert.equal(help.code, 0);
	for (const f of ['-p, --pid', '-u, --uid', '-n, --name', '--json', '--duration', '--stats']) assert.ok(help.stdout.includes(f), f);
	const bad = await run(process.execPath, [BIN, 'privsnoop', '-p', 'x']);
	assert.equal(bad.code, 2);
	assert.equal(bad.stderr.trim().split('\n').length, 1);
	assert.match(bad.stderr, /invalid PID 'x'/);
});
