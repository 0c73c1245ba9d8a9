/** @module store/where.test: `--where` over stored records: what reaches SQL, and that the SQL never leaves out a record the whole condition accepts. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileWhere, toSql } from './where.js';
import { parseCondition } from '../rules/parser.js';
import { ConditionError } from '../rules/errors.js';
import { EvalCtx } from '../rules/context.js';
import { EventEncoder, eventRecords } from './event-record.js';
import { RECORD_KINDS, scanStore } from './search.js';
import { SEARCH_COLUMNS as C } from './schema.js';
import { sampleAlert, tempStore } from '../../test/helpers/store-fixtures.js';
import { sampleEvents } from '../../test/helpers/events.js';

const sql = (cond: string) => toSql(parseCondition(cond));

test('pushdown: search columns and JSON members become SQL; not, icontains, glob, regex and list fields stay on the decoded row', () => {
	assert.deepEqual(sql('proc.name = "cat" and fd.name startswith "/tmp/a"'), {
		sql: `((instr(data, ?) > 0 AND ${C.comm} = ?) AND instr(data, ?) > 0)`,
		params: ['"proc.name":"cat"', 'cat', '"fd.name":"/tmp/a'],
	});
	assert.deepEqual(sql('proc.pid = 5 or user.uid = 0'), { sql: `((instr(data, ?) > 0 AND ${C.pid} = ?) OR (instr(data, ?) > 0 AND ${C.uid} = ?))`, params: ['"proc.pid":5', 5, '"user.uid":0', 0] });
	assert.deepEqual(sql('proc.pid != 5 and proc.pid > 2'), { sql: `(${C.pid} != ? AND ${C.pid} > ?)`, params: [5, 2] });
	assert.deepEqual(sql('proc.pid in (1, 2) and evt.time >= 1700000000000'), { sql: `(${C.pid} IN (?,?) AND time_ms >= ?)`, params: [1, 2, 1700000000000] });
	assert.deepEqual(sql('evt.type in (openat, execve)'), { sql: `${C.etype} IN (?,?)`, params: ['openat', 'execve'] });
	assert.deepEqual(sql('evt.rawres < 0'), { sql: 'json_extract(data, ?) < ?', params: ['$.fields."evt.rawres"', 0] });
	assert.deepEqual(sql('evt.failed = true'), { sql: '(instr(data, ?) > 0 AND json_extract(data, ?) = ?)', params: ['"evt.failed":true', '$.fields."evt.failed"', 1] });
	assert.deepEqual(sql('proc.name endswith "sh"'), { sql: `(instr(data, ?) > 0 AND substr(${C.comm}, -length(?)) = ?)`, params: ['sh', 'sh', 'sh'] });
	assert.deepEqual(sql('fd.name contains "a\\"b"'), { sql: 'instr(data, ?) > 0', params: ['a\\"b'] }, 'as JSON writes the quote');
	assert.deepEqual(sql('proc.name exists'), { sql: `${C.comm} IS NOT NULL`, params: [] });
	assert.deepEqual(sql('proc.pid = 5 and not proc.name = "x"'), { sql: `(instr(data, ?) > 0 AND ${C.pid} = ?)`, params: ['"proc.pid":5', 5] });
	for (const c of ['not proc.pid = 5', 'fd.name icontains "x"', 'fd.name glob "/tmp/*"', 'fd.name regex "^/t"', 'proc.argv contains x', 'proc.pid = 1 or fd.name icontains y', 'proc.name != x', 'fd.name in (a, b)', 'fd.name = ""']) {
		assert.equal(sql(c), undefined, c);
	}
});

test('bad conditions: a ConditionError at the column of the problem', () => {
	const at = (cond: string): [number, string] => {
		try {
			compileWhere(cond);
		} catch (e) {
			assert.ok(e instanceof ConditionError, String(e));
			return [e.pos.col, e.message];
		}
		assert.fail(`accepted: ${cond}`);
	};
	assert.deepEqual(at('proc.name = x and fd.nam = y'), [19, "unknown field 'fd.nam'; did you mean fd.name?"]);
	assert.deepEqual(at('proc.pid = abc'), [12, "expected a number, found 'abc'"]);
	assert.deepEqual(at('proc.pid >'), [11, 'expected a value, found the end of the condition']);
	assert.deepEqual(at('shell_procs and proc.pid = 1'), [1, "unknown macro 'shell_procs' (fields have a dot, e.g. proc.name)"]);
});

test('equivalence: with its SQL, a condition finds exactly the records the whole condition accepts on every decoded row', () => {
	const t = tempStore(0);
	try {
		const enc = new EventEncoder('h');
		const ctx = new EvalCtx();
		for (const e of sampleEvents()) enc.add(ctx.set(e));
		t.store.append(eventRecords(enc.take()!));
		t.store.appendAlerts(Array.from({ length: 12 }, (_, i) => sampleAlert(i, i === 3 ? { fields: { 'proc.name': 'we"ird\u00e9', 'proc.pid': null, 'fd.name': '/tmp/x' } } : {})));
		const conds = [
			'proc.name = cat',
			'proc.name = "we\\"ird\u00e9"',
			'proc.name startswith "we" and fd.name endswith "/x"',
			'fd.name startswith "/etc/" and evt.type in (openat, creat)',
			'fd.name contains "\\\\xc3"',
			'proc.pid = 400 or proc.pid = 1005',
			'proc.pid != 400 and evt.type = openat',
			'evt.rawres < 0',
			'evt.failed = true and evt.type exists',
			'proc.pid in (100, 102) and evt.time > 0',
			'user.uid = 0',
			'proc.name exists and not proc.name = sh',
			'evt.arg.flags contains O_CREAT',
			'fd.sport = 0 or fd.dport = 53',
			'evt.type = execve and proc.argv contains "json marker"',
			'fd.name icontains "/ETC/"',
			'evt.failed = false and fd.name = "/etc/passwd"',
			'proc.exepath startswith "/tmp/" or proc.exepath = "/bin/echo"',
			'fd.num = 3 and evt.rawres >= 3',
			'fd.dport = 53 and fd.l4proto = udp',
			'evt.res = SUCCESS and evt.type = execve',
		];
		let found = 0;
		for (const cond of conds) {
			const w = compileWhere(cond);
			const pushed = [...scanStore(t.store, { kinds: RECORD_KINDS }, { where: w, page: 7 })].map((r) => r.id);
			const all = [...scanStore(t.store, { kinds: RECORD_KINDS }, { page: 7 })].filter((r) => w.test(r.data, r.timeMs)).map((r) => r.id);
			assert.deepEqual(pushed, all, cond);
			found += all.length;
		}
		assert.ok(found > 40, `the conditions match something (${found})`);
	} finally {
		t.store.close();
		t.cleanup();
	}
});
