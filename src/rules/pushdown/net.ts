/** @module rules/pushdown/net: the network record kinds and process names a condition set needs from the net sensor. */
import type { FieldRef, Node } from '../ast.js';
import type { CompileEnv } from '../compile.js';
import { possibleTypes } from '../evttypes.js';
import { neededTypes, type ConditionSet } from './conditions.js';
import { EVT_TYPES, typesOfSensor } from '../../events/table.js';
import type { NetNeeds } from '../../sensors/options.js';

/**
 * The process names (proc.name) every enabled rule that can match a network record requires,
 * or undefined when some such rule takes any name. The net sensor then drops, in the kernel,
 * process-context records of other names.
 */
export function netComms(rules: ConditionSet, netTypes: readonly string[]): string[] | undefined {
	const out = new Set<string>();
	const a = new NameAnalysis(rules.env, new Set(netTypes));
	for (const r of rules.all) {
		if (!r.enabled) continue;
		if (r.types !== 'any' && ![...r.types].some((t) => netTypes.includes(t))) continue;
		const names = a.names(r.condition, []);
		if (!names) return undefined;
		for (const n of names) out.add(n);
	}
	return [...out].sort();
}

/** Which proc.name values a condition's matches must have (null: any). */
class NameAnalysis {
	constructor(
		private readonly env: CompileEnv,
		private readonly types: Set<string>,
	) {}

	names(n: Node, stack: string[]): Set<string> | null {
		switch (n.type) {
			case 'and': {
				let best: Set<string> | null = null;
				for (const c of n.children) {
					const s = this.names(c, stack);
					if (s && (!best || s.size < best.size)) best = s;
				}
				return best;
			}
			case 'or': {
				const out = new Set<string>();
				for (const c of n.children) {
					if (!this.canMatch(c)) continue;
					const s = this.names(c, stack);
					if (!s) return null;
					for (const x of s) out.add(x);
				}
				return out;
			}
			case 'macro': {
				const m = this.env.macros.get(n.name);
				return m && !stack.includes(n.name) ? this.names(m, [...stack, n.name]) : null;
			}
			case 'cmp':
				return isProcName(n.field) && (n.op === '=' || n.op === '==') ? new Set([n.value.text]) : null;
			case 'list':
				return isProcName(n.field) && n.op === 'in' ? new Set(n.values.flatMap((v) => (!v.quoted && this.env.lists.get(v.text)) || [v.text])) : null;
			default:
				return null;
		}
	}

	/** Can n match a record of one of the network types? */
	private canMatch(n: Node): boolean {
		const t = possibleTypes(n, this.env);
		return t === 'any' || [...t].some((x) => this.types.has(x));
	}
}

const isProcName = (f: FieldRef) => f.name === 'proc.name' && f.arg === undefined;

/** The network evt.type values some enabled condition evaluates (undefined: one takes any type). */
function netTypesFor(rules: ConditionSet): string[] | undefined {
	const types = neededTypes(rules);
	if (types === 'any') return undefined;
	const net = new Set(typesOfSensor('net'));
	return [...types].filter((t) => net.has(t));
}

/** What the net sensor must emit for the conditions: record kinds and process names. */
export function netNeedsFor(rules: ConditionSet): NetNeeds {
	const types = netTypesFor(rules);
	if (!types) return {};
	return { kinds: [...new Set(types.map((t) => EVT_TYPES.get(t)!.kind))], comms: netComms(rules, types) };
}
