/**
 * @module test/kernel/enforce.test: blocking on the real kernel. Kill rules the kernel decides
 * (exec of a forbidden binary, open of a forbidden file) kill at the hook, before the process runs
 * another instruction; the rest are killed reactively through a pidfd; audit mode only reports;
 * protected processes and the kill budget hold; nothing stays attached after the monitor stops.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireBpf } from '../helpers/bpf.js';
import { sleep } from '../helpers/collect.js';
import { withMonitor } from '../helpers/monitor.js';
import type { Alert } from '../../src/alerts/alert.js';
import { addon } from '../../src/bridge/addon.js';
import { repoPath } from '../../src/util/paths.js';

const BIN = repoPath('bin/bpfguard');

function rulesFile(dir: string, yaml: string): string {
	const f = join(dir, 'rules.yaml');
	writeFileSync(f, yaml);
	return f;
}

/** Run a command to its end: exit code, signal, output. */
function runCmd(cmd: string, args: string[], opts: { uid?: number } = {}): Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; pid: number }> {
	return new Promise((resolve, reject) => {
		const c = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], uid: opts.uid });
		let out = '';
		c.stdout.on('data', (d) => (out += d));
		c.on('error', reject);
		c.on('close', (code, signal) => resolve({ code, signal, out, pid: c.pid! }));
	});
}

/** The real monitor (no default rules) with these rules, enforcing unless told, around an action. */
async function monitored(rules: string, action: () => Promise<void>, o: { enforce?: boolean; budget?: number } = {}): Promise<{ alerts: Alert[]; logs: string[] }> {
	const { alerts, logs } = await withMonitor(action, [rules], { settleMs: 300, monitor: { enforce: o.enforce ?? true, enforcement: { budget: o.budget } } });
	return { alerts, logs };
}

test('kill on exec from a directory: the copy dies by SIGKILL before its first act (no marker); the same program elsewhere runs', async (t) => {
	if (!requireBpf(t, ['dispatch', 'process'])) return;
	const dir = mkdtempSync(join(tmpdir(), 'bg-enf-'));
	const elsewhere = '/usr/local/bin/bg-enf-touch';
	try {
		const prog = join(dir, 'mytouch');
		copyFileSync('/usr/bin/touch', prog);
		copyFileSync('/usr/bin/touch', elsewhere);
		chmodSync(elsewhere, 0o755);
		const rules = rulesFile(dir, `- rule: exec from tmp\n  desc: t\n  condition: evt.type in (execve, execveat) and evt.res = SUCCESS and proc.exepath startswith ${dir}/\n  output: "ran %proc.exepath"\n  priority: critical\n  action: kill\n`);
		const marker = join(dir, 'marker');
		const marker2 = join(dir, 'marker2');
		let killed: Awaited<ReturnType<typeof runCmd>> | undefined;
		let ran: Awaited<ReturnType<typeof runCmd>> | undefined;
		const { alerts } = await monitored(rules, async () => {
			killed = await runCmd(prog, [marker]);
			ran = await runCmd(elsewhere, [marker2]);
		});
		assert.equal(killed!.signal, 'SIGKILL');
		assert.equal(existsSync(marker), false, 'the killed program never ran its first act');
		assert.equal(ran!.code, 0);
		assert.equal(existsSync(marker2), true);
		const a = alerts.filter((x) => x.rule === 'exec from tmp');
		assert.equal(a.length, 1, JSON.stringify(alerts));
		assert.equal(a[0].fields['proc.pid'], killed!.pid);
		assert.deepEqual(a[0].block, { action: 'kill', mode: 'enforce', how: 'kernel', outcome: 'killed', effective: true, pid: killed!.pid });
		assert.equal(a[0].fields['block.outcome'], 'killed');
		assert.match(a[0].output, /\[blocked: killed in the kernel\]$/);
	} finally {
		rmSync(dir, { recursive: true, force: true });
		rmSync(elsewhere, { force: true });
	}
});

test('kill on opening /etc/shadow by a non-allowed program: cat prints nothing and dies; the allowed program reads it', async (t) => {
	if (!requireBpf(t, ['dispatch', 'process', 'file'])) return;
	const dir = mkdtempSync(join(tmpdir(), 'bg-enf-'));
	try {
		const rules = rulesFile(dir, '- rule: shadow read\n  desc: t\n  condition: evt.type in (open, openat, openat2) and evt.is_open_read = true and fd.name = /etc/shadow and not proc.name in (python3)\n  output: "%proc.name read %fd.name"\n  priority: critical\n  action: kill\n');
		let cat: Awaited<ReturnType<typeof runCmd>> | undefined;
		let py: Awaited<ReturnType<typeof runCmd>> | undefined;
		const { alerts } = await monitored(rules, async () => {
			cat = await runCmd('/bin/cat', ['/etc/shadow']);
			py = await runCmd('/usr/bin/python3', ['-c', 'print(len(open("/etc/shadow").read()) > 0)']);
		});
		assert.equal(cat!.signal, 'SIGKILL');
		assert.equal(cat!.out, '', 'not a byte read');
		assert.equal(py!.code, 0);
		assert.equal(py!.out.trim(), 'True');
		const a = alerts.filter((x) => x.rule === 'shadow read');
		assert.equal(a.length, 1, JSON.stringify(alerts.map((x) => x.output)));
		assert.equal(a[0].fields['proc.name'], 'cat');
		assert.equal(a[0].block?.how, 'kernel');
		assert.equal(a[0].block?.outcome, 'killed');
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});

test('audit mode (no --enforce, or mode: audit) kills nothing and records "would have blocked"', async (t) => {
	if (!requireBpf(t, ['dispatch', 'process'])) return;
	const dir = mkdtempSync(join(tmpdir(), 'bg-enf-'));
	try {
		const prog = join(dir, 'mytouch');
		copyFileSync('/usr/bin/touch', prog);
		const rules = rulesFile(dir, `- rule: exec from tmp\n  desc: t\n  condition: evt.type = execve and proc.exepath startswith ${dir}/\n  output: "ran %proc.exepath"\n  priority: critical\n  action: kill\n`);
		const marker = join(dir, 'marker');
		let r: Awaited<ReturnType<typeof runCmd>> | undefined;
		const { alerts } = await monitored(rules, async () => void (r = await runCmd(prog, [marker])), { enforce: false });
		assert.equal(r!.code, 0);
		assert.equal(existsSync(marker), true);
		const a = alerts.filter((x) => x.rule === 'exec from tmp');
		assert.equal(a.length, 1);
		assert.deepEqual(a[0].block, { action: 'kill', mode: 'audit', how: 'kernel', outcome: 'would-block', effective: false, pid: r!.pid });
		assert.match(a[0].output, /\[audit: would have blocked \(kill, kernel\)\]$/);
		// a rule pinned to audit stays in audit under --enforce
		writeFileSync(rules, readFileSync(rules, 'utf8') + '  mode: audit\n');
		rmSync(marker);
		const pinned = await monitored(rules, async () => void (r = await runCmd(prog, [marker])), { enforce: true });
		assert.equal(r!.code, 0);
		assert.equal(pinned.alerts.find((x) => x.rule === 'exec from tmp')?.block?.outcome, 'would-block');
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});

test('a kill rule that needs user space (the parent) kills reactively through a pidfd, and says so with the delay', async (t) => {
	if (!requireBpf(t, ['dispatch', 'process'])) return;
	const dir = mkdtempSync(join(tmpdir(), 'bg-enf-'));
	try {
		const parent = join(dir, 'websrv');
		copyFileSync('/bin/sh', parent);
		const rules = rulesFile(dir, '- rule: shell from web server\n  desc: t\n  condition: evt.type = execve and proc.name = sleep and proc.pname = websrv\n  output: "%proc.name under %proc.pname"\n  priority: critical\n  action: kill\n');
		let r: Awaited<ReturnType<typeof runCmd>> | undefined;
		const { alerts, logs } = await monitored(rules, async () => void (r = await runCmd(parent, ['-c', 'sleep 30 && echo survived'])));
		assert.ok(logs.some((l) => /rule shell from web server: kill decided in user space, reactively/.test(l)), logs.join('\n'));
		assert.equal(r!.out, '', 'sleep was killed (else it prints survived after 30 s)');
		const a = alerts.filter((x) => x.rule === 'shell from web server');
		assert.equal(a.length, 1);
		assert.equal(a[0].block?.how, 'reactive');
		assert.equal(a[0].block?.outcome, 'killed');
		assert.equal(typeof a[0].block?.delayMs, 'number');
		assert.match(a[0].output, /\[blocked: killed reactively after \d+ ms\]$/);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});

test('a reactive kill never hits a reused pid: the pidfd check compares the start time', async (t) => {
	if (!requireBpf(t, ['dispatch', 'process'])) return;
	const c = spawn('/bin/sleep', ['30']);
	try {
		await sleep(100);
		const stat = readFileSync(`/proc/${c.pid}/stat`, 'utf8');
		const ticks = BigInt(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
		const hz = BigInt(Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()));
		const startNs = ticks * (1_000_000_000n / hz);
		// another start time at the same pid: another process (a reuse); not signalled
		assert.equal(addon().pidfdKill(c.pid!, startNs + 5_000_000_000n), 'reused');
		assert.equal(c.exitCode, null);
		await sleep(50);
		assert.equal(c.signalCode, null);
		assert.equal(addon().pidfdKill(c.pid!, startNs), 'signalled');
		const sig = await new Promise((r) => c.on('exit', (_code, s) => r(s)));
		assert.equal(sig, 'SIGKILL');
		assert.equal(addon().pidfdKill(c.pid!, startNs), 'gone');
	} finally {
		c.kill('SIGKILL');
	}
});

test('safety: a kill rule on every exec spares bpfguard and its parents, and its budget trips and says so', async (t) => {
	if (!requireBpf(t, ['dispatch', 'process'])) return;
	const dir = mkdtempSync(join(tmpdir(), 'bg-enf-'));
	try {
		const rules = rulesFile(dir, '- rule: every exec\n  desc: t\n  condition: evt.type = execve\n  output: "exec %proc.exepath"\n  priority: critical\n  action: kill\n');
		const runs: Awaited<ReturnType<typeof runCmd>>[] = [];
		const { alerts, logs } = await monitored(
			rules,
			async () => {
				for (let i = 0; i < 4; i++) runs.push(await runCmd('/bin/true', []));
			},
			{ budget: 2 },
		);
		// the test process (bpfguard's own process here) is alive: we are running
		const mine = alerts.filter((a) => a.rule === 'every exec' && runs.some((r) => r.pid === a.fields['proc.pid']));
		const killed = mine.filter((a) => a.block?.outcome === 'killed');
		const spared = mine.filter((a) => a.block?.outcome === 'budget');
		assert.ok(killed.length <= 2, `at most the budget: ${mine.map((a) => a.block?.outcome)}`);
		assert.ok(spared.length >= 2, `the rest spared by the budget: ${mine.map((a) => a.block?.outcome)}`);
		assert.equal(runs[3].code, 0, 'the last exec ran: the budget was spent');
		assert.ok(logs.some((l) => /kill budget spent/.test(l)), logs.join('\n'));
		assert.ok(!alerts.some((a) => a.fields['proc.pid'] === process.pid && a.block?.effective), 'bpfguard itself never killed');
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});

test('monitor --enforce (the CLI): the block is on the JSON output and in the audit store; stopping leaves no bpfguard program attached', async (t) => {
	if (!requireBpf(t, ['dispatch', 'process'])) return;
	const dir = mkdtempSync(join(tmpdir(), 'bg-enf-'));
	try {
		const rules = rulesFile(dir, `- rule: exec from tmp\n  desc: t\n  condition: evt.type = execve and proc.exepath startswith ${dir}/\n  output: "ran %proc.exepath"\n  priority: critical\n  action: kill\n`);
		const db = join(dir, 'store', 'audit.db');
		const cfg = join(dir, 'c.yaml');
		writeFileSync(cfg, `default_rules: false\nthrottle_s: 0\nsinks:\n  store: {path: ${db}, keyPath: ${join(dir, 'store', 'key')}}\n`, { mode: 0o600 });
		const prog = join(dir, 'mytouch');
		copyFileSync('/usr/bin/touch', prog);
		const progs = () => JSON.parse(spawnSync('bpftool', ['-j', 'prog', 'list'], { encoding: 'utf8' }).stdout) as { id: number; name?: string }[];
		const before = new Set(progs().map((p) => p.id));
		const mon = spawn(process.execPath, [BIN, 'monitor', '-c', cfg, '-r', rules, '--enforce', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
		let err = '';
		let out = '';
		mon.stderr.on('data', (d) => (err += d));
		mon.stdout.on('data', (d) => (out += d));
		for (let i = 0; i < 100 && !err.includes('sensors attached'); i++) await sleep(100);
		const ours = progs().filter((p) => !before.has(p.id) && /^bg_/.test(p.name ?? ''));
		assert.ok(ours.some((p) => p.name === 'bg_exec'), `attached while running: ${ours.map((p) => p.name)}`);
		const killed = await runCmd(prog, [join(dir, 'marker')]);
		assert.equal(killed.signal, 'SIGKILL');
		await sleep(300);
		mon.kill('SIGTERM');
		assert.equal(await new Promise((r) => mon.on('close', r)), 0, err);
		const json = out.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Alert);
		const a = json.find((x) => x.rule === 'exec from tmp' && x.fields['proc.pid'] === killed.pid);
		assert.deepEqual(a?.block && [a.block.action, a.block.how, a.block.outcome, a.block.effective], ['kill', 'kernel', 'killed', true], out);
		const s = spawnSync(process.execPath, [BIN, 'search', '--db', db, '--rule', 'exec from tmp', '--json'], { encoding: 'utf8' });
		assert.equal(s.status, 0, s.stderr);
		const stored = s.stdout.trim().split('\n').map((l) => JSON.parse(l) as Alert & { kind: string });
		assert.deepEqual(stored.map((r) => [r.kind, r.id, r.block?.outcome, r.fields['block.outcome'], r.fields['block.how']]), [['alert', a!.id, 'killed', 'killed', 'kernel']]);
		const ids = new Set(ours.map((p) => p.id));
		// the kernel frees a detached program after an RCU grace period: wait for it (up to 10 s)
		let left = progs().filter((p) => ids.has(p.id));
		for (let i = 0; i < 100 && left.length; i++) {
			await sleep(100);
			left = progs().filter((p) => ids.has(p.id));
		}
		assert.deepEqual(left.map((p) => p.name), [], 'none of its programs is left in the kernel');
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});

/** connect() (TCP) or sendto() (UDP) from a real process: 'ok' or the errno name. */
async function tryNet(how: 'tcp' | 'udp', host: string, port: number): Promise<string> {
	const py = `import socket,errno\nfam = socket.AF_INET6 if ':' in ${JSON.stringify(host)} else socket.AF_INET\ns = socket.socket(fam, socket.SOCK_STREAM if ${JSON.stringify(how)} == 'tcp' else socket.SOCK_DGRAM)\ntry:\n  s.connect((${JSON.stringify(host)}, ${port})) if ${JSON.stringify(how)} == 'tcp' else s.sendto(b'x', (${JSON.stringify(host)}, ${port}))\n  print('ok')\nexcept OSError as e:\n  print(errno.errorcode[e.errno])\n`;
	const r = await runCmd('/usr/bin/python3', ['-c', py]);
	return r.out.trim();
}

test('deny: connect to 127.0.0.1:9 and [::1]:9 and a UDP send to 127.0.0.1:9 fail with EPERM; other ports work; the blocks are recorded', async (t) => {
	if (!requireBpf(t, ['dispatch', 'process', 'net'])) return;
	const dir = mkdtempSync(join(tmpdir(), 'bg-enf-'));
	try {
		const rules = rulesFile(dir, '- rule: discard port\n  desc: t\n  condition: evt.type in (connect, sendto) and fd.dip in (127.0.0.1, "::1") and fd.dport = 9\n  output: "%proc.name to %fd.dip:%fd.dport"\n  priority: critical\n  action: deny\n');
		const got: Record<string, string> = {};
		const { alerts } = await monitored(rules, async () => {
			got.v4 = await tryNet('tcp', '127.0.0.1', 9);
			got.v6 = await tryNet('tcp', '::1', 9);
			got.udp = await tryNet('udp', '127.0.0.1', 9);
			got.other = await tryNet('tcp', '127.0.0.1', 10);
			got.otherUdp = await tryNet('udp', '127.0.0.1', 10);
			// the other ways to open a connection or send a datagram go through the same hooks
			const tfo = await runCmd('/usr/bin/python3', ['-c', "import socket,errno\ns = socket.socket()\ntry:\n  s.sendto(b'x', socket.MSG_FASTOPEN, ('127.0.0.1', 9)); print('ok')\nexcept OSError as e:\n  print(errno.errorcode[e.errno])"]);
			got.fastOpen = tfo.out.trim();
			// three datagrams (to :53, :9, :53): the one to :9 is refused, so sendmmsg stops after the first
			got.sendmmsg = (await runCmd(repoPath('build/progs/mmsg'), ['9'])).out.trim().split(' ')[0];
		});
		assert.deepEqual(got, { v4: 'EPERM', v6: 'EPERM', udp: 'EPERM', other: 'ECONNREFUSED', otherUdp: 'ok', fastOpen: 'EPERM', sendmmsg: '1' });
		const a = alerts.filter((x) => x.rule === 'discard port');
		assert.deepEqual(a.map((x) => [x.fields['evt.type'], x.fields['fd.dip'], x.fields['fd.dport'], x.block?.outcome, x.block?.how, x.fields['proc.name']]), [
			['connect', '127.0.0.1', 9, 'denied', 'kernel', 'python3'],
			['connect', '::1', 9, 'denied', 'kernel', 'python3'],
			['sendto', '127.0.0.1', 9, 'denied', 'kernel', 'python3'],
			['connect', '127.0.0.1', 9, 'denied', 'kernel', 'python3'],
			['sendto', '127.0.0.1', 9, 'denied', 'kernel', 'mmsg'],
		]);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});

test('deny in audit mode: the connect goes through and "would have blocked" is recorded', async (t) => {
	if (!requireBpf(t, ['dispatch', 'process', 'net'])) return;
	const dir = mkdtempSync(join(tmpdir(), 'bg-enf-'));
	try {
		const rules = rulesFile(dir, '- rule: discard port\n  desc: t\n  condition: evt.type = connect and fd.dip = 127.0.0.1 and fd.dport = 9 and fd.l4proto = tcp\n  output: "%proc.name to %fd.dip:%fd.dport"\n  priority: critical\n  action: deny\n');
		let res = '';
		const { alerts } = await monitored(rules, async () => void (res = await tryNet('tcp', '127.0.0.1', 9)), { enforce: false });
		assert.equal(res, 'ECONNREFUSED', 'not denied: nothing listens on port 9');
		const a = alerts.filter((x) => x.rule === 'discard port');
		assert.equal(a.length, 1, 'one block record: the sensor\'s own connect record is not a second one');
		assert.deepEqual([a[0].block?.mode, a[0].block?.outcome, a[0].block?.effective], ['audit', 'would-block', false]);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});

test('quarantine: the process tree loses the network (new connects fail, an open socket sends nothing) until bpfguard release ID', async (t) => {
	if (!requireBpf(t, ['dispatch', 'process', 'net'])) return;
	const dir = mkdtempSync(join(tmpdir(), 'bg-enf-'));
	const { createServer } = await import('node:net');
	const got: string[] = [];
	const server = createServer((s) => s.on('data', (d) => got.push(String(d))));
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	const port = (server.address() as { port: number }).port;
	try {
		const prog = join(dir, 'qpy');
		copyFileSync('/usr/bin/python3', prog);
		chmodSync(prog, 0o755);
		const flag = join(dir, 'released');
		// stage 1 (python3) opens a connection before the rule fires, then becomes qpy (same pid, the socket kept)
		const stage2 = [
			'import socket, time, os, errno, sys',
			'old = socket.socket(fileno=int(sys.argv[1]))',
			'time.sleep(1.5)',
			'old.send(b"before-release")',
			'def try_new():',
			'  try:',
			`    s = socket.create_connection(("127.0.0.1", ${port}), timeout=2); s.send(b"new"); s.close(); return "ok"`,
			'  except OSError as e:',
			'    return errno.errorcode.get(e.errno, str(e))',
			'print(try_new(), flush=True)',
			`while not os.path.exists(${JSON.stringify(flag)}): time.sleep(0.05)`,
			'print(try_new(), flush=True)',
		].join('\n');
		const stage1 = [
			'import socket, os, sys',
			`old = socket.create_connection(("127.0.0.1", ${port}))`,
			'old.set_inheritable(True)',
			`os.execv(${JSON.stringify(prog)}, ["qpy", "-c", sys.argv[1], str(old.fileno())])`,
		].join('\n');
		const rules = rulesFile(dir, '- rule: quarantine qpy\n  desc: t\n  condition: evt.type = execve and proc.name = qpy\n  output: "%proc.name quarantined"\n  priority: critical\n  action: quarantine\n');
		const state = join(dir, 'state');
		await withMonitor(
			async ({ alerts }) => {
				const child = spawn('/usr/bin/python3', ['-c', stage1, stage2], { stdio: ['ignore', 'pipe', 'inherit'] });
				let out = '';
				child.stdout.on('data', (d) => (out += d));
				for (let i = 0; i < 100 && !out.includes('\n'); i++) await sleep(100);
				assert.equal(out.trim(), 'EPERM', 'a new connect from the quarantined process fails');
				await sleep(300);
				assert.ok(!got.includes('before-release'), `what an open socket sends is dropped: ${got}`);
				const a = alerts.find((x) => x.rule === 'quarantine qpy');
				assert.equal(a?.block?.outcome, 'quarantined');
				const id = a!.block!.quarantine!;
				assert.match(id, /^q[0-9a-z]+-\d+$/);
				assert.equal(statSync(join(state, `${id}.json`)).mode & 0o777, 0o600);
				const rel = spawnSync(process.execPath, [BIN, 'release', id, '--state-dir', state], { encoding: 'utf8' });
				assert.equal(rel.status, 0, rel.stderr);
				assert.match(rel.stdout, new RegExp(`release: ${id}: pids ${child.pid}`));
				writeFileSync(flag, '');
				const code = await new Promise((r) => child.on('close', r));
				assert.equal(code, 0);
				assert.deepEqual(out.trim().split('\n'), ['EPERM', 'ok'], 'after release it connects again');
				assert.equal(existsSync(join(state, `${id}.json`)), false);
			},
			[rules],
			{ settleMs: 0, monitor: { enforce: true, enforcement: { quarantineDir: state } } },
		);
	} finally {
		server.close();
		rmSync(dir, { recursive: true, force: true });
	}
});

test('--pin: deny rules stay in force after the monitor stops; bpfguard enforce list shows the pin, enforce remove detaches it', async (t) => {
	if (!requireBpf(t, ['dispatch', 'process', 'net'])) return;
	const dir = mkdtempSync(join(tmpdir(), 'bg-enf-'));
	const state = join(dir, 'pins');
	const progs = () => JSON.parse(spawnSync('bpftool', ['-j', 'prog', 'list'], { encoding: 'utf8' }).stdout) as { id: number; name?: string }[];
	try {
		const rules = rulesFile(dir, '- rule: discard port\n  desc: t\n  condition: evt.type = connect and fd.dport = 9\n  output: "%proc.name to %fd.dip:%fd.dport"\n  priority: critical\n  action: deny\n');
		const before = new Set(progs().map((p) => p.id));
		const { logs, mon } = await withMonitor(async () => {}, [rules], { settleMs: 0, monitor: { enforce: true, enforcement: { pin: true, pinStateDir: state } } });
		assert.deepEqual(mon.sensors.map((s) => s.name), ['process'], 'a deny rule the hook decides needs no network sensor records');
		assert.ok(logs.some((l) => /deny rules pinned as p[0-9a-z]+/.test(l)), logs.join('\n'));
		assert.equal(await tryNet('tcp', '127.0.0.1', 9), 'EPERM', 'denied with no monitor running');
		const l = spawnSync(process.execPath, [BIN, 'enforce', 'list', '--json', '--state-dir', state], { encoding: 'utf8' });
		assert.equal(l.status, 0, l.stderr);
		const pins = l.stdout.trim().split('\n').map((x) => JSON.parse(x) as { id: string; present: boolean; rules: Record<string, string>; links: string[] });
		assert.equal(pins.length, 1, l.stdout);
		assert.deepEqual([pins[0].present, pins[0].rules], [true, { 'discard port': 'enforce' }]);
		assert.equal(statSync(join(state, `${pins[0].id}.json`)).mode & 0o777, 0o600);
		const pinned = progs().filter((p) => !before.has(p.id) && /^bg_deny_/.test(p.name ?? ''));
		assert.deepEqual(pinned.map((p) => p.name).sort(), ['bg_deny_connect4', 'bg_deny_connect6', 'bg_deny_sendmsg4', 'bg_deny_sendmsg6']);
		const r = spawnSync(process.execPath, [BIN, 'enforce', 'remove', pins[0].id, '--state-dir', state], { encoding: 'utf8' });
		assert.equal(r.status, 0, r.stderr);
		assert.match(r.stdout, new RegExp(`enforce: ${pins[0].id}: 4 programs detached`));
		assert.equal(await tryNet('tcp', '127.0.0.1', 9), 'ECONNREFUSED', 'the connect goes through again');
		const ids = new Set(pinned.map((p) => p.id));
		let left = progs().filter((p) => ids.has(p.id));
		for (let i = 0; i < 100 && left.length; i++) {
			await sleep(100);
			left = progs().filter((p) => ids.has(p.id));
		}
		assert.deepEqual(left.map((p) => p.name), [], 'the pinned programs left the kernel');
		assert.equal(spawnSync(process.execPath, [BIN, 'enforce', 'list', '--state-dir', state], { encoding: 'utf8' }).stdout, 'no pinned enforcement\n');
	} finally {
		spawnSync(process.execPath, [BIN, 'enforce', 'remove', '--all', '--state-dir', state]);
		rmSync(dir, { recursive: true, force: true });
	}
});
