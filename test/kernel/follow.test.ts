/**
 * @module test/kernel/follow.test: -p PID in every sensor: that process and its descendants,
 * decided in the kernel (descendants forked after start included), and nobody else.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { requireBpf } from '../helpers/bpf.js';
import { tcpServer } from '../helpers/tcpserver.js';
import { collect, run, sleep } from '../helpers/collect.js';
import { fileSensor } from '../../src/sensors/file.js';
import { netSensor } from '../../src/sensors/net.js';
import { privSensor } from '../../src/sensors/priv.js';
import { processSensor } from '../../src/sensors/process.js';
import { SensorRuntime } from '../../src/sensors/runtime.js';
import { u32, u8, type Sensor } from '../../src/sensors/sensor.js';
import { BgMapLimit } from '../../src/events/generated/layouts.js';
import type { BgEvent } from '../../src/events/types.js';
import { repoPath } from '../../src/util/paths.js';

const CLIENT = repoPath('build/progs/tcpclient');
const SETIDS = repoPath('build/progs/setids');

/**
 * A shell that waits for a line on stdin, then runs script; it prints NAME=PID for the
 * descendants it starts. go() resolves, after the run, with those pids; kill() ends a shell a
 * failed test never started.
 */
function followedShell(
	script: string,
	args: string[],
): { pid: number; go: () => Promise<Record<string, number>>; output: () => string; kill: () => void } {
	const sh = spawn('/bin/sh', ['-c', `read x; ${script}`, 'sh', ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
	let out = '';
	sh.stdout.on('data', (d) => (out += d));
	const done = new Promise((r) => sh.on('close', r));
	return {
		pid: sh.pid!,
		go: async () => {
			sh.stdin.write('go\n');
			await done;
			const pids: Record<string, number> = {};
			for (const m of out.matchAll(/(\w+)=(\d+)/g)) pids[m[1]] = Number(m[2]);
			return pids;
		},
		output: () => out,
		kill: () => {
			if (sh.exitCode === null && sh.signalCode === null) sh.kill('SIGKILL');
		},
	};
}

const of = (evs: BgEvent[], kind: BgEvent['kind'], pid: number) => evs.filter((e) => e.kind === kind && e.pid === pid);

test('file and net sensors, -p a shell: its child’s open and its grandchild’s connect are reported, the same from an unrelated process are not', async (t) => {
	if (!requireBpf(t, ['dispatch', 'file', 'net'])) return;
	const srv = await tcpServer('127.0.0.1', 2);
	// child: cat (open of a watched file); grandchild: tcpclient started by a second shell
	const sh = followedShell(
		'/bin/cat /etc/passwd >/dev/null & echo "cat=$!"; wait; ' +
			'/bin/sh -c \'"$0" 127.0.0.1 "$1" 1 >/dev/null & echo "client=$!"; wait\' "$1" "$2"',
		[CLIENT, String(srv.port)],
	);
	let pids: Record<string, number> = {};
	const other: Record<string, number> = {};
	const { events, kernel } = await collect([fileSensor, netSensor], { followPids: [sh.pid] }, async () => {
		other.cat = (await run('/bin/cat', ['/etc/passwd'])).pid;
		const c = await run(CLIENT, ['127.0.0.1', String(srv.port), '1']);
		assert.equal(c.stdout.trim(), 'ok=1');
		other.client = c.pid;
		pids = await sh.go();
		await srv.done;
	}, 300).finally(() => {
		sh.kill();
		srv.kill();
	});
	assert.ok(pids.cat > 0 && pids.client > 0, `descendant pids printed: ${JSON.stringify(pids)}`);
	const opens = of(events, 'open', pids.cat).filter((e) => e.kind === 'open' && e.name === '/etc/passwd');
	assert.equal(opens.length, 1, 'the followed shell’s child opened /etc/passwd: one event');
	const conns = of(events, 'net_connect', pids.client);
	assert.equal(conns.length, 1, 'the followed shell’s grandchild connected: one event');
	assert.equal(conns[0].kind === 'net_connect' && conns[0].dport, srv.port);
	assert.equal(of(events, 'net_close', pids.client).length, 1, 'its close too (the owner was tracked)');
	assert.equal(of(events, 'open', other.cat).length, 0, 'an unrelated cat of the same file: nothing');
	for (const k of ['net_connect', 'net_close'] as const) assert.equal(of(events, k, other.client).length, 0, `an unrelated client: no ${k}`);
	assert.equal(of(events, 'net_accept', srv.pid).length, 0, 'the server is not followed');
	assert.ok(events.every((e) => e.pid !== process.pid), 'the test runner is not followed');
	assert.ok(kernel.filtered > 0, 'the others were filtered in the kernel, and counted');
	assert.equal(kernel.follow_full, 0);
});

for (const sensors of [[privSensor], [processSensor, privSensor], [privSensor, processSensor]] as Sensor[][]) {
	const names = sensors.map((s) => s.name).join(' and ');
	test(`${names}, -p a shell: its child’s identity syscall is reported, an unrelated one is not`, async (t) => {
		if (!requireBpf(t, ['dispatch', ...sensors.map((s) => s.object)])) return;
		const sh = followedShell('"$1" gid:0 >/dev/null & echo "ids=$!"; wait', [SETIDS]);
		let pids: Record<string, number> = {};
		let other = 0;
		const { events, kernel } = await collect(sensors, { followPids: [sh.pid] }, async () => {
			other = (await run(SETIDS, ['gid:0'])).pid;
			pids = await sh.go();
		}).finally(() => sh.kill());
		assert.ok(pids.ids > 0, `descendant pid printed: ${JSON.stringify(pids)}`);
		const calls = of(events, 'priv_call', pids.ids);
		assert.equal(calls.length, 1, 'the followed shell’s child called setgid: one event');
		assert.equal(of(events, 'priv_call', other).length, 0, 'an unrelated setgid: nothing');
		assert.ok(events.every((e) => e.pid !== process.pid), 'the test runner is not followed');
		assert.ok(kernel.filtered > 0);
		if (sensors.includes(processSensor)) {
			assert.equal(of(events, 'fork', pids.ids).length, 1, 'process sensor: the child’s fork');
			assert.equal(of(events, 'exec', pids.ids).length, 1, 'process sensor: the child’s exec');
			assert.equal(of(events, 'exit', pids.ids).length, 1, 'process sensor: the child’s exit');
			assert.equal(of(events, 'exec', other).length, 0, 'process sensor: not the unrelated one');
		}
	});
}

test('every sensor shares one follow set and exactly one object adds a descendant: a fork into a full set is counted once', async (t) => {
	const sensors = [processSensor, privSensor, fileSensor, netSensor];
	if (!requireBpf(t, ['dispatch', ...sensors.map((s) => s.object)])) return;
	const sh = followedShell('/bin/true; echo done=1', []);
	let rt: SensorRuntime;
	try {
		rt = SensorRuntime.start(sensors, { followPids: [sh.pid] }, () => {});
	} catch (e) {
		sh.kill();
		throw e;
	}
	let pids: Record<string, number> = {};
	try {
		const probe = u32(0x8000_0000);
		rt.object('net').mapUpdate('bg_follow', probe, u8(1));
		for (const s of sensors) assert.ok(rt.object(s.name).mapLookup('bg_follow', probe), `${s.name} sees the entry another object wrote`);
		// fill the set with keys no process can have (above pid_max), so the shell's child cannot go in
		for (let i = 1; i < BgMapLimit.BG_FOLLOW_MAX; i++) {
			try {
				rt.object('file').mapUpdate('bg_follow', u32(0x8000_0000 + i), u8(1));
			} catch (e) {
				assert.equal((e as { code?: string }).code, 'E2BIG', 'only a full set refuses');
				break;
			}
		}
		pids = await sh.go();
		await sleep(50);
	} finally {
		sh.kill();
		await rt.stop();
	}
	assert.equal(pids.done, 1, 'the shell ran its child');
	assert.equal(rt.kernelStats().follow_full, 1, 'one object tried to add the child (one per sensor would count 4)');
});

for (const sensors of [[processSensor], [fileSensor, netSensor], [netSensor, privSensor]] as Sensor[][]) {
	test(`-p with ${sensors.map((s) => s.name).join(' and ')}: a descendant is in the set while it lives and leaves it once reaped`, async (t) => {
		if (!requireBpf(t, ['dispatch', ...sensors.map((s) => s.object)])) return;
		const sh = followedShell('/bin/sleep 1 & echo "child=$!"; wait', []);
		let rt: SensorRuntime;
		try {
			rt = SensorRuntime.start(sensors, { followPids: [sh.pid] }, () => {});
		} catch (e) {
			sh.kill();
			throw e;
		}
		const inSet = (pid: number) => rt.object(sensors[0].name).mapLookup('bg_follow', u32(pid)) !== null;
		try {
			assert.ok(inSet(sh.pid), 'the -p PID is in the set');
			const go = sh.go();
			await sleep(500); // the child sleeps 1 s
			const child = Number(/child=(\d+)/.exec(sh.output())?.[1]);
			assert.ok(child > 0, `the child's pid: ${sh.output()}`);
			assert.ok(inSet(child), 'the child is in the set while it lives');
			await go;
			// The free runs after an RCU grace period, which a loaded machine can stretch: wait up to 5 s.
			for (let i = 0; i < 50 && (inSet(child) || inSet(sh.pid)); i++) await sleep(100);
			assert.equal(inSet(child), false, 'the reaped child left the set');
			assert.equal(inSet(sh.pid), false, 'the shell, reaped too, left it');
		} finally {
			sh.kill();
			await rt.stop();
		}
	});
}
