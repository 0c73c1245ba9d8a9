/** @module rules/compile.test: one case suite against the compiled closures and the reference evaluator; compile-time errors. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseCondition } from './parser.js';
import { compileCondition, type CompileEnv } from './compile.js';
import { evaluate } from '../../test/helpers/reference.js';
import { ConditionError } from './errors.js';
import { CASES, CASE_EVENT, CASE_PARENT, LISTS } from '../../test/cases/conditions.case.js';
import { execEvent, fixture } from '../../test/helpers/rules.js';
import { compileTemplate } from './output.js';
import { hostile, withoutBacktracking } from '../../test/helpers/no-backtracking.js';

const env: CompileEnv = { lists: new Map(Object.entries(LISTS)), macros: new Map([['is_shell', parseCondition('proc.name in (shells)')]]) };

function ctx() {
	const f = fixture();
	f.apply(execEvent(CASE_PARENT));
	return f.apply(execEvent(CASE_EVENT));
}

for (const impl of ['compiled', 'reference'] as const) {
	test(`${impl}: every condition case`, () => {
		const c = ctx();
		for (const k of CASES) {
			const n = parseCondition(k.cond);
			const got = impl === 'compiled' ? compileCondition(n, env)(c) : evaluate(n, env, c);
			assert.equal(got, k.expect, `${impl}: ${k.cond}`);
		}
	});
}

test('macros expand; loops and unknown names are positioned errors', () => {
	const c = ctx();
	assert.equal(compileCondition(parseCondition('is_shell and evt.type = execve'), env)(c), true);
	const loop: CompileEnv = { lists: new Map(), macros: new Map([['a', parseCondition('b')], ['b', parseCondition('a')]]) };
	assert.throws(() => compileCondition(parseCondition('a'), loop), /macro loop: a -> b -> a/);
	assert.throws(() => compileCondition(parseCondition('proc.name = a and nope_macro'), env), (e: unknown) => e instanceof ConditionError && e.pos.col === 19);
});

test('type errors are caught at compile time with a position', () => {
	const cases: [string, RegExp, number][] = [
		['proc.nmae = bash', /unknown field 'proc.nmae'; did you mean proc.name\?/, 1],
		['proc.pid = abc', /expected a number, found 'abc'/, 12],
		['proc.name < 3', /needs a number field/, 13],
		['proc.is_exe_deleted contains x', /does not apply to bool/, 1],
		['proc.exepath regex "(["', /invalid regex/, 20],
		['proc.exepath regex "(a)\\\\1"', /^invalid regex: backreferences are not supported \(RE2 syntax\)/, 20],
		['proc.exepath regex "(?=a)b"', /^invalid regex: lookaround is not supported \(RE2 syntax\)/, 20],
		['proc.exepath regex "(?<!a)b"', /^invalid regex: lookaround is not supported \(RE2 syntax\)/, 20],
		['proc.exepath glob "/tmp/[z-a]"', /^invalid glob: range out of order: z-a/, 19],
		['evt.arg = x', /needs an argument/, 1],
		['proc.name[2] = x', /takes no \[argument\]/, 1],
	];
	for (const [src, re, col] of cases) {
		assert.throws(
			() => compileCondition(parseCondition(src), env),
			(e: unknown) => e instanceof ConditionError && re.test(e.message) && e.pos.col === col,
			src,
		);
	}
});

test('regex and glob never run on the backtracking engine: hostile 4 KiB cmdlines and paths', () => {
	const f = fixture();
	const c = f.apply(execEvent({ pid: 300, args: ['sh', '-c', hostile()], exe: `/tmp/${hostile(4091)}` }));
	const cases: [string, boolean][] = [
		['proc.cmdline regex "(a+)+$"', false],
		['proc.cmdline regex "^(a|aa)*$"', false],
		['proc.cmdline regex "(.*a){20}b"', false],
		['proc.cmdline regex "(a+)+!$"', true],
		['proc.exepath glob "*a*a*a*a*a*a*b"', false],
		['proc.exepath glob "*a*a*a*a*a*a*!"', true],
		['proc.cmdline glob "sh -c a*a?a[a-z]*[!b]"', true],
	];
	for (const [src, want] of cases) {
		const p = compileCondition(parseCondition(src), env);
		assert.equal(withoutBacktracking(() => p(c)), want, src);
	}
});

test('property: any glob or regex value compiles or is a ConditionError at the value, never another throw', () => {
	const quote = (s: string) => `"${s.replace(/[\\"]/g, '\\$&')}"`;
	const unit = fc.constantFrom('a', 'z', '1', '*', '?', '[', ']', '!', '^', '-', '(', ')', '+', '{', '}', '|', '=', '<', '\\', 'é');
	fc.assert(
		fc.property(fc.constantFrom('glob', 'regex'), fc.string({ unit, maxLength: 12 }), (op, v) => {
			try {
				compileCondition(parseCondition(`proc.cmdline ${op} ${quote(v)}`), env);
			} catch (e) {
				assert.ok(e instanceof ConditionError && e.pos.col === 15 + op.length, `${op} ${v}: ${String(e)}`);
			}
		}),
		{ numRuns: 3000 },
	);
});

test('fields used by a condition are reported', () => {
	const used = new Set<string>();
	compileCondition(parseCondition('proc.name = a or proc.aname[2] = b or evt.arg.flags = c'), env, used);
	assert.deepEqual([...used].sort(), ['evt.arg.flags', 'proc.aname[2]', 'proc.name']);
});

test('output templates substitute fields and mark absent ones <NA>', () => {
	const c = ctx();
	const t = compileTemplate('%proc.name(%proc.pid) by %proc.aname[1] %(user.uid) fd=%fd.name 100%');
	assert.equal(t.render(c), 'bash(200) by sshd 1000 fd=<NA> 100%');
	assert.deepEqual(t.fields, ['proc.name', 'proc.pid', 'proc.aname[1]', 'user.uid', 'fd.name']);
	assert.throws(() => compileTemplate('x %proc.nope', { line: 3, col: 10 }), (e: unknown) => e instanceof ConditionError && e.pos.line === 3 && e.pos.col === 12);
});

test('output templates quote a value that could pass for another field; ordinary values stay as they are', () => {
	const { apply } = fixture();
	const t = compileTemplate('cmdline=%proc.cmdline user=%user.uid');
	assert.equal(t.render(apply(execEvent({ pid: 7001, args: ['/bin/cat', '/etc/hosts'] }))), 'cmdline=cat /etc/hosts user=0');
	const forged = apply(execEvent({ pid: 7002, args: ['/bin/cat', '/tmp/x user=1000', 'a"b\\c'] }));
	assert.equal(t.render(forged), 'cmdline="cat /tmp/x user=1000 a\\"b\\\\c" user=0');
});
