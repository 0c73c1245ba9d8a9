/**
 * @module test/kernel/io-uring.test: io_uring requests on the real kernel (test/progs/uring: raw
 * io_uring_setup/io_uring_enter, no liburing). An IORING_OP_OPENAT of a watched file and an
 * IORING_OP_CONNECT are reported like their syscalls (same path, same destination, same rules),
 * with evt.io_uring = true; the default rules alert on them and an open kill rule kills.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { requireBpf } from '../helpers/bpf.js';
import { collect, run, sleep } from '../helpers/collect.js';
import { SensorRuntime } from '../../src/sensors/runtime.js';
import { withMonitor } from '../helpers/monitor.js';
import { createServer } from 'node:net';
import { createSocket } from 'node:dgram';
import { fileSensor } from '../../src/sensors/file.js';
import { netSensor } from '../../src/sensors/net.js';
import { EvalCtx } from '../../src/rules/context.js';
import { eventJson } from '../../src/rules/fields/json.js';
import type { BgEvent, FileChangeEvent, NetEvent, OpenEvent } from '../../src/events/types.js';
import { repoPath } from '../../src/util/paths.js';

const URING = repoPath('build/progs/uring');
const CTX = new EvalCtx();
const json = (e: BgEvent) => eventJson(CTX.set(e));

test('io_uring: an IORING_OP_OPENAT of /etc/shadow, an IORING_OP_CONNECT and an IORING_OP_ACCEPT are reported as openat, connect and accept, with evt.io_uring', async (t) => {
	if (!requireBpf(t, ['dispatch', 'file', 'net'])) return;
	const server = createServer((c) => c.on('error', () => {}));
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	const srv = { port: (server.address() as { port: number }).port };
	let open = { pid: 0, stdout: '' };
	let conn = { pid: 0, stdout: '' };
	let wrk = { pid: 0, stdout: '' };
	let acc = { pid: 0, stdout: '' };
	try {
		const { events } = await collect([fileSensor, netSensor], {}, async () => {
			open = await run(URING, ['open', '/etc/shadow']);
			conn = await run(URING, ['connect', String(srv.port)]);
			wrk = await run(URING, ['open-async', '/etc/shadow']);
			acc = await run(URING, ['accept', '-']);
		});
		const [fd, read] = open.stdout.trim().split(' ').map(Number);
		assert.ok(fd >= 3 && read === 1, open.stdout);
		const opens = events.filter((e): e is OpenEvent => e.kind === 'open' && e.pid === open.pid && e.name === '/etc/shadow');
		assert.equal(opens.length, 1, 'one open record for the request');
		const j = json(opens[0]);
		assert.deepEqual([j['evt.type'], j['evt.rawres'], j['fd.name'], j['fd.name_source'], j['evt.io_uring'], j['proc.name'], j['evt.arg.flags']], ['openat', fd, '/etc/shadow', 'file', true, 'uring', 'O_RDONLY|O_LARGEFILE']);
		const [res] = conn.stdout.trim().split(' ').map(Number);
		assert.equal(res, 0, conn.stdout);
		const conns = events.filter((e): e is NetEvent => e.kind === 'net_connect' && e.pid === conn.pid);
		assert.equal(conns.length, 1, 'one connect record for the request');
		const c = json(conns[0]);
		assert.deepEqual([c['evt.type'], c['evt.res'], c['fd.dip'], c['fd.dport'], c['net.state'], c['evt.io_uring'], c['proc.name']], ['connect', 'SUCCESS', '127.0.0.1', srv.port, 'established', true, 'uring']);
		const [afd, , lport] = acc.stdout.trim().split(' ').map(Number);
		assert.ok(afd >= 3, acc.stdout);
		const accs = events.filter((e): e is NetEvent => e.kind === 'net_accept' && e.pid === acc.pid);
		assert.equal(accs.length, 1, 'one accept record for the request');
		const ac = json(accs[0]);
		assert.deepEqual([ac['evt.type'], ac['evt.rawres'], ac['fd.num'], ac['fd.sport'], ac['evt.dir'], ac['evt.io_uring'], ac['proc.name']], ['accept', afd, afd, lport, 'in', true, 'uring']);
		// IOSQE_ASYNC: an io-wq worker thread (iou-wrk-N) opens; the record still names the process
		const w = events.filter((e): e is OpenEvent => e.kind === 'open' && e.pid === wrk.pid && e.name === '/etc/shadow');
		assert.equal(w.length, 1, `one open record for the worker's request: ${wrk.stdout}`);
		assert.deepEqual([json(w[0])['proc.name'], json(w[0])['evt.io_uring']], ['uring', true]);
		// a syscall's records say false
		const plain = events.find((e): e is OpenEvent => e.kind === 'open' && e.pid !== open.pid && e.pid !== wrk.pid);
		if (plain) assert.equal(json(plain)['evt.io_uring'], false);
	} finally {
		server.close();
	}
});

test('io_uring: the default rules alert on an io_uring read of /etc/shadow; an open kill rule kills the submitter', async (t) => {
	if (!requireBpf(t, ['dispatch', 'process', 'file'])) return;
	let r = { pid: 0, stdout: '' };
	const { alerts } = await withMonitor(async () => void (r = await run(URING, ['open', '/etc/shadow'])), [repoPath('rules')], { settleMs: 300 });
	const a = alerts.find((x) => x.rule === 'Read of a sensitive credential file' && x.fields['proc.pid'] === r.pid);
	assert.ok(a, `alerts: ${alerts.map((x) => x.rule)}`);
	assert.equal(a.fields['fd.name'], '/etc/shadow');

	const dir = mkdtempSync(join(tmpdir(), 'bg-uring-'));
	try {
		const rules = join(dir, 'r.yaml');
		writeFileSync(rules, '- rule: no shadow\n  desc: t\n  condition: evt.type in (open, openat, openat2) and fd.name = /etc/shadow and proc.name = uring\n  output: "%proc.name read %fd.name"\n  priority: critical\n  action: kill\n');
		let k = { signal: null as NodeJS.Signals | null, stdout: '' };
		const { alerts: killed } = await withMonitor(async () => void (k = await run(URING, ['open', '/etc/shadow'])), [rules], { settleMs: 300, monitor: { enforce: true } });
		assert.equal(k.signal, 'SIGKILL', `the submitter died: ${JSON.stringify(k)}`);
		assert.equal(k.stdout, '', 'it printed nothing: killed before the completion reached it');
		const b = killed.find((x) => x.rule === 'no shadow');
		assert.deepEqual([b?.block?.how, b?.block?.outcome], ['kernel', 'killed']);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});

test('io_uring: a deny rule refuses an IORING_OP_CONNECT with EPERM (the cgroup connect hook runs for it)', async (t) => {
	if (!requireBpf(t, ['dispatch', 'process', 'net'])) return;
	const dir = mkdtempSync(join(tmpdir(), 'bg-uring-'));
	try {
		const rules = join(dir, 'r.yaml');
		writeFileSync(rules, '- rule: discard port\n  desc: t\n  condition: evt.type = connect and fd.dport = 9\n  output: "%proc.name to %fd.dport"\n  priority: critical\n  action: deny\n');
		let r = { pid: 0, stdout: '' };
		const { alerts } = await withMonitor(async () => void (r = await run(URING, ['connect', '9'])), [rules], { settleMs: 300, monitor: { enforce: true } });
		assert.equal(r.stdout.trim().split(' ')[0], '-1', `the completion's res is -EPERM: ${r.stdout}`);
		const a = alerts.find((x) => x.rule === 'discard port' && x.fields['proc.pid'] === r.pid);
		assert.deepEqual([a?.block?.outcome, a?.block?.how], ['denied', 'kernel']);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});

/*
 * Issue #14: the file-change requests (RENAMEAT, LINKAT, SYMLINKAT, MKDIRAT, UNLINKAT), an open
 * into a fixed-file slot and requests with IOSQE_CQE_SKIP_SUCCESS (no completion on success, so
 * nothing at io_uring_complete) are built at their submission; all of them gave no record before.
 */
test('io_uring: file changes, an open into a fixed-file slot and requests without a completion are reported as their syscalls, filtered by the watch set', async (t) => {
	if (!requireBpf(t, ['dispatch', 'file'])) return;
	const dir = realpathSync(mkdtempSync(join(tmpdir(), 'bg-uring-w-'))); // the kernel names real paths
	const plain = realpathSync(mkdtempSync(join(tmpdir(), 'bg-uring-p-')));
	const p: Record<string, { pid: number; stdout: string }> = {};
	const u = async (k: string, args: string[]) => {
		p[k] = await run(URING, args);
		if (!k.endsWith('open')) assert.equal(p[k].stdout.trim(), '0', `${k}: ${JSON.stringify(p[k])}`);
	};
	const watch = { paths: [{ path: `${dir}/` }, { path: '/etc/shadow', exact: true }], names: [] };
	let inflight = -1n;
	try {
		writeFileSync(join(dir, 'a'), 'x');
		writeFileSync(join(plain, 'a'), 'x');
		const events: BgEvent[] = [];
		const rt = SensorRuntime.start([fileSensor], { file: { watch } }, (evs) => events.push(...evs));
		try {
			await u('rename', ['-d', dir, 'rename', 'a', 'b']); // relative to a dirfd
			await u('link', ['link', join(dir, 'b'), join(dir, 'c')]);
			await u('symlink', ['symlink', '/etc/passwd', join(dir, 's')]);
			await u('mkdir', ['mkdir', join(dir, 'd')]);
			await u('unlink', ['unlink', join(dir, 'c')]);
			await u('skip-rename', ['-s', 'rename', join(dir, 'b'), join(dir, 'e')]);
			await u('plain', ['rename', join(plain, 'a'), join(plain, 'b')]); // not watched
			await u('slot-open', ['slot-open', '/etc/shadow']);
			await u('skip-open', ['-s', 'open', '/etc/shadow']);
			await sleep(200);
			inflight = rt.object('file').mapLookup('bg_watch_gen', Buffer.from([2, 0, 0, 0]))!.readBigInt64LE(0);
		} finally {
			await rt.stop();
		}
		const of = (k: string) => events.filter((e) => (e.kind === 'file_change' || e.kind === 'open') && e.pid === p[k].pid && (e as FileChangeEvent).name !== '/etc/ld.so.cache').map(json);
		const row = (k: string, fields: string[]) => {
			const rs = of(k);
			assert.equal(rs.length, 1, `${k}: one record: ${JSON.stringify(rs)}`);
			return fields.map((f) => rs[0][f]);
		};
		const F = ['evt.type', 'fd.name', 'evt.rawres', 'evt.io_uring', 'evt.io_uring.at_submit', 'proc.name'];
		// named by the kernel's dentries (the ctime tracepoints, in the io-wq worker that ran it)
		assert.deepEqual(row('rename', [...F, 'evt.arg.newpath', 'fd.name_source', 'fd.name_raw']), ['renameat2', join(dir, 'a'), 0, true, false, 'uring', join(dir, 'b'), 'kernel', 'a']);
		assert.deepEqual(row('link', [...F, 'evt.arg.newpath']), ['linkat', join(dir, 'b'), 0, true, false, 'uring', join(dir, 'c')]);
		assert.deepEqual(row('symlink', [...F, 'evt.arg.target']), ['symlinkat', join(dir, 's'), 0, true, false, 'uring', '/etc/passwd']);
		assert.deepEqual(row('mkdir', [...F, 'evt.arg.mode']), ['mkdirat', join(dir, 'd'), 0, true, false, 'uring', '0755']);
		assert.deepEqual(row('unlink', F), ['unlinkat', join(dir, 'c'), 0, true, false, 'uring']);
		// no completion: sent at submission, named from its text
		assert.deepEqual(row('skip-rename', [...F, 'evt.arg.newpath', 'fd.name_source']), ['renameat2', join(dir, 'b'), 0, true, true, 'uring', join(dir, 'e'), 'arg']);
		assert.deepEqual(of('plain'), [], 'a rename outside the watch set dies in the kernel');
		assert.equal(p['slot-open'].stdout.trim(), '0', 'opened into the slot');
		assert.deepEqual(row('slot-open', [...F, 'fd.name_source']), ['openat', '/etc/shadow', 0, true, false, 'uring', 'arg']);
		const fd = Number(p['skip-open'].stdout.trim().split(' ')[0]);
		assert.ok(fd >= 3 && p['skip-open'].stdout.trim().endsWith(' 1'), `the skipped open opened fd ${fd} and read a byte: ${p['skip-open'].stdout}`);
		assert.deepEqual(row('skip-open', F), ['openat', '/etc/shadow', 0, true, true, 'uring']);
		assert.equal(inflight, 0n, 'no rename or link left in flight: cached open verdicts are used again');
	} finally {
		rmSync(dir, { recursive: true, force: true });
		rmSync(plain, { recursive: true, force: true });
	}
});

test('io_uring: changes through a symlinked directory are named by the dentries the io-wq worker changed, so the watch set sees the real paths', async (t) => {
	if (!requireBpf(t, ['dispatch', 'file'])) return;
	const dir = realpathSync(mkdtempSync(join(tmpdir(), 'bg-uring-sw-')));
	const plain = realpathSync(mkdtempSync(join(tmpdir(), 'bg-uring-sp-')));
	const real = join(dir, 'real');
	const e = join(plain, 'e'); // -> real: its paths name nothing watched
	const p: Record<string, { pid: number; stdout: string }> = {};
	const u = async (k: string, args: string[]) => {
		p[k] = await run(URING, args);
		assert.equal(p[k].stdout.trim(), '0', `${k}: ${JSON.stringify(p[k])}`);
	};
	try {
		mkdirSync(real);
		symlinkSync(real, e);
		writeFileSync(join(plain, 'a'), 'x');
		writeFileSync(join(real, 'y'), 'y');
		const { events } = await collect([fileSensor], { file: { watch: { paths: [{ path: `${real}/` }], names: [] } } }, async () => {
			await u('rename', ['rename', join(plain, 'a'), join(e, 'x')]);
			await u('link', ['link', join(e, 'y'), join(e, 'z')]);
			await u('symlink', ['symlink', '/etc/passwd', join(e, 's')]);
			await u('mkdir', ['mkdir', join(e, 'd')]);
			await u('unlink', ['-d', plain, 'unlink', 'e/x']); // relative to a dirfd, through the link
			await u('dotdot', ['unlink', `${e}/d/../z`]); // '..' after the symlink: real/z
		});
		const F = ['evt.type', 'fd.name', 'fd.name_source', 'evt.rawres', 'evt.io_uring', 'proc.name'];
		const row = (k: string, more: string[] = []) => {
			const rs = events.filter((x) => x.kind === 'file_change' && x.pid === p[k].pid).map(json);
			assert.equal(rs.length, 1, `${k}: one record: ${JSON.stringify(rs)}`);
			return [...F, ...more].map((f) => rs[0][f]);
		};
		assert.deepEqual(row('rename', ['evt.arg.newpath']), ['renameat2', join(plain, 'a'), 'kernel', 0, true, 'uring', join(real, 'x')]);
		assert.deepEqual(row('link', ['evt.arg.newpath']), ['linkat', join(real, 'y'), 'kernel', 0, true, 'uring', join(real, 'z')]);
		assert.deepEqual(row('symlink', ['evt.arg.target']), ['symlinkat', join(real, 's'), 'kernel', 0, true, 'uring', '/etc/passwd']);
		assert.deepEqual(row('mkdir'), ['mkdirat', join(real, 'd'), 'kernel', 0, true, 'uring']);
		assert.deepEqual(row('unlink'), ['unlinkat', join(real, 'x'), 'kernel', 0, true, 'uring']);
		assert.deepEqual(row('dotdot'), ['unlinkat', join(real, 'z'), 'kernel', 0, true, 'uring']);
	} finally {
		rmSync(dir, { recursive: true, force: true });
		rmSync(plain, { recursive: true, force: true });
	}
});

test('io_uring: the default rules alert on a rename into /etc/cron.d (also through a symlinked directory) and on a read of /etc/shadow that asked for no completion', async (t) => {
	if (!requireBpf(t, ['dispatch', 'process', 'file'])) return;
	const src = mkdtempSync(join(tmpdir(), 'bg-uring-c-'));
	const dst = `/etc/cron.d/bpfguard-test.uring${process.pid}`; // cron ignores names with a '.'
	writeFileSync(join(src, 'job'), '# inert\n');
	const dst2 = `/etc/cron.d/bpfguard-test.uringsym${process.pid}`;
	writeFileSync(join(src, 'job2'), '# inert\n');
	symlinkSync('/etc', join(src, 'e'));
	let mv = { pid: 0, stdout: '' };
	let mv2 = { pid: 0, stdout: '' };
	let rd = { pid: 0, stdout: '' };
	try {
		const { alerts } = await withMonitor(async () => {
			mv = await run(URING, ['rename', join(src, 'job'), dst]);
			mv2 = await run(URING, ['rename', join(src, 'job2'), join(src, 'e', 'cron.d', basename(dst2))]);
			rd = await run(URING, ['-s', 'open', '/etc/shadow']);
		}, [repoPath('rules')], { settleMs: 300 });
		assert.equal(mv.stdout.trim(), '0');
		const cron = alerts.find((x) => x.rule === 'Cron job changed' && x.fields['proc.pid'] === mv.pid);
		assert.ok(cron, `alerts: ${alerts.map((x) => `${x.rule} ${x.fields['proc.pid']}`)}`);
		assert.deepEqual([cron.fields['evt.type'], cron.fields['evt.arg.newpath'], cron.fields['proc.name']], ['renameat2', dst, 'uring']);
		// through a symlinked directory (<tmp>/e -> /etc): the real new path
		assert.equal(mv2.stdout.trim(), '0');
		const cron2 = alerts.find((x) => x.rule === 'Cron job changed' && x.fields['proc.pid'] === mv2.pid);
		assert.ok(cron2, `alerts: ${alerts.map((x) => `${x.rule} ${x.fields['proc.pid']}`)}`);
		assert.deepEqual([cron2.fields['evt.type'], cron2.fields['evt.arg.newpath'], cron2.fields['proc.name']], ['renameat2', dst2, 'uring']);
		const shadow = alerts.find((x) => x.rule === 'Read of a sensitive credential file' && x.fields['proc.pid'] === rd.pid);
		assert.ok(shadow, `alerts: ${alerts.map((x) => `${x.rule} ${x.fields['proc.pid']}`)}`);
		assert.deepEqual([shadow.fields['fd.name'], shadow.fields['proc.name']], ['/etc/shadow', 'uring']);
	} finally {
		rmSync(src, { recursive: true, force: true });
		rmSync(dst, { force: true });
		rmSync(dst2, { force: true });
	}
});

test('io_uring: IORING_OP_SEND and IORING_OP_SENDMSG from an unconnected UDP socket are send records with the destination, as sendto/sendmsg', async (t) => {
	if (!requireBpf(t, ['dispatch', 'net'])) return;
	const rx = createSocket('udp4');
	await new Promise<void>((r) => rx.bind(0, '127.0.0.1', r));
	const port = rx.address().port;
	const got: string[] = [];
	rx.on('message', (m) => got.push(m.toString()));
	const p: Record<string, { pid: number; stdout: string }> = {};
	try {
		const { events } = await collect([netSensor], {}, async () => {
			p.send = await run(URING, ['send', String(port)]);
			p.sendmsg = await run(URING, ['sendmsg', String(port)]);
		});
		assert.deepEqual([p.send.stdout.trim(), p.sendmsg.stdout.trim(), got], ['4', '4', ['ping', 'ping']], 'both datagrams arrived');
		for (const k of ['send', 'sendmsg']) {
			const rs = events.filter((e): e is NetEvent => e.kind === 'net_send' && e.pid === p[k].pid).map(json);
			assert.equal(rs.length, 1, `${k}: one send record: ${JSON.stringify(rs)}`);
			const F = ['evt.type', 'evt.rawres', 'fd.l4proto', 'fd.dip', 'fd.dport', 'evt.io_uring', 'proc.name'];
			assert.deepEqual(F.map((f) => rs[0][f]), ['sendto', 4, 'udp', '127.0.0.1', port, true, 'uring'], k);
		}
	} finally {
		rx.close();
	}
});

test('io_uring: sends without a completion (IOSQE_CQE_SKIP_SUCCESS) are send records at their submission, with the destination the kernel copied; a Fast Open send without one is a connect at its outcome, a refused connect without one is one record; sends, connects and accepts through fixed files are reported', async (t) => {
	if (!requireBpf(t, ['dispatch', 'net'])) return;
	const rx = createSocket('udp4');
	await new Promise<void>((r) => rx.bind(0, '127.0.0.1', r));
	const port = rx.address().port;
	const server = createServer((c) => c.on('error', () => {}));
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	const tport = (server.address() as { port: number }).port;
	const gone = createServer();
	await new Promise<void>((r) => gone.listen(0, '127.0.0.1', r));
	const closed = (gone.address() as { port: number }).port;
	await new Promise((r) => gone.close(r));
	const got: string[] = [];
	rx.on('message', (m) => got.push(m.toString()));
	const SENDS: Record<string, string[]> = {
		'skip-send': ['-s', 'send'],
		'skip-sendmsg': ['-s', 'sendmsg'],
		'skip-fixed-sendmsg': ['-s', '-f', 'sendmsg'],
		'fixed-send': ['-f', 'send'],
	};
	const p: Record<string, { pid: number; stdout: string }> = {};
	try {
		const { events } = await collect([netSensor], {}, async () => {
			for (const [k, a] of Object.entries(SENDS)) p[k] = await run(URING, [...a, String(port)]);
			p.conn = await run(URING, ['-s', '-f', 'connect', String(tport)]);
			p.tfo = await run(URING, ['-s', 'tfo', String(tport)]);
			p.refused = await run(URING, ['-s', 'connect', String(closed)]);
			p.acc = await run(URING, ['accept-slot', '-']);
			await sleep(300);
		});
		assert.deepEqual(Object.keys(SENDS).map((k) => p[k].stdout.trim()), ['0', '0', '0', '4'], 'no completion (0) for the skipped ones; 4 bytes for the other');
		assert.deepEqual(got, ['ping', 'ping', 'ping', 'ping'], 'every datagram arrived');
		const F = ['evt.type', 'evt.rawres', 'fd.l4proto', 'fd.dip', 'fd.dport', 'fd.num', 'evt.io_uring', 'evt.io_uring.at_submit', 'proc.name'];
		for (const k of Object.keys(SENDS)) {
			const rs = events.filter((e): e is NetEvent => e.kind === 'net_send' && e.pid === p[k].pid).map(json);
			assert.equal(rs.length, 1, `${k}: one send record: ${JSON.stringify(rs)}`);
			const at = k.startsWith('skip');
			assert.deepEqual(F.map((f) => rs[0][f]), ['sendto', at ? 0 : 4, 'udp', '127.0.0.1', port, -1, true, at, 'uring'], k);
		}
		// a connect on a fixed file without a completion: its connect record at the outcome
		const cn = events.filter((e): e is NetEvent => e.pid === p.conn.pid && (e.kind === 'net_connect' || e.kind === 'net_outcome'));
		assert.equal(p.conn.stdout.trim(), '0', p.conn.stdout);
		assert.equal(cn.length, 1, `one record of the fixed-file connect: ${JSON.stringify(cn.map((e) => e.kind))}`);
		const c = json(cn[0]);
		assert.deepEqual([c['evt.type'], c['evt.res'], c['fd.dip'], c['fd.dport'], c['evt.io_uring']], ['connect', 'SUCCESS', '127.0.0.1', tport, true]);
		// a TCP Fast Open send without a completion: a connect, reported at its outcome
		const tf = events.filter((e): e is NetEvent => e.pid === p.tfo.pid && (e.kind === 'net_connect' || e.kind === 'net_outcome'));
		// without a cookie the kernel sends a plain SYN and the request fails with EINPROGRESS (so it completes)
		assert.ok(['0', '-115'].includes(p.tfo.stdout.trim()), p.tfo.stdout);
		assert.equal(tf.length, 1, `one record of the Fast Open send: ${JSON.stringify(tf.map((e) => e.kind))}`);
		const tj = json(tf[0]);
		assert.deepEqual([tj['evt.type'], tj['evt.res'], tj['fd.dip'], tj['fd.dport'], tj['fd.num'], tj['evt.io_uring']], ['connect', 'SUCCESS', '127.0.0.1', tport, -1, true]);
		// IOSQE_CQE_SKIP_SUCCESS skips successes only: a refused connect completes after all, and
		// its outcome, already reported as its connect record, is not reported twice
		const rf = events.filter((e): e is NetEvent => e.pid === p.refused.pid && (e.kind === 'net_connect' || e.kind === 'net_outcome'));
		assert.equal(p.refused.stdout.trim(), '-111', p.refused.stdout);
		assert.deepEqual(rf.map((e) => [json(e)['evt.type'], json(e)['evt.res'], json(e)['net.state']]), [['connect', 'ECONNREFUSED', 'refused']]);
		// an accept into a fixed-file slot (no fd): the accepted socket read from the ring's table
		const [slot, , lport] = p.acc.stdout.trim().split(' ').map(Number);
		assert.equal(slot, 0, `the first free slot: ${p.acc.stdout}`);
		const accs = events.filter((e): e is NetEvent => e.kind === 'net_accept' && e.pid === p.acc.pid).map(json);
		assert.equal(accs.length, 1, `one accept record: ${JSON.stringify(accs)}`);
		assert.deepEqual(['evt.type', 'evt.rawres', 'fd.num', 'fd.sport', 'fd.dip', 'evt.dir', 'evt.io_uring'].map((f) => accs[0][f]), ['accept', 0, -1, lport, '127.0.0.1', 'in', true]);
	} finally {
		rx.close();
		server.close();
	}
});

test('io_uring: an IORING_OP_CONNECT is tracked to its close; one without a completion (IOSQE_CQE_SKIP_SUCCESS) gives a connect record at its outcome, and its close', async (t) => {
	if (!requireBpf(t, ['dispatch', 'net'])) return;
	const server = createServer((c) => c.on('error', () => {}));
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	const port = (server.address() as { port: number }).port;
	let conn = { pid: 0, stdout: '' };
	let skip = { pid: 0, stdout: '' };
	try {
		const { events } = await collect([netSensor], {}, async () => {
			conn = await run(URING, ['connect', String(port)]);
			skip = await run(URING, ['-s', 'connect', String(port)]);
			await sleep(300);
		});
		assert.equal(conn.stdout.trim().split(' ')[0], '0', conn.stdout);
		assert.equal(skip.stdout.trim(), '0', skip.stdout);
		const of = (pid: number) => events.filter((e): e is NetEvent => e.pid === pid && e.kind.startsWith('net_') && (e as NetEvent).dport === port);
		const c = of(conn.pid);
		const cn = c.find((e) => e.kind === 'net_connect');
		const cl = c.find((e) => e.kind === 'net_close');
		assert.ok(cn && cl, `a connect and its close: ${JSON.stringify(c.map((e) => e.kind))}`);
		assert.ok(cn.connId > 0n && cl.connId === cn.connId, 'the close carries the connect\'s conn_id');
		assert.equal(json(cn)['evt.io_uring'], true);
		const s = of(skip.pid);
		// no completion, no exit: its outcome is its connect record, so rules on evt.type = connect see it
		const out = s.filter((e) => e.kind === 'net_connect' || e.kind === 'net_outcome');
		assert.equal(out.length, 1, `one record of the connect that asked for no completion: ${JSON.stringify(s.map((e) => e.kind))}`);
		const j = json(out[0]);
		assert.deepEqual([j['evt.type'], j['evt.res'], j['net.state'], j['fd.dip'], j['fd.num'], j['evt.io_uring'], j['proc.name']], ['connect', 'SUCCESS', 'established', '127.0.0.1', -1, true, 'uring']);
		assert.ok(out[0].connId > 0n && s.some((e) => e.kind === 'net_close' && e.connId === out[0].connId), 'and its close');
	} finally {
		server.close();
	}
});

test('io_uring: an open submitted into a full completion queue (filled with NOPs on purpose) is reported at its submission; the overflow is counted', async (t) => {
	if (!requireBpf(t, ['dispatch', 'file'])) return;
	let r = { pid: 0, stdout: '' };
	const { events, kernel } = await collect([fileSensor], {}, async () => void (r = await run(URING, ['-o', 'open', '/etc/shadow'])));
	const [fd, read] = r.stdout.trim().split(' ').map(Number);
	assert.ok(fd >= 3 && read === 1, `the open succeeded and was read: ${r.stdout}`);
	// its completion went aside (no io_uring_complete): counted, never silently lost
	assert.ok((kernel.uring_cq_overflow ?? 0) >= 1, `overflowed completions counted: ${JSON.stringify(kernel)}`);
	const opens = events.filter((e): e is OpenEvent => e.kind === 'open' && e.pid === r.pid && e.name === '/etc/shadow').map(json);
	assert.equal(opens.length, 1, 'the open is reported once, at its submission');
	assert.deepEqual(['evt.type', 'evt.io_uring', 'evt.io_uring.at_submit', 'proc.name'].map((f) => opens[0][f]), ['openat', true, true, 'uring']);
});
