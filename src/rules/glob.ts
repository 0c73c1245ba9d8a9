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

/** A bracket expression: sorted inclusive code-unit ranges [lo0, hi0, lo1, hi1, …]. */
interface CharClass {
	neg: boolean;
	ranges: Int32Array;
}

/**
 * Compile g with fnmatch(3) meaning, flags FNM_NOESCAPE and no FNM_PATHNAME (as Falco's `glob`):
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
	return matcher(Int32Array.from(toks), classes);
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

/**
 * The classic greedy matcher: on a mismatch, go back to the last `*` only and let it take one more
 * code unit. An earlier `*` never needs to be revisited, so each text position is tried against at
 * most the pattern once: O(pattern × text), no recursion, no allocation per call (hot path).
 */
function matcher(toks: Int32Array, classes: CharClass[]): GlobMatch {
	const m = toks.length;
	return (s) => {
		const n = s.length;
		let p = 0;
		let i = 0;
		let starP = -1;
		let starI = 0;
		while (i < n) {
			if (p < m) {
				const t = toks[p];
				if (t === STAR) {
					starP = p++;
					starI = i;
					continue;
				}
				const u = s.charCodeAt(i);
				if (t >= 0 ? t === u : t === ANY || inClass(classes[CLASS0 - t], u)) {
					p++;
					i++;
					continue;
				}
			}
			if (starP < 0) return false;
			p = starP + 1;
			i = ++starI;
		}
		while (p < m && toks[p] === STAR) p++;
		return p === m;
	};
}
