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
	/** Records received per sensor and their rate over the last second. */
	sensors: Record<string, { records: number; perS: number }>;
	/** Counted losses by cause (kernel ring buffer full, no scratch; user oversize, unknown kind, sink drops). */
	drops: Record<string, number>;
	rssBytes: number;
	/** V8 heap in use and reserved, and memory outside it (Buffers, native batches), in bytes. */
	heapUsedBytes: number;
	heapTotalBytes: number;
	externalBytes: number;
	/** CPU seconds since start, and the share of one core over the last second (%). */
	cpuS: number;
	cpuPct: number;
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
	private lastSensors: Record<string, number> = {};
	private sensorRates: Record<string, number> = {};
	private lastCpuS = 0;
	private cpuPct = 0;
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
		const cpu = process.cpuUsage();
		const cpuS = (cpu.user + cpu.system) / 1e6;
		const mem = process.memoryUsage();
		const bySensor = this.rt.recordsBySensor();
		if (now - this.lastAt >= 1000) {
			const dt = (now - this.lastAt) / 1000;
			this.rate = (total - this.lastCount) / dt;
			for (const [n, v] of Object.entries(bySensor)) this.sensorRates[n] = (v - (this.lastSensors[n] ?? 0)) / dt;
			this.cpuPct = ((cpuS - this.lastCpuS) / dt) * 100;
			this.lastCount = total;
			this.lastSensors = bySensor;
			this.lastCpuS = cpuS;
			this.lastAt = now;
		}
		const sensors: RunStats['sensors'] = {};
		for (const [n, v] of Object.entries(bySensor)) sensors[n] = { records: v, perS: Math.round(this.sensorRates[n] ?? 0) };
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
			sensors,
			drops: dropsByCause(kernel, user),
			rssBytes: mem.rss,
			heapUsedBytes: mem.heapUsed,
			heapTotalBytes: mem.heapTotal,
			externalBytes: mem.external,
			cpuS,
			cpuPct: Math.round(this.cpuPct * 10) / 10,
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

/** Counted losses by cause. */
export function dropsByCause(kernel: Record<string, number>, user: Record<string, number>): Record<string, number> {
	return {
		ring_buffer_full: kernel.rb_full ?? 0,
		no_scratch: kernel.no_scratch ?? 0,
		oversize: user.oversize ?? 0,
		unknown_kind: user.unknownKind ?? 0,
		sink_dropped: user.sinkDropped ?? 0,
		...(user.auditDropped !== undefined ? { audit_dropped: user.auditDropped } : {}),
	};
}

/** Every counted loss: kernel ring buffer/scratch failures and user-space drops. */
export function lostCount(kernel: Record<string, number>, user: Record<string, number>): number {
	return (kernel.rb_full ?? 0) + (kernel.no_scratch ?? 0) + (user.oversize ?? 0) + (user.unknownKind ?? 0) + (user.sinkDropped ?? 0) + (user.auditDropped ?? 0);
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
		`kernel filtered ${k.filtered ?? 0}, truncated args ${k.args_trunc ?? 0}, paths ${k.path_trunc ?? 0}` +
		(k.compat_syscall ? `; 32-bit syscalls not decoded ${k.compat_syscall}` : '') +
		(k.file_uring_early ? `; io_uring requests sent without their outcome ${k.file_uring_early}` : '') +
		(k.uring_cq_overflow ? `; io_uring completions overflowed (not seen) ${k.uring_cq_overflow}` : '')
	);
}

/** The full counters, one per line, for --stats. */
export function statsBlock(s: RunStats): string {
	const lines = [`${s.command} (pid ${s.pid}) up ${s.uptimeS.toFixed(1)}s, ${s.eventsPerS} events/s, rss ${(s.rssBytes / 1048576).toFixed(1)} MiB, cpu ${s.cpuS.toFixed(2)}s (${s.cpuPct ?? 0}% now)`];
	const k = s.kernel;
	const mib = (b: number | undefined) => ((b ?? 0) / 1048576).toFixed(1);
	lines.push(`  memory: heap ${mib(s.heapUsedBytes)} of ${mib(s.heapTotalBytes)} MiB, outside the heap ${mib(s.externalBytes)} MiB`);
	lines.push(`  sensors: ${Object.entries(s.sensors ?? {}).map(([n, v]) => `${n} ${v.perS}/s (${v.records})`).join(', ')}`);
	lines.push(`  kernel: delivered ${k.emitted ?? 0}, filtered ${(k.filtered ?? 0) + (k.priv_noop ?? 0)} (filtered ${k.filtered ?? 0}, no-op identity calls ${k.priv_noop ?? 0})`);
	lines.push(`  user:   decoded ${(s.user.records ?? 0) - (s.user.skipped ?? 0)}, skipped undecoded ${s.user.skipped ?? 0}`);
	lines.push(`  drops:  ${Object.entries(s.drops ?? {}).map(([c, v]) => `${c}=${v}`).join(' ')}`);
	lines.push(`  events: ${JSON.stringify(s.eventsByKind)}`);
	lines.push(`  kernel: ${Object.entries(s.kernel).map(([k, v]) => `${k}=${v}`).join(' ')}`);
	lines.push(`  user:   ${Object.entries(s.user).map(([k, v]) => `${k}=${v}`).join(' ')}`);
	lines.push(`  lost:   ${s.lost}`);
	return lines.join('\n');
}
