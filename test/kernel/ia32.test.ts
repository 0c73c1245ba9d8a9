/** @module test/kernel/ia32.test: 32-bit (ia32) syscalls from a 64-bit process (int $0x80) decoded by the file, privilege and network sensors, and the default rules' alerts on them. */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, chownSync, copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireBpf } from '../helpers/bpf.js';
import { collect, run, sleep } from '../helpers/collect.js';
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { withMonitor } from '../helpers/monitor.js';
import { tcpServer } from '../helpers/tcpserver.js';
import { fileSensor } from '../../src/sensors/file.js';
import { processSensor } from '../../src/sensors/process.js';
import { privSensor } from '../../src/sensors/priv.js';
import { netSensor } from '../../src/sensors/net.js';
import { EvalCtx } from '../../src/rules/context.js';
import { eventJson } from '../../src/rules/fields/json.js';
import { BgFileFlag, BgNetFlag, BgPrivFlag } from '../../src/events/generated/layouts.js';
import type { BgEvent, FileChangeEvent, NetEvent, OpenEvent, PrivEvent } from '../../src/events/types.js';
import { repoPath } from '../../src/util/paths.js';
import { ia32Syscalls } from '../helpers/ia32.js';

const IA32 = repoPath('build/progs/ia32');
const CTX = new EvalCtx();
const json = (e: BgEvent) => eventJson(CTX.set(e));

/** Run the ia32 helper; its pid, result and (connects) fd; undefined when int $0x80 is not there (no IA32 emulation). */
async function ia32(...args: string[]): Promise<{ pid: number; ret: number; fd: number } | undefined> {
	const r = await run(IA32, args);
	const m = /pid=(\d+)(?: fd=(\d+))? ret=(-?\d+)/.exec(r.stdout);
	if (!m) return undefined;
	return { pid: Number(m[1]), fd: m[2] === undefined ? -1 : Number(m[2]), ret: Number(m[3]) };
}

/**
 * Where the kernel runs 32-bit syscalls, true. Where it does not (int $0x80 faults: IA32 emulation off, or refused
 * by the hypervisor), the evasion cannot be made: the helper itself must die of that fault before any syscall, which
 * is asserted, and the test ends there (noted in its diagnostics).
 */
async function supported(t: TestContext): Promise<boolean> {
	const p = ia32Syscalls();
	if (p.ok) return true;
	const r = await run(IA32, ['open', '/etc/shadow']);
	assert.equal(r.signal, 'SIGSEGV', `the 32-bit open must fault where int $0x80 does: ${JSON.stringify(r)}`);
	assert.doesNotMatch(r.stdout, /ret=/);
	t.diagnostic(p.why);
	return false;
}

test('32-bit open and openat of /etc/shadow through int $0x80: open records named open/openat, true path, flagged i386', async (t) => {
	if (!requireBpf(t, ['dispatch', 'file']) || !(await supported(t))) return;
	const runs: { pid: number; ret: number }[] = [];
	const { events, kernel } = await collect([fileSensor], {}, async () => {
		runs.push((await ia32('open', '/etc/shadow'))!, (await ia32('openat', '/etc/shadow'))!);
	});
	for (const [i, sys] of (['open', 'openat'] as const).entries()) {
		assert.ok(runs[i].ret >= 0, `${sys} worked (${runs[i].ret})`);
		const evs = events.filter((e): e is OpenEvent => e.kind === 'open' && e.pid === runs[i].pid && e.name === '/etc/shadow');
		assert.equal(evs.length, 1, `${sys}: one record`);
		const e = evs[0];
		assert.equal(e.syscall, sys);
		assert.equal(e.raw, '/etc/shadow');
		assert.equal(e.flags, BgFileFlag.BG_FF_NAME_FILE | BgFileFlag.BG_FF_IA32);
		assert.equal(e.argFlags & 3, 0, 'O_RDONLY');
		assert.equal(e.ret, runs[i].ret);
		assert.equal(e.dirfd, -100, 'AT_FDCWD (open has none; openat passed it as a 32-bit -100)');
		assert.equal(e.comm, 'ia32');
		assert.equal(e.tid, runs[i].pid);
		const j = json(e);
		assert.equal(j['evt.type'], sys);
		assert.equal(j['evt.arch'], 'i386');
		assert.equal(j['fd.name'], '/etc/shadow');
	}
	assert.equal(kernel.compat_syscall ?? 0, 0, 'nothing the file sensor handles went undecoded');
});

test('a 32-bit unlink through int $0x80: a file change record named unlink, flagged i386', async (t) => {
	if (!requireBpf(t, ['dispatch', 'file']) || !(await supported(t))) return;
	const dir = mkdtempSync(join(tmpdir(), 'bg-ia32-'));
	const f = join(dir, 'victim');
	writeFileSync(f, 'x');
	let pid = 0;
	try {
		const { events, kernel } = await collect([fileSensor], { file: { all: true } }, async () => {
			const r = await ia32('unlink', f);
			assert.equal(r?.ret, 0);
			pid = r!.pid;
		});
		const ch = events.filter((e): e is FileChangeEvent => e.kind === 'file_change' && e.pid === pid);
		assert.equal(ch.length, 1);
		assert.deepEqual([ch[0].syscall, ch[0].name, ch[0].raw, ch[0].ret, ch[0].dirfd, ch[0].comm], ['unlink', f, f, 0, -100, 'ia32']);
		assert.equal(ch[0].flags & BgFileFlag.BG_FF_IA32, BgFileFlag.BG_FF_IA32);
		assert.equal(json(ch[0])['evt.arch'], 'i386');
		assert.equal(kernel.compat_syscall ?? 0, 0);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});

test('a failed 32-bit execve (no 32-bit decoder for exec failures) is counted as compat_syscall, never read as the 64-bit call of its number', async (t) => {
	if (!requireBpf(t, ['dispatch', 'process']) || !(await supported(t))) return;
	let r: Awaited<ReturnType<typeof ia32>>;
	const { events, kernel } = await collect([processSensor], {}, async () => {
		r = await ia32('exec', '/nonexistent/bg-ia32');
	});
	assert.equal(r!.ret, -2, 'ENOENT');
	assert.ok(kernel.compat_syscall >= 1, `counted (${kernel.compat_syscall})`);
	assert.equal(events.filter((e) => e.pid === r!.pid && e.kind === 'exec' && e.ret !== 0).length, 0, 'no failure record (a known gap, counted)');
});

test('32-bit setuid32, setuid (16-bit ids) and setresuid32: priv records named setuid/setresuid with the ids as the kernel took them, flagged i386', async (t) => {
	if (!requireBpf(t, ['dispatch', 'priv']) || !(await supported(t))) return;
	const runs: Record<string, { pid: number; ret: number }> = {};
	const { events } = await collect([privSensor], {}, async () => {
		runs.regain32 = (await ia32('regain32', '65534'))!;
		runs.minus16 = (await ia32('setuid16', '65535'))!;
		runs.res32 = (await ia32('setresuid32', '0', '4294967295', '0'))!;
	});
	const mine = (pid: number) => events.filter((e): e is PrivEvent => e.kind === 'priv_call' && e.pid === pid && (e.flags & BgPrivFlag.BG_PF_IA32) !== 0);
	const [up] = mine(runs.regain32.pid);
	assert.ok(up, 'the 32-bit setuid32(0) is a record');
	assert.deepEqual([up.syscall, up.ret, up.args, up.old.euid, up.new.euid, up.new.uid, up.site], ['setuid', 0, [0], 65534, 0, 65534, 'syscall'], 'an unprivileged setuid(0) sets the euid only');
	assert.equal(up.flags & BgPrivFlag.BG_PF_NO_BEFORE, 0, 'creds before from the 32-bit sys_enter');
	const uj = json(up);
	assert.equal(uj['evt.type'], 'setuid');
	assert.equal(uj['evt.arch'], 'i386');
	assert.equal(uj['priv.becomes_root'], true);
	const [m16] = mine(runs.minus16.pid);
	assert.deepEqual([m16.syscall, m16.ret, m16.args], ['setuid', -22, [0xffffffff]], 'a 16-bit 0xffff is -1 (EINVAL)');
	assert.equal(json(m16)['evt.arg.uid'], -1);
	const [r32] = mine(runs.res32.pid);
	assert.deepEqual([r32.syscall, r32.ret, r32.args], ['setresuid', 0, [0, 0xffffffff, 0]]);
});

test('a 32-bit execve of a setuid-root binary by nobody: the exec transition has its creds before (from the 32-bit sys_enter)', async (t) => {
	if (!requireBpf(t, ['dispatch', 'priv']) || !(await supported(t))) return;
	const dir = mkdtempSync('/var/lib/bg-ia32-');
	chmodSync(dir, 0o755);
	const suid = join(dir, 'rootme');
	copyFileSync('/usr/bin/id', suid);
	chownSync(suid, 0, 0);
	chmodSync(suid, 0o4755);
	try {
		let out = '';
		const { events } = await collect([privSensor], {}, async () => {
			out = (await run('/usr/bin/setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', IA32, 'exec', suid])).stdout;
		});
		assert.match(out, /euid=0/, 'the setuid binary ran as root');
		const ex = events.filter((e): e is PrivEvent => e.kind === 'priv_exec' && e.exe === suid);
		assert.equal(ex.length, 1);
		assert.deepEqual([ex[0].old.uid, ex[0].old.euid, ex[0].new.euid, ex[0].fileMode & 0o7777], [65534, 65534, 0, 0o4755]);
		assert.equal(ex[0].flags & BgPrivFlag.BG_PF_NO_BEFORE, 0, 'creds before from the 32-bit sys_enter of execve');
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});

test('32-bit connect (362) and socketcall SYS_CONNECT: connect records with the destination and fd, flagged i386', async (t) => {
	if (!requireBpf(t, ['dispatch', 'net']) || !(await supported(t))) return;
	const runs: { pid: number; ret: number; fd: number }[] = [];
	let port = 0;
	const { events } = await collect([netSensor], {}, async () => {
		const s = await tcpServer('127.0.0.1', 2);
		port = s.port;
		runs.push((await ia32('connect', '127.0.0.1', String(port)))!, (await ia32('socketcall', '127.0.0.1', String(port)))!);
		await s.done;
	}, 300);
	for (const r of runs) {
		assert.equal(r.ret, 0, 'connected');
		const c = events.filter((e): e is NetEvent => e.kind === 'net_connect' && e.pid === r.pid);
		assert.equal(c.length, 1, 'one connect record');
		assert.deepEqual([c[0].dip, c[0].dport, c[0].fd, c[0].ret, c[0].state, c[0].proto, c[0].comm, c[0].dir], ['127.0.0.1', port, r.fd, 0, 'established', 'tcp', 'ia32', 'out']);
		assert.equal(c[0].flags & BgNetFlag.BG_F_NET_IA32, BgNetFlag.BG_F_NET_IA32);
		assert.ok(c[0].connId > 0n, 'tracked from its 32-bit entry');
		const j = json(c[0]);
		assert.equal(j['evt.type'], 'connect');
		assert.equal(j['evt.arch'], 'i386');
	}
});

/** Run `ia32 serve MODE` (32-bit bind, listen, accept); connect to it once; its pid, listening fd, accepted fd, port and client port. */
async function serve32(mode: string): Promise<{ pid: number; lfd: number; ret: number; port: number; cport: number }> {
	const c = spawn(IA32, ['serve', mode], { stdio: ['ignore', 'pipe', 'inherit'] });
	let out = '';
	c.stdout.on('data', (d) => (out += d));
	const done = new Promise((r) => c.on('close', r));
	for (let i = 0; i < 100 && !out.includes('\n'); i++) await sleep(50);
	const port = Number(/port=(\d+) bind=0 listen=0/.exec(out)?.[1]);
	assert.ok(port > 0, `ia32 serve: ${out}`);
	const cport = await new Promise<number>((resolve, reject) => {
		const s = connect(port, '127.0.0.1', () => {
			const p = s.localPort!;
			s.end();
			resolve(p);
		});
		s.on('error', reject);
	});
	await done;
	const m = /pid=(\d+) fd=(\d+) ret=(-?\d+)/.exec(out);
	assert.ok(m, out);
	return { pid: Number(m[1]), lfd: Number(m[2]), ret: Number(m[3]), port, cport };
}

test('32-bit bind, listen and accept (361/363/364 and socketcall SYS_BIND/SYS_LISTEN/SYS_ACCEPT): bind, listen and accept records, flagged i386', async (t) => {
	if (!requireBpf(t, ['dispatch', 'net']) || !(await supported(t))) return;
	const runs: Awaited<ReturnType<typeof serve32>>[] = [];
	const { events } = await collect([netSensor], {}, async () => {
		runs.push(await serve32('direct'), await serve32('socketcall'));
	}, 300);
	for (const r of runs) {
		assert.ok(r.ret >= 0, `accepted (${r.ret})`);
		const of = (kind: string) => events.filter((e): e is NetEvent => e.kind === kind && e.pid === r.pid);
		const [b] = of('net_bind');
		const [l] = of('net_listen');
		const [a] = of('net_accept');
		assert.deepEqual([of('net_bind').length, of('net_listen').length, of('net_accept').length], [1, 1, 1]);
		assert.deepEqual([b.sip, b.sport, b.fd, b.ret, b.proto, b.comm], ['127.0.0.1', r.port, r.lfd, 0, 'tcp', 'ia32']);
		assert.deepEqual([l.sip, l.sport, l.fd, l.ret, l.state, l.comm], ['127.0.0.1', r.port, r.lfd, 0, 'listen', 'ia32']);
		assert.deepEqual([a.sip, a.sport, a.dip, a.dport, a.fd, a.ret, a.state, a.dir], ['127.0.0.1', r.port, '127.0.0.1', r.cport, r.ret, r.ret, 'established', 'in']);
		for (const e of [b, l, a]) {
			assert.equal(e.flags & BgNetFlag.BG_F_NET_IA32, BgNetFlag.BG_F_NET_IA32, e.kind);
			assert.equal(json(e)['evt.arch'], 'i386');
		}
		assert.deepEqual([json(b)['evt.type'], json(l)['evt.type'], json(a)['evt.type']], ['bind', 'listen', 'accept']);
	}
});

test('the default rules alert on 32-bit evasion: /etc/shadow read, setuid bit set by chmod, root regained with setuid32, netcat connect through socketcall', async (t) => {
	if (!requireBpf(t, ['dispatch', 'process', 'file', 'priv', 'net']) || !(await supported(t))) return;
	const dir = mkdtempSync('/var/lib/bg-ia32-');
	chmodSync(dir, 0o755);
	const nc = join(dir, 'nc');
	copyFileSync(IA32, nc);
	chmodSync(nc, 0o755);
	const pids: Record<string, number> = {};
	try {
		const { alerts } = await withMonitor(async () => {
			pids.shadow = (await ia32('open', '/etc/shadow'))!.pid;
			writeFileSync(join(dir, 'backdoor'), '');
			pids.chmod = (await ia32('chmod', join(dir, 'backdoor'), '4755'))!.pid;
			pids.root = (await ia32('regain32', '65534'))!.pid;
			const s = await tcpServer('127.0.0.1', 1);
			const r = await run(nc, ['socketcall', '127.0.0.1', String(s.port)]);
			pids.nc = Number(/pid=(\d+)/.exec(r.stdout)?.[1]);
			await s.done;
		}, undefined, { settleMs: 400 });
		const hit = (rule: string, pid: number) => alerts.filter((a) => a.rule === rule && a.fields['proc.pid'] === pid);
		const shadow = hit('Read of a sensitive credential file', pids.shadow);
		assert.equal(shadow.length, 1, JSON.stringify(alerts.map((a) => a.output)));
		assert.equal(shadow[0].fields['fd.name'], '/etc/shadow');
		assert.equal(shadow[0].fields['evt.type'], 'open');
		const suid = hit('Setuid or setgid bit set on a file', pids.chmod);
		assert.equal(suid.length, 1, JSON.stringify(alerts.map((a) => a.output)));
		assert.equal(suid[0].fields['evt.type'], 'chmod');
		assert.equal(suid[0].fields['fd.name'], join(dir, 'backdoor'));
		const root = hit('Root gained by an unusual binary', pids.root);
		assert.equal(root.length, 1, JSON.stringify(alerts.map((a) => a.output)));
		assert.equal(root[0].fields['evt.type'], 'setuid');
		assert.equal(root[0].fields['priv.new_euid'], 0);
		const out = hit('Shell or netcat connects out', pids.nc);
		assert.equal(out.length, 1, JSON.stringify(alerts.map((a) => a.output)));
		assert.equal(out[0].fields['evt.type'], 'connect');
		assert.equal(out[0].fields['proc.name'], 'nc');
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});
