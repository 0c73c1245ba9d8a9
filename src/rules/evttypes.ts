/** @module rules/evttypes: which evt.type values a condition can match (to index rules and choose sensors). */
import type { Node } from './ast.js';
import type { CompileEnv } from './compile.js';

/** The set of evt.type values the condition can be true for, or 'any'. */
export function possibleTypes(n: Node, env: CompileEnv, stack: string[] = []): Set<string> | 'any' {
	switch (n.type) {
		case 'cmp':
			return n.field.name === 'evt.type' && n.op === '=' ? new Set([n.value.text]) : 'any';
		case 'list':
			if (n.field.name !== 'evt.type' || n.op !== 'in') return 'any';
			return new Set(n.values.flatMap((v) => (!v.quoted && env.lists.get(v.text)) || [v.text]));
		case 'and': {
			let acc: Set<string> | 'any' = 'any';
			for (const c of n.children) {
				const t = possibleTypes(c, env, stack);
				if (t === 'any') continue;
				if (acc === 'any') {
					acc = t;
					continue;
				}
				const both = new Set<string>();
				for (const x of acc) if (t.has(x)) both.add(x);
				acc = both;
			}
			return acc;
		}
		case 'or': {
			const acc = new Set<string>();
			for (const c of n.children) {
				const t = possibleTypes(c, env, stack);
				if (t === 'any') return 'any';
				for (const x of t) acc.add(x);
			}
			return acc;
		}
		case 'macro': {
			const m = env.macros.get(n.name);
			if (!m || stack.includes(n.name)) return 'any';
			return possibleTypes(m, env, [...stack, n.name]);
		}
		default:
			return 'any';
	}
}
