/** @module rules/pushdown/file: the file sensor's watch set and report-all syscalls for a condition set. */
import type { FieldRef, Node, ValueNode } from '../ast.js';
import type { CompileEnv } from '../compile.js';
import { possibleTypes } from '../evttypes.js';
import type { ConditionSet } from './conditions.js';
import { FILE_SYSCALLS } from '../../events/table.js';
import { BgWatchLimit, BgWatchMode } from '../../events/generated/layouts.js';
import type { WatchMode, WatchName, WatchPath, WatchSet } from '../../sensors/options.js';

/** Access bits, as enum bg_watch_mode: reads, writes (opens for writing and every change). */
const R = BgWatchMode.BG_WATCH_READ;
const W = BgWatchMode.BG_WATCH_WRITE;
const RW = R | W;
/** Longest watchable path and name in bytes (the kernel keys hold a NUL more). */
const KEY_MAX = BgWatchLimit.BG_WATCH_KEY - 1;
const NAME_MAX = BgWatchLimit.BG_WATCH_NAME - 1;

/** What the file sensor must report so that every enabled rule sees every event it can match. */
export interface FilePushdown {
	/** Paths and names the rules constrain file events to. */
	watch: WatchSet;
	/** File syscalls reported whatever the path (their rules have no path constraint). */
	allSyscalls: string[];
	/** An open syscall is reported for every path: expensive. */
	allFiles: boolean;
	/** Rules without a path constraint that can match file events. */
	unconstrained: string[];
}

/** Watch entries a condition's file events must hit, or null when it does not constrain the path. */
type Need = { paths: WatchPath[]; names: WatchName[] } | null;

const FILE_TYPES = Object.keys(FILE_SYSCALLS);
const isChange = (t: string) => FILE_SYSCALLS[t]?.change === true;
const toMode = (bits: number): WatchMode => (bits === R ? 'r' : bits === W ? 'w' : 'rw');
const fromMode = (m: WatchMode | undefined): number => (m === 'r' ? R : m === 'w' ? W : RW);

/** Compute the file sensor's watch set and report-all syscalls from the enabled rules. */
export function filePushdown(rules: ConditionSet): FilePushdown {
	const out: FilePushdown = { watch: { paths: [], names: [] }, allSyscalls: [], allFiles: false, unconstrained: [] };
	const all = new Set<string>();
	for (const r of rules.all) {
		if (!r.enabled) continue;
		const types = r.types === 'any' ? FILE_TYPES : [...r.types].filter((t) => t in FILE_SYSCALLS);
		if (!types.length) continue;
		const need = new Analysis(rules.env).need(r.condition, []);
		if (need) {
			out.watch.paths.push(...need.paths);
			out.watch.names.push(...need.names);
			continue;
		}
		out.unconstrained.push(r.name);
		for (const t of types) all.add(t);
	}
	out.allSyscalls = FILE_TYPES.filter((t) => all.has(t));
	out.allFiles = out.allSyscalls.some((t) => !isChange(t));
	out.watch = mergeWatch(out.watch);
	return out;
}

/** One entry per path (exact or prefix) and per name, modes or-ed together. */
export function mergeWatch(ws: WatchSet): WatchSet {
	const paths = new Map<string, WatchPath>();
	for (const p of ws.paths) {
		const k = `${p.exact ? 'e' : 'p'}${p.path}`;
		const old = paths.get(k);
		paths.set(k, { ...p, mode: toMode(fromMode(p.mode) | (old ? fromMode(old.mode) : 0)), ...kills(p, old) });
	}
	const names = new Map<string, WatchName>();
	for (const n of ws.names) {
		const k = `${n.where}${n.name}`;
		const old = names.get(k);
		names.set(k, { ...n, mode: toMode(fromMode(n.mode) | (old ? fromMode(old.mode) : 0)), ...kills(n, old) });
	}
	return { paths: [...paths.values()], names: [...names.values()] };
}

/** The kill slots of two merged entries, when either has some. */
function kills(a: { kill?: number }, b: { kill?: number } | undefined): { kill?: number } {
	const k = (a.kill ?? 0) | (b?.kill ?? 0);
	return k ? { kill: k >>> 0 } : {};
}

class Analysis {
	constructor(private readonly env: CompileEnv) {}

	/** Entries (with the access they need) that every file event matching n hits; null = any path. */
	need(n: Node, stack: string[]): Need {
		switch (n.type) {
			case 'and':
				return this.and(n.children, stack);
			case 'or':
				return this.or(n.children, stack);
			case 'macro': {
				const m = this.env.macros.get(n.name);
				return m && !stack.includes(n.name) ? this.need(m, [...stack, n.name]) : null;
			}
			case 'cmp':
				return pathNeed(n.field, n.op, [n.value.text]);
			case 'list':
				return pathNeed(n.field, n.op, this.expand(n.values));
			default:
				return null;
		}
	}

	/** Access bits file events matching n can need (AND narrows, OR widens). */
	access(n: Node, stack: string[]): number {
		switch (n.type) {
			case 'and':
				return n.children.reduce((acc, c) => acc & this.access(c, stack), RW);
			case 'or':
				return n.children.reduce((acc, c) => acc | this.access(c, stack), 0);
			case 'macro': {
				const m = this.env.macros.get(n.name);
				return m && !stack.includes(n.name) ? this.access(m, [...stack, n.name]) : RW;
			}
			case 'cmp':
			case 'list':
				return leafAccess(n, n.type === 'cmp' ? [n.value.text] : this.expand(n.values));
			default:
				return RW;
		}
	}

	/** Any constrained child suffices (the one with fewest entries), narrowed to the access of all. */
	private and(children: Node[], stack: string[]): Need {
		let best: Need = null;
		for (const c of children) {
			const n = this.need(c, stack);
			if (n && (!best || size(n) < size(best))) best = n;
		}
		if (!best) return null;
		const acc = children.reduce((a, c) => a & this.access(c, stack), RW);
		return narrow(best, acc);
	}

	/** Every child that can match file events must be constrained; the union. */
	private or(children: Node[], stack: string[]): Need {
		const out = { paths: [] as WatchPath[], names: [] as WatchName[] };
		for (const c of children) {
			if (!this.canMatchFiles(c)) continue;
			const n = this.need(c, stack);
			if (!n) return null;
			const acc = this.access(c, stack);
			const m = narrow(n, acc);
			out.paths.push(...m!.paths);
			out.names.push(...m!.names);
		}
		return out;
	}

	private canMatchFiles(n: Node): boolean {
		const t = possibleTypes(n, this.env);
		return t === 'any' || [...t].some((x) => x in FILE_SYSCALLS);
	}

	private expand(vals: ValueNode[]): string[] {
		return vals.flatMap((v) => (!v.quoted && this.env.lists.get(v.text)) || [v.text]);
	}
}

function size(n: NonNullable<Need>): number {
	return n.paths.length + n.names.length;
}

/** Restrict every entry to the access bits; entries left with none are dropped. */
function narrow(n: Need, acc: number): Need {
	if (!n) return n;
	const keep = <T extends { mode?: WatchMode }>(xs: T[]): T[] =>
		xs.flatMap((x) => {
			const bits = fromMode(x.mode) & acc;
			return bits ? [{ ...x, mode: toMode(bits) }] : [];
		});
	return { paths: keep(n.paths), names: keep(n.names) };
}

/** Access of a leaf: evt.is_open_read/write = true, or evt.type limited to change syscalls (writes). */
function leafAccess(n: Extract<Node, { type: 'cmp' | 'list' }>, values: string[]): number {
	const name = n.field.name;
	if (n.type === 'cmp' && n.op === '=' && values[0] === 'true') {
		if (name === 'evt.is_open_read') return R;
		if (name === 'evt.is_open_write') return W;
	}
	const typeTest = name === 'evt.type' && ((n.type === 'cmp' && n.op === '=') || (n.type === 'list' && n.op === 'in'));
	if (typeTest && values.every(isChange)) return W;
	return RW;
}

/**
 * The path field a reference names: fd.name (and the rename/link target), fd.directory, fd.filename.
 * fd.host_name bounds the path as fd.name does: a watch entry also watches its host object by
 * (dev, ino) (bg_watch_ino), so a container reaching it under another path is reported too.
 */
function pathField(f: FieldRef): 'name' | 'directory' | 'filename' | undefined {
	if (f.name === 'fd.name' || f.name === 'fd.host_name' || f.name === 'evt.arg.newpath' || (f.name === 'evt.arg' && f.arg === 'newpath')) return 'name';
	if (f.name === 'fd.directory') return 'directory';
	if (f.name === 'fd.filename') return 'filename';
	return undefined;
}

/** Watch entries for one comparison of a path field, or null when it does not bound the path. */
function pathNeed(f: FieldRef, op: string, values: string[]): Need {
	const kind = pathField(f);
	if (!kind || !values.length) return null;
	const out = { paths: [] as WatchPath[], names: [] as WatchName[] };
	for (const v of values) {
		const e = entry(kind, op, v);
		if (!e) return null;
		if (Array.isArray(e)) out.paths.push(...e);
		else if ('path' in e) out.paths.push(e);
		else out.names.push(e);
	}
	return out;
}

const okPath = (p: string) => p.startsWith('/') && Buffer.byteLength(p) <= KEY_MAX;
const okName = (n: string) => n.length > 0 && !n.includes('/') && Buffer.byteLength(n) <= NAME_MAX;
const under = (d: string) => (d.endsWith('/') ? d : `${d}/`);

/** The entry for field op value; a pmatch gives the path itself and everything below it. */
function entry(kind: 'name' | 'directory' | 'filename', op: string, v: string): WatchPath | WatchPath[] | WatchName | null {
	if (kind === 'filename') return (op === '=' || op === 'in') && okName(v) ? { name: v, where: 'base', mode: 'rw' } : null;
	if (kind === 'directory') return ['=', 'in', 'pmatch'].includes(op) && okPath(under(v)) ? { path: under(v), mode: 'rw' } : null;
	if ((op === '=' || op === 'in') && okPath(v)) return { path: v, exact: true, mode: 'rw' };
	if (op === 'startswith' && okPath(v)) return { path: v, mode: 'rw' };
	if (op === 'pmatch' && okPath(under(v))) return v.endsWith('/') ? { path: v, mode: 'rw' } : [{ path: v, exact: true, mode: 'rw' }, { path: under(v), mode: 'rw' }];
	if (op === 'endswith' && v.startsWith('/') && okName(v.slice(1))) return { name: v.slice(1), where: 'base', mode: 'rw' };
	return null;
}
