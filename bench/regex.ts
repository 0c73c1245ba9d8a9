/**
 * @module bench/regex: how long one rule `regex` / `glob` evaluation takes on hostile strings: the
 * backtracking RegExp the compiler used before (V8) against the linear engines it uses now (RE2,
 * the glob matcher), on 4 KiB inputs; and both on ordinary paths. No root, no kernel.
 */
import { cpus, loadavg } from 'node:os';
import { compileGlob } from '../src/rules/glob.js';
import { compileRegex } from '../src/rules/regex.js';

type Test = (s: string) => boolean;

const ROUNDS = Number(process.argv[2] ?? 5);
const ITER = Number(process.argv[3] ?? 2000);
/** Stop growing a backtracking input once one evaluation takes this long. */
const CAP_NS = Number(process.env.BENCH_REGEX_CAP_MS ?? 300) * 1e6;
const KIB4 = 4096;
let consumed = 0; // every result is used, so no evaluation can be optimised away

const aaa = (n: number, last = '!') => 'a'.repeat(n - last.length) + last;
const out = (o: Record<string, unknown>) => process.stdout.write(`${JSON.stringify({ bench: 'regex', ...o })}\n`);

/** The compiler's translation until now (classes left out: no case here has one): `*` → `.*`, `?` → `.`, a backtracking RegExp. */
function oldGlob(g: string): RegExp {
	const body = g.replace(/[.+^${}()|\\/]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
	return new RegExp(`^${body}$`, 's');
}

/** CPU time in ns (user + system: unlike the wall clock, not stretched when other processes take the cores). */
const cpuNs = () => {
	const u = process.cpuUsage();
	return (u.user + u.system) * 1000;
};

/** Two copies of s as distinct string objects: RE2's binding caches the UTF-8 of the last string it saw, an event's string is always new. */
const copies = (s: string): [string, string] => [s, `${s} `.slice(0, -1)];

/** CPU ns of one evaluation of t on s, the cheapest of 3 (the input is built before the clock starts). */
function once(t: Test, s: string): number {
	let best = Infinity;
	for (let k = 0; k < 3; k++) {
		const t0 = cpuNs();
		if (t(s)) consumed++;
		best = Math.min(best, cpuNs() - t0);
	}
	return best;
}

/** CPU ns per evaluation over n evaluations alternating between the two copies. */
function per(t: Test, [a, b]: [string, string], n: number): number {
	const t0 = cpuNs();
	for (let k = 0; k < n; k += 2) {
		if (t(a)) consumed++;
		if (t(b)) consumed++;
	}
	return (cpuNs() - t0) / n;
}

/**
 * Grow the input until one evaluation passes CAP_NS; extrapolate to 4 KiB from the last two sizes:
 * per added byte for an exponential blow-up, as a power law for a polynomial one.
 */
function before(name: string, t: Test, mk: (n: number) => string, sizes: number[], model: 'exponential' | 'polynomial'): void {
	const rows: [number, number][] = [];
	for (const n of sizes) {
		rows.push([n, once(t, mk(n))]);
		if (rows[rows.length - 1][1] > CAP_NS) break;
	}
	const [[n1, t1], [n2, t2]] = rows.slice(-2);
	const log10At4k =
		model === 'exponential'
			? Math.log10(t2) + ((KIB4 - n2) * Math.log10(t2 / t1)) / (n2 - n1)
			: Math.log10(t2) + Math.log10(KIB4 / n2) * (Math.log10(t2 / t1) / Math.log10(n2 / n1));
	out({ engine: 'backtracking (V8 RegExp)', case: name, model, cpuMsPerEvaluation: rows.map(([n, ns]) => ({ bytes: n, ms: +(ns / 1e6).toFixed(3) })), estimatedSecondsAt4KiB: `1e${(log10At4k - 9).toFixed(1)}` });
}

/** ROUNDS rounds of ITER evaluations on the 4 KiB input after a warm-up: CPU µs per evaluation, median and worst round. */
function after(name: string, engine: string, t: Test, s: string): void {
	const c = copies(s);
	per(t, c, Math.min(ITER, 200)); // warm-up (JIT)
	const rounds = Array.from({ length: ROUNDS }, () => per(t, c, ITER)).sort((a, b) => a - b);
	out({ engine, case: name, bytes: s.length, evaluations: ITER * ROUNDS, medianUs: +(rounds[ROUNDS >> 1] / 1e3).toFixed(2), worstRoundUs: +(rounds[ROUNDS - 1] / 1e3).toFixed(2) });
}

/** Ordinary strings: old and new matchers interleaved round by round after a warm-up; median CPU ns per evaluation of each. */
function ordinary(name: string, old: Test, now: Test, s: string, n = ITER * 50): void {
	const c = copies(s);
	per(old, c, n);
	per(now, c, n);
	const ns: Record<'old' | 'now', number[]> = { old: [], now: [] };
	for (let r = 0; r < ROUNDS; r++) {
		ns.old.push(per(old, c, n));
		ns.now.push(per(now, c, n));
	}
	const med = (xs: number[]) => xs.sort((a, b) => a - b)[xs.length >> 1];
	out({ case: name, bytes: s.length, backtrackingNs: +med(ns.old).toFixed(0), linearNs: +med(ns.now).toFixed(0) });
}

const load = loadavg()[0];
out({ loadavg1: load, cores: cpus().length, rounds: ROUNDS, iterations: ITER, ...(load > cpus().length - 0.5 ? { warning: 'machine busy: figures are upper bounds' } : {}) });

const re = (p: string): Test => {
	const r = new RegExp(p);
	return (s) => r.test(s);
};
const exp = [12, 14, 16, 18, 20, 22, 24, 26, 28, 30, 32, 34, 36];
const poly = [16, 24, 32, 40, 48, 64, 96, 128, 192, 256, 384, 512, 768, 1024, 1536, 2048, 3072, 4096];
before('regex (a+)+$ on aaa…!', re('(a+)+$'), (n) => aaa(n), exp, 'exponential');
before('regex ^(a|aa)*$ on aaa…!', re('^(a|aa)*$'), (n) => aaa(n), exp.map((n) => n * 2), 'exponential');
const g1 = oldGlob('*a*a*a*a*a*a*b');
before('glob *a*a*a*a*a*a*b on aaa…a', (s) => g1.test(s), (n) => aaa(n, 'a'), poly, 'polynomial');
const g2 = oldGlob('*a*a*a*b');
before('glob *a*a*a*b on aaa…a', (s) => g2.test(s), (n) => aaa(n, 'a'), poly, 'polynomial');
const g3 = new RegExp('^.*[a]aaaaaaaaaaaaaaab.*$', 's'); // oldGlob has no classes; this is its translation of *[a]aaaaaaaaaaaaaaab*
before('glob *[a]aaaaaaaaaaaaaaab* on aaa…a', (s) => g3.test(s), (n) => aaa(n, 'a'), poly, 'polynomial');

for (const [name, p, s] of [
	['regex (a+)+$ on aaa…!', '(a+)+$', aaa(KIB4)],
	['regex ^(a|aa)*$ on aaa…!', '^(a|aa)*$', aaa(KIB4)],
	['regex (.*a){20}b on aaa…!', '(.*a){20}b', aaa(KIB4)],
] as const) {
	const r = compileRegex(p);
	after(name, 'RE2', (x) => r.test(x), s);
}
for (const [name, g, s] of [
	['glob *a*a*a*a*a*a*b on aaa…a', '*a*a*a*a*a*a*b', aaa(KIB4, 'a')],
	['glob *a*a*a*b on aaa…a', '*a*a*a*b', aaa(KIB4, 'a')],
	['glob *[a]aaaaaaaaaaaaaaab* on aaa…a (a wildcard segment: one Shift-And pass)', '*[a]aaaaaaaaaaaaaaab*', aaa(KIB4, 'a')],
	[`glob *[a]${'a'.repeat(31)}b* on aaa…a (a wildcard segment of 33 tokens, past Shift-And: the matcher's pattern × text worst case)`, `*[a]${'a'.repeat(31)}b*`, aaa(KIB4, 'a')],
	['glob *baaaaaaaaaaaaaaa* on aaa…a (a literal segment: indexOf\'s bad case)', '*baaaaaaaaaaaaaaa*', aaa(KIB4, 'a')],
] as const) after(name, 'glob matcher', compileGlob(g), s);

const path = '/tmp/x/bash';
const longPath = `/home/u/${'d/'.repeat(2040)}bash`;
const rx = '^/tmp/[a-z]+/bash$';
const rxSsh = '/\\.ssh/';
const newRx = compileRegex(rx);
ordinary(`regex ${rx} on ${path}`, re(rx), (s) => newRx.test(s), path);
ordinary(`regex ${rx} on a 4 KiB path`, re(rx), (s) => newRx.test(s), longPath);
const newSsh = compileRegex(rxSsh);
ordinary(`regex ${rxSsh} on a 4 KiB path`, re(rxSsh), (s) => newSsh.test(s), longPath, ITER);
const gl = '/tmp/*/bash';
const oldGl = oldGlob(gl);
ordinary(`glob ${gl} on ${path}`, (s) => oldGl.test(s), compileGlob(gl), path);
ordinary(`glob ${gl} on a 4 KiB path`, (s) => oldGl.test(s), compileGlob(gl), longPath);
const gs = '*/.ssh/*';
const oldGs = oldGlob(gs);
ordinary(`glob ${gs} on a 4 KiB path`, (s) => oldGs.test(s), compileGlob(gs), longPath, ITER);
out({ consumed });
