/** @module rules/pushdown/net: the network record kinds and process names a condition set needs from the net sensor. */
import type { FieldRef, Node } from '../ast.js';
import type { CompileEnv } from '../compile.js';
import { possibleTypes } from '../evttypes.js';
import { neededTypes, type ConditionSet } from './conditions.js';
import { EVT_TYPES, typesOfSensor } from '../../events/table.js';
import type { NetNeeds } from '../../sensors/options.js';
import { BgNetState } from '../../events/generated/layouts.js';

/** A net.state value's bit in bg_net_filter.states (enum bg_net_state). */
const STATE_BIT = new Map<string, number>(Object.entries(BgNetState).map(([k, v]) => [k.slice('BG_NS_'.length).toLowerCase(), v]));

/**
 * The process names (proc.name) the enabled rules that can match a network record require, and
 * the connect states (net.state) required by those that take any name; undefined when some such
 * rule takes any name and any state. The net sensor then drops, in the kernel, process-context
 * records of other names, except connect records in one of those states.
 */
export function netComms(rules: ConditionSet, netTypes: readonly string[]): { comms: string[]; states: string[] } | undefined {
	const comms = new Set<string>();
	const states = new Set<string>();
	const byName = new ValueAnalysis(rules.env, new Set(netTypes), 'proc.name');
	const byState = new ValueAnalysis(rules.env, new Set(netTypes), 'net.state');
	for (const r of rules.all) {
		if (!r.enabled) continue;
		if (r.types !== 'any' && ![...r.types].some((t) => netTypes.includes(t))) continue;
		const names = byName.values(r.condition, []);
		if (names) {
			for (const n of names) comms.add(n);
			continue;
		}
		const st = byState.values(r.condition, []);
		if (!st || [...st].some((x) => !STATE_BIT.has(x))) return undefined;
		for (const x of st) states.add(x);
	}
	return { comms: [...comms].sort(), states: [...states].sort() };
}

/** Which values of one field (proc.name, net.state) a condition's matches must have (null: any). */
class ValueAnalysis {
	constructor(
		private readonly env: CompileEnv,
		private readonly types: Set<string>,
		private readonly field: string,
	) {}

	values(n: Node, stack: string[]): Set<string> | null {
		switch (n.type) {
			case 'and': {
				let best: Set<string> | null = null;
				for (const c of n.children) {
					const s = this.values(c, stack);
					if (s && (!best || s.size < best.size)) best = s;
				}
				return best;
			}
			case 'or': {
				const out = new Set<string>();
				for (const c of n.children) {
					if (!this.canMatch(c)) continue;
					const s = this.values(c, stack);
					if (!s) return null;
					for (const x of s) out.add(x);
				}
				return out;
			}
			case 'macro': {
				const m = this.env.macros.get(n.name);
				return m && !stack.includes(n.name) ? this.values(m, [...stack, n.name]) : null;
			}
			case 'cmp':
				return this.is(n.field) && (n.op === '=' || n.op === '==') ? new Set([n.value.text]) : null;
			case 'list':
				return this.is(n.field) && n.op === 'in' ? new Set(n.values.flatMap((v) => (!v.quoted && this.env.lists.get(v.text)) || [v.text])) : null;
			default:
				return null;
		}
	}

	private is(f: FieldRef): boolean {
		return f.name === this.field && f.arg === undefined;
	}

	/** Can n match a record of one of the network types? */
	private canMatch(n: Node): boolean {
		const t = possibleTypes(n, this.env);
		return t === 'any' || [...t].some((x) => this.types.has(x));
	}
}

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
	const by = netComms(rules, types);
	return { kinds: [...new Set(types.map((t) => EVT_TYPES.get(t)!.kind))], comms: by?.comms, states: by?.states.length ? by.states : undefined };
}
