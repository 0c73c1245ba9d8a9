/** @module rules/compile: condition AST to a closure (no tree walking per event), with type checks at compile time. */
import type { CmpOp, FieldRef, ListOp, Node, ValueNode } from './ast.js';
import { ConditionError, UnknownFieldError } from './errors.js';
import { lookupField, allFields, type FieldDef } from './fields/index.js';
import type { EvalCtx } from './context.js';
import type { FieldValue } from '../alerts/alert.js';
import { compileGlob, GlobError } from './glob.js';
import { compileRegex, RegexError } from './regex.js';

/** A compiled condition. */
export type Pred = (c: EvalCtx) => boolean;
type Extract = (c: EvalCtx) => FieldValue | undefined;
/** Reads one field's value for a condition. */
export type FieldExtract = Extract;

/** Named lists and macros a condition may use. */
export interface CompileEnv {
	lists: ReadonlyMap<string, readonly string[]>;
	macros: ReadonlyMap<string, Node>;
	/** Where field values come from instead of each field's extractor (search reads stored records this way); the field is still resolved and type-checked. */
	source?: (def: FieldDef, arg: string | undefined) => FieldExtract;
}

/** Compile a condition; fields it reads are added to used (for alert output). */
export function compileCondition(node: Node, env: CompileEnv, used: Set<string> = new Set()): Pred {
	return new Compiler(env, used).node(node, []);
}

/** Resolve a field reference or throw a positioned error (with a suggestion). */
export function resolveField(f: FieldRef): { def: FieldDef; arg?: string; extract: Extract } {
	const hit = lookupField(f.name, f.arg);
	if (!hit) throw new UnknownFieldError(f.name, `unknown field '${f.name}'${suggest(f.name)}`, f.pos);
	const { def, arg } = hit;
	if (def.arg === 'required' && arg === undefined) throw new ConditionError(`field '${f.name}' needs an argument, e.g. ${f.name}[name]`, f.pos);
	if (!def.arg && arg !== undefined) throw new ConditionError(`field '${f.name}' takes no [argument]`, f.pos);
	return { def, arg, extract: (c) => def.extract(c, arg) };
}

function suggest(name: string): string {
	let best = '';
	let bestD = 4;
	for (const d of allFields()) {
		const dist = distance(name, d.name);
		if (dist < bestD) [best, bestD] = [d.name, dist];
	}
	return best ? `; did you mean ${best}?` : '';
}

function distance(a: string, b: string): number {
	const row = Array.from({ length: b.length + 1 }, (_, i) => i);
	for (let i = 1; i <= a.length; i++) {
		let prev = row[0]++;
		for (let j = 1; j <= b.length; j++) {
			const cur = row[j];
			row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
			prev = cur;
		}
	}
	return row[b.length];
}

const anyOf = (v: FieldValue | undefined, t: (x: string | number | boolean) => boolean): boolean =>
	v === undefined || v === null ? false : Array.isArray(v) ? v.some(t) : t(v);

class Compiler {
	constructor(
		private readonly env: CompileEnv,
		private readonly used: Set<string>,
	) {}

	node(n: Node, stack: string[]): Pred {
		switch (n.type) {
			case 'and': {
				const ps = n.children.map((c) => this.node(c, stack));
				if (ps.length === 2) return (c) => ps[0](c) && ps[1](c);
				return (c) => {
					for (let i = 0; i < ps.length; i++) if (!ps[i](c)) return false;
					return true;
				};
			}
			case 'or': {
				const ps = n.children.map((c) => this.node(c, stack));
				if (ps.length === 2) return (c) => ps[0](c) || ps[1](c);
				return (c) => {
					for (let i = 0; i < ps.length; i++) if (ps[i](c)) return true;
					return false;
				};
			}
			case 'not': {
				const p = this.node(n.child, stack);
				return (c) => !p(c);
			}
			case 'macro':
				return this.macro(n.name, n.pos, stack);
			case 'exists': {
				const { extract } = this.field(n.field);
				return (c) => {
					const v = extract(c);
					return v !== undefined && v !== null;
				};
			}
			case 'cmp':
				return this.cmp(n.field, n.op, n.value);
			case 'list':
				return this.list(n.field, n.op, n.values);
		}
	}

	private macro(name: string, pos: { line: number; col: number }, stack: string[]): Pred {
		const m = this.env.macros.get(name);
		if (!m) throw new ConditionError(`unknown macro '${name}' (fields have a dot, e.g. proc.name)`, pos);
		if (stack.includes(name)) throw new ConditionError(`macro loop: ${[...stack, name].join(' -> ')}`, pos);
		return this.node(m, [...stack, name]);
	}

	private field(f: FieldRef) {
		const r = resolveField(f);
		this.used.add(f.arg !== undefined && !r.def.name.endsWith('.') ? `${f.name}[${f.arg}]` : f.name);
		return this.env.source ? { ...r, extract: this.env.source(r.def, r.arg) } : r;
	}

	private cmp(f: FieldRef, op: CmpOp, v: ValueNode): Pred {
		const { def, extract } = this.field(f);
		const s = v.text;
		if (def.type === 'number' || (def.type === 'bool' && (op === '=' || op === '!='))) {
			const want = def.type === 'bool' ? parseBool(v) : parseNum(v);
			const eq = (x: string | number | boolean) => Number(x) === want || x === want;
			if (op === '=') return (c) => anyOf(extract(c), eq);
			if (op === '!=') return (c) => !anyOf(extract(c), eq) && extract(c) !== undefined;
			if (def.type === 'number' && ['<', '<=', '>', '>='].includes(op)) return numCmp(extract, op, want as number);
			throw new ConditionError(`operator '${op}' does not apply to ${def.type} field ${def.name}`, f.pos);
		}
		if (def.type === 'bool') throw new ConditionError(`operator '${op}' does not apply to bool field ${def.name}`, f.pos);
		return strCmp(extract, op, s, v);
	}

	private list(f: FieldRef, op: ListOp, vals: ValueNode[]): Pred {
		const { def, extract } = this.field(f);
		const items = this.expand(vals);
		if (op === 'pmatch') {
			const prefixes = items.map((p) => (p.endsWith('/') ? p : `${p}/`));
			const under = (x: string | number | boolean) => {
				if (typeof x !== 'string') return false;
				if (items.includes(x)) return true;
				for (let i = 0; i < prefixes.length; i++) if (x.startsWith(prefixes[i])) return true;
				return false;
			};
			return (c) => anyOf(extract(c), under);
		}
		if (def.type === 'number') {
			const set = new Set(items.map((t, i) => parseNum({ ...vals[Math.min(i, vals.length - 1)], text: t })));
			const inNum = (x: string | number | boolean) => set.has(Number(x));
			return (c) => anyOf(extract(c), inNum);
		}
		const set = new Set(items);
		const inStr = (x: string | number | boolean) => set.has(typeof x === 'string' ? x : String(x));
		return (c) => anyOf(extract(c), inStr);
	}

	/** List values with named lists expanded (unquoted names only). */
	private expand(vals: ValueNode[]): string[] {
		const out: string[] = [];
		for (const v of vals) {
			const l = v.quoted ? undefined : this.env.lists.get(v.text);
			if (l) out.push(...l);
			else out.push(v.text);
		}
		return out;
	}
}

function parseNum(v: ValueNode): number {
	const n = Number(v.text);
	if (v.text.trim() === '' || !Number.isFinite(n)) throw new ConditionError(`expected a number, found '${v.text}'`, v.pos);
	return n;
}

function parseBool(v: ValueNode): boolean {
	if (v.text === 'true') return true;
	if (v.text === 'false') return false;
	throw new ConditionError(`expected true or false, found '${v.text}'`, v.pos);
}

function numCmp(extract: Extract, op: string, want: number): Pred {
	const t =
		op === '<' ? (x: number) => x < want : op === '<=' ? (x: number) => x <= want : op === '>' ? (x: number) => x > want : (x: number) => x >= want;
	const tn = (x: string | number | boolean) => t(Number(x));
	return (c) => anyOf(extract(c), tn);
}

function strCmp(extract: Extract, op: CmpOp, s: string, v: ValueNode): Pred {
	const test = stringTest(op, s, v);
	const same = (y: string | number | boolean) => String(y) === s;
	const ts = (x: string | number | boolean) => test(typeof x === 'string' ? x : String(x));
	if (op === '!=') return (c) => {
		const x = extract(c);
		return x !== undefined && x !== null && !anyOf(x, same);
	};
	return (c) => anyOf(extract(c), ts);
}

function stringTest(op: CmpOp, s: string, v: ValueNode): (x: string) => boolean {
	switch (op) {
		case '=':
		case '==':
			return (x) => x === s;
		case 'contains':
			return (x) => x.includes(s);
		case 'bcontains':
			return (x) => x.includes(s);
		case 'icontains': {
			const l = s.toLowerCase();
			return (x) => x.toLowerCase().includes(l);
		}
		case 'startswith':
		case 'bstartswith':
			return (x) => x.startsWith(s);
		case 'endswith':
			return (x) => x.endsWith(s);
		case 'glob':
		case 'regex':
			return patternTest(op, s, v);
		case '<':
		case '<=':
		case '>':
		case '>=':
			throw new ConditionError(`operator '${op}' needs a number field`, v.pos);
		default:
			return (x) => x !== s;
	}
}

/** glob and regex: compiled once to a matcher that runs in linear time; a bad pattern is a positioned error. */
function patternTest(op: 'glob' | 'regex', s: string, v: ValueNode): (x: string) => boolean {
	try {
		if (op === 'glob') return compileGlob(s);
		const re = compileRegex(s);
		return (x) => re.test(x);
	} catch (e) {
		if (e instanceof GlobError || e instanceof RegexError) throw new ConditionError(`invalid ${op}: ${e.message}`, v.pos);
		throw e;
	}
}
