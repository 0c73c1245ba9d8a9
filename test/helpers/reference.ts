/** @module test/helpers/reference: a plain AST-walking evaluator, the reference the compiled closures are tested against. */
import type { Node } from '../../src/rules/ast.js';
import type { CompileEnv } from '../../src/rules/compile.js';
import { resolveField } from '../../src/rules/compile.js';
import { compileRegex } from '../../src/rules/regex.js';
import type { EvalCtx } from '../../src/rules/context.js';
import type { FieldValue } from '../../src/alerts/alert.js';

function values(v: FieldValue | undefined): (string | number | boolean)[] {
	if (v === undefined || v === null) return [];
	return Array.isArray(v) ? v : [v];
}

/** Evaluate a condition directly on the tree (slow; for tests only). */
export function evaluate(n: Node, env: CompileEnv, c: EvalCtx): boolean {
	switch (n.type) {
		case 'and':
			return n.children.every((x) => evaluate(x, env, c));
		case 'or':
			return n.children.some((x) => evaluate(x, env, c));
		case 'not':
			return !evaluate(n.child, env, c);
		case 'macro':
			return evaluate(env.macros.get(n.name)!, env, c);
		case 'exists': {
			const v = resolveField(n.field).extract(c);
			return v !== undefined && v !== null;
		}
		case 'cmp': {
			const { def, extract } = resolveField(n.field);
			const xs = values(extract(c));
			const s = n.value.text;
			if (n.op === '!=') return xs.length > 0 && !xs.some((x) => (def.type === 'string' || def.type === 'strings' ? String(x) === s : String(x) === s || Number(x) === Number(s)));
			return xs.some((x) => cmpOne(def.type, n.op, x, s));
		}
		case 'list': {
			const items = n.values.flatMap((v) => (!v.quoted && env.lists.get(v.text)) || [v.text]);
			const xs = values(resolveField(n.field).extract(c)).map(String);
			if (n.op === 'pmatch') return xs.some((x) => items.some((p) => x === p || x.startsWith(p.endsWith('/') ? p : `${p}/`)));
			return xs.some((x) => items.some((i) => i === x || (i.trim() !== '' && Number(i) === Number(x) && !Number.isNaN(Number(x)))));
		}
	}
}

function cmpOne(type: string, op: string, x: string | number | boolean, s: string): boolean {
	if (type === 'number' || type === 'bool') {
		const want = type === 'bool' ? s === 'true' : Number(s);
		const n = Number(x);
		switch (op) {
			case '=':
				return n === want || x === want;
			case '<':
				return n < (want as number);
			case '<=':
				return n <= (want as number);
			case '>':
				return n > (want as number);
			case '>=':
				return n >= (want as number);
		}
		return false;
	}
	const t = String(x);
	switch (op) {
		case '=':
			return t === s;
		case 'contains':
		case 'bcontains':
			return t.indexOf(s) >= 0;
		case 'icontains':
			return t.toLowerCase().indexOf(s.toLowerCase()) >= 0;
		case 'startswith':
		case 'bstartswith':
			return t.slice(0, s.length) === s;
		case 'endswith':
			return s.length === 0 || t.slice(-s.length) === s;
		case 'glob':
			return globToRegExp(s).test(t);
		case 'regex':
			return compileRegex(s).test(t);
	}
	return false;
}

/**
 * A glob as an anchored RegExp with the compiler's semantics (fnmatch, FNM_NOESCAPE, no FNM_PATHNAME;
 * `[!x]` or `[^x]` negate; a `]` first in a class is a member; `[` without `]` is literal). A second,
 * independent implementation for tests on short strings: it backtracks, so never on event data.
 */
export function globToRegExp(g: string): RegExp {
	let re = '';
	for (let i = 0; i < g.length; i++) {
		const ch = g[i];
		if (ch === '*') re += '[^]*';
		else if (ch === '?') re += '[^]';
		else if (ch === '[') {
			const neg = g[i + 1] === '!' || g[i + 1] === '^';
			const start = neg ? i + 2 : i + 1;
			const end = g.indexOf(']', start + 1);
			if (end < 0) re += '\\[';
			else {
				re += `[${neg ? '^' : ''}${g.slice(start, end).replace(/[\\\]^[]/g, '\\$&')}]`;
				i = end;
			}
		} else re += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
	}
	return new RegExp(`^${re}$`);
}
