/**
 * @module monitor/metrics: the monitor's Prometheus metrics (prom-client). Counters the monitor
 * already keeps are read at scrape time; the hot path only observes one histogram sample per batch.
 */
import { readFileSync } from 'node:fs';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Alert } from '../alerts/alert.js';
import type { SinkStats } from '../sinks/sink.js';

/** What the metrics read from a running monitor, at scrape time. */
export interface MetricsSource {
	/** Records received from the kernel, by record kind. */
	eventsByKind(): Record<string, number>;
	/** Kernel counters by enum bg_stat name (filtered, emitted, …). */
	kernel(): Record<string, number>;
	/** Loss totals by cause (monitor/health lossCounters). */
	losses(): Record<string, number>;
	sinks(): SinkStats;
	/** Entries in the process table. */
	processes(): number;
	/** Loaded BPF programs with their fds (for run time where kernel.bpf_stats_enabled is on). */
	programs(): { name: string; fd: number }[];
	/** Container metadata counters (lookups, hits, misses, timeouts, errors, held …). */
	containers?(): Record<string, number>;
}

/** Histogram buckets of a batch's rule evaluation (seconds). */
const EVAL_BUCKETS = [1e-5, 5e-5, 1e-4, 5e-4, 1e-3, 5e-3, 0.01, 0.05, 0.1, 0.5];
/** Histogram buckets from kernel event to alert (seconds). */
const LATENCY_BUCKETS = [1e-4, 5e-4, 1e-3, 5e-3, 0.01, 0.05, 0.1, 0.5, 1, 5];

/** Run time and count of one program from /proc/self/fdinfo (present on kernels ≥ 5.1; 0 while bpf_stats is off). */
export function programRunStats(fdinfo: string): { runTimeNs: number; runCount: number } | undefined {
	const t = /^run_time_ns:\s*(\d+)$/m.exec(fdinfo);
	const c = /^run_cnt:\s*(\d+)$/m.exec(fdinfo);
	if (!t || !c) return undefined;
	return { runTimeNs: Number(t[1]), runCount: Number(c[1]) };
}

/** Whether the kernel times BPF programs (sysctl kernel.bpf_stats_enabled). */
function bpfStatsEnabled(): boolean {
	try {
		return readFileSync('/proc/sys/kernel/bpf_stats_enabled', 'utf8').trim() === '1';
	} catch {
		return false;
	}
}

/** Set a counter from running totals (at scrape time). */
function setTotals(c: Counter<string>, label: string, totals: Record<string, number>): void {
	c.reset();
	for (const [k, v] of Object.entries(totals)) c.inc({ [label]: k }, v);
}

/** The monitor's metrics registry; bind() a source before the first scrape. */
export class MonitorMetrics {
	readonly registry = new Registry();
	private src?: MetricsSource;
	private readonly alerts: Counter<'rule' | 'priority'>;
	private readonly evaluation: Histogram<string>;
	private readonly latency: Histogram<string>;

	constructor(opts: { defaultMetrics?: boolean } = {}) {
		const registers = [this.registry];
		const self = this;
		if (opts.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry });
		new Counter({ name: 'bpfguard_events_total', help: 'Records received from the kernel, by record kind.', labelNames: ['kind'], registers, collect() { if (self.src) setTotals(this, 'kind', self.src.eventsByKind()); } });
		new Counter({ name: 'bpfguard_kernel_filtered_total', help: 'Events the kernel decided uninteresting for the running rules (never sent to user space).', registers, collect() { this.reset(); this.inc(self.src?.kernel().filtered ?? 0); } });
		new Counter({ name: 'bpfguard_lost_total', help: 'Records or decisions lost, by cause.', labelNames: ['cause'], registers, collect() { if (self.src) setTotals(this, 'cause', self.src.losses()); } });
		this.alerts = new Counter({ name: 'bpfguard_alerts_total', help: 'Alerts sent to the sinks, by rule and priority (a throttled summary counts its repeats).', labelNames: ['rule', 'priority'], registers });
		for (const k of ['written', 'failed', 'dropped'] as const) {
			new Counter({ name: `bpfguard_sink_${k}_total`, help: `Alerts the sinks ${k === 'written' ? 'delivered' : k === 'failed' ? 'failed to deliver (retried or spooled)' : 'dropped'}.`, registers, collect() { this.reset(); this.inc(self.src?.sinks()[k] ?? 0); } });
		}
		new Gauge({ name: 'bpfguard_sink_queued', help: 'Alerts waiting in sink queues.', registers, collect() { this.set(self.src?.sinks().queued ?? 0); } });
		new Gauge({ name: 'bpfguard_process_table_entries', help: 'Processes in the process table (live and recently exited).', registers, collect() { this.set(self.src?.processes() ?? 0); } });
		new Counter({ name: 'bpfguard_container_metadata_total', help: 'Container metadata: lookups, cache hits and misses, source timeouts and errors, alerts held for an answer and those sent at their deadline.', labelNames: ['counter'], registers, collect() { if (self.src?.containers) setTotals(this, 'counter', self.src.containers()); } });
		this.evaluation = new Histogram({ name: 'bpfguard_rule_evaluation_seconds', help: 'Time to evaluate the rules over one batch of events.', buckets: EVAL_BUCKETS, registers });
		this.latency = new Histogram({ name: 'bpfguard_alert_latency_seconds', help: 'From the kernel event to its rule match (when the first occurrence is sent).', buckets: LATENCY_BUCKETS, registers });
		this.programMetrics(registers);
	}

	/** Kernel run time per program, only while kernel.bpf_stats_enabled is 1 (no series otherwise). */
	private programMetrics(registers: Registry[]): void {
		const self = this;
		let last: { name: string; runTimeNs: number; runCount: number }[] = [];
		const read = () => {
			last = [];
			if (!self.src || !bpfStatsEnabled()) return;
			for (const p of self.src.programs()) {
				let info: string;
				try {
					info = readFileSync(`/proc/self/fdinfo/${p.fd}`, 'utf8');
				} catch {
					continue;
				}
				const s = programRunStats(info);
				if (s) last.push({ name: p.name, ...s });
			}
		};
		new Counter({ name: 'bpfguard_bpf_program_run_seconds_total', help: 'Kernel time spent in each BPF program (kernel.bpf_stats_enabled=1 only).', labelNames: ['program'], registers, collect() {
			read();
			this.reset();
			for (const p of last) this.inc({ program: p.name }, p.runTimeNs / 1e9);
		} });
		new Counter({ name: 'bpfguard_bpf_program_runs_total', help: 'Runs of each BPF program (kernel.bpf_stats_enabled=1 only).', labelNames: ['program'], registers, collect() {
			this.reset();
			for (const p of last) this.inc({ program: p.name }, p.runCount);
		} });
	}

	/** Read the monitor's counters from src from now on. */
	bind(src: MetricsSource): void {
		this.src = src;
	}

	/** One batch evaluated in this many seconds (one sample per batch). */
	evaluated(seconds: number): void {
		this.evaluation.observe(seconds);
	}

	/** A rule matched an event that happened at eventTimeMs (epoch ms). */
	matched(eventTimeMs: number, nowMs = Date.now()): void {
		this.latency.observe(Math.max(0, nowMs - eventTimeMs) / 1000);
	}

	/** An alert (or a throttled summary) went to the sinks. */
	alerted(a: Alert): void {
		this.alerts.inc({ rule: a.rule, priority: a.priority }, a.count);
	}

	/** The metrics in the Prometheus text format. */
	text(): Promise<string> {
		return this.registry.metrics();
	}
}
