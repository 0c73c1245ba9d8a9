/** @module rules/fields/evt-args.test: evt.arg.NAME fields: typed, the same through evt.arg[NAME], unknown names never set. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lookupField, lookupFieldRef, fieldValues } from './index.js';
import { compileCondition } from '../compile.js';
import { parseCondition } from '../parser.js';
import { EvalCtx } from '../context.js';
import { sampleEvents } from '../../../test/helpers/events.js';

const env = { lists: new Map(), macros: new Map() };
const byType = (t: string) => {
	const c = new EvalCtx();
	const e = sampleEvents().find((x) => fieldValues(['evt.type'], c.set(x))['evt.type'] === t);
	assert.ok(e, t);
	return c.set(e);
};

test('evt.arg[NAME] is the field evt.arg.NAME; an unknown name still resolves and is never set', () => {
	assert.equal(lookupField('evt.arg', 'flags')?.def, lookupField('evt.arg.flags')?.def);
	assert.equal(lookupFieldRef('evt.arg[uid]')?.def.type, 'number');
	assert.equal(lookupFieldRef('evt.arg.nope')?.def.name, 'evt.arg.');
	const c = byType('fchownat');
	assert.deepEqual(fieldValues(['evt.arg.uid', 'evt.arg[gid]', 'evt.arg.nope', 'evt.arg[nope]'], c), { 'evt.arg.uid': 65534, 'evt.arg[gid]': 65534, 'evt.arg.nope': null, 'evt.arg[nope]': null });
});

test('each kind answers its own argument names', () => {
	const cases: [string, string[], unknown[]][] = [
		['setresuid', ['evt.arg.ruid', 'evt.arg.euid', 'evt.arg.suid', 'evt.arg.uid', 'evt.arg.flags'], [1000, 1000, -1, null, null]],
		['capset', ['evt.arg.cap_effective', 'evt.arg.cap_permitted'], [['CAP_NET_RAW'], ['CAP_NET_RAW']]],
		['procexit', ['evt.arg.status', 'evt.arg.code', 'evt.arg.signal'], [256, 1, null]],
		['renameat2', ['evt.arg.flags', 'evt.arg.oldpath', 'evt.arg.newpath', 'evt.arg.newpath_raw_b64', 'evt.arg.target', 'evt.arg.mode'], ['RENAME_NOREPLACE', '/etc/a', '/etc/\\xc3(', 'L3TDKA==', null, null]],
		['symlinkat', ['evt.arg.target', 'evt.arg.target_b64', 'evt.arg.newpath'], ['/t\\xc3(', 'L3TDKA==', null]],
		['fchmodat', ['evt.arg.mode', 'evt.arg.setid', 'evt.arg.access'], ['04755', 'setuid', null]],
		['openat', ['evt.arg.flags', 'evt.arg.access', 'evt.arg.flags_raw', 'evt.arg.setid'], ['O_RDONLY|O_CLOEXEC', 'O_RDONLY', 0o2000000, null]],
	];
	for (const [type, refs, want] of cases) assert.deepEqual(Object.values(fieldValues(refs, byType(type))), want, type);
});

test('numeric arguments compare as numbers', () => {
	const c = byType('setresuid');
	assert.equal(compileCondition(parseCondition('evt.arg.suid = -1 and evt.arg[ruid] >= 1000'), env)(c), true);
	assert.throws(() => compileCondition(parseCondition('evt.arg.suid startswith 1'), env), /needs a number field|does not apply/);
});
