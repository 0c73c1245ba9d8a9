/** @module rules/pushdown/priv: whether any condition can match an identity syscall that changed nothing (else the kernel drops those). */
import type { Node } from '../ast.js';
import type { CompileEnv } from '../compile.js';
import { possibleTypes } from '../evttypes.js';
import type { ConditionSet } from './conditions.js';
import { PRIV_SYSCALLS } from '../../events/table.js';

/** Identity syscalls the kernel may drop when they succeed and change nothing. */
const PRIV_CALL_TYPES = new Set(Object.keys(PRIV_SYSCALLS).filter((n) => PRIV_SYSCALLS[n].noopDroppable));
/** Bool fields true only when credentials changed. */
const CHANGE_FLAGS = new Set(['priv.becomes_root', 'priv.unusual', 'priv.unexplained']);

/**
 * The enabled rules that can match an identity syscall which succeeded and changed nothing
 * (setuid(0) by root). The monitor drops those calls in the kernel unless some rule needs them.
 */
export function privNoopRules(rules: ConditionSet): string[] {
	const out: string[] = [];
	for (const r of rules.all) {
		if (!r.enabled) continue;
		if (r.types !== 'any' && ![...r.types].some((t) => PRIV_CALL_TYPES.has(t))) continue;
		if (!impliesChange(r.condition, rules.env, [])) out.push(r.name);
	}
	return out;
}

/** Does every identity-syscall record matching n show a credential change? */
function impliesChange(n: Node, env: CompileEnv, stack: string[]): boolean {
	switch (n.type) {
		case 'and':
			return n.children.some((c) => impliesChange(c, env, stack));
		case 'or':
			return n.children.every((c) => !canMatchPrivCall(c, env) || impliesChange(c, env, stack));
		case 'macro': {
			const m = env.macros.get(n.name);
			return !!m && !stack.includes(n.name) && impliesChange(m, env, [...stack, n.name]);
		}
		case 'cmp':
			return CHANGE_FLAGS.has(n.field.name) && (n.op === '=' || n.op === '==') && n.value.text === 'true';
		case 'list':
			return n.field.name === 'priv.gained_caps' && (n.op === 'in' || n.op === 'intersects');
		default:
			return false;
	}
}

function canMatchPrivCall(n: Node, env: CompileEnv): boolean {
	const t = possibleTypes(n, env);
	return t === 'any' || [...t].some((x) => PRIV_CALL_TYPES.has(x));
}
