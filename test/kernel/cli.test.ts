/** @module test/kernel/cli.test: bpfguard as a user runs it: errors are one line, execsnoop end to end. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { repoPath } from '../../src/util/paths.js';
import { requireBpf } from '../helpers/bpf.js';
import { run, sleep } from '../helpers/collect.js';

const BIN = repoPath('bin/bpfguard');

function cli(args: string[], env: NodeJS.ProcessEnv = {}, prefix: string[] = []) {
	const cmd = prefix.length ? prefix[0] : process.execPath;
	const argv = prefix.length ? [...prefix.slice(1), process.execPath, BIN, ...args] : [BIN, ...args];
	return spawnSync(cmd, argv, { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 30_000 });
}

function assertOneLineError(r: ReturnType<typeof cli>, pattern: RegExp): void {
	assert.notEqual(r.status, 0, 'non-zero exit');
	const lines = r.stderr.trim().split('\n');
	assert.equal(lines.length, 1, `one line, got: ${r.stderr}`);
	assert.match(lines[0], pattern);
	assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
}

test('unknown flag: one line, exit 2', () => {
	const r = cli(['execsnoop', '--bogus']);
	assert.equal(r.status, 2);
	assertOneLineError(r, /unknown option '--bogus'/);
});

test('bad flag value: one line, exit 2', () => {
	const r = cli(['execsnoop', '-p', 'abc']);
	assert.equal(r.status, 2);
	assertOneLineError(r, /invalid PID 'abc'/);
});

test('no BTF: one line naming the missing file', () => {
	const r = cli(['execsnoop'], { BPFGUARD_BTF_PATH: '/nonexistent/btf' });
	assertOneLineError(r, /kernel BTF missing \(\/nonexistent\/btf\)/);
});

test('not root: one line telling to run as root', (t) => {
	const nobody = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'];
	const probe = spawnSync(nobody[0], [...nobody.slice(1), '/usr/bin/test', '-r', BIN]);
	if (probe.status !== 0) {
		t.skip('the checkout is not readable by uid 65534');
		return;
	}
	const r = cli(['execsnoop'], {}, nobody);
	assert.equal(r.status, 1);
	assertOneLineError(r, /must run as root/);
});

test('every command has --help', () => {
	for (const c of ['monitor', 'trace', 'rules', 'fields', 'execsnoop', 'opensnoop', 'privsnoop', 'connsnoop', 'sandbox', 'profile', 'status', 'doctor']) {
		const r = cli([c, '--help']);
		assert.equal(r.status, 0, c);
		assert.match(r.stdout, new RegExp(`Usage: bpfguard ${c}`));
	}
});

test('execsnoop --json -p follows one tree and prints exact JSON lines', async (t) => {
	if (!requireBpf(t)) return;
	const target = spawn('/bin/sh', ['-c', 'read x; /bin/echo "json marker" \'two\''], { stdio: ['pipe', 'ignore', 'ignore'] });
	const snoop = spawn(process.execPath, [BIN, 'execsnoop', '--json', '-p', String(target.pid), '--duration', '20'], {
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let out = '';
	let err = '';
	snoop.stdout.on('data', (d) => (out += d));
	snoop.stderr.on('data', (d) => (err += d));
	for (let i = 0; i < 100 && !err.includes('sensors attached'); i++) await sleep(100);
	assert.match(err, /sensors attached/);
	await run('/bin/echo', ['not followed']);
	target.stdin!.write('go\n');
	await new Promise((r) => target.on('close', r));
	await sleep(200);
	snoop.kill('SIGINT');
	const code = await new Promise((r) => snoop.on('close', r));
	assert.equal(code, 0);
	const events = out.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
	const echo = events.find((e) => e['proc.name'] === 'echo');
	assert.ok(echo, `echo exec in ${out}`);
	assert.deepEqual(echo['proc.argv'], ['/bin/echo', 'json marker', 'two']);
	assert.equal(echo['evt.type'], 'execve');
	assert.equal(echo['evt.res'], 'SUCCESS');
	assert.equal(echo['user.uid'], 0);
	assert.equal(echo['proc.tid'], echo['proc.pid'], 'the thread id after exec');
	assert.equal(typeof echo['container.cgroup_id'], 'number');
	assert.ok(events.every((e) => !e['proc.argv'].includes('not followed')));
	assert.match(err, /execsnoop: \d+ events .* lost 0 /);
});

test('execsnoop -x shows failed execs in the table with RET', async (t) => {
	if (!requireBpf(t)) return;
	const snoop = spawn(process.execPath, [BIN, 'execsnoop', '-x', '--duration', '20'], { stdio: ['ignore', 'pipe', 'pipe'] });
	let out = '';
	let err = '';
	snoop.stdout.on('data', (d) => (out += d));
	snoop.stderr.on('data', (d) => (err += d));
	for (let i = 0; i < 100 && !err.includes('sensors attached'); i++) await sleep(100);
	await run(repoPath('build/progs/tryexec'), ['/nonexistent/xsnoop', 'line\nbreak']);
	await run('/bin/true', ['ok']);
	await sleep(200);
	snoop.kill('SIGTERM');
	await new Promise((r) => snoop.on('close', r));
	const lines = out.split('\n');
	assert.match(lines[0], /^PCOMM\s+PID\s+PPID\s+RET ARGS$/);
	const row = lines.find((l) => l.includes('/nonexistent/xsnoop'));
	assert.ok(row, out);
	assert.match(row, /^tryexec\s+\d+\s+\d+\s+-2\s+\/nonexistent\/xsnoop line\\nbreak$/);
	assert.ok(!out.includes(' ok'), 'successful exec not shown with -x');
});

/** BPF program ids whose fds a process holds (from /proc/PID/fdinfo). */
function progIds(pid: number): number[] {
	const ids: number[] = [];
	for (const fd of readdirSync(`/proc/${pid}/fdinfo`)) {
		try {
			const m = /^prog_id:\s+(\d+)$/m.exec(readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8'));
			if (m) ids.push(Number(m[1]));
		} catch {
			/* fd closed meanwhile */
		}
	}
	return ids;
}

test('SIGINT detaches and unloads every program the command loaded', async (t) => {
	if (!requireBpf(t)) return;
	const snoop = spawn(process.execPath, [BIN, 'execsnoop', '--duration', '30'], { stdio: ['ignore', 'ignore', 'pipe'] });
	let err = '';
	snoop.stderr.on('data', (d) => (err += d));
	for (let i = 0; i < 100 && !err.includes('sensors attached'); i++) await sleep(100);
	const ids = progIds(snoop.pid!);
	assert.ok(ids.length >= 4, `programs loaded: ${ids.join(',')}`);
	snoop.kill('SIGINT');
	assert.equal(await new Promise((r) => snoop.on('close', r)), 0);
	const links = JSON.parse(spawnSync('bpftool', ['link', 'show', '-j'], { encoding: 'utf8' }).stdout || '[]') as { prog_id: number }[];
	assert.deepEqual(links.filter((l) => ids.includes(l.prog_id)), [], 'nothing attached after exit');
	// Programs are freed once the kernel drops the last reference (the prog-array is cleared by a deferred work item).
	let left = ids;
	for (let i = 0; i < 100 && left.length; i++) {
		left = left.filter((id) => spawnSync('bpftool', ['prog', 'show', 'id', String(id)]).status === 0);
		if (left.length) await sleep(100);
	}
	assert.deepEqual(left, [], 'every program unloaded');
});
