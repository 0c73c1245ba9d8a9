/** @module rules/glob.test: the linear glob matcher agrees with an independent RegExp translation; malformed classes are errors. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compileGlob, GlobError } from './glob.js';
import { globToRegExp } from '../../test/helpers/reference.js';
import { hostile, withoutBacktracking } from '../../test/helpers/no-backtracking.js';

test('fnmatch semantics: * and ? cross /, classes, negation, literal [ and backslash', () => {
	const cases: [string, string, boolean][] = [
		['', '', true],
		['', 'a', false],
		['*', '', true],
		['*', 'a/b\nc', true],
		['a?c', 'a/c', true],
		['a?c', 'ac', false],
		['/usr/*/bin', '/usr/local/sbin/bin', true],
		['[abc]x', 'bx', true],
		['[a-c]x', 'dx', false],
		['[!a-c]x', 'dx', true],
		['[^a-c]x', 'ax', false],
		['[]a]', ']', true],
		['[!]a]', ']', false],
		['[!]a]', 'b', true],
		['[a-]', '-', true],
		['[-a]', '-', true],
		['[a', '[a', true],
		['[!]', '[!]', true],
		['a\\*', 'a\\bc', true],
		['a\\*', 'a*', false],
		['a\\?', 'a?', false],
		['**a**', 'ba', true],
		['*ab*ab*', 'xabyab', true],
		['*ab*ab*', 'xaby', false],
		[`*${'?'.repeat(20)}b*`, `${'x'.repeat(20)}bc`, true],
		[`*${'?'.repeat(32)}b*`, `${'x'.repeat(32)}bc`, true],
		[`*${'?'.repeat(32)}b*`, `${'x'.repeat(32)}c`, false],
		['*[λ]?λ*', 'aλλλ', true],
	];
	for (const [g, s, want] of cases) assert.equal(compileGlob(g)(s), want, `${JSON.stringify(g)} ~ ${JSON.stringify(s)}`);
});

test('a class range out of order is a GlobError, not a crash', () => {
	assert.throws(() => compileGlob('/tmp/[z-a]'), (e: unknown) => e instanceof GlobError && e.message === 'range out of order: z-a');
	assert.equal(compileGlob('[a-a]')('a'), true);
});

const word = (chars: string[], maxLength: number, minLength = 0) => fc.array(fc.constantFrom(...chars), { minLength, maxLength }).map((x) => x.join(''));

for (const [what, glob, text] of [
	['stars and ? over a two-letter alphabet (many matches)', word(['a', 'b', '*', '?'], 10), word(['a', 'b'], 10)],
	['every special character', word(['a', 'b', '/', '*', '?', '[', ']', '!', '^', '-', '\\'], 12), word(['a', 'b', '/', ']', '!', '^', '-', '\\', '['], 12)],
	[
		'long wildcard segments (past the 31-token Shift-And) and code units above 255',
		fc.tuple(word(['?', '?', '?', 'a', 'λ', '[aλ]', '[!a]'], 36, 26), word(['?', 'a', 'λ', '[!λ]', '*'], 6)).map(([x, y]) => `*${x}*${y}`),
		word(['a', 'λ', 'λ'], 60, 26),
	],
] as const) {
	test(`property: the matcher agrees with the RegExp translation of the same glob: ${what}`, () => {
		fc.assert(
			fc.property(glob, text, (g, s) => {
				let m: ((s: string) => boolean) | undefined;
				try {
					m = compileGlob(g);
				} catch (e) {
					assert.ok(e instanceof GlobError);
					assert.throws(() => globToRegExp(g), SyntaxError, `the translation of ${g} refuses it too`);
					return;
				}
				assert.equal(m(s), globToRegExp(g).test(s), `${JSON.stringify(g)} ~ ${JSON.stringify(s)}`);
			}),
			{ numRuns: 5000 },
		);
	});
}

test('globs never use the backtracking engine, on 4 KiB inputs too', () => {
	const g = compileGlob('*a*a*a*a*a*a*a*a*b');
	assert.equal(withoutBacktracking(() => g(hostile())), false);
	assert.equal(withoutBacktracking(() => g(hostile(4096, 'b'))), true);
});
