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
import { Aggregator, type AggregateSpec } from '../alerts/aggregate.js';
import type { Alert, Priority } from '../alerts/alert.js';
import type { EventBatch, EventTrailStats, SinkStats } from '../sinks/sink.js';
import { EventEncoder } from '../store/event-record.js';
import type { EvalCtx } from '../rules/context.js';
import type { AgentEvent } from '../events/types.js';
import { Health, lossCounters, type HealthOptions } from './health.js';
import { enforcePlan, type EnforcePlan } from '../enforce/plan.js';
import { Enforcer } from '../enforce/enforcer.js';
import { DenyHook } from '../enforce/deny.js';
import { quarantine } from '../enforce/quarantine.js';
import { listPins, newPinDir, removePin, writePinState, type PinState } from '../enforce/pin.js';
import type { MonitorMetrics } from './metrics.js';
import { MetaHold } from '../container/hold.js';
import { setContainerResolver, containerResolver, type ContainerResolver } from '../container/resolver.js';

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
	/** Environment variables every exec record carries (proc.env[NAME]); default the loader's (process sensor). */
	execEnv?: readonly string[];
	/** Loss records and heartbeats (default: a loss record at most every 10 s, a heartbeat every 60 s). */
	health?: HealthOptions;
	/** Prometheus metrics to keep (one histogram sample per batch; totals read at scrape time). */
	metrics?: MonitorMetrics;
	/** Blocking rules act (--enforce); otherwise they report what they would have blocked. */
	enforce?: boolean;
	/** Protected executables and the kill budget (config `enforcement`). */
	enforcement?: { protect?: readonly string[]; budget?: number; cgroup?: string; quarantineDir?: string; pin?: boolean; pinStateDir?: string };
	/** The audit trail: every event that passes the kernel filter is decoded and handed to out.writeEvents (not only those a rule evaluates). */
	audit?: boolean;
	/** Container metadata: the resolver (config `containers:`; default: the standard sockets and state) and how long an alert waits for it (default 250 ms). */
	containers?: { resolver?: ContainerResolver; holdMs?: number };
}

/** A running monitor. */
export class Monitor {
	private rt?: SensorRuntime;
	private tick?: NodeJS.Timeout;
	private watchers: FSWatcher[] = [];
	private reloadTimer?: NodeJS.Timeout;
	readonly engine: RuleEngine;
	readonly table = new ProcessTable();
	/** Rules opted out of aggregation: repeats with an identical output fold here. */
	readonly throttle: Throttle;
	/** Repeats of a rule by one process fold into one alert per window (alerts/aggregate). */
	readonly aggregator: Aggregator;
	/** Alerts from a container wait here (bounded, each on its own deadline) for its metadata. */
	readonly hold: MetaHold;
	private specs?: { set: RuleSet; byName: Map<string, AggregateSpec | false> };
	alertsByRule: Record<string, number> = {};
	sensors: readonly import('../sensors/sensor.js').Sensor[] = [];
	/** The kernel filters in force: the start's plan, its file and net parts replaced at each reload. */
	private plan?: KernelPlan;
	/** The priv sensor reports identity syscalls that changed nothing (some rule can match them; set at start only). */
	private privNoop = false;
	private health?: Health;
	/** The blocking side (kill/deny rules), when some rule blocks. */
	enforcer?: Enforcer;
	/** The cgroup connect/sendmsg programs of the deny rules. */
	private deny?: DenyHook;
	private quarantines = 0;
	/** The pin this monitor made (--pin). */
	private pinned?: PinState;
	private blocking?: EnforcePlan;

	constructor(private readonly o: MonitorOptions) {
		const { ruleset, warnings } = loadRules(o.rulePaths, { minPriority: o.minPriority });
		for (const w of warnings) o.log(formatProblem(w));
		this.table.seed();
		this.engine = new RuleEngine(ruleset, this.table, new UserDb());
		const send = (a: Alert): void => {
			this.alertsByRule[a.rule] = (this.alertsByRule[a.rule] ?? 0) + a.count;
			o.metrics?.alerted(a);
			o.out.write(a);
		};
		this.throttle = new Throttle(o.throttleWindowMs, send);
		this.aggregator = new Aggregator(o.throttleWindowMs, (r) => this.aggregateSpec(r), send, (a) => this.throttle.push(a));
		if (o.containers?.resolver) setContainerResolver(o.containers.resolver);
		this.hold = new MetaHold(o.containers?.holdMs ?? 250, (a) => this.aggregator.push(a), (a) => this.engine.ruleset.all.find((r) => r.name === a.rule)?.output.renderValues(a.fields));
	}

	/** Container metadata counters: the resolver's and the wait's. */
	containerStats(): Record<string, number> {
		const r = containerResolver().stats;
		return { ...r, held: this.hold.stats.held, heldDeadline: this.hold.stats.deadline, heldOverflow: this.hold.stats.overflow };
	}

	/** A rule's aggregate spec in the rule set in force (default: fold by process in the throttle window). */
	private aggregateSpec(rule: string): AggregateSpec | false {
		const set = this.engine.ruleset;
		if (this.specs?.set !== set) this.specs = { set, byName: new Map(set.all.map((r) => [r.name, r.aggregate ?? {}])) };
		return this.specs.byName.get(rule) ?? {};
	}

	/** Load and attach the sensors the rules need, then start evaluating. */
	start(onBatch?: (n: number) => void): SensorRuntime {
		const plan = this.sensorPlan(this.engine.ruleset);
		this.sensors = plan.sensors;
		this.plan = plan;
		this.warnExpensive(plan.file);
		this.privNoop = plan.privNoop.length > 0;
		const trail = this.auditTrail();
		this.rt = SensorRuntime.start(
			plan.sensors,
			this.o.execEnv ? { ...plan.filter, process: { ...plan.filter.process, envNames: this.o.execEnv } } : plan.filter,
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
		this.applyBlocking();
		this.bindMetrics(this.rt);
		this.health = new Health(this.o.health ?? { lossIntervalS: 10, heartbeatS: 60 });
		const rules = this.engine.ruleset.all.filter((r) => r.enabled).length;
		const blocking = this.enforcer ? `; blocking rules ${this.o.enforce ? 'enforced' : 'in audit mode'}` : '';
		this.emitAgent([this.health.start(`sensors ${this.sensors.map((s) => s.name).join(',')}; ${rules} rules${blocking}`, { sensors: this.sensors.length, rules })]);
		for (const d of this.rt.degraded) {
			const rules = this.engine.ruleset.all.filter((r) => r.enabled && sensorsFor(new Set(r.types === 'any' ? [] : r.types), r.fields).some((x) => x.name === d.sensor));
			this.o.log(`sensor ${d.sensor} not available on this host (${d.error}); still running: ${this.rt.sensors.map((x) => x.name).join(', ')}; inactive rules: ${rules.map((r) => r.name).join('; ') || 'none'}`);
		}
		let ticks = 0;
		let compatSeen = 0;
		this.tick = setInterval(() => {
			this.aggregator.tick();
			this.throttle.tick();
			this.table.sweep();
			this.deny?.sweep();
			if (this.rt && this.health) {
				const losses = this.losses();
				this.emitAgent(this.health.tick(losses, this.totals(losses), this.engine.stats.events));
			}
			if (++ticks % 60 !== 0 || !this.rt) return;
			const compat = this.rt.kernelStats().compat_syscall ?? 0;
			if (compat > compatSeen) {
				this.o.log(`${compat - compatSeen} 32-bit (ia32) syscalls in the last minute that no sensor decodes (sends, failed execs; file, identity and socket calls are decoded)`, 'notice');
			}
			compatSeen = compat;
		}, 1000);
		this.tick.unref();
		if (this.o.watchFiles) this.watchRules();
		return this.rt;
	}

	/** Put the blocking plan in force: kill slots and protected sets, the deny hook's destinations. */
	private applyBlocking(): void {
		const p = this.blocking;
		if (!this.rt || !p || !this.enforcer || !this.rt.sensors.some((s) => s.name === 'process')) return;
		const proc = this.rt.object('process');
		this.enforcer.apply(proc);
		if (this.deny) {
			this.deny.fill(p.deny);
			if (this.pinned) this.pinDeny(p);
		} else if (p.deny.length || p.quarantine.length) {
			try {
				this.deny = DenyHook.start(p.deny, { events: proc.mapFd('bg_events'), stats: proc.mapFd('bg_stats') }, this.o.enforcement?.cgroup);
			} catch (e) {
				this.o.log(`deny and quarantine rules not enforced: ${(e as Error).message}; kill rules and alerts still work`);
			}
			if (this.deny && this.o.enforcement?.pin) this.pinDeny(p);
		}
		if (this.o.enforcement?.pin && !this.deny) this.o.log('--pin: no deny or quarantine rule is in force, nothing pinned (kill rules need the running monitor)', 'notice');
		else if (!this.o.enforcement?.pin) {
			const pins = listPins(this.o.enforcement?.pinStateDir).filter((x) => x.present);
			if (pins.length) this.o.log(`pinned enforcement from an earlier monitor is in force: ${pins.map((x) => x.id).join(', ')} (bpfguard enforce list|remove)`, 'notice');
		}
	}

	/** monitor --pin: the deny hook stays attached after the monitor stops; earlier pins are replaced. */
	private pinDeny(p: EnforcePlan): void {
		if (!this.o.enforce) {
			this.o.log('--pin needs --enforce (audit-mode rules block nothing): nothing pinned', 'notice');
			return;
		}
		const stateDir = this.o.enforcement?.pinStateDir;
		const rules: Record<string, string> = {};
		for (const s of p.deny) rules[s.rule] = s.mode;
		for (const r of p.quarantine) rules[r] = `quarantine (${p.modes.get(r) ?? 'audit'})`;
		try {
			if (this.pinned) {
				// a rules reload: the pinned hook holds the new rules; its state says so
				writePinState({ ...this.pinned, time: new Date().toISOString(), rules }, stateDir);
				return;
			}
			const { id, dir } = newPinDir();
			const links = this.deny!.pin(dir);
			this.pinned = { id, time: new Date().toISOString(), pid: process.pid, cgroup: this.deny!.cgroup, rules, links };
			writePinState(this.pinned, stateDir);
			for (const old of listPins(stateDir)) if (old.id !== id) removePin(old.id, stateDir);
			this.o.log(`deny rules pinned as ${id}: they stay in force after the monitor stops (bpfguard enforce list|remove); kill rules stop with the monitor`, 'notice');
		} catch (e) {
			this.o.log(`--pin: ${(e as Error).message}; deny rules are in force while the monitor runs`);
		}
	}

	/** The blocking rules' plan; makes (or updates) the enforcer and says which rules are reactive. */
	private blockPlan(rules: RuleSet): EnforcePlan {
		const p = enforcePlan(rules.all, rules.env, this.o.enforce ?? false);
		this.blocking = p;
		for (const w of p.warnings) this.o.log(w);
		for (const [rule, why] of p.reactive) this.o.log(`rule ${rule}: kill decided in user space, reactively (after the act): ${why}`, 'notice');
		if (!p.modes.size) return p;
		if (this.enforcer) this.enforcer.swap(p);
		else {
			this.enforcer = new Enforcer(p, this.table, {
				protect: this.o.enforcement?.protect,
				budget: this.o.enforcement?.budget,
				log: (m) => this.o.log(m),
				quarantine: (pid, rule) => {
					if (!this.deny) throw new Error('the deny hook is not running');
					const deny = this.deny;
					const cut = (cg: bigint, dir: string) => {
						const problem = deny.quarantine(cg, ++this.quarantines, dir);
						if (problem) this.o.log(`quarantine cannot drop what older sockets send: ${problem}; new connects and sends still fail`);
					};
					return quarantine(pid, rule, this.o.enforcement?.quarantineDir, cut).state.id;
				},
			});
			this.engine.blocker = (r, e, a) => this.enforcer!.decorate(r, e, a);
		}
		return p;
	}

	/**
	 * The sensors and kernel filters for these rules, with the blocking plan: deny rules the deny
	 * hook decides are left out (they see its records, never the sensors'), and open kills add
	 * their watch entries.
	 */
	private sensorPlan(rules: RuleSet): KernelPlan {
		const p = this.blockPlan(rules);
		const hooked = new Set(p.deny.map((s) => s.rule));
		const view = hooked.size ? { all: rules.all.filter((r) => !(r.action === 'deny' && hooked.has(r.name))), env: rules.env } : rules;
		return this.withKills(kernelPlan(view), p);
	}

	/** The kernel plan with the open kills' watch entries (their kill bits) merged in. */
	private withKills(plan: KernelPlan, p: EnforcePlan): KernelPlan {
		if (!this.enforcer || !p.kill.some((s) => s.on === 'open')) return plan;
		const extra = this.enforcer.watchEntries();
		const watch = mergeWatch({ paths: [...plan.file.watch.paths, ...extra.paths], names: [...plan.file.watch.names, ...extra.names] });
		const file = { ...plan.file, watch };
		return { ...plan, file, filter: { ...plan.filter, file: { ...plan.filter.file, watch } } };
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
		this.hold.push(a);
	};

	private bindMetrics(rt: SensorRuntime): void {
		this.o.metrics?.bind({
			eventsByKind: () => rt.recordsByKind(),
			kernel: () => rt.kernelStats(),
			losses: () => this.losses(),
			sinks: () => this.o.out.stats(),
			processes: () => this.table.size,
			programs: () => rt.programFds(),
			containers: () => this.containerStats(),
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
			const plan = this.sensorPlan(ruleset);
			const missing = plan.sensors.filter((s) => !this.rt?.sensors.includes(s));
			if (missing.length) this.o.log(`rules reload: sensors ${missing.map((s) => s.name).join(', ')} are not running; restart the monitor for their rules`);
			if (plan.privNoop.length && !this.privNoop) this.o.log(`rules reload: ${plan.privNoop.join(', ')} can match identity syscalls that change nothing, which this run drops in the kernel; restart the monitor for them`);
			this.swapRules(ruleset, plan);
			this.applyBlocking();
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
		if (evs.length) this.engine.process(evs, (a) => this.aggregator.push(a));
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
		this.deny?.stop();
		this.deny = undefined;
		await this.rt?.stop();
		if (this.health) {
			const losses = this.losses();
			const totals = this.totals(losses);
			const last = this.health.tick(losses, totals, this.engine.stats.events, true);
			this.emitAgent([...last, this.health.stop(reason, totals, this.engine.stats.events)]);
		}
		this.hold.flush();
		this.aggregator.tick(true);
		this.throttle.tick(true);
		await this.o.out.flush();
		await this.o.out.close();
	}
}

/** What either of two net needs asks for (undefined, i.e. everything, wins). */
function unionNeeds(a: NetNeeds, b: NetNeeds): NetNeeds {
	const both = <T>(x: readonly T[] | undefined, y: readonly T[] | undefined) => (x && y ? [...new Set([...x, ...y])] : undefined);
	const states = [...new Set([...(a.states ?? []), ...(b.states ?? [])])];
	return { kinds: both(a.kinds, b.kinds), comms: both(a.comms, b.comms), states: states.length ? states : undefined };
}
