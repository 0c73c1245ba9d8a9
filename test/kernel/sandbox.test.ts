/** @module test/kernel/sandbox.test: `bpfguard sandbox` on the real kernel: the containers' default profile, the shipped profiles, violations named, errors placed, exit status and signals passed through. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { repoPath } from '../../src/util/paths.js';
import { assertOneLineError, bpfguard } from '../helpers/cli.js';
import { requireBpf } from '../helpers/bpf.js';

const CONTAINERS = '/usr/share/containers/seccomp.json';
const MINIMAL = repoPath('profiles/minimal.json');
const CLI = repoPath('profiles/cli.json');
const prog = (n: string) => repoPath(`build/progs/${n}`);

/** Seccomp needs root only to read the kernel log (violations); the launcher and setup's packages are required. */
function ready(t: TestContext): boolean {
	if (!requireBpf(t, ['seccomp'])) return false;
	const why = process.geteuid?.() !== 0 ? 'not root' : !existsSync(repoPath('build/bpfguard-sandbox')) ? 'launcher not built' : !existsSync(CONTAINERS) ? `${CONTAINERS} missing (scripts/setup.sh installs it)` : null;
	if (!why) return true;
	if (process.env.CI === 'true') throw new Error(`sandbox test required under CI=true: ${why}`);
	t.skip(why);
	return false;
}

function tmpProfile(name: string, text: string): string {
	const dir = mkdtempSync(join(tmpdir(), 'bg-sandbox-'));
	chmodSync(dir, 0o700);
	const f = join(dir, name);
	writeFileSync(f, text, { mode: 0o600 });
	return f;
}

test("the containers' default profile loads unchanged; /bin/true and ls run", (t) => {
	if (!ready(t)) return;
	const r = bpfguard(['sandbox', '--profile', CONTAINERS, '/bin/true']);
	assert.equal(r.status, 0, r.stderr);
	assert.equal(r.stderr, '');
	const ls = bpfguard(['sandbox', '--profile', CONTAINERS, '--', 'ls', '-d', '/etc']);
	assert.equal(ls.status, 0, ls.stderr);
	assert.equal(ls.stdout, '/etc\n');
});

test("the containers' default profile: a call it forbids fails with the profile's errno, and the report names it", (t) => {
	if (!ready(t)) return;
	// userfaultfd: listed with errnoRet 1 (EPERM); keyctl is allowed by this profile, so it must succeed
	const k = bpfguard(['sandbox', '--profile', CONTAINERS, prog('trysyscall'), 'userfaultfd']);
	assert.equal(k.status, 0, k.stderr);
	assert.equal(k.stdout, 'userfaultfd ret=-1 errno=1\n');
	assert.equal(k.stderr, 'bpfguard sandbox: userfaultfd: errno EPERM, 1 time\n');
	const ok = bpfguard(['sandbox', '--profile', CONTAINERS, prog('trysyscall'), 'keyctl']);
	assert.match(ok.stdout, /^keyctl ret=\d+ errno=0\n$/);
	assert.doesNotMatch(ok.stderr, /keyctl/);
	// without the filter the same call succeeds and nothing is reported
	const bare = bpfguard(['sandbox', '--profile', tmpProfile('allow.json', '{"defaultAction":"SCMP_ACT_ALLOW"}'), prog('trysyscall'), 'userfaultfd']);
	assert.match(bare.stdout, /^userfaultfd ret=\d+ errno=0\n$/);
	assert.equal(bare.stderr, '');
});

test('profiles/cli.json: ordinary programs run; namespaces and keyrings are denied with EPERM, reported', (t) => {
	if (!ready(t)) return;
	const r = bpfguard(['sandbox', '--profile', CLI, '--', 'sh', '-c', 'ls -d / && echo ok']);
	assert.equal(r.status, 0, r.stderr);
	assert.equal(r.stdout, '/\nok\n');
	const u = bpfguard(['sandbox', '--profile', CLI, prog('trysyscall'), 'unshare-user']);
	assert.equal(u.stdout, 'unshare-user ret=-1 errno=1\n');
	assert.match(u.stderr, /^bpfguard sandbox: unshare: errno EPERM, 1 time$/m);
	const j = bpfguard(['sandbox', '--json', '--profile', CLI, prog('trysyscall'), 'keyctl']);
	const rep = JSON.parse(j.stderr);
	assert.deepEqual(rep.violations, [{ syscall: 'keyctl', nr: 250, arch: 'x86_64', action: 'errno', errno: 'EPERM', count: 1 }]);
	assert.deepEqual(rep.exit, { code: 0, signal: null });
	assert.deepEqual(rep.kernel, { lost: 0, unmarked: 0 });
});

test('minimal profile: a program that only writes and exits runs; one that opens a file is killed and openat is named', (t) => {
	if (!ready(t)) return;
	const w = bpfguard(['sandbox', '--profile', MINIMAL, prog('rawwrite')]);
	assert.equal(w.status, 0, w.stderr);
	assert.equal(w.stdout, 'hello\n');
	assert.equal(w.stderr, '');
	const o = bpfguard(['sandbox', '--profile', MINIMAL, prog('rawopen')]);
	assert.equal(o.stdout, 'opening\n');
	assert.equal(o.status, 128 + 31, o.stderr);
	assert.equal(o.stderr, 'bpfguard sandbox: openat: kill_process, 1 time\n');
	const j = bpfguard(['sandbox', '--json', '--profile', MINIMAL, prog('rawopen')]);
	assert.deepEqual(JSON.parse(j.stderr).exit, { code: null, signal: 'SIGSYS' });
});

test('malformed profiles: one positioned line, exit 2, nothing runs', (t) => {
	if (!ready(t)) return;
	const marker = join(mkdtempSync(join(tmpdir(), 'bg-sandbox-')), 'ran');
	const run = (f: string) => bpfguard(['sandbox', '--profile', f, '--', 'sh', '-c', `echo > ${JSON.stringify(marker)}`]);
	const cases: [string, string, RegExp][] = [
		['json.json', '{"defaultAction": "SCMP_ACT_ALLOW",\n "syscalls": [ }', /^bpfguard: read profile .*json\.json:2:16: bad JSON: unexpected "}"$/],
		['action.json', '{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["read"],"action":"SCMP_ACT_MAYBE"}]}', /^bpfguard: read profile .*action\.json: syscalls\[0\]\.action: unknown action "SCMP_ACT_MAYBE"$/],
		['name.json', '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["read"],"action":"SCMP_ACT_ERRNO"},{"names":["write","nosuchcall"],"action":"SCMP_ACT_ERRNO"}]}', /^bpfguard: read profile .*name\.json: syscalls\[1\]\.names\[1\]: unknown syscall nosuchcall$/],
		['op.json', '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["read"],"action":"SCMP_ACT_ERRNO","args":[{"index":0,"value":1,"op":"SCMP_CMP_ABOUT"}]}]}', /^bpfguard: read profile .*op\.json: syscalls\[0\]\.args\[0\]\.op: unknown argument op "SCMP_CMP_ABOUT"$/],
	];
	for (const [name, text, re] of cases) assertOneLineError(run(tmpProfile(name, text)), 2, re);
	assertOneLineError(run('/nonexistent/profile.json'), 2, /^bpfguard: read profile \/nonexistent\/profile\.json: ENOENT: no such file or directory$/);
	assert.equal(existsSync(marker), false);
});

test('exit codes and signals pass through; SIGTERM to bpfguard reaches the command', async (t) => {
	if (!ready(t)) return;
	assert.equal(bpfguard(['sandbox', '--profile', CLI, '--', 'sh', '-c', 'exit 7']).status, 7);
	assert.equal(bpfguard(['sandbox', '--profile', CLI, '--', 'sh', '-c', 'kill -USR1 $$']).status, 128 + 10);
	assertOneLineError(bpfguard(['sandbox', '--profile', CLI, '/nonexistent/cmd']), 127, /^bpfguard: run \/nonexistent\/cmd: command not found$/);
	const noexec = tmpProfile('noexec.json', '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["execve"],"action":"SCMP_ACT_ERRNO"}]}');
	const ne = bpfguard(['sandbox', '--profile', noexec, '/bin/true']);
	assert.equal(ne.status, 126);
	assert.match(ne.stderr, /^bpfguard: run \/bin\/true: exec \/bin\/true: Operation not permitted \(does the profile allow execve\?\)$/m);
	const p = spawn(process.execPath, [repoPath('bin/bpfguard'), 'sandbox', '--profile', CLI, '--', 'sh', '-c', 'echo up; exec sleep 30'], { stdio: ['ignore', 'pipe', 'pipe'] });
	await new Promise<void>((resolve) => p.stdout.once('data', () => resolve()));
	p.kill('SIGTERM');
	const code = await new Promise((r) => p.on('close', (c) => r(c)));
	assert.equal(code, 128 + 15);
});

test('kernel counter: denials of the whole tree, exactly (past the kernel log rate limit), with the errno', (t) => {
	if (!ready(t)) return;
	const loop = `for i in $(seq 25); do ${JSON.stringify(prog('trysyscall'))} keyctl; done >/dev/null; ${JSON.stringify(prog('trysyscall'))} unshare-user`;
	const r = bpfguard(['sandbox', '--json', '--profile', CLI, '--', 'sh', '-c', loop]);
	assert.equal(r.status, 0, r.stderr);
	const rep = JSON.parse(r.stderr);
	assert.deepEqual(rep.violations, [
		{ syscall: 'keyctl', nr: 250, arch: 'x86_64', action: 'errno', errno: 'EPERM', count: 25 },
		{ syscall: 'unshare', nr: 272, arch: 'x86_64', action: 'errno', errno: 'EPERM', count: 1 },
	]);
	assert.deepEqual(rep.kernel, { lost: 0, unmarked: 0 });
	// an errno other than EPERM is counted as the filter returned it
	const d = bpfguard(['sandbox', '--profile', tmpProfile('enosys.json', JSON.stringify({ defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['keyctl'], action: 'SCMP_ACT_ERRNO', errnoRet: 38 }] })), prog('trysyscall'), 'keyctl']);
	assert.equal(d.stdout, 'keyctl ret=-1 errno=38\n');
	assert.equal(d.stderr, 'bpfguard sandbox: keyctl: errno ENOSYS, 1 time\n');
});

test('kernel counter: no false denials from threads, forks, pipes and signals under an allow-all profile', (t) => {
	if (!ready(t)) return;
	const py = 'import threading,subprocess,os,signal; signal.signal(signal.SIGUSR1, lambda *a: None); ts=[threading.Thread(target=lambda: subprocess.run(["true"])) for _ in range(8)]; [x.start() for x in ts]; [x.join() for x in ts]; os.kill(os.getpid(), signal.SIGUSR1); pid=os.fork(); pid or os._exit(3); print(os.waitpid(pid,0)[1]>>8)';
	const r = bpfguard(['sandbox', '--profile', tmpProfile('allow.json', '{"defaultAction":"SCMP_ACT_ALLOW"}'), '--', 'python3', '-c', py]);
	assert.equal(r.status, 0, r.stderr);
	assert.equal(r.stdout, '3\n');
	assert.equal(r.stderr, '');
	const sh = bpfguard(['sandbox', '--profile', CLI, '--', 'sh', '-c', 'ls / | wc -l >/dev/null; sleep 0.1 & wait']);
	assert.equal(sh.stderr, '');
});

test('in a terminal, Ctrl-C reaches the command once (from the terminal, not forwarded again)', (t) => {
	if (!ready(t)) return;
	// a pty (python's pty module) runs bpfguard sandbox; the command counts SIGINTs and exits with the count
	const cmd = 'import signal,time,sys\nn=[0]\nsignal.signal(signal.SIGINT, lambda *a: n.__setitem__(0, n[0]+1))\nprint("ready", flush=True)\ntime.sleep(1.5)\nsys.exit(n[0])';
	const driver = `import os,pty,sys,time
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:])
out = b''
while b'ready' not in out:
    out += os.read(fd, 100)
time.sleep(0.2)
os.write(fd, b'\\x03')
_, st = os.waitpid(pid, 0)
print(os.waitstatus_to_exitcode(st))`;
	const r = spawnSync('python3', ['-c', driver, process.execPath, repoPath('bin/bpfguard'), 'sandbox', '--profile', CLI, '--', 'python3', '-c', cmd], { encoding: 'utf8', timeout: 30_000 });
	assert.equal(r.stdout, '1\n', r.stderr);
});
