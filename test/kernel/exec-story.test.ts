/** @module test/kernel/exec-story.test: exec records that tell the whole story (scripts, loader variables, the pipe on stdin), each act as an attacker does it, with the default rules, and a close benign one. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, closeSync, mkdtempSync, openSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { requireBpf } from '../helpers/bpf.js';
import { collect, run, sleep } from '../helpers/collect.js';
import { processSensor } from '../../src/sensors/process.js';
import { withMonitor } from '../helpers/monitor.js';
import type { Alert } from '../../src/alerts/alert.js';
import { repoPath } from '../../src/util/paths.js';

const TMP_RULE = 'Executable run from a temporary directory';
const PRELOAD_RULE = 'Library preloaded from a temporary directory';
const PIPE_RULE = 'Shell reading a download or decoded data from a pipe';
const SH = realpathSync('/bin/sh');
const rulesFor = (alerts: Alert[], pid: number) => alerts.filter((a) => a.fields['proc.pid'] === pid).map((a) => a.rule);

/** A script at path (by default #!/bin/sh, exits 0). */
function script(path: string, text = '#!/bin/sh\nexit 0\n'): string {
	writeFileSync(path, text, { mode: 0o700 });
	chmodSync(path, 0o755);
	return path;
}

test('a script in /tmp alerts run directly, as sh x.sh, as bash -c x.sh and as sh ./x.sh, and a #!/usr/bin/python3 one; a script in /usr/bin and sh on one under /usr/share do not', async (t) => {
	if (!requireBpf(t, ['dispatch', 'process'])) return;
	const dir = mkdtempSync('/tmp/bg-script-');
	const share = mkdtempSync('/usr/share/bg-script-');
	const x = script(join(dir, 'x.sh'));
	const py = script(join(dir, 'x.py'), '#!/usr/bin/python3\nimport sys\nsys.exit(0)\n');
	const benign = script(join(share, 'y.sh'));
	try {
		const pids: number[] = [];
		const { alerts } = await withMonitor(async () => {
			pids.push((await run(x, [])).pid);
			pids.push((await run('/bin/sh', [x])).pid);
			pids.push((await run('/bin/bash', ['-c', x])).pid);
			pids.push((await run('/bin/sh', ['./x.sh'], { cwd: dir })).pid);
			pids.push((await run('/usr/bin/which.debianutils', ['sh'])).pid);
			pids.push((await run('/bin/sh', [benign])).pid);
			pids.push((await run(py, [])).pid);
		});
		// python is no shell: only the kernel's bprm->filename names its script
		assert.deepEqual(rulesFor(alerts, pids[6]), [TMP_RULE]);
		const p = alerts.find((y) => y.fields['proc.pid'] === pids[6])!;
		assert.equal(p.fields['proc.script'], py);
		assert.equal(p.fields['proc.exepath'], realpathSync('/usr/bin/python3'));
		for (const pid of pids.slice(0, 4)) {
			assert.deepEqual(rulesFor(alerts, pid), [TMP_RULE], `pid ${pid}: ${JSON.stringify(alerts.map((a) => a.output))}`);
			const a = alerts.find((y) => y.fields['proc.pid'] === pid)!;
			assert.equal(a.fields['proc.script'], x);
			assert.equal(a.fields['proc.exepath'], SH);
			assert.match(a.output, new RegExp(`script=${x} `));
		}
		assert.deepEqual(rulesFor(alerts, pids[4]), []);
		assert.deepEqual(rulesFor(alerts, pids[5]), []);
	} finally {
		rmSync(dir, { recursive: true, force: true });
		rmSync(share, { recursive: true, force: true });
	}
});

test('a shell reading a script in /tmp on its stdin (sh < /tmp/x.sh) alerts with proc.stdin.name; the same from /usr/share, and cat < /tmp/x.sh, do not', async (t) => {
	if (!requireBpf(t, ['dispatch', 'process'])) return;
	const dir = mkdtempSync('/tmp/bg-stdin-');
	const share = mkdtempSync('/usr/share/bg-stdin-');
	const x = script(join(dir, 'x.sh'), 'exit 0\n');
	const benign = script(join(share, 'y.sh'), 'exit 0\n');
	/** Run file with stdin opened on path (a regular file, as a shell's < gives it). */
	const withStdin = async (file: string, path: string) => {
		const fd = openSync(path, 'r');
		try {
			return await run(file, [], { stdio: [fd, 'pipe', 'pipe'] });
		} finally {
			closeSync(fd);
		}
	};
	try {
		const pids: number[] = [];
		const { alerts } = await withMonitor(async () => {
			pids.push((await withStdin('/bin/sh', x)).pid);
			pids.push((await withStdin('/bin/sh', benign)).pid);
			pids.push((await withStdin('/bin/cat', x)).pid);
		});
		assert.deepEqual(rulesFor(alerts, pids[0]), [TMP_RULE]);
		const a = alerts.find((y) => y.fields['proc.pid'] === pids[0])!;
		assert.match(a.output, new RegExp(`stdin=${x} `));
		assert.deepEqual(rulesFor(alerts, pids[1]), []);
		assert.deepEqual(rulesFor(alerts, pids[2]), []);
		// the exec records themselves: the path of the file on fd 0, from the kernel; none for /dev/null (a char device)
		const rec: number[] = [];
		const { events } = await collect([processSensor], {}, async () => {
			rec.push((await withStdin('/bin/sh', x)).pid);
			rec.push((await withStdin('/bin/sh', benign)).pid);
			rec.push((await withStdin('/bin/cat', x)).pid);
			rec.push((await run('/bin/cat', [])).pid);
		});
		const execOf = (pid: number) => events.find((e) => e.kind === 'exec' && e.pid === pid && e.ret === 0);
		const piped = execOf(rec[3]);
		assert.ok(piped && piped.kind === 'exec');
		assert.deepEqual([piped.stdioKind[0], piped.stdinPath], ['chr', '']);
		for (const [pid, path] of [[rec[0], x], [rec[1], benign], [rec[2], x]] as const) {
			const e = execOf(pid);
			assert.ok(e && e.kind === 'exec', `exec of ${pid}`);
			assert.deepEqual([e.stdioKind[0], e.stdinPath], ['file', path]);
		}
	} finally {
		rmSync(dir, { recursive: true, force: true });
		rmSync(share, { recursive: true, force: true });
	}
});

test('proc.script and proc.is_script come from the kernel for #! (also #!/bin/true) and from the shell\'s file argument; sh -c and a binary have none', async (t) => {
	if (!requireBpf(t, ['dispatch', 'process'])) return;
	const dir = mkdtempSync('/var/lib/bg-script-');
	const x = script(join(dir, 'x.sh'));
	const t1 = script(join(dir, 't1'), '#!/bin/true\n');
	const rulesFile = join(dir, 'rules.yaml');
	writeFileSync(rulesFile, RULE_SCRIPT, { mode: 0o600 });
	try {
		const pids: number[] = [];
		const { alerts } = await withMonitor(async () => {
			pids.push((await run(x, [])).pid);
			pids.push((await run('/bin/bash', ['--norc', '-e', '--', x])).pid);
			pids.push((await run('/bin/sh', ['-c', `true ${x}`])).pid);
			pids.push((await run('/bin/true', [x])).pid);
			pids.push((await run(t1, ['arg'])).pid);
		}, [repoPath('rules/00-macros.yaml'), rulesFile]);
		const field = (pid: number, f: string) => alerts.find((a) => a.fields['proc.pid'] === pid)?.fields[f];
		assert.equal(field(pids[0], 'proc.script'), x);
		assert.equal(field(pids[0], 'proc.is_script'), true);
		assert.equal(field(pids[1], 'proc.script'), x);
		assert.equal(field(pids[2], 'proc.script'), '');
		assert.equal(field(pids[2], 'proc.is_script'), false);
		assert.equal(field(pids[3], 'proc.script'), '');
		assert.equal(field(pids[4], 'proc.script'), t1);
		assert.equal(field(pids[4], 'proc.is_script'), true);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});

const RULE_SCRIPT = `- rule: every exec
  desc: test
  condition: spawned_process and proc.cwd != "/nonexistent"
  output: "exec %proc.pid %proc.script %proc.is_script"
  priority: notice
`;

test('LD_PRELOAD, LD_AUDIT and LD_LIBRARY_PATH in /tmp alert (also after 300 other variables); system paths, a look-alike name and one hidden in a long value do not', async (t) => {
	if (!requireBpf(t, ['dispatch', 'process'])) return;
	const dir = mkdtempSync('/tmp/bg-preload-');
	const so = join(dir, 'x.so');
	const cc = await run('cc', ['-shared', '-fPIC', '-o', so, '-x', 'c', '/dev/null']);
	assert.equal(cc.code, 0, cc.stderr);
	const base = { PATH: '/usr/bin:/bin' };
	const pad: Record<string, string> = {};
	for (let i = 0; i < 300; i++) pad[`BG_PAD_${i}`] = 'p'.repeat(20);
	try {
		const pids: number[] = [];
		const { alerts } = await withMonitor(async () => {
			pids.push((await run('/bin/true', ['preload'], { env: { ...base, LD_PRELOAD: so } })).pid);
			pids.push((await run('/bin/true', ['audit'], { env: { ...base, LD_AUDIT: so } })).pid);
			pids.push((await run('/bin/true', ['libpath'], { env: { ...base, LD_LIBRARY_PATH: `/usr/lib:${dir}` } })).pid);
			pids.push((await run('/bin/true', ['padded'], { env: { ...pad, ...base, LD_PRELOAD: so } })).pid);
			pids.push((await run('/bin/true', ['syslib'], { env: { ...base, LD_LIBRARY_PATH: '/usr/lib/x86_64-linux-gnu:/usr/local/lib' } })).pid);
			pids.push((await run('/bin/true', ['lookalike'], { env: { ...base, XLD_PRELOAD: so, LD_PRELOADX: so } })).pid);
			// a string longer than one 4 KiB read, with LD_PRELOAD= where the second read starts: not a variable
			pids.push((await run('/bin/true', ['hidden'], { env: { ...base, BG_LONG: `${'y'.repeat(4095 - 'BG_LONG='.length)}LD_PRELOAD=${so}` } })).pid);
		});
		for (const [i, k] of [[0, 'LD_PRELOAD'], [1, 'LD_AUDIT'], [2, 'LD_LIBRARY_PATH'], [3, 'LD_PRELOAD']] as const) {
			assert.deepEqual(rulesFor(alerts, pids[i]), [PRELOAD_RULE], `${k}: ${JSON.stringify(alerts.map((a) => a.output))}`);
			const a = alerts.find((y) => y.fields['proc.pid'] === pids[i])!;
			assert.equal(a.fields[`proc.env[${k}]`], k === 'LD_LIBRARY_PATH' ? `/usr/lib:${dir}` : so);
			assert.equal(a.fields['proc.exepath'], realpathSync('/bin/true'));
			assert.equal(a.priority, 'error');
		}
		for (const pid of pids.slice(4)) assert.deepEqual(rulesFor(alerts, pid), []);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});

test('a variable configured in exec_env reaches the rules; without it in the list the kernel does not read it', async (t) => {
	if (!requireBpf(t, ['dispatch', 'process'])) return;
	const dir = mkdtempSync('/var/lib/bg-env-');
	const rulesFile = join(dir, 'rules.yaml');
	writeFileSync(rulesFile, `- rule: hook var\n  desc: test\n  condition: spawned_process and proc.env[BG_HOOK_VAR] = on\n  output: "hook %proc.pid %proc.env[BG_HOOK_VAR]"\n  priority: notice\n`, { mode: 0o600 });
	const rules = [repoPath('rules/00-macros.yaml'), rulesFile];
	const act = async () => (await run('/bin/true', ['hook'], { env: { PATH: '/usr/bin:/bin', BG_HOOK_VAR: 'on' } })).pid;
	try {
		let pid = 0;
		const on = await withMonitor(async () => void (pid = await act()), rules, { monitor: { execEnv: ['LD_PRELOAD', 'BG_HOOK_VAR'] } });
		assert.deepEqual(rulesFor(on.alerts, pid), ['hook var']);
		assert.equal(on.alerts.find((a) => a.fields['proc.pid'] === pid)?.fields['proc.env[BG_HOOK_VAR]'], 'on');
		const off = await withMonitor(async () => void (pid = await act()), rules);
		assert.deepEqual(rulesFor(off.alerts, pid), []);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});

/** A loopback HTTP server (python3 -m http.server) serving dir; resolves with its port and a stop function. */
async function httpServer(dir: string): Promise<{ port: number; stop: () => void }> {
	const port = 20000 + Math.floor(Math.random() * 20000);
	const p = spawn('python3', ['-m', 'http.server', '--bind', '127.0.0.1', '--directory', dir, String(port)], { stdio: 'ignore' });
	for (let i = 0; i < 100; i++) {
		const r = await run('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', `http://127.0.0.1:${port}/`]);
		if (r.stdout === '200') return { port, stop: () => p.kill() };
		await sleep(100);
	}
	p.kill();
	throw new Error('http.server did not start');
}

const markerOf = (a: Alert) => ['proc.cmdline', 'proc.stdin.writer.cmdline', 'proc.stdout.reader.cmdline'].map((f) => String(a.fields[f] ?? '')).join(' ');

test('curl … | sh and base64 -d … | sh alert once, whichever side execs first; echo … | sh and cat … | sh do not', async (t) => {
	if (!requireBpf(t, ['dispatch', 'process'])) return;
	const dir = mkdtempSync('/var/lib/bg-pipe-');
	writeFileSync(join(dir, 'p.sh'), 'exit 0\n', { mode: 0o600 });
	writeFileSync(join(dir, 'p.b64'), Buffer.from('exit 0\n').toString('base64'), { mode: 0o600 });
	const srv = await httpServer(dir);
	const url = `http://127.0.0.1:${srv.port}/p.sh`;
	const b64 = join(dir, 'p.b64');
	const cases: [string, string, boolean][] = [
		['bgm-curl-now', `curl -s ${url}?bgm-curl-now | sh`, true],
		['bgm-curl-late', `(sleep 0.3; exec curl -s ${url}?bgm-curl-late) | sh`, true],
		['bgm-sh-late', `curl -s ${url}?bgm-sh-late | (sleep 0.3; exec sh -s bgm-sh-late)`, true],
		['bgm-b64', `base64 -d ${b64} | sh -s bgm-b64`, true],
		['bgm-echo', 'echo exit 0 | sh -s bgm-echo', false],
		['bgm-cat', `cat ${join(dir, 'p.sh')} | sh -s bgm-cat`, false],
	];
	try {
		const { alerts } = await withMonitor(async () => {
			for (const [, cmd] of cases) assert.equal((await run('/bin/bash', ['-c', cmd])).code, 0, cmd);
		});
		for (const [marker, cmd, alerted] of cases) {
			const mine = alerts.filter((a) => markerOf(a).includes(marker));
			assert.deepEqual(mine.map((a) => a.rule), alerted ? [PIPE_RULE] : [], `${cmd}: ${JSON.stringify(mine.map((a) => a.output))}`);
			if (!alerted) continue;
			const a = mine[0];
			const shellFirst = a.fields['proc.name'] !== 'sh';
			const [shell, writer] = shellFirst ? [a.fields['proc.stdout.reader.name'], a.fields['proc.name']] : [a.fields['proc.name'], a.fields['proc.stdin.writer.name']];
			assert.equal(shell, 'sh');
			assert.equal(writer, marker === 'bgm-b64' ? 'base64' : 'curl');
			// the sleeps fix the order of these two; the others race, and alert once either way
			if (marker.endsWith('-late')) assert.equal(shellFirst, marker === 'bgm-curl-late', `${marker}: which side came second`);
			assert.equal(a.priority, 'critical');
		}
	} finally {
		srv.stop();
		rmSync(dir, { recursive: true, force: true });
	}
});

test('an exec without a terminal right after one with a terminal on the same CPU has an empty tty, not the last record\'s', async (t) => {
	if (!requireBpf(t, ['dispatch', 'process'])) return;
	const dir = mkdtempSync('/var/lib/bg-tty-');
	const rulesFile = join(dir, 'rules.yaml');
	writeFileSync(rulesFile, `- rule: tty mark\n  desc: test\n  condition: spawned_process and proc.args contains bg-ttymark\n  output: "tty %proc.pid %proc.args %proc.tty"\n  priority: notice\n`, { mode: 0o600 });
	try {
		const { alerts } = await withMonitor(async () => {
			// the per-CPU record scratch: every exec on CPU 0, the pty child's first, then one without a tty
			// whose record is long enough to hold the last record's tty offset
			const pad = 'p'.repeat(300);
			const sh = `/usr/bin/python3 -c "import pty; pty.spawn(['/bin/true', 'bg-ttymark-pty'])"; /bin/true bg-ttymark-none ${pad}`;
			for (let i = 0; i < 3; i++) await run('taskset', ['-c', '0', '/bin/sh', '-c', sh]);
		}, [repoPath('rules/00-macros.yaml'), rulesFile]);
		const ttys = (mark: string) => alerts.filter((a) => String(a.fields['proc.args']).startsWith(mark)).map((a) => a.fields['proc.tty']);
		assert.equal(ttys('bg-ttymark-pty').length, 3);
		for (const tty of ttys('bg-ttymark-pty')) assert.match(String(tty), /^pts\d+$/);
		assert.deepEqual(ttys('bg-ttymark-none'), ['', '', '']);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});
