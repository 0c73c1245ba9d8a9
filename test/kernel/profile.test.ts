/** @module test/kernel/profile.test: `bpfguard profile learn` on the real kernel: learned profiles run the command under `sandbox` to the same result, one syscall less makes it fail and named; --pid, --merge, diff, systemd, errors. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { repoPath } from '../../src/util/paths.js';
import { assertOneLineError, bpfguard, type CliRun } from '../helpers/cli.js';
import { requireBpf } from '../helpers/bpf.js';
import { sleep } from '../helpers/collect.js';
import { currentHost } from '../../src/seccomp/host.js';

const PY = ['python3', '-c', 'import json,os; print(json.dumps(os.getcwd()))'];

function ready(t: TestContext): boolean {
	if (!requireBpf(t, ['learn', 'seccomp'])) return false;
	const why = process.geteuid?.() !== 0 ? 'not root' : !existsSync(repoPath('build/bpfguard-sandbox')) ? 'launcher not built' : null;
	if (!why) return true;
	if (process.env.CI === 'true') throw new Error(`profile test required under CI=true: ${why}`);
	t.skip(why);
	return false;
}

function tmp(): string {
	const d = mkdtempSync(join(tmpdir(), 'bg-profile-'));
	chmodSync(d, 0o700);
	return d;
}

/** bpfguard (or a bare command) run in cwd; argument arrays only. */
function runIn(cwd: string, cmd: string, args: string[]): CliRun {
	const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 60_000 });
	return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
const bg = (cwd: string, args: string[]) => runIn(cwd, process.execPath, [repoPath('bin/bpfguard'), ...args]);

function names(file: string): string[] {
	return JSON.parse(readFileSync(file, 'utf8')).syscalls[0].names as string[];
}

/** The profile without one syscall, written beside it. */
function without(file: string, name: string): string {
	const p = JSON.parse(readFileSync(file, 'utf8'));
	const before = p.syscalls[0].names.length;
	p.syscalls[0].names = p.syscalls[0].names.filter((n: string) => n !== name);
	assert.equal(p.syscalls[0].names.length, before - 1, `${name} was learned`);
	const out = file.replace(/\.json$/, `-no-${name}.json`);
	writeFileSync(out, JSON.stringify(p), { mode: 0o600 });
	return out;
}

test('python3: learn → a 0600 profile; sandbox with it gives the same output and status; without write it fails and write is named', (t) => {
	if (!ready(t)) return;
	const dir = tmp();
	const file = join(dir, 'py.json');
	const bare = runIn(dir, PY[0], PY.slice(1));
	const l = bg(dir, ['profile', 'learn', '-o', file, '--', ...PY]);
	assert.equal(l.status, 0, l.stderr);
	assert.equal(l.stdout, bare.stdout);
	assert.equal(l.stdout, `${JSON.stringify(dir)}\n`);
	assert.match(l.stderr, /^bpfguard profile: \d+ syscalls allowed, written to /m);
	assert.equal(statSync(file).mode & 0o777, 0o600);
	const p = JSON.parse(readFileSync(file, 'utf8'));
	assert.equal(p.defaultAction, 'SCMP_ACT_ERRNO');
	assert.equal(p.defaultErrnoRet, 1);
	assert.deepEqual(p.architectures, [currentHost().arch]);
	assert.equal(p.syscalls.length, 1);
	assert.deepEqual(p.syscalls[0].names, [...p.syscalls[0].names].sort());
	for (const n of ['execve', 'write', 'openat', 'getcwd', 'exit_group']) assert.ok(p.syscalls[0].names.includes(n), n);
	const s = bg(dir, ['sandbox', '--profile', file, '--', ...PY]);
	assert.equal(s.status, bare.status, s.stderr);
	assert.equal(s.stdout, bare.stdout);
	assert.equal(s.stderr, '');
	const f = bg(dir, ['sandbox', '--profile', without(file, 'write'), '--', ...PY]);
	assert.notEqual(f.status, 0);
	assert.equal(f.stdout, '');
	assert.match(f.stderr, /^bpfguard sandbox: write: errno EPERM, \d+ times?$/m);
});

test('tar czf of a directory (gzip a descendant): the learned profile archives the same; without openat it fails and openat is named', (t) => {
	if (!ready(t)) return;
	const dir = tmp();
	mkdirSync(join(dir, 'd'));
	for (let i = 0; i < 5; i++) writeFileSync(join(dir, 'd', `f${i}`), `file ${i}\n`.repeat(100));
	const tar = (out: string) => ['tar', 'czf', join(dir, out), '-C', dir, 'd'];
	const list = (f: string) => runIn(dir, 'tar', ['tzf', join(dir, f)]).stdout;
	const file = join(dir, 'tar.json');
	const l = bg(dir, ['profile', 'learn', '-o', file, '--', ...tar('learn.tgz')]);
	assert.equal(l.status, 0, l.stderr);
	const s = bg(dir, ['sandbox', '--profile', file, '--', ...tar('sandboxed.tgz')]);
	assert.equal(s.status, 0, s.stderr);
	assert.equal(s.stderr, '');
	assert.equal(list('sandboxed.tgz'), list('learn.tgz'));
	assert.equal(list('learn.tgz').split('\n').filter(Boolean).length, 6);
	const f = bg(dir, ['sandbox', '--profile', without(file, 'openat'), '--', ...tar('denied.tgz')]);
	assert.notEqual(f.status, 0);
	assert.match(f.stderr, /^bpfguard sandbox: openat: errno EPERM, \d+ times?$/m);
});

test('--pid: a running process and the children it starts later are learned until --duration ends', async (t) => {
	if (!ready(t)) return;
	const dir = tmp();
	const file = join(dir, 'pid.json');
	// sh waits on stdin, then forks a child that calls keyctl (sh never does): the child is followed as a descendant
	const sh = spawn('sh', ['-c', 'read x; "$0" keyctl; read y', repoPath('build/progs/trysyscall')], { stdio: ['pipe', 'ignore', 'ignore'] });
	const learner = spawn(process.execPath, [repoPath('bin/bpfguard'), 'profile', 'learn', '-o', file, '--pid', String(sh.pid), '--duration', '30'], { stdio: ['ignore', 'pipe', 'pipe'] });
	let err = '';
	learner.stderr.on('data', (d) => (err += d));
	try {
		for (let i = 0; i < 100 && !err.includes('following pid'); i++) await sleep(100);
		assert.match(err, new RegExp(`^bpfguard profile: following pid ${sh.pid} and 0 descendants$`, 'm'));
		sh.stdin.write('go\n');
		await sleep(500);
	} finally {
		// a failed assertion must not leave the waiting shell (or the learner) behind
		sh.stdin.end('done\n');
	}
	const code = await new Promise((r) => learner.on('close', r));
	assert.equal(code, 0, err);
	const got = names(file);
	for (const n of ['keyctl', 'wait4', 'read', 'execve']) assert.ok(got.includes(n), `${n} in ${got.join(' ')}`);
	assert.equal(statSync(file).mode & 0o777, 0o600);
});

test('--pid: descendants already running when learning starts are followed too (read from /proc)', async (t) => {
	if (!ready(t)) return;
	const dir = tmp();
	const file = join(dir, 'kids.json');
	const flag = join(dir, 'go');
	// outer sh starts inner sh, which waits for the flag file and then runs trysyscall keyctl: only inner's tree calls keyctl
	const inner = 'while [ ! -e "$1" ]; do sleep 0.05; done; "$0" keyctl';
	const outer = spawn('sh', ['-c', `sh -c '${inner}' "$0" "$1" & wait`, repoPath('build/progs/trysyscall'), flag], { stdio: 'ignore' });
	let learner: ReturnType<typeof spawn> | undefined;
	try {
		await sleep(300);
		learner = spawn(process.execPath, [repoPath('bin/bpfguard'), 'profile', 'learn', '-o', file, '--pid', String(outer.pid), '--duration', '30'], { stdio: ['ignore', 'pipe', 'pipe'] });
		let err = '';
		learner.stderr?.on('data', (d) => (err += d));
		for (let i = 0; i < 100 && !err.includes('following pid'); i++) await sleep(100);
		assert.match(err, new RegExp(`^bpfguard profile: following pid ${outer.pid} and [1-9]\\d* descendants$`, 'm'));
		writeFileSync(flag, '');
		const l = learner;
		const code = await new Promise((r) => l.on('close', r));
		assert.equal(code, 0, err);
	} finally {
		// a failed assertion must not leave the waiting shells (or the learner) behind
		writeFileSync(flag, '');
		learner?.kill('SIGINT');
	}
	assert.ok(names(file).includes('keyctl'), names(file).join(' '));
});

/** The cgroup v2 mount point (/sys/fs/cgroup, or /sys/fs/cgroup/unified on a hybrid host). */
function cgroup2Mount(): string {
	const m = readFileSync('/proc/mounts', 'utf8').split('\n').map((l) => l.split(' ')).find((f) => f[2] === 'cgroup2');
	assert.ok(m, 'a cgroup v2 mount');
	return m[1];
}

test('--cgroup: the processes of one cgroup are learned, others not', async (t) => {
	if (!ready(t)) return;
	const dir = tmp();
	const file = join(dir, 'cg.json');
	const cg = mkdtempSync(join(cgroup2Mount(), 'bg-learn-'));
	const sh = spawn('sh', ['-c', 'read x; "$0" keyctl; read y', repoPath('build/progs/trysyscall')], { stdio: ['pipe', 'ignore', 'ignore'] });
	let learner: ReturnType<typeof spawn> | undefined;
	try {
		writeFileSync(join(cg, 'cgroup.procs'), String(sh.pid));
		learner = spawn(process.execPath, [repoPath('bin/bpfguard'), 'profile', 'learn', '-o', file, '--cgroup', cg, '--duration', '30'], { stdio: ['ignore', 'pipe', 'pipe'] });
		let err = '';
		learner.stderr?.on('data', (d) => (err += d));
		for (let i = 0; i < 100 && !err.includes('following cgroup'); i++) await sleep(100);
		assert.match(err, /^bpfguard profile: following cgroup /m);
		// outside the cgroup: must not be learned
		assert.match(runIn(dir, repoPath('build/progs/trysyscall'), ['userfaultfd']).stdout, /^userfaultfd ret=/);
		sh.stdin.write('go\n');
		await sleep(500);
		sh.stdin.end('done\n');
		await new Promise((r) => sh.on('close', r));
		const l = learner;
		l.kill('SIGINT');
		const code = await new Promise((r) => l.on('close', r));
		assert.equal(code, 0, err);
		const got = names(file);
		for (const n of ['keyctl', 'wait4', 'read']) assert.ok(got.includes(n), `${n} in ${got.join(' ')}`);
		assert.ok(!got.includes('userfaultfd'), got.join(' '));
	} finally {
		sh.stdin.destroy();
		sh.kill();
		learner?.kill('SIGINT');
		await new Promise((r) => (sh.exitCode !== null || sh.signalCode !== null ? r(null) : sh.on('close', r)));
		rmdirSync(cg);
	}
});

test('--merge unions allow lists; diff shows what one allows beyond the other (exit 1), nothing for equal ones; systemd lines', (t) => {
	if (!ready(t)) return;
	const dir = tmp();
	const py = join(dir, 'py.json');
	const both = join(dir, 'both.json');
	assert.equal(bg(dir, ['profile', 'learn', '-o', py, '--', ...PY]).status, 0);
	const m = bg(dir, ['profile', 'learn', '-o', both, '--merge', py, '--', 'tar', 'cf', '/dev/null', '-C', dir, 'py.json']);
	assert.equal(m.status, 0, m.stderr);
	for (const n of names(py)) assert.ok(names(both).includes(n), n);
	const d = bg(dir, ['profile', 'diff', py, both]);
	assert.equal(d.status, 1, d.stderr);
	assert.ok(d.stdout.length > 0);
	for (const line of d.stdout.trim().split('\n')) assert.match(line, /^> [a-z0-9_]+$/);
	const same = bg(dir, ['profile', 'diff', py, py]);
	assert.deepEqual([same.status, same.stdout], [0, '']);
	const sd = bg(dir, ['profile', 'systemd', py]);
	assert.equal(sd.status, 0, sd.stderr);
	const lines = sd.stdout.trim().split('\n');
	assert.deepEqual(lines.slice(-2), ['SystemCallErrorNumber=EPERM', 'SystemCallArchitectures=native']);
	assert.deepEqual(lines.slice(0, -2).flatMap((l) => l.replace(/^SystemCallFilter=/, '').split(' ')), names(py));
});

test('bad input: one error line, exit 2, nothing runs', (t) => {
	if (!ready(t)) return;
	const dir = tmp();
	const marker = join(dir, 'ran');
	const touch = ['--', 'touch', marker];
	assertOneLineError(bg(dir, ['profile', 'learn', '-o', join(dir, 'no/such/x.json'), ...touch]), 2, /^bpfguard: write profile .*: no such directory /);
	assertOneLineError(bg(dir, ['profile', 'learn', '-o', join(dir, 'x.json')]), 2, /^bpfguard: learn profile: give one of --pid PID, --cgroup PATH or a command$/);
	assertOneLineError(bg(dir, ['profile', 'learn', '-o', join(dir, 'x.json'), '--cgroup', dir]), 2, /^bpfguard: follow --cgroup .*: not a cgroup v2 directory$/);
	assertOneLineError(bg(dir, ['profile', 'learn', '-o', join(dir, 'x.json'), '--pid', '1', ...touch]), 2, /^bpfguard: learn profile: give one of /);
	assertOneLineError(bg(dir, ['profile', 'learn', '-o', join(dir, 'x.json'), '--pid', '999999999']), 2, /^bpfguard: follow --pid 999999999: no such process$/);
	assertOneLineError(bg(dir, ['profile', 'learn', '-o', join(dir, 'x.json'), '--duration', 'soon', ...touch]), 2, /^bpfguard: read --duration: "soon" is not a positive number$/);
	writeFileSync(join(dir, 'bad.json'), '{"defaultAction": "SCMP_ACT_ERRNO",', { mode: 0o600 });
	writeFileSync(join(dir, 'all.json'), '{"defaultAction": "SCMP_ACT_ALLOW"}', { mode: 0o600 });
	assertOneLineError(bg(dir, ['profile', 'learn', '-o', join(dir, 'x.json'), '--merge', join(dir, 'bad.json'), ...touch]), 2, /^bpfguard: read profile .*bad\.json:1:36: bad JSON: unexpected end of input$/);
	assertOneLineError(bg(dir, ['profile', 'learn', '-o', join(dir, 'x.json'), '--merge', join(dir, 'all.json'), ...touch]), 2, /^bpfguard: merge profile .*all\.json: defaultAction SCMP_ACT_ALLOW is not an allow list$/);
	assertOneLineError(bg(dir, ['profile', 'diff', join(dir, 'bad.json'), join(dir, 'all.json')]), 2, /^bpfguard: read profile .*bad\.json:1:36: bad JSON/);
	assertOneLineError(bg(dir, ['profile', 'systemd', join(dir, 'nope.json')]), 2, /^bpfguard: read profile .*nope\.json: ENOENT/);
	assert.equal(existsSync(marker), false);
	assert.equal(existsSync(join(dir, 'x.json')), false);
});
