/** @module store/where: `--where COND` over stored records: a rule-language condition whose checkable parts become SQL (search columns first), evaluated in full on each decoded row. */
import type { CmpOp, FieldRef, Node, ValueNode } from '../rules/ast.js';
import { compileCondition, resolveField, type FieldExtract, type Pred } from '../rules/compile.js';
import { EvalCtx } from '../rules/context.js';
import type { FieldDef } from '../rules/fields/index.js';
import { parseCondition } from '../rules/parser.js';
import type { FieldValue } from '../alerts/alert.js';
import { SEARCH_COLUMNS } from './schema.js';

/** The SQL part of a condition (a necessary condition: it never leaves out a row the condition accepts) and the full test on a decoded row. */
export interface WhereFilter {
	/** Empty when nothing could be pushed to SQL (every row is decoded and tested). */
	sql: string;
	params: unknown[];
	/** True when the record's data (and its time) satisfies the whole condition. */
	test(data: Record<string, unknown>, timeMs: number): boolean;
}

/** Fields with a search expression (schema.ts SEARCH_COLUMNS; the time column): the SQL prefilter tests them exactly, not only as text in the JSON. */
const COLUMNS: Readonly<Record<string, string>> = {
	'evt.time': 'time_ms',
	'evt.type': SEARCH_COLUMNS.etype,
	'proc.pid': SEARCH_COLUMNS.pid,
	'user.uid': SEARCH_COLUMNS.uid,
	'user.name': SEARCH_COLUMNS.user,
	'proc.name': SEARCH_COLUMNS.comm,
};

// A stored record's fields seen through the rule fields: the context the compiled condition reads.
class StoredCtx extends EvalCtx {
	fields: Record<string, FieldValue> = {};
	timeMs = 0;
}

/** The key a field has in a stored record's `fields` (proc.name, evt.arg.flags, proc.aname[2]). */
export function fieldKey(def: FieldDef, arg: string | undefined): string {
	if (def.name.endsWith('.')) return def.name + (arg ?? '');
	return arg === undefined ? def.name : `${def.name}[${arg}]`;
}

function storedSource(def: FieldDef, arg: string | undefined): FieldExtract {
	const key = fieldKey(def, arg);
	if (key === 'evt.time') return (c) => (c as StoredCtx).fields[key] ?? (c as StoredCtx).timeMs;
	return (c) => {
		const v = (c as StoredCtx).fields[key];
		return v === null ? undefined : v;
	};
}

/** Parses and compiles a condition for stored records; a ConditionError (with its position) for bad text, unknown fields or wrong types. */
export function compileWhere(text: string): WhereFilter {
	const node = parseCondition(text);
	const pred: Pred = compileCondition(node, { lists: new Map(), macros: new Map(), source: storedSource });
	const ctx = new StoredCtx();
	const sql = toSql(node);
	return {
		sql: sql?.sql ?? '',
		params: sql?.params ?? [],
		test(data, timeMs) {
			ctx.fields = (data.fields ?? {}) as Record<string, FieldValue>;
			ctx.timeMs = timeMs;
			return pred(ctx);
		},
	};
}

interface Sql {
	sql: string;
	params: unknown[];
}

/** The SQL that every row satisfying n satisfies, or undefined when n cannot be checked in SQL (then: true). */
export function toSql(n: Node): Sql | undefined {
	switch (n.type) {
		case 'and': {
			const parts = n.children.map(toSql).filter((p): p is Sql => p !== undefined);
			return parts.length ? join(parts, ' AND ') : undefined;
		}
		case 'or': {
			const parts = n.children.map(toSql);
			return parts.every((p) => p !== undefined) ? join(parts as Sql[], ' OR ') : undefined;
		}
		case 'exists': {
			const col = column(n.field);
			return col && { sql: `${col.sql} IS NOT NULL`, params: col.params };
		}
		case 'cmp':
			return cmpSql(n.field, n.op, n.value);
		case 'list': {
			const col = column(n.field);
			if (!col || n.op !== 'in' || n.values.length === 0 || (col.def.type === 'string' && !(col.key in COLUMNS))) return undefined;
			const vals = n.values.map((v) => literal(col.def, v));
			if (vals.some((v) => v === undefined)) return undefined;
			return { sql: `${col.sql} IN (${vals.map(() => '?').join(',')})`, params: [...col.params, ...vals] };
		}
		default:
			return undefined; // not: SQL's NULL logic differs from an absent field; macros are not allowed here
	}
}

function join(parts: Sql[], op: string): Sql {
	return parts.length === 1 ? parts[0] : { sql: `(${parts.map((p) => p.sql).join(op)})`, params: parts.flatMap((p) => p.params) };
}

// The SQL value of a field: a search column, or the JSON member of a scalar field. Undefined for list fields (proc.argv): their JSON is an array.
function column(f: FieldRef): { sql: string; params: unknown[]; def: FieldDef; key: string } | undefined {
	const { def, arg } = resolveField(f);
	if (def.type === 'strings') return undefined;
	const key = fieldKey(def, arg);
	const col = COLUMNS[key];
	if (col) return { sql: col, params: [], def, key };
	return { sql: `json_extract(data, ?)`, params: [`$.fields.${JSON.stringify(key)}`], def, key };
}

// The value as SQL compares it: a number for number fields, true/false as 1/0, else the text. Undefined when the compiler would reject it (it reports that).
function literal(def: FieldDef, v: ValueNode): unknown {
	if (def.type === 'number') {
		const x = Number(v.text);
		return v.text.trim() !== '' && Number.isFinite(x) ? x : undefined;
	}
	if (def.type === 'bool') return v.text === 'true' ? 1 : v.text === 'false' ? 0 : undefined;
	return v.text;
}

const NUM_OPS: ReadonlySet<CmpOp> = new Set(['<', '<=', '>', '>=']);
const TEXT_OPS: ReadonlySet<CmpOp> = new Set(['=', '==', 'startswith', 'bstartswith', 'endswith', 'contains', 'bcontains']);

/** Text fields whose stored value is always a JSON string (or null): a test on them can look for `"key":"value` in the record's text. */
const STRING_VALUED: ReadonlySet<string> = new Set(['evt.type', 'proc.name', 'user.name', 'fd.name', 'fd.directory', 'fd.filename', 'proc.exepath', 'proc.cwd', 'proc.cmdline', 'proc.pname']);

// Text the record's data must contain, as JSON writes it: a substring scan (memmem), before any JSON is read. The stored
// text writes a member as "key":value with no space, for events (eventJsonText) and alerts (canonical JSON) alike.
const textIn = (s: string): Sql => ({ sql: 'instr(data, ?) > 0', params: [s] });
const jsonText = (s: string): string => JSON.stringify(s).slice(1, -1);

// The most selective text a match must contain: "key":"value" (=), "key":"prefix (startswith), or the value's text
// (a field that may hold a number or a bool: rules compare its text, and its JSON is that text too).
function textFor(key: string, op: CmpOp, x: string): Sql {
	if (!STRING_VALUED.has(key)) return textIn(jsonText(x));
	const member = `${JSON.stringify(key)}:"${jsonText(x)}`;
	if (op === '=' || op === '==') return textIn(`${member}"`);
	if (op === 'startswith' || op === 'bstartswith') return textIn(member);
	return textIn(jsonText(x));
}

function cmpSql(f: FieldRef, op: CmpOp, v: ValueNode): Sql | undefined {
	const col = column(f);
	if (!col) return undefined;
	const x = literal(col.def, v);
	if (x === undefined) return undefined;
	const c = col.sql;
	const p = (...more: unknown[]): unknown[] => [...col.params, ...more];
	if (typeof x !== 'string') {
		if (op === '=' || op === '==' || op === '!=' || NUM_OPS.has(op)) {
			const test = { sql: `${c} ${op === '==' ? '=' : op} ?`, params: p(x) };
			// A number equal to x is written "key":x (a bool as true/false), with the value's own text.
			const shown = col.def.type === 'bool' ? (x ? 'true' : 'false') : Object.is(x, -0) ? undefined : String(x);
			return (op === '=' || op === '==') && shown !== undefined && col.key !== 'evt.time' ? join([textIn(`${JSON.stringify(col.key)}:${shown}`), test], ' AND ') : test;
		}
		return undefined;
	}
	if (x === '' || !TEXT_OPS.has(op)) return undefined; // icontains, glob, regex, !=: on the decoded row only
	const pre = textFor(col.key, op, x);
	if (!(col.key in COLUMNS)) return pre;
	const exact = op === '=' || op === '==' ? { sql: `${c} = ?`, params: p(x) }
		: op === 'startswith' || op === 'bstartswith' ? { sql: `substr(${c}, 1, length(?)) = ?`, params: p(x, x) }
		: op === 'endswith' ? { sql: `substr(${c}, -length(?)) = ?`, params: p(x, x) }
		: { sql: `instr(${c}, ?) > 0`, params: p(x) };
	return join([pre, exact], ' AND ');
}
