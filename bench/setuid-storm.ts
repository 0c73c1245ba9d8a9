/** @module bench/setuid-storm: setuid(0) and read storms with the priv sensor vs without; every setuid must arrive or be counted lost. */
import { spawn } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { SensorRuntime } from '../src/sensors/runtime.js';
import { privSensor } from '../src/sensors/priv.js';
import type { Sensor } from '../src/sensors/sensor.js';
import { repoPath } from '../src/util/paths.js';

const seconds = Number(process.argv[2] ?? 2);
const workers = Number(process.argv[3] ?? 1);
const rounds = Number(process.argv[4] ?? 3);
/** The sensor without its optional cheap check at common syscalls (to price that check). */
const noCheck: Sensor = { ...privSensor, syscalls: privSensor.syscalls!.filter((h) => !h.optional) };

async function storm(mode: string): Promise<{ calls: number; pid: number }> {
	const c = spawn(repoPath('build/progs/setuidstorm'), [mode, String(seconds), String(workers)], { stdio: ['ignore', 'pipe', 'inherit'] });
	let out = '';
	c.stdout.on('data', (d) => (out += d));
	await new Promise((r) => c.on('close', r));
	return { calls: Number(/calls=(\d+)/.exec(out)?.[1] ?? -1), pid: c.pid ?? -1 };
}

/** One measurement: calls/s, and with a sensor the setuid events seen from the storm's workers and the kernel losses. */
async function measure(mode: string, sensor?: Sensor) {
	let seen = 0;
	const rt = sensor
		? SensorRuntime.start([sensor], {}, (evs) => {
				for (const e of evs) if (e.kind === 'priv_call' && e.comm === 'setuidstorm' && e.syscall === 'setuid') seen++;
			})
		: undefined;
	const { calls } = await storm(mode);
	if (rt) {
		await new Promise((r) => setTimeout(r, 300));
		await rt.stop();
	}
	const k = rt?.kernelStats();
	return { rate: calls / seconds, calls, seen, lost: k ? k.rb_full + k.no_scratch : 0, drift: k?.priv_drift ?? 0 };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const res: Record<string, { rate: number; calls: number; seen: number; lost: number; drift: number }[]> = {};
const cases: [string, string, Sensor | undefined][] = [
	['setuid_off', 'setuid', undefined],
	['setuid_on', 'setuid', privSensor],
	['read_off', 'read', undefined],
	['read_nocheck', 'read', noCheck],
	['read_check', 'read', privSensor],
];
const load0 = loadavg()[0];
for (let r = 0; r < rounds; r++) for (const [name, mode, s] of cases) (res[name] ??= []).push(await measure(mode, s)); // interleaved
const rate = (n: string) => Math.round(median(res[n].map((x) => x.rate)));
const on = res.setuid_on;
const setuidCalls = on.reduce((a, x) => a + x.calls, 0);
const setuidEventsSeen = on.reduce((a, x) => a + x.seen, 0);
const kernelLost = on.reduce((a, x) => a + x.lost, 0);
const result = {
	bench: 'setuid-storm',
	seconds,
	workers,
	rounds,
	cpus: cpus().length,
	loadavgBefore: load0,
	setuidPerSOff: rate('setuid_off'),
	setuidPerSOn: rate('setuid_on'),
	setuidRatio: +(rate('setuid_on') / rate('setuid_off')).toFixed(3),
	setuidCalls,
	setuidEventsSeen,
	kernelLost,
	/** setuid calls neither delivered nor counted lost: must be 0. */
	missing: setuidCalls - setuidEventsSeen - kernelLost,
	readPerSOff: rate('read_off'),
	readPerSNoCheck: rate('read_nocheck'),
	readPerSCheck: rate('read_check'),
	readRatioCheck: +(rate('read_check') / rate('read_off')).toFixed(3),
	readRatioNoCheck: +(rate('read_nocheck') / rate('read_off')).toFixed(3),
	driftReported: Object.values(res).flat().reduce((a, x) => a + x.drift, 0),
};
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exitCode = result.missing === 0 ? 0 : 1;
