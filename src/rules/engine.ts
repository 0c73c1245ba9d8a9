/** @module rules/engine: events → process table → rules → alerts, batch by batch; the rule set swaps atomically. */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { BgEvent } from '../events/types.js';
import type { ProcessTable } from '../process/table.js';
import type { UserDb } from '../process/users.js';
import type { Alert } from '../alerts/alert.js';
import { EvalCtx } from './context.js';
import { evtType } from './event-view.js';
import { KIND_ROWS } from '../events/table.js';
import { fieldValues } from './fields/index.js';
import type { CompiledRule, RuleSet } from './ruleset.js';
import { RecordGate } from './gate.js';
import { BgNetFlag } from '../events/generated/layouts.js';

/** Fields every alert carries besides those its rule uses (search and reports rely on them). */
export const CONTEXT_FIELDS = ['evt.type', 'proc.pid', 'proc.ppid', 'proc.name', 'proc.exepath', 'proc.cmdline', 'proc.pname', 'user.uid', 'user.name', 'container.id'] as const;

/** Counters of the engine. */
export interface EngineStats {
	events: number;
	matches: number;
	evaluations: number;
	reloads: number;
}

/** Evaluates every event of a batch against the current rule set. */
export class RuleEngine {
	private rules: RuleSet;
	private gate: RecordGate;
	private readonly ctx: EvalCtx;
	private readonly host = hostname();
	readonly stats: EngineStats = { events: 0, matches: 0, evaluations: 0, reloads: 0 };
	/**
	 * Decides the block of a kill/deny rule's match (the monitor's enforcer) before the alert leaves;
	 * false drops the match (a deny rule's alert comes from the deny hook's record, not the sensor's).
	 */
	blocker?: (r: CompiledRule, e: BgEvent, a: Alert) => boolean;

	constructor(
		rules: RuleSet,
		readonly table: ProcessTable,
		users: UserDb,
	) {
		this.rules = rules;
		this.gate = new RecordGate(rules);
		this.ctx = new EvalCtx(table, users);
	}

	/** True when a raw record must be decoded: the table applies it or a rule evaluates its type (see rules/gate). */
	readonly accepts = (buf: Buffer, off: number): boolean => this.gate.accepts(buf, off);

	/** Replace the rule set; the next event sees the new one (no event is skipped). */
	swap(rules: RuleSet): void {
		this.gate = new RecordGate(rules);
		this.rules = rules;
		this.stats.reloads++;
	}

	get ruleset(): RuleSet {
		return this.rules;
	}

	/** Apply each event to the process table, then evaluate it; emit() gets each match, and observe() (the audit trail) each event in the context the rules saw. */
	process(events: readonly BgEvent[], emit: (a: Alert) => void, observe?: (c: EvalCtx) => void): void {
		const rules = this.rules; // one set per batch: a swap takes effect between batches
		const c = this.ctx;
		for (let i = 0; i < events.length; i++) {
			const e = events[i];
			this.table.apply(e);
			c.set(e);
			const type = evtType(e);
			this.stats.events++;
			this.stats.evaluations += rules.forType(type).length;
			// a deny hook's record is evaluated by the deny rules only: the sensors report the call itself
			const denyHook = e.kind.startsWith('net_') && (e.flags & BgNetFlag.BG_F_NET_DENY) !== 0;
			this.stats.matches += rules.match(c, type, (r) => {
				if (denyHook && r.action !== 'deny') return;
				const a = this.alert(r);
				if (a) emit(a);
			});
			if (observe) observe(c);
		}
	}

	private alert(r: CompiledRule): Alert | undefined {
		const c = this.ctx;
		const fields = fieldValues(r.fields, c, fieldValues(CONTEXT_FIELDS, c));
		const a: Alert = {
			id: randomUUID(),
			time: new Date(c.e.timeMs).toISOString(),
			timeMs: c.e.timeMs,
			rule: r.name,
			priority: r.priority,
			tags: r.tags,
			output: r.output.render(c),
			fields,
			action: r.action === 'log' ? 'log' : 'alert',
			count: 1,
			source: KIND_ROWS[c.e.kind].source,
			hostname: this.host,
		};
		if (this.blocker && r.action !== 'alert' && r.action !== 'log' && !this.blocker(r, c.e, a)) return undefined;
		return a;
	}
}
