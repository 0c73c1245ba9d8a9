/** @module cli/stats: run counters (kernel + user space), the exit summary and the status file `bpfguard status` reads. */
import { mkdirSync, writeFileSync, renameSync, unlinkSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import type { SensorRuntime } from '../sensors/runtime.js';

/** Directory of live status files (0700; files 0600). */
export const STATUS_DIR = process.env.BPFGUARD_RUN_DIR ?? '/run/bpfguard';

/** Everything one running command reports. */
export interface RunStats {
	command: string;
	pid: number;
	startedAt: string;
	updatedAt: string;
	uptimeS: number;
	eventsByKind: Record<string, number>;
	eventsPerS: number;
	kernel: Record<string, number>;
	user: Record<string, number>;
	lost: number;
	rssBytes: number;
	cpuS: number;
}

/** Tracks counts for one command and publishes them. */
export class StatsReporter {
	readonly eventsByKind: Record<string, number> = {};
	private readonly started = Date.now();
	private timer?: NodeJS.Timeout;
	private readonly file: string;
	private lastCount = 0;
	private lastAt = Date.now();
	private rate = 0;
	extra: Record<string, number> = {};

	constructor(
		private readonly command: string,
		private readonly rt: SensorRuntime,
	) {
		this.file = join(STATUS_DIR, `${process.pid}.json`);
	}

	count(kind: string, n = 1): void {
		this.eventsByKind[kind] = (this.eventsByKind[kind] ?? 0) + n;
	}

	/** Start writing the status file every second (never keeps the process alive). */
	publish(): void {
		try {
			mkdirSync(STATUS_DIR, { recursive: true, mode: 0o700 });
			chmodSync(STATUS_DIR, 0o700);
		} catch {
			return;
		}
		this.timer = setInterval(() => this.write(), 1000);
		this.timer.unref();
		this.write();
	}

	private write(): void {
		const tmp = `${this.file}.tmp`;
		try {
			writeFileSync(tmp, JSON.stringify(this.snapshot()), { mode: 0o600 });
			renameSync(tmp, this.file);
		} catch {
			/* status is best effort; the exit summary still reports */
		}
	}

	/** Current figures. */
	snapshot(): RunStats {
		const kernel = this.rt.kernelStats();
		const user = { ...this.rt.user, ...this.extra } as unknown as Record<string, number>;
		const total = Object.values(this.eventsByKind).reduce((a, b) => a + b, 0);
		const now = Date.now();
		if (now - this.lastAt >= 1000) {
			this.rate = ((total - this.lastCount) * 1000) / (now - this.lastAt);
			this.lastCount = total;
			this.lastAt = now;
		}
		const cpu = process.cpuUsage();
		return {
			command: this.command,
			pid: process.pid,
			startedAt: new Date(this.started).toISOString(),
			updatedAt: new Date(now).toISOString(),
			uptimeS: (now - this.started) / 1000,
			eventsByKind: { ...this.eventsByKind },
			eventsPerS: Math.round(this.rate),
			kernel,
			user,
			lost: lostCount(kernel, user),
			rssBytes: process.memoryUsage.rss(),
			cpuS: (cpu.user + cpu.system) / 1e6,
		};
	}

	/** Stop publishing and remove the status file. */
	close(): void {
		if (this.timer) clearInterval(this.timer);
		try {
			unlinkSync(this.file);
		} catch {
			/* already gone */
		}
	}
}

/** Every counted loss: kernel ring buffer/scratch failures and user-space drops. */
export function lostCount(kernel: Record<string, number>, user: Record<string, number>): number {
	return (kernel.rb_full ?? 0) + (kernel.no_scratch ?? 0) + (user.oversize ?? 0) + (user.unknownKind ?? 0) + (user.sinkDropped ?? 0);
}

/** The one-line summary printed at exit of every command. */
export function summaryLine(s: RunStats): string {
	const total = Object.values(s.eventsByKind).reduce((a, b) => a + b, 0);
	const kinds = Object.entries(s.eventsByKind)
		.map(([k, v]) => `${k} ${v}`)
		.join(', ');
	const k = s.kernel;
	return (
		`${s.command}: ${total} events${kinds ? ` (${kinds})` : ''} in ${s.uptimeS.toFixed(1)}s; ` +
		`lost ${s.lost} (ring buffer full ${k.rb_full ?? 0}, no scratch ${k.no_scratch ?? 0}); ` +
		`kernel filtered ${k.filtered ?? 0}, truncated args ${k.args_trunc ?? 0}, paths ${k.path_trunc ?? 0}`
	);
}

/** The full counters, one per line, for --stats. */
export function statsBlock(s: RunStats): string {
	const lines = [`${s.command} (pid ${s.pid}) up ${s.uptimeS.toFixed(1)}s, ${s.eventsPerS} events/s, rss ${(s.rssBytes / 1048576).toFixed(1)} MiB, cpu ${s.cpuS.toFixed(2)}s`];
	lines.push(`  events: ${JSON.stringify(s.eventsByKind)}`);
	lines.push(`  kernel: ${Object.entries(s.kernel).map(([k, v]) => `${k}=${v}`).join(' ')}`);
	lines.push(`  user:   ${Object.entries(s.user).map(([k, v]) => `${k}=${v}`).join(' ')}`);
	lines.push(`  lost:   ${s.lost}`);
	return lines.join('\n');
}
