/** @module monitor/monitor: the main job: sensors → process table → rules → throttle → sinks, with hot reload. */
import { watch, type FSWatcher } from 'node:fs';
import { ProcessTable } from '../process/table.js';
import { UserDb } from '../process/users.js';
import { RuleEngine } from '../rules/engine.js';
import { loadRules } from '../rules/load.js';
import { formatProblem, RulesError } from '../rules/errors.js';
import { SensorRuntime } from '../sensors/runtime.js';
import { Throttle } from '../response/throttle.js';
import type { Alert, Priority, SinkStats } from '../response/alert.js';
import { sensorsFor } from './sensors-for.js';
import { monitorFilter } from './filter.js';

/** Where alerts go (the sink set). */
export interface AlertOut {
	write(a: Alert): void;
	flush(): Promise<void>;
	close(): Promise<void>;
	stats(): SinkStats;
}

export interface MonitorOptions {
	rulePaths: string[];
	minPriority?: Priority;
	throttleWindowMs: number;
	out: AlertOut;
	/** Human messages (reloads, problems) go here. */
	log(msg: string): void;
	/** Watch the rule files and reload on change (SIGHUP always reloads). */
	watchFiles?: boolean;
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

	constructor(private readonly o: MonitorOptions) {
		const { ruleset, warnings } = loadRules(o.rulePaths, { minPriority: o.minPriority });
		for (const w of warnings) o.log(formatProblem(w));
		this.table.seed();
		this.engine = new RuleEngine(ruleset, this.table, new UserDb());
		this.throttle = new Throttle(o.throttleWindowMs, (a) => {
			this.alertsByRule[a.rule] = (this.alertsByRule[a.rule] ?? 0) + a.count;
			o.out.write(a);
		});
	}

	/** Load and attach the sensors the rules need, then start evaluating. */
	start(onBatch?: (n: number) => void): SensorRuntime {
		const sensors = sensorsFor(this.engine.ruleset);
		this.sensors = sensors;
		this.rt = SensorRuntime.start(sensors, monitorFilter(), (evs) => {
			this.engine.process(evs, (a) => this.throttle.push(a));
			onBatch?.(evs.length);
		}, { accept: this.engine.accepts });
		this.tick = setInterval(() => {
			this.throttle.tick();
			this.table.sweep();
		}, 1000);
		this.tick.unref();
		if (this.o.watchFiles) this.watchRules();
		return this.rt;
	}

	/** Load the rule files again; on any error keep the running set and report. Returns success. */
	reload(): boolean {
		try {
			const { ruleset, warnings } = loadRules(this.o.rulePaths, { minPriority: this.o.minPriority });
			for (const w of warnings) this.o.log(formatProblem(w));
			const missing = sensorsFor(ruleset).filter((s) => !this.rt?.sensors.includes(s));
			if (missing.length) this.o.log(`rules reload: sensors ${missing.map((s) => s.name).join(', ')} are not running; restart the monitor for their rules`);
			this.engine.swap(ruleset);
			this.o.log(`rules reloaded: ${ruleset.all.filter((r) => r.enabled).length} rules enabled`);
			return true;
		} catch (e) {
			const msg = e instanceof RulesError ? e.message : (e as Error).message;
			this.o.log(`rules reload rejected, the previous rules keep running:\n${msg}`);
			return false;
		}
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

	/** Detach, evaluate what was still buffered, send throttle summaries, flush and close the sinks. */
	async stop(): Promise<void> {
		for (const w of this.watchers) w.close();
		clearInterval(this.tick);
		clearTimeout(this.reloadTimer);
		await this.rt?.stop();
		this.throttle.tick(true);
		await this.o.out.flush();
		await this.o.out.close();
	}
}
