/** @module cli/run: the shared life cycle of a tracing command: start sensors, run, stop cleanly, report counters. */
import { InvalidArgumentError } from 'commander';
import { SensorRuntime } from '../sensors/runtime.js';
import type { Sensor } from '../sensors/sensor.js';
import type { SensorFilter } from '../sensors/options.js';
import type { BgEvent } from '../events/types.js';
import { StatsReporter, statsBlock, summaryLine } from './stats.js';
import { requireBpf } from './preflight.js';

/** What a tracing command hands to runTracing. */
export interface TracingRun {
	command: string;
	sensors: readonly Sensor[];
	filter: SensorFilter;
	/** Called once per batch with its decoded events. */
	onEvents(events: BgEvent[], stats: StatsReporter): void;
	/** Called once after the sensors are attached (print a header). */
	onReady?(): void;
	/** Stop after this many seconds. */
	durationS?: number;
	/** Print the full counters at exit (and to stderr every 10 s). */
	verboseStats?: boolean;
	/** Flush output before the summary. */
	onStop?(): void | Promise<void>;
}

/** How a long-running command waits: for SIGINT/SIGTERM, the duration, and optionally SIGHUP or a closed stdout. */
export interface StopWhen {
	durationS?: number;
	/** SIGHUP does this instead of stopping (the monitor reloads its rules). */
	onHup?: () => void;
	/** Stop when stdout's reader goes away (EPIPE): tracing commands whose output is the point. */
	stdoutClosed?: boolean;
}

/** Resolves, with the reason, when the command should stop; the one signal policy of every long-running command. */
export async function untilStopped(w: StopWhen): Promise<string> {
	const hup = w.onHup;
	if (hup) process.on('SIGHUP', hup);
	const reason = await new Promise<string>((resolve) => {
		process.once('SIGINT', () => resolve('SIGINT'));
		process.once('SIGTERM', () => resolve('SIGTERM'));
		if (!hup) process.once('SIGHUP', () => resolve('SIGHUP'));
		if (w.stdoutClosed) process.stdout.once('error', () => resolve('stdout closed')); // EPIPE: reader went away
		if (w.durationS) setTimeout(() => resolve(`duration ${w.durationS} s`), w.durationS * 1000);
	});
	if (hup) process.off('SIGHUP', hup);
	return reason;
}

/** Run until SIGINT/SIGTERM/SIGHUP, the duration, or a closed stdout; resolves when everything is detached. */
export async function runTracing(r: TracingRun): Promise<void> {
	requireBpf(r.command, r.sensors.map((s) => s.object));
	let stats: StatsReporter | undefined;
	const rt = SensorRuntime.start(r.sensors, r.filter, (evs) => r.onEvents(evs, stats!));
	stats = new StatsReporter(r.command, rt);
	stats.publish();
	r.onReady?.();
	process.stderr.write(`${r.command}: sensors attached; Ctrl-C to stop\n`);
	let periodic: NodeJS.Timeout | undefined;
	if (r.verboseStats) periodic = setInterval(() => process.stderr.write(`${statsBlock(stats!.snapshot())}\n`), 10_000);
	await untilStopped({ durationS: r.durationS, stdoutClosed: true });
	if (periodic) clearInterval(periodic);
	await rt.stop();
	await r.onStop?.();
	const snap = stats.snapshot();
	stats.close();
	process.stderr.write(`${r.verboseStats ? statsBlock(snap) : summaryLine(snap)}\n`);
}

/** Parse a non-negative integer flag or throw a one-line error. */
export function intFlag(name: string, max = 0xffffffff): (v: string) => number {
	return (v: string) => {
		if (!/^\d+$/.test(v) || Number(v) > max) throw new InvalidArgumentError(`invalid ${name} '${v}': expected an integer 0..${max}`);
		return Number(v);
	};
}
