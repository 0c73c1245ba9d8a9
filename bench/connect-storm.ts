/** @module bench/connect-storm: a loopback TCP connection storm with and without the net sensor; every connect must arrive or be counted lost. */
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { SensorRuntime } from '../src/sensors/runtime.js';
import { netSensor } from '../src/sensors/net.js';
import { repoPath } from '../src/util/paths.js';

const seconds = Number(process.argv[2] ?? 5);
const rounds = Number(process.argv[3] ?? 2);

/** One storm; returns its pid and completed connects per second. */
async function storm(): Promise<{ pid: number; connects: number; failed: number; accepted: number; rate: number }> {
	const p = spawn(repoPath('build/progs/connstorm'), [String(seconds)], { stdio: ['ignore', 'pipe', 'inherit'] });
	let out = '';
	p.stdout.on('data', (d) => (out += d));
	await new Promise((r) => p.on('close', r));
	const connects = Number(/connects=(\d+)/.exec(out)?.[1] ?? -1);
	const secs = Number(/seconds=([\d.]+)/.exec(out)?.[1] ?? seconds);
	const accepted = Number(/accepted=(\d+)/.exec(out)?.[1] ?? -1);
	const failed = Number(/failed=(\d+)/.exec(out)?.[1] ?? 0);
	return { pid: p.pid!, connects, failed, accepted, rate: Math.round(connects / secs) };
}

/** One storm under the sensor: events of the storm's pid by kind, and the counters. */
async function withSensor() {
	const seen = { connect: 0, accept: 0, close: 0, other: 0 }; // other: outcome records, none expected for blocking connects
	let pid = -1;
	const early: { pid: number; kind: string }[] = [];
	const rt = SensorRuntime.start([netSensor], {}, (evs) => {
		for (const e of evs) if (e.kind.startsWith('net_')) early.push({ pid: e.pid, kind: e.kind }); // consumed below
	});
	const cpu0 = process.cpuUsage();
	const s = await storm();
	pid = s.pid;
	await new Promise((r) => setTimeout(r, 500));
	await rt.stop();
	const cpu = process.cpuUsage(cpu0);
	for (const e of early) {
		if (e.pid !== pid) continue;
		if (e.kind === 'net_connect') seen.connect++;
		else if (e.kind === 'net_accept') seen.accept++;
		else if (e.kind === 'net_close') seen.close++;
		else if (e.kind === 'net_outcome') seen.other++;
	}
	const k = rt.kernelStats();
	return { ...s, seen, kernel: k, user: { ...rt.user }, agentCpuS: (cpu.user + cpu.system) / 1e6 };
}

const load = loadavg()[0];
const base: number[] = [];
const sensed: Awaited<ReturnType<typeof withSensor>>[] = [];
for (let i = 0; i < rounds; i++) {
	base.push((await storm()).rate); // interleaved: without, with
	sensed.push(await withSensor());
}
const last = sensed[sensed.length - 1];
const lost = sensed.reduce((a, r) => a + r.kernel.rb_full + r.kernel.no_scratch + r.user.oversize + r.user.unknownKind, 0);
const missing = sensed.reduce((a, r) => a + Math.abs(r.connects + r.failed - r.seen.connect) + Math.abs(r.accepted - r.seen.accept) + r.seen.other, 0);
const result = {
	bench: 'connect-storm',
	seconds,
	rounds,
	loadavg1: load,
	ratePerSWithout: base,
	ratePerSWith: sensed.map((r) => r.rate),
	ratio: +(sensed.reduce((a, r) => a + r.rate, 0) / base.reduce((a, b) => a + b, 0)).toFixed(3),
	connects: sensed.map((r) => r.connects),
	accepted: sensed.map((r) => r.accepted),
	events: sensed.map((r) => r.seen),
	missing,
	lost,
	kernel: last.kernel,
	agentCpuS: sensed.map((r) => +r.agentCpuS.toFixed(2)),
};
process.stdout.write(`${JSON.stringify(result)}\n`);
// Loss the kernel counted is reported, not a failure; only events neither seen nor counted are.
process.exitCode = Math.max(0, missing - lost) === 0 ? 0 : 1;
