/** @module rules/regex.test: rule and CLI regexes run on RE2 (linear time); what needs backtracking is refused with the reason. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import RE2 from 're2';
import { compileRegex, RegexError } from './regex.js';
import { hostile, withoutBacktracking } from '../../test/helpers/no-backtracking.js';

test('patterns compile to RE2, unanchored like RegExp.test, with RE2 syntax', () => {
	assert.ok(compileRegex('(a+)+$') instanceof RE2);
	const cases: [string, string, boolean][] = [
		['bash', '/bin/bash -i', true],
		['^bash', '/bin/bash', false],
		['(?i)^/BIN/', '/bin/sh', true],
		['^[[:digit:]]+$', '1234', true],
		['\\d{2,}', 'a1b', false],
		['(?P<x>ab)+c', 'ababc', true],
		['(?<x>ab)+c', 'ababc', true],
		['a.c', 'a\nc', false],
		['(?s)a.c', 'a\nc', true],
		['^é.$', 'éü', true],
	];
	for (const [p, s, want] of cases) assert.equal(compileRegex(p).test(s), want, `${p} ~ ${JSON.stringify(s)}`);
});

test('backreferences, lookaround and bad syntax are RegexErrors that say why', () => {
	const cases: [string, string][] = [
		['(a)\\1', 'backreferences are not supported (RE2 syntax): \\1'],
		['(?<n>a)\\k<n>', 'backreferences are not supported (RE2 syntax): \\k'],
		['a(?=b)', 'lookaround is not supported (RE2 syntax): (?='],
		['a(?!b)', 'lookaround is not supported (RE2 syntax): (?!'],
		['(?<=a)b', 'lookaround is not supported (RE2 syntax): (?<='],
		['(?<!a)b', 'lookaround is not supported (RE2 syntax): (?<!'],
		['(', 'missing ): ('],
		['a{2000}', 'invalid repetition size: {2000}'],
	];
	for (const [p, msg] of cases) assert.throws(() => compileRegex(p), (e: unknown) => e instanceof RegexError && e.message === msg, p);
});

test('nested quantifiers on a hostile 4 KiB string never reach the backtracking engine', () => {
	for (const p of ['(a+)+$', '^(a|aa)*$', '(a*)*b', '(.*a){20}b']) assert.equal(withoutBacktracking(() => compileRegex(p).test(hostile())), false, p);
	assert.equal(withoutBacktracking(() => compileRegex('^(a|aa)*!$').test(hostile())), true);
});
