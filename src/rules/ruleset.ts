/** @module rules/ruleset: merged items → compiled rules indexed by evt.type. */
import { CMP_OPS, LIST_OPS, type Node, type ValueNode } from './ast.js';
import { compileCondition, type CompileEnv, type Pred } from './compile.js';
import { ConditionError, UnknownFieldError, type Pos, type RuleProblem } from './errors.js';
import { SOURCES, type SkippedRule } from './falco.js';
import { possibleTypes } from './evttypes.js';
import type { ExceptionItem, MergedItems, MergedRule } from './items.js';
import { compileTemplate, type Template } from './output.js';
import { parsePieces } from './parser.js';
import type { EvalCtx } from './context.js';
import { PRIORITIES, type Priority, type RuleAction } from '../alerts/alert.js';
import type { AggregateSpec } from '../alerts/aggregate.js';
import { lookupFieldRef } from './fields/index.js';

/** A rule ready to evaluate. */
export interface CompiledRule {
	name: string;
	desc: string;
	priority: Priority;
	tags: string[];
	action: RuleAction;
	/** Blocking actions only: pinned mode (default: the monitor's --enforce switch). */
	mode?: 'audit' | 'enforce';
	/** How repeats by one process fold into one alert (alerts/aggregate); false: opted out. */
	aggregate?: AggregateSpec | false;
	enabled: boolean;
	pred: Pred;
	output: Template;
	/** Fields the condition and output read, for JSON output. */
	fields: string[];
	/** evt.type values it can match, or 'any'. */
	types: Set<string> | 'any';
	condition: Node;
	pos: Pos;
}

/** Enabled rules indexed by evt.type; immutable (hot reload swaps whole sets). */
export class RuleSet {
	private readonly byType = new Map<string, CompiledRule[]>();
	private readonly anyType: CompiledRule[];

	constructor(
		readonly all: readonly CompiledRule[],
		readonly env: CompileEnv,
		/** Rules of Falco files that are not run: another event source, or a field bpfguard lacks. */
		readonly skipped: readonly SkippedRule[] = [],
	) {
		const active = all.filter((r) => r.enabled);
		this.anyType = active.filter((r) => r.types === 'any');
		for (const r of active) {
			if (r.types === 'any') continue;
			for (const t of r.types) {
				if (!this.byType.has(t)) this.byType.set(t, [...this.anyType]);
				this.byType.get(t)!.push(r);
			}
		}
	}

	/** Rules to evaluate for an event of this type, in file order. */
	forType(type: string): readonly CompiledRule[] {
		return this.byType.get(type) ?? this.anyType;
	}

	/** evt.type values some enabled rule needs, or 'any'. */
	neededTypes(): Set<string> | 'any' {
		if (this.anyType.length) return 'any';
		return new Set(this.byType.keys());
	}

	/** Call onMatch for every enabled rule that matches the context's event. */
	match(c: EvalCtx, type: string, onMatch: (r: CompiledRule) => void): number {
		const rules = this.forType(type);
		let n = 0;
		for (let i = 0; i < rules.length; i++) {
			if (rules[i].pred(c)) {
				n++;
				onMatch(rules[i]);
			}
		}
		return n;
	}
}

function problem(problems: RuleProblem[], pos: Pos, message: string, severity: 'error' | 'warning' = 'error'): void {
	problems.push({ file: pos.file ?? '?', line: pos.line, col: pos.col, message, severity });
}

/** Lists with list references expanded (Falco lets list items name other lists). */
function expandLists(m: MergedItems): Map<string, string[]> {
	const out = new Map<string, string[]>();
	const expand = (name: string, stack: string[]): string[] => {
		const done = out.get(name);
		if (done) return done;
		const l = m.lists.get(name)!;
		const items = l.items.flatMap((x) => (m.lists.has(x) && !stack.includes(x) ? expand(x, [...stack, x]) : [x]));
		out.set(name, items);
		return items;
	};
	for (const name of m.lists.keys()) expand(name, [name]);
	return out;
}

/** Compile everything; problems get every error (rules with errors are left out). */
export function buildRuleSet(m: MergedItems, problems: RuleProblem[], opts: { minPriority?: Priority }): RuleSet {
	const macros = new Map<string, Node>();
	const env: CompileEnv = { lists: expandLists(m), macros };
	for (const [name, mac] of m.macros) {
		try {
			macros.set(name, parsePieces(mac.condition));
		} catch (e) {
			if (!(e instanceof ConditionError)) throw e;
			// In a Falco file the macro is left out: rules that use it are skipped (unknown macro).
			problem(problems, e.pos, `macro ${name}: ${e.message}`, mac.falco ? 'warning' : 'error');
		}
	}
	const minRank = PRIORITIES.indexOf(opts.minPriority ?? 'debug');
	const rules: CompiledRule[] = [];
	const skipped: SkippedRule[] = [];
	const skip = (r: MergedRule, reason: string, pos: Pos) => {
		skipped.push({ name: r.name, reason, pos });
		problem(problems, pos, `rule ${r.name}: skipped: ${reason}`, 'warning');
	};
	for (const r of m.rules.values()) {
		if (r.source !== undefined && !SOURCES.has(r.source)) {
			skip(r, `source ${r.source} (bpfguard feeds syscall events only)`, r.pos);
			continue;
		}
		try {
			const cond = parsePieces(r.condition);
			const full = withExceptions(cond, r.exceptions);
			const used = new Set<string>();
			const pred = compileCondition(full, env, used);
			const output = compileTemplate(r.output.text, r.output.pos);
			const types = possibleTypes(cond, env);
			if (types === 'any' && r.enabled) problem(problems, r.pos, `rule ${r.name}: no evt.type restriction: it is evaluated for every event`, 'warning');
			const enabled = r.enabled && PRIORITIES.indexOf(r.priority) <= minRank;
			const aggFields = r.aggregate ? (r.aggregate.values ?? []) : [];
			const unknown = aggFields.find((f) => !lookupFieldRef(f));
			if (unknown) {
				problem(problems, r.pos, `rule ${r.name}: aggregate: unknown field ${unknown}`);
				continue;
			}
			rules.push({ ...r, pred, output, types, enabled, condition: full, fields: [...new Set([...used, ...output.fields, ...aggFields])], pos: r.pos });
		} catch (e) {
			if (!(e instanceof ConditionError)) throw e;
			const pos = e.pos.file ? e.pos : { ...e.pos, file: r.pos.file };
			if (r.falco) skip(r, e instanceof UnknownFieldError ? `field ${e.field} is not available in bpfguard` : e.message, pos);
			else problem(problems, pos, `rule ${r.name}: ${e.message}`);
		}
	}
	return new RuleSet(rules, env, skipped);
}

/** condition and not (exception tuple 1 or tuple 2 …), as AST so every implementation shares it. */
function withExceptions(cond: Node, exceptions: ExceptionItem[]): Node {
	const tuples: Node[] = [];
	for (const ex of exceptions) {
		for (const v of ex.values) {
			const checks: Node[] = ex.fields.map((f, i) => {
				const field = { name: f.name.replace(/\[.*$/, ''), arg: /\[(.*)\]$/.exec(f.name)?.[1], pos: f.pos };
				const val = v.items[i];
				const op = ex.comps[i];
				if (![...CMP_OPS, ...LIST_OPS].includes(op as never)) throw new ConditionError(`exception ${ex.name}: unknown comparison '${op}'`, f.pos);
				const node = (text: string): ValueNode => ({ text, quoted: true, pos: v.pos });
				if (op === 'in' || op === 'pmatch' || op === 'intersects' || Array.isArray(val)) {
					const items = Array.isArray(val) ? val : [val];
					const listOp = op === 'pmatch' || op === 'intersects' ? op : 'in';
					return { type: 'list', field, op: listOp, values: items.map((x) => ({ ...node(x), quoted: false })), pos: f.pos } as Node;
				}
				return { type: 'cmp', field, op: op as never, value: node(val), pos: f.pos } as Node;
			});
			tuples.push(checks.length === 1 ? checks[0] : { type: 'and', children: checks, pos: v.pos });
		}
	}
	if (!tuples.length) return cond;
	const any: Node = tuples.length === 1 ? tuples[0] : { type: 'or', children: tuples, pos: tuples[0].pos };
	return { type: 'and', children: [cond, { type: 'not', child: any, pos: any.pos }], pos: cond.pos };
}
