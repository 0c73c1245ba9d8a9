/** @module test/helpers/collect: run the real sensors around an action and keep the events it caused. */
import { spawn, type SpawnOptions } from 'node:child_process';
import { SensorRuntime } from '../../src/sensors/runtime.js';
import type { Sensor } from '../../src/sensors/sensor.js';
import type { SensorFilter } from '../../src/sensors/options.js';
import type { BgEvent } from '../../src/events/types.js';

/** Start sensors, run action, wait for the ring buffer to drain, stop; returns every event seen. */
export async function collect(
	sensors: readonly Sensor[],
	filter: SensorFilter,
	action: () => Promise<void>,
	settleMs = 150,
): Promise<{ events: BgEvent[]; kernel: Record<string, number>; user: Record<string, number> }> {
	const events: BgEvent[] = [];
	const rt = SensorRuntime.start(sensors, filter, (evs) => {
		for (const e of evs) events.push(e);
	});
	try {
		await action();
		await sleep(settleMs);
	} finally {
		await rt.stop();
	}
	return { events, kernel: rt.kernelStats(), user: { ...rt.user } };
}

export function sleep(ms: number): Promise<void> {
	return new Promise((r) => setTimeout(r, ms));
}

/** Spawn (argument array, no shell) and wait; resolves with pid and exit info. */
export function run(
	file: string,
	args: string[],
	opts: SpawnOptions = {},
): Promise<{ pid: number; code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
	return new Promise((resolve, reject) => {
		const c = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
		let stdout = '';
		let stderr = '';
		c.stdout?.on('data', (d) => (stdout += d));
		c.stderr?.on('data', (d) => (stderr += d));
		c.on('error', reject);
		c.on('close', (code, signal) => resolve({ pid: c.pid ?? -1, code, signal, stdout, stderr }));
	});
}
