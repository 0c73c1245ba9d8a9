/** @module rules/falco: what Falco rule files need beyond bpfguard's own (event sources, evt.dir, skipped rules). */
import type { Node } from './ast.js';
import type { Pos } from './errors.js';

/** Falco event sources bpfguard feeds: its records are syscall events. */
export const SOURCES = new Set(['syscall']);

/** A rule that is not run, and why (rules list --falco-compat). */
export interface SkippedRule {
	name: string;
	reason: string;
	pos: Pos;
}

const TRUE: Node = { type: 'and', children: [], pos: { line: 1, col: 1 } };
const FALSE: Node = { type: 'or', children: [], pos: { line: 1, col: 1 } };

/**
 * Falco's evt.dir = < / > (exit / enter) to constants: every bpfguard record is an exit event, so '<'
 * is always true and '>' never. bpfguard's own evt.dir values (in, out: a connection's direction)
 * can never be '<' or '>', so the two meanings do not clash.
 */
export function resolveEvtDir(n: Node): Node {
	switch (n.type) {
		case 'and':
		case 'or':
			return { ...n, children: n.children.map(resolveEvtDir) };
		case 'not':
			return { ...n, child: resolveEvtDir(n.child) };
		case 'cmp': {
			if (n.field.name !== 'evt.dir' || (n.value.text !== '<' && n.value.text !== '>')) return n;
			const exit = n.value.text === '<';
			if (n.op === '=' || n.op === '==') return { ...(exit ? TRUE : FALSE), pos: n.pos };
			if (n.op === '!=') return { ...(exit ? FALSE : TRUE), pos: n.pos };
			return n;
		}
		default:
			return n;
	}
}
