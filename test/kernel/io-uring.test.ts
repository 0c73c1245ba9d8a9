/**
 * @module test/kernel/io-uring.test: io_uring requests on the real kernel (test/progs/uring: raw
 * io_uring_setup/io_uring_enter, no liburing). An IORING_OP_OPENAT of a watched file and an
 * IORING_OP_CONNECT are reported like their syscalls (same path, same destination, same rules),
 * with evt.io_uring = true; the default rules alert on them and an open kill rule kills.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireBpf } from '../helpers/bpf.js';
import { collect, run } from '../helpers/collect.js';
import { withMonitor } from '../helpers/monitor.js';
import { createServer } from 'node:net';
import { fileSensor } from '../../src/sensors/file.js';
import { netSensor } from '../../src/sensors/net.js';
import { EvalCtx } from '../../src/rules/context.js';
import { eventJson } from '../../src/rules/fields/json.js';
import type { BgEvent, NetEvent, OpenEvent } from '../../src/events/types.js';
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
