/** @module monitor/monitor: the main job: sensors → process table → rules → throttle → sinks, with hot reload. */
import { watch, type FSWatcher } from 'node:fs';
import { ProcessTable } from '../process/table.js';
import { UserDb } from '../process/users.js';
import { RuleEngine } from '../rules/engine.js';
import { loadRules } from '../rules/load.js';
import { formatProblem, RulesError } from '../rules/errors.js';
import { SensorRuntime } from '../sensors/runtime.js';
import { setFileAllSyscalls, setFileWatch } from '../sensors/file.js';
import { setNetNeeds } from '../sensors/net.js';
import type { NetNeeds } from '../sensors/options.js';
import { kernelPlan, mergeWatch, sensorsFor, type FilePushdown, type KernelPlan } from '../rules/pushdown/index.js';
import type { RuleSet } from '../rules/ruleset.js';
import { Throttle } from '../alerts/throttle.js';
import type { Alert, Priority } from '../alerts/alert.js';
import type { EventBatch, EventTrailStats, SinkStats } from '../sinks/sink.js';
import { EventEncoder } from '../store/event-record.js';
import type { EvalCtx } from '../rules/context.js';
import type { AgentEvent } from '../events/types.js';
import { Health, lossCounters, type HealthOptions } from './health.js';
import type { MonitorMetrics } from './metrics.js';

/** Where alerts go (the sink set). */
export interface AlertOut {
	write(a: Alert): void;
	flush(): Promise<void>;
	close(): Promise<void>;
	stats(): SinkStats;
	/** The audit trail: every event, in batches (present when a sink keeps events). */
	writeEvents?(b: EventBatch): void;
	eventStats?(): EventTrailStats;
}

export interface MonitorOptions {
	rulePaths: string[];
	minPriority?: Priority;
	throttleWindowMs: number;
	out: AlertOut;
	/** Human messages go here: problems (level omitted: a warning), notices, and info such as a reload done. */
	log(msg: string, level?: 'notice' | 'info'): void;
	/** Watch the rule files and reload on change (SIGHUP always reloads). */
	watchFiles?: boolean;
	/** Loss records and heartbeats (default: a loss record at most every 10 s, a heartbeat every 60 s). */
	health?: HealthOptions;
	/** Prometheus metrics to keep (one histogram sample per batch; totals read at scrape time). */
	metrics?: MonitorMetrics;
	/** The audit trail: every event that passes the kernel filter is decoded and handed to out.writeEvents (not only those a rule evaluates). */
	audit?: boolean;
}

/** A running monitor. */
export class Monitor {
	private rt?: SensorRuntime;
	private tick?: NodeJS.Timeout;
	private watchers: FSWatcher[] = [];
	private reloadTimer?: NodeJS.Timeout;
	readonly engine: RuleEngine;
	readonly table = new ProcessTable();
	readonly throttle: Throttle;
	alertsByRule: Record<string, number> = {};
	sensors: readonly import('../sensors/sensor.js').Sensor[] = [];
	/** The kernel filters in force: the start's plan, its file and net parts replaced at each reload. */
	private plan?: KernelPlan;
	/** The priv sensor reports identity syscalls that changed nothing (some rule can match them; set at start only). */
	private privNoop = false;
	private health?: Health;

	constructor(private readonly o: MonitorOptions) {
		const { ruleset, warnings } = loadRules(o.rulePaths, { minPriority: o.minPriority });
		for (const w of warnings) o.log(formatProblem(w));
		this.table.seed();
		this.engine = new RuleEngine(ruleset, this.table, new UserDb());
		this.throttle = new Throttle(o.throttleWindowMs, (a) => {
			this.alertsByRule[a.rule] = (this.alertsByRule[a.rule] ?? 0) + a.count;
			o.metrics?.alerted(a);
			o.out.write(a);
		});
	}

	/** Load and attach the sensors the rules need, then start evaluating. */
	start(onBatch?: (n: number) => void): SensorRuntime {
		const plan = kernelPlan(this.engine.ruleset);
		this.sensors = plan.sensors;
		this.plan = plan;
		this.warnExpensive(plan.file);
		this.privNoop = plan.privNoop.length > 0;
		const trail = this.auditTrail();
		this.rt = SensorRuntime.start(
			plan.sensors,
			plan.filter,
			(evs) => {
				const m = this.o.metrics;
				const t0 = m ? performance.now() : 0;
				this.engine.process(evs, this.onMatch, trail?.observe);
				if (m) m.evaluated((performance.now() - t0) / 1000);
				trail?.flush();
				onBatch?.(evs.length);
			},
			{ tolerate: true, accept: trail ? undefined : this.engine.accepts },
		);
		this.sensors = this.rt.sensors;
		this.bindMetrics(this.rt);
		this.health = new Health(this.o.health ?? { lossIntervalS: 10, heartbeatS: 60 });
		const rules = this.engine.ruleset.all.filter((r) => r.enabled).length;
		this.emitAgent([this.health.start(`sensors ${this.sensors.map((s) => s.name).join(',')}; ${rules} rules`, { sensors: this.sensors.length, rules })]);
		for (const d of this.rt.degraded) {
			const rules = this.engine.ruleset.all.filter((r) => r.enabled && sensorsFor(new Set(r.types === 'any' ? [] : r.types), r.fields).some((x) => x.name === d.sensor));
			this.o.log(`sensor ${d.sensor} not available on this host (${d.error}); still running: ${this.rt.sensors.map((x) => x.name).join(', ')}; inactive rules: ${rules.map((r) => r.name).join('; ') || 'none'}`);
		}
		let ticks = 0;
		let compatSeen = 0;
		this.tick = setInterval(() => {
			this.throttle.tick();
			this.table.sweep();
			if (this.rt && this.health) {
				const losses = this.losses();
				this.emitAgent(this.health.tick(losses, this.totals(losses), this.engine.stats.events));
			}
			if (++ticks % 60 !== 0 || !this.rt) return;
			const compat = this.rt.kernelStats().compat_syscall ?? 0;
			if (compat > compatSeen) {
				this.o.log(`${compat - compatSeen} 32-bit (ia32) syscalls in the last minute: the file, privilege and network sensors do not decode them (successful execs are still reported)`, 'notice');
			}
			compatSeen = compat;
		}, 1000);
		this.tick.unref();
		if (this.o.watchFiles) this.watchRules();
		return this.rt;
	}

	/** With audit and a sink that keeps events: encode each event as the rules saw it, hand the batch over after it. */
	private auditTrail(): { observe: (c: EvalCtx) => void; flush: () => void } | undefined {
		const write = this.o.out.writeEvents?.bind(this.o.out);
		if (!this.o.audit || !write) return undefined;
		const enc = new EventEncoder();
		return {
			observe: (c) => enc.add(c),
			flush: () => {
				const b = enc.take();
				if (b) write(b);
			},
		};
	}

	/** A rule match: its latency is observed, then it goes through the throttle. */
	private readonly onMatch = (a: Alert): void => {
		this.o.metrics?.matched(a.timeMs);
		this.throttle.push(a);
	};

	private bindMetrics(rt: SensorRuntime): void {
		this.o.metrics?.bind({
			eventsByKind: () => rt.recordsByKind(),
			kernel: () => rt.kernelStats(),
			losses: () => this.losses(),
			sinks: () => this.o.out.stats(),
			processes: () => this.table.size,
			programs: () => rt.programFds(),
		});
	}

	/** What the file sensor reports for the running rules. */
	get pushdown(): FilePushdown | undefined {
		return this.plan?.file;
	}

	/** Load the rule files again; on any error keep the running set and report. Returns success. */
	reload(): boolean {
		try {
			const { ruleset, warnings } = loadRules(this.o.rulePaths, { minPriority: this.o.minPriority });
			for (const w of warnings) this.o.log(formatProblem(w));
			const plan = kernelPlan(ruleset);
			const missing = plan.sensors.filter((s) => !this.rt?.sensors.includes(s));
			if (missing.length) this.o.log(`rules reload: sensors ${missing.map((s) => s.name).join(', ')} are not running; restart the monitor for their rules`);
			if (plan.privNoop.length && !this.privNoop) this.o.log(`rules reload: ${plan.privNoop.join(', ')} can match identity syscalls that change nothing, which this run drops in the kernel; restart the monitor for them`);
			this.swapRules(ruleset, plan);
			this.o.log(`rules reloaded: ${ruleset.all.filter((r) => r.enabled).length} rules enabled`, 'info');
			return true;
		} catch (e) {
			const msg = e instanceof RulesError ? e.message : (e as Error).message;
			this.o.log(`rules reload rejected, the previous rules keep running:\n${msg}`);
			return false;
		}
	}

	/** Warn when the file pushdown costs every file event of a syscall. */
	private warnExpensive(pd: FilePushdown): void {
		if (pd.allFiles) this.o.log(`rules ${pd.unconstrained.join(', ')}: no path constraint on opens: every open is reported (expensive)`);
	}

	/**
	 * Swap the rule set; the file sensor first reports the union of the old and new needs, then
	 * only the new ones, so no event either set needs is filtered out across the reload.
	 */
	private swapRules(rules: RuleSet, plan: KernelPlan): void {
		const next = plan.file;
		this.warnExpensive(next);
		const prev = this.plan?.file;
		const file = this.rt?.sensors.some((s) => s.name === 'file');
		const net = this.rt?.sensors.some((s) => s.name === 'net');
		const prevNet = this.plan?.filter.net?.needs ?? {};
		const nextNet = plan.filter.net?.needs ?? {};
		if (this.rt && file && prev) {
			setFileWatch(this.rt, mergeWatch({ paths: [...prev.watch.paths, ...next.watch.paths], names: [...prev.watch.names, ...next.watch.names] }));
			setFileAllSyscalls(this.rt, [...new Set([...prev.allSyscalls, ...next.allSyscalls])]);
		}
		if (this.rt && net) setNetNeeds(this.rt, unionNeeds(prevNet, nextNet));
		this.engine.swap(rules);
		if (this.rt && file) {
			setFileWatch(this.rt, next.watch);
			setFileAllSyscalls(this.rt, next.allSyscalls);
		}
		if (this.rt && net) setNetNeeds(this.rt, nextNet);
		if (this.plan) this.plan = { ...this.plan, file: next, filter: { ...this.plan.filter, file: plan.filter.file, net: plan.filter.net } };
	}

	private watchRules(): void {
		for (const p of this.o.rulePaths) {
			try {
				const w = watch(p, () => {
					clearTimeout(this.reloadTimer);
					this.reloadTimer = setTimeout(() => this.reload(), 300);
				});
				w.unref();
				this.watchers.push(w);
			} catch {
				this.o.log(`cannot watch ${p}: reload with SIGHUP`);
			}
		}
	}

	/** The rule engine evaluates the agent's own records like any event (default rules: rules/50-bpfguard.yaml). */
	private emitAgent(evs: AgentEvent[]): void {
		if (evs.length) this.engine.process(evs, (a) => this.throttle.push(a));
	}

	/** Every loss total so far, by cause. */
	private losses(): Record<string, number> {
		const audit = this.o.audit ? this.o.out.eventStats?.().dropped : undefined;
		return this.rt ? lossCounters(this.rt.kernelStats(), this.rt.user, this.o.out.stats().dropped, audit) : {};
	}

	/** What a heartbeat and the stop record carry: activity and loss totals since start. */
	private totals(losses: Record<string, number>): Record<string, number> {
		const lost = Object.values(losses).reduce((a, b) => a + b, 0);
		return { events: this.engine.stats.events, matches: this.engine.stats.matches, alerts: Object.values(this.alertsByRule).reduce((a, b) => a + b, 0), lost };
	}

	/** Detach, evaluate what was still buffered, report the stop (and any last loss), send throttle summaries, flush and close the sinks. */
	async stop(reason = 'stopped'): Promise<void> {
		for (const w of this.watchers) w.close();
		clearInterval(this.tick);
		clearTimeout(this.reloadTimer);
		await this.rt?.stop();
		if (this.health) {
			const losses = this.losses();
			const totals = this.totals(losses);
			const last = this.health.tick(losses, totals, this.engine.stats.events, true);
			this.emitAgent([...last, this.health.stop(reason, totals, this.engine.stats.events)]);
		}
		this.throttle.tick(true);
		await this.o.out.flush();
		await this.o.out.close();
	}
}

/** What either of two net needs asks for (undefined, i.e. everything, wins). */
function unionNeeds(a: NetNeeds, b: NetNeeds): NetNeeds {
	const both = <T>(x: readonly T[] | undefined, y: readonly T[] | undefined) => (x && y ? [...new Set([...x, ...y])] : undefined);
	return { kinds: both(a.kinds, b.kinds), comms: both(a.comms, b.comms) };
}
