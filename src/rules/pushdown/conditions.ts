/** @module rules/pushdown/conditions: what the kernel-filter step reads: a set of conditions (a rule set, or trace's one condition). */
import type { Node } from '../ast.js';
import type { CompileEnv } from '../compile.js';

/** One condition and what is known about it (a compiled rule has all of this). */
export interface Condition {
	name: string;
	enabled: boolean;
	/** evt.type values it can match, or 'any'. */
	types: Set<string> | 'any';
	condition: Node;
	/** Fields its condition and output read. */
	fields: readonly string[];
}

/** Conditions with the lists and macros they were compiled with (a RuleSet is one). */
export interface ConditionSet {
	readonly all: readonly Condition[];
	readonly env: CompileEnv;
}

/** evt.type values some enabled condition needs, or 'any'. */
export function neededTypes(cs: ConditionSet): Set<string> | 'any' {
	const out = new Set<string>();
	for (const c of cs.all) {
		if (!c.enabled) continue;
		if (c.types === 'any') return 'any';
		for (const t of c.types) out.add(t);
	}
	return out;
}
