/**
 * @module rules/glob: fnmatch-style globs (`*`, `?`, `[...]`) matched without backtracking, in at
 * most O(pattern × text) steps, on strings an attacker controls (paths, cmdlines).
 */

/** Thrown for a glob that cannot mean anything (a class range out of order). */
export class GlobError extends Error {
	readonly code = 'EGLOB';
	constructor(message: string) {
		super(message);
		this.name = 'GlobError';
	}
}

/** A compiled glob: true when the whole string matches. */
export type GlobMatch = (s: string) => boolean;

// Token codes: a literal is its UTF-16 code unit (>= 0); classes are CLASS0 - index.
const STAR = -1;
const ANY = -2;
const CLASS0 = -3;

/** A bracket expression: inclusive code-unit ranges [lo0, hi0, lo1, hi1, …], a single member as lo = hi. */
interface CharClass {
	neg: boolean;
	ranges: Int32Array;
}

/**
 * Compile g with fnmatch(3) meaning, flags FNM_NOESCAPE and no FNM_PATHNAME:
 * `*` is any run (also across '/'), `?` one code unit, `[abc]` `[a-z]` `[!a]` `[^a]` one of / none
 * of; a `]` first in a class is a member; `[` without a closing `]` and `\` are literal.
 */
export function compileGlob(g: string): GlobMatch {
	const toks: number[] = [];
	const classes: CharClass[] = [];
	for (let i = 0; i < g.length; i++) {
		const ch = g.charCodeAt(i);
		if (ch === 0x2a /* * */) {
			if (toks[toks.length - 1] !== STAR) toks.push(STAR);
		} else if (ch === 0x3f /* ? */) toks.push(ANY);
		else if (ch === 0x5b /* [ */) {
			const c = parseClass(g, i);
			if (!c) toks.push(ch);
			else {
				toks.push(CLASS0 - classes.length);
				classes.push(c.cls);
				i = c.end;
			}
		} else toks.push(ch);
	}
	if (!toks.some((t) => t < 0)) return (s) => s === g;
	return matcher(toks, classes);
}

/** The bracket expression opening at g[open], or undefined when it has no closing ']' (then '[' is literal). */
function parseClass(g: string, open: number): { cls: CharClass; end: number } | undefined {
	let i = open + 1;
	const neg = g[i] === '!' || g[i] === '^';
	if (neg) i++;
	const end = g.indexOf(']', i + 1); // a ']' right after '[' or '[!' is a member
	if (end < 0) return undefined;
	const ranges: number[] = [];
	for (let j = i; j < end; j++) {
		const lo = g.charCodeAt(j);
		if (g[j + 1] === '-' && j + 2 < end) {
			const hi = g.charCodeAt(j + 2);
			if (hi < lo) throw new GlobError(`range out of order: ${g.slice(j, j + 3)}`);
			ranges.push(lo, hi);
			j += 2;
		} else ranges.push(lo, lo);
	}
	return { cls: { neg, ranges: Int32Array.from(ranges) }, end };
}

function inClass(c: CharClass, u: number): boolean {
	const r = c.ranges;
	for (let k = 0; k < r.length; k += 2) if (u >= r[k] && u <= r[k + 1]) return c.neg === false;
	return c.neg;
}

/** The tokens between two `*`: each matches one code unit; lit is their text when all are literal. */
interface Segment {
	toks: Int32Array;
	lit: string | undefined;
	classes: CharClass[];
	/** Shift-And table for a wildcard segment of at most 31 tokens: bit k of low[u] when token k matches code unit u < 256. */
	low: Int32Array | undefined;
}

function segment(toks: number[], classes: CharClass[]): Segment {
	const lit = toks.every((t) => t >= 0) ? toks.map((t) => String.fromCharCode(t)).join('') : undefined;
	const seg: Segment = { toks: Int32Array.from(toks), lit, classes, low: undefined };
	if (lit === undefined && toks.length <= 31) {
		const low = new Int32Array(256);
		for (let u = 0; u < 256; u++) low[u] = maskOf(seg, u);
		seg.low = low;
	}
	return seg;
}

function tokenMatches(seg: Segment, want: number, u: number): boolean {
	return want >= 0 ? want === u : want === ANY || inClass(seg.classes[CLASS0 - want], u);
}

/** Bit k set when token k of seg matches code unit u. */
function maskOf(seg: Segment, u: number): number {
	let m = 0;
	for (let k = 0; k < seg.toks.length; k++) if (tokenMatches(seg, seg.toks[k], u)) m |= 1 << k;
	return m;
}

/** Does seg match s at i (i + seg length <= s.length)? */
function at(seg: Segment, s: string, i: number): boolean {
	if (seg.lit !== undefined) return s.startsWith(seg.lit, i);
	for (let k = 0; k < seg.toks.length; k++) if (!tokenMatches(seg, seg.toks[k], s.charCodeAt(i + k))) return false;
	return true;
}

/**
 * The leftmost i in [from, end - seg length] where seg matches, or -1: indexOf for a literal
 * segment, one Shift-And pass for a wildcard one of up to 31 tokens (every occurrence has the same
 * length, so the first to end is the first to start), else a comparison at every position.
 */
function find(seg: Segment, s: string, from: number, end: number): number {
	const len = seg.toks.length;
	if (seg.lit !== undefined) {
		const i = s.indexOf(seg.lit, from);
		return i >= 0 && i <= end - len ? i : -1;
	}
	const low = seg.low;
	if (low === undefined) {
		for (let i = from; i <= end - len; i++) if (at(seg, s, i)) return i;
		return -1;
	}
	const hit = 1 << (len - 1);
	let d = 0;
	for (let i = from; i < end; i++) {
		const u = s.charCodeAt(i);
		d = ((d << 1) | 1) & (u < 256 ? low[u] : maskOf(seg, u));
		if ((d & hit) !== 0) return i - len + 1;
	}
	return -1;
}

/**
 * Split at the stars: the first segment must match at the start, the last at the end, and each
 * one between at its leftmost place after the previous (taking the leftmost never loses a match).
 * One pass over the text per segment in the usual case, pattern × text steps at worst (a wildcard
 * segment of more than 31 tokens, or code units above 255). No recursion, no allocation per call.
 */
function matcher(toks: number[], classes: CharClass[]): GlobMatch {
	const segs: Segment[] = [];
	let cur: number[] = [];
	for (const t of toks) {
		if (t === STAR) {
			segs.push(segment(cur, classes));
			cur = [];
		} else cur.push(t);
	}
	segs.push(segment(cur, classes));
	const first = segs[0];
	const minLen = segs.reduce((n, x) => n + x.toks.length, 0);
	if (segs.length === 1) return (s) => s.length === minLen && at(first, s, 0);
	const last = segs[segs.length - 1];
	const mids = segs.slice(1, -1);
	return (s) => {
		const n = s.length;
		if (n < minLen || !at(first, s, 0)) return false;
		const end = n - last.toks.length;
		if (!at(last, s, end)) return false;
		let pos = first.toks.length;
		for (let k = 0; k < mids.length; k++) {
			const i = find(mids[k], s, pos, end);
			if (i < 0) return false;
			pos = i + mids[k].toks.length;
		}
		return true;
	};
}
