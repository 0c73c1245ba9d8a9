/** @module rules/parser.test: grammar, positions, and property tests (never a throw other than a positioned error). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseCondition } from './parser.js';
import { ConditionError } from './errors.js';

test('precedence: not > and > or, parentheses group', () => {
	const n = parseCondition('a.x = 1 or b.y = 2 and not c.z = 3');
	assert.equal(n.type, 'or');
	if (n.type !== 'or') return;
	assert.equal(n.children[1].type, 'and');
	const p = parseCondition('(a.x = 1 or b.y = 2) and c.z exists');
	assert.equal(p.type, 'and');
});

test('lists, quoted values, field arguments and macros', () => {
	const n = parseCondition(`proc.name in (bash, "a b", 'c') and proc.aname[2] = sshd and my_macro`);
	assert.equal(n.type, 'and');
	if (n.type !== 'and') return;
	const [l, a, m] = n.children;
	assert.equal(l.type, 'list');
	if (l.type === 'list') assert.deepEqual(l.values.map((v) => v.text), ['bash', 'a b', 'c']);
	assert.equal(a.type, 'cmp');
	if (a.type === 'cmp') assert.deepEqual([a.field.name, a.field.arg, a.value.text], ['proc.aname', '2', 'sshd']);
	assert.deepEqual(m, { type: 'macro', name: 'my_macro', pos: { line: 1, col: 62 } });
});

test('every node has its line and column, across lines', () => {
	const n = parseCondition('evt.type = execve and\n  fd.name startswith /etc');
	assert.equal(n.type, 'and');
	if (n.type === 'and') assert.deepEqual(n.children[1].pos, { line: 2, col: 3 });
});

const bad: [string, RegExp, number, number][] = [
	['', /empty condition/, 1, 1],
	['evt.type =', /expected a value/, 1, 11],
	['(evt.type = x', /expected '\)'/, 1, 14],
	['evt.type = x and', /expected a field/, 1, 17],
	['evt.type foo x', /expected an operator/, 1, 10],
	['evt.type = "abc', /unterminated string/, 1, 12],
	['proc.name in (a b)', /expected ',' or '\)'/, 1, 17],
	['evt.type = x y.z', /unexpected 'y.z'/, 1, 14],
	['! evt.type = x', /unexpected '!'/, 1, 1],
];
for (const [src, re, line, col] of bad) {
	test(`positioned error for: ${JSON.stringify(src)}`, () => {
		assert.throws(
			() => parseCondition(src),
			(e: unknown) => e instanceof ConditionError && re.test(e.message) && e.pos.line === line && e.pos.col === col,
		);
	});
}

test('property: any text parses or fails with a positioned ConditionError', () => {
	const alphabet = fc.constantFrom(...'ab.()=!<>,"\' \n\tx1_[]-/*'.split(''), 'and', 'or', 'not', 'in', 'exists', 'proc.name', 'evt.type', 'contains');
	fc.assert(
		fc.property(fc.array(alphabet, { maxLength: 40 }), (parts) => {
			const src = parts.join('');
			try {
				parseCondition(src);
			} catch (e) {
				assert.ok(e instanceof ConditionError, `not a ConditionError: ${String(e)}`);
				assert.ok(e.pos.line >= 1 && e.pos.col >= 1);
				assert.ok(e.pos.line <= src.split('\n').length + 1);
			}
		}),
		{ numRuns: 3000 },
	);
});

test('property: fully random unicode never crashes', () => {
	fc.assert(
		fc.property(fc.string({ maxLength: 200, unit: 'grapheme' }), (src) => {
			try {
				parseCondition(src);
			} catch (e) {
				assert.ok(e instanceof ConditionError);
			}
		}),
		{ numRuns: 2000 },
	);
});

test('deep nesting is an error, not a stack overflow', () => {
	assert.throws(() => parseCondition(`${'('.repeat(5000)}a.b = 1${')'.repeat(5000)}`), ConditionError);
	assert.throws(() => parseCondition(`${'not '.repeat(5000)}a.b = 1`), ConditionError);
});
