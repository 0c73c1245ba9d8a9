/** @module rules/items: YAML rules files to checked list/macro/rule items (every problem collected with file:line:col). */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, Scalar, type Node as YNode, type YAMLMap } from 'yaml';
import type { Pos, RuleProblem } from './errors.js';
import { nodePos, placedText } from './yaml-pos.js';
import type { AggregateSpec } from '../alerts/aggregate.js';
import { PRIORITIES, RULE_ACTIONS, type Priority, type RuleAction } from '../alerts/alert.js';

/** A piece of condition text and where it starts. */
export interface Piece {
	text: string;
	pos: Pos;
}

export interface ExceptionItem {
	name: string;
	fields: { name: string; pos: Pos }[];
	comps: string[];
	values: { items: (string | string[])[]; pos: Pos }[];
	pos: Pos;
}

/** One item as written (before merging appends and overrides). */
export type RawItem =
	| { kind: 'list'; name: string; items: string[]; append: boolean; pos: Pos }
	| { kind: 'macro'; name: string; condition?: Piece; append: boolean; pos: Pos; falco: boolean }
	| {
			kind: 'rule';
			name: string;
			pos: Pos;
			keys: Set<string>;
			append: boolean;
			override: Record<string, 'append' | 'replace'>;
			desc?: string;
			condition?: Piece;
			output?: Piece;
			priority?: Priority;
			tags?: string[];
			enabled?: boolean;
			action?: RuleAction;
			mode?: 'audit' | 'enforce';
			aggregate?: AggregateSpec | false;
			exceptions?: ExceptionItem[];
			/** Falco's event source (syscall when absent). */
			source?: string;
			/** Written in a Falco file (see isFalcoFile): a rule with a field bpfguard lacks is skipped, not an error. */
			falco: boolean;
	  };

const RULE_KEYS = new Set(['rule', 'desc', 'condition', 'output', 'priority', 'tags', 'enabled', 'exceptions', 'append', 'override', 'action', 'source', 'warn_evttypes', 'skip-if-unknown-filter', 'capture', 'capture_duration', 'mode', 'aggregate']);
const IGNORED_TOP = new Set(['required_engine_version', 'required_plugin_versions']);

/**
 * A Falco file: it has required_engine_version or required_plugin_versions, or an item says source:.
 * In such a file a rule using a field bpfguard cannot provide is skipped with a warning; in bpfguard's
 * own files an unknown field stays an error (it is almost always a typo).
 */
export function isFalcoFile(items: readonly unknown[]): boolean {
	return items.some((it) => isMap(it) && it.items.some((p) => isScalar(p.key) && (IGNORED_TOP.has(String(p.key.value)) || p.key.value === 'source')));
}
const ACTIONS: readonly RuleAction[] = RULE_ACTIONS;

/** Parse one file's text into raw items; problems are appended to out. */
export function parseRulesText(src: string, file: string, problems: RuleProblem[]): RawItem[] {
	const lc = new LineCounter();
	const doc = parseDocument(src, { lineCounter: lc, uniqueKeys: true, prettyErrors: false });
	const err = (pos: Pos, message: string) => problems.push({ file, line: pos.line, col: pos.col, message, severity: 'error' });
	for (const e of doc.errors) {
		const { line, col } = lc.linePos(e.pos[0]);
		err({ line, col }, `yaml: ${e.message.split('\n')[0]}`);
	}
	if (doc.errors.length) return [];
	const root = doc.contents;
	if (root === null) return [];
	if (!isSeq(root)) {
		err(nodePos(root as YNode, lc, file), 'a rules file is a YAML list of items (- rule:, - macro:, - list:)');
		return [];
	}
	const out: RawItem[] = [];
	const falco = isFalcoFile(root.items);
	for (const it of root.items) {
		const pos = nodePos(it as YNode, lc, file);
		if (!isMap(it)) {
			err(pos, 'each item must be a mapping with rule:, macro: or list:');
			continue;
		}
		const item = new ItemReader(it, src, lc, file, err, falco).read(pos);
		if (item) out.push(item);
	}
	return out;
}

class ItemReader {
	constructor(
		private readonly m: YAMLMap,
		private readonly src: string,
		private readonly lc: LineCounter,
		private readonly file: string,
		private readonly err: (pos: Pos, msg: string) => void,
		private readonly falco: boolean,
	) {}

	private node(key: string): YNode | undefined {
		return this.m.get(key, true) as YNode | undefined;
	}

	private pos(n: YNode | undefined): Pos {
		return nodePos(n, this.lc, this.file);
	}

	private str(key: string): string | undefined {
		const n = this.node(key);
		if (n === undefined) return undefined;
		if (!isScalar(n) || n.value === null || typeof n.value === 'object') {
			this.err(this.pos(n), `${key} must be a string`);
			return undefined;
		}
		return String(n.value);
	}

	private bool(key: string): boolean | undefined {
		const n = this.node(key);
		if (n === undefined) return undefined;
		if (!isScalar(n) || typeof n.value !== 'boolean') {
			this.err(this.pos(n), `${key} must be true or false`);
			return undefined;
		}
		return n.value;
	}

	private strList(key: string): string[] | undefined {
		const n = this.node(key);
		if (n === undefined) return undefined;
		if (!isSeq(n) || !n.items.every((x) => isScalar(x) && x.value !== null && typeof x.value !== 'object')) {
			this.err(this.pos(n), `${key} must be a list of strings`);
			return undefined;
		}
		return n.items.map((x) => String((x as { value: unknown }).value));
	}

	private piece(key: string): Piece | undefined {
		const n = this.node(key);
		if (n === undefined) return undefined;
		if (!isScalar(n) || n.value === null || typeof n.value === 'object') {
			this.err(this.pos(n), `${key} must be a string`);
			return undefined;
		}
		return placedText(n, this.src, this.lc, this.file);
	}

	/** An output is text, not a condition: a folded (>) block reads as YAML folds it, one line, as Falco prints it. */
	private outputPiece(): Piece | undefined {
		const p = this.piece('output');
		const n = this.node('output');
		return p && isScalar(n) && n.type === Scalar.BLOCK_FOLDED ? { text: String(n.value).trimEnd(), pos: p.pos } : p;
	}

	read(pos: Pos): RawItem | undefined {
		const keys = this.m.items.map((p) => (isScalar(p.key) ? String(p.key.value) : ''));
		const kind = ['rule', 'macro', 'list'].find((k) => keys.includes(k));
		if (!kind) {
			if (keys.some((k) => IGNORED_TOP.has(k))) return undefined;
			this.err(pos, `unknown item: expected rule:, macro: or list: (found ${keys.join(', ') || 'nothing'})`);
			return undefined;
		}
		const name = this.str(kind);
		if (!name) {
			this.err(pos, `${kind} needs a name`);
			return undefined;
		}
		// Falco 0.37+: override: {items: append} / {condition: append} is the new spelling of append: true.
		const ov = kind === 'rule' ? {} : this.override(name, kind);
		const append = (this.bool('append') ?? false) || ov[kind === 'list' ? 'items' : 'condition'] === 'append';
		if (kind === 'list') return { kind, name, items: this.strList('items') ?? [], append, pos };
		if (kind === 'macro') {
			const condition = this.piece('condition');
			if (!condition) this.err(pos, `macro ${name} needs a condition`);
			return { kind, name, condition, append, pos, falco: this.falco };
		}
		return this.rule(name, keys, append, pos);
	}

	private rule(name: string, keys: string[], append: boolean, pos: Pos): RawItem {
		void keys;
		for (const p of this.m.items) {
			const k = isScalar(p.key) ? String(p.key.value) : '';
			if (!RULE_KEYS.has(k)) this.err(this.pos(p.key as YNode), `rule ${name}: unknown key '${k}'`);
		}
		const pri = this.str('priority');
		let priority: Priority | undefined;
		if (pri !== undefined) {
			const p = pri.toLowerCase() === 'info' ? 'informational' : pri.toLowerCase();
			if ((PRIORITIES as readonly string[]).includes(p)) priority = p as Priority;
			else this.err(this.pos(this.node('priority')), `rule ${name}: unknown priority '${pri}' (one of ${PRIORITIES.join(', ')})`);
		}
		const action = this.str('action');
		if (action !== undefined && !(ACTIONS as readonly string[]).includes(action)) this.err(this.pos(this.node('action')), `rule ${name}: unknown action '${action}' (${ACTIONS.join(', ')})`);
		const mode = this.str('mode');
		if (mode !== undefined && mode !== 'audit' && mode !== 'enforce') this.err(this.pos(this.node('mode')), `rule ${name}: unknown mode '${mode}' (audit or enforce)`);
		if (mode !== undefined && (action === undefined || action === 'alert' || action === 'log')) this.err(this.pos(this.node('mode')), `rule ${name}: mode applies to the blocking actions (kill, deny, quarantine) only`);
		return {
			kind: 'rule',
			name,
			pos,
			keys: new Set(keys),
			append,
			override: this.override(name),
			desc: this.str('desc'),
			condition: this.piece('condition'),
			output: this.outputPiece(),
			priority,
			tags: this.strList('tags'),
			enabled: this.bool('enabled'),
			action: (ACTIONS as readonly string[]).includes(action ?? '') ? (action as RuleAction) : undefined,
			mode: mode === 'audit' || mode === 'enforce' ? mode : undefined,
			aggregate: this.aggregate(name),
			exceptions: this.exceptions(name),
			source: this.str('source'),
			falco: this.falco,
		};
	}

	/** `aggregate: false`, or a map of window (s), values (fields), cap and min_distinct (needs values). */
	private aggregate(name: string): AggregateSpec | false | undefined {
		const n = this.node('aggregate');
		if (n === undefined) return undefined;
		if (isScalar(n) && n.value === false) return false;
		const bad = (at: YNode | undefined, why: string): undefined => (this.err(this.pos(at), `rule ${name}: aggregate: ${why}`), undefined);
		if (!isMap(n)) return bad(n, 'false, or a map of window, values, cap, min_distinct');
		const out: AggregateSpec = {};
		for (const p of n.items) {
			const k = isScalar(p.key) ? String(p.key.value) : '';
			const v = p.value as YNode | undefined;
			const num = isScalar(v) && typeof v.value === 'number' && Number.isInteger(v.value) && v.value > 0 ? v.value : undefined;
			if (k === 'values') {
				if (!isSeq(v) || !v.items.length || !v.items.every((x) => isScalar(x) && typeof x.value === 'string')) return bad(v, 'values must be a list of field names');
				out.values = v.items.map((x) => String((x as { value: unknown }).value));
			} else if (k === 'window' || k === 'cap' || k === 'min_distinct') {
				if (num === undefined || num > 86400) return bad(v, `${k} must be an integer from 1 to 86400`);
				if (k === 'window') out.windowMs = num * 1000;
				else if (k === 'cap') out.cap = num;
				else out.minDistinct = num;
			} else return bad(p.key as YNode, `unknown key '${k}' (window, values, cap, min_distinct)`);
		}
		if (out.minDistinct && !out.values) return bad(n, 'min_distinct counts distinct values of the values fields: name them');
		return out;
	}

	private override(name: string, kind = 'rule'): Record<string, 'append' | 'replace'> {
		const n = this.node('override');
		const out: Record<string, 'append' | 'replace'> = {};
		if (n === undefined) return out;
		if (!isMap(n)) {
			this.err(this.pos(n), `${kind} ${name}: override must map keys to append or replace`);
			return out;
		}
		for (const p of n.items) {
			const k = isScalar(p.key) ? String(p.key.value) : '';
			const v = isScalar(p.value) ? String(p.value.value) : '';
			if (v !== 'append' && v !== 'replace') this.err(this.pos(p.value as YNode), `${kind} ${name}: override of ${k} must be append or replace`);
			else out[k] = v;
		}
		return out;
	}

	private exceptions(rule: string): ExceptionItem[] | undefined {
		const n = this.node('exceptions');
		if (n === undefined) return undefined;
		if (!isSeq(n)) {
			this.err(this.pos(n), `rule ${rule}: exceptions must be a list`);
			return undefined;
		}
		return n.items.flatMap((x) => {
			const e = isMap(x) ? readException(x, rule, this.lc, this.file, this.err) : undefined;
			if (!isMap(x)) this.err(this.pos(x as YNode), `rule ${rule}: each exception is a mapping (name, fields, comps, values)`);
			return e ? [e] : [];
		});
	}
}

function readException(m: YAMLMap, rule: string, lc: LineCounter, file: string, err: (p: Pos, s: string) => void): ExceptionItem | undefined {
	const pos = nodePos(m as YNode, lc, file);
	const name = String((m.get('name') as unknown) ?? '');
	if (!name) err(pos, `rule ${rule}: an exception needs a name`);
	const fieldsNode = m.get('fields', true) as YNode | undefined;
	const single = isScalar(fieldsNode);
	const fieldNodes = single ? [fieldsNode] : isSeq(fieldsNode) ? (fieldsNode.items as YNode[]) : [];
	if (!fieldNodes.length && fieldsNode !== undefined) {
		err(nodePos(fieldsNode, lc, file), `rule ${rule}: exception ${name} needs fields`);
		return undefined;
	}
	// No fields: values appended to an exception of the same name (checked when merging).
	const fields = fieldNodes.map((f) => ({ name: String((f as { value: unknown }).value), pos: nodePos(f, lc, file) }));
	const compsRaw = m.get('comps') as unknown;
	const comps = fields.map((_, i) => {
		const c = single ? compsRaw : isSeq(compsRaw) ? (compsRaw.items[i] as { value?: unknown })?.value : undefined;
		return c === undefined || c === null ? (single ? 'in' : '=') : String(c);
	});
	const valuesNode = m.get('values', true) as YNode | undefined;
	const values: ExceptionItem['values'] = [];
	if (isSeq(valuesNode)) {
		for (const v of valuesNode.items as YNode[]) {
			const js = (v as { toJSON(): unknown }).toJSON();
			const tuple = single ? [js] : js;
			if (!Array.isArray(tuple) || (fields.length > 0 && tuple.length !== fields.length)) {
				err(nodePos(v, lc, file), `rule ${rule}: exception ${name}: each value must have ${fields.length} item(s), like fields`);
				continue;
			}
			values.push({ items: tuple.map((x) => (Array.isArray(x) ? x.map(String) : String(x))), pos: nodePos(v, lc, file) });
		}
	}
	// One field and a list comparison (in, the default): one list; another comparison: any one value.
	if (single && values.length && ['in', 'pmatch', 'intersects'].includes(comps[0])) return { name, fields, comps, values: [{ items: [values.flatMap((v) => v.items).flat() as string[]], pos: values[0].pos }], pos };
	return { name, fields, comps, values, pos };
}

/** A rule after every append and override. */
export interface MergedRule {
	name: string;
	pos: Pos;
	desc: string;
	condition: Piece[];
	output: Piece;
	priority: Priority;
	tags: string[];
	enabled: boolean;
	action: RuleAction;
	/** Blocking actions: pinned to audit (never act) or enforce (act when the monitor enforces); default: the monitor's switch. */
	mode?: 'audit' | 'enforce';
	/** How repeats by one process fold (alerts/aggregate); false: not folded by process (the throttle applies). */
	aggregate?: AggregateSpec | false;
	exceptions: ExceptionItem[];
	/** Falco's event source (syscall when absent). */
	source?: string;
	/** Defined or extended in a Falco file. */
	falco: boolean;
}

/** Everything the files define, merged in load order. */
export interface MergedItems {
	lists: Map<string, { items: string[]; pos: Pos }>;
	macros: Map<string, { condition: Piece[]; pos: Pos; falco?: boolean }>;
	rules: Map<string, MergedRule>;
}
