/** @module store/export.test: CSV quoting (RFC 4180, read back with csv-parse) and the JSON lines of events and alerts. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { CSV_COLUMNS, CSV_HEADER, csvCell, csvLine, exportRecords, jsonRecord } from './export.js';
import type { StoredRecord } from './search.js';

test('csv cells: quoted only when they hold a comma, a quote, CR or LF; quotes doubled; absent values empty; lists as JSON', () => {
	assert.equal(csvCell('plain'), 'plain');
	assert.equal(csvCell('a,b'), '"a,b"');
	assert.equal(csvCell('say "hi"'), '"say ""hi"""');
	assert.equal(csvCell('two\nlines'), '"two\nlines"');
	assert.equal(csvCell('cr\rhere'), '"cr\rhere"');
	assert.equal(csvCell(' spaced '), ' spaced ');
	assert.equal(csvCell(42), '42');
	assert.equal(csvCell(false), 'false');
	assert.equal(csvCell(null), '');
	assert.equal(csvCell(undefined), '');
	assert.equal(csvCell(['/bin/sh', '-c', 'a,b']), '"[""/bin/sh"",""-c"",""a,b""]"');
	assert.equal(csvLine(['a', 'b,c', '']), 'a,"b,c",\r\n');
});

test('csv round trip: every awkward value reads back as written (csv-parse, strict RFC 4180)', () => {
	const nasty = ['', 'x', ',', '"', '""', 'a"b,c\r\nd', '\n', 'é ✓ \u0000 \u001b[31m', '=cmd|calc', ' lead', 'trail ', 'lone\rcr'];
	const text = csvLine(nasty) + csvLine(nasty.slice().reverse());
	const rows = parse(text, { relax_quotes: false, record_delimiter: '\r\n' }) as string[][];
	assert.deepEqual(rows, [nasty, nasty.slice().reverse()]);
});

const rec = (id: number, kind: string, data: Record<string, unknown>): StoredRecord => ({ id, kind, timeMs: Date.UTC(2025, 0, 2, 3, 4, 5, 6), hash: 'h', data });

test('export: a header, one row per record, values in their columns; jsonl: events as their --json object, alerts whole', async () => {
	const ev = rec(7, 'event', { fields: { 'evt.type': 'openat', 'proc.pid': 12, 'proc.name': 'c,at', 'fd.name': '/tmp/"q"\nx' }, hostname: 'h1', source: 'syscall' });
	const al = rec(8, 'alert', { rule: 'R, one', priority: 'warning', output: 'out "put"', hostname: 'h2', fields: { 'proc.name': 'sh', 'user.uid': 0, 'proc.exepath': null } });
	const out = new PassThrough();
	let text = '';
	out.on('data', (d) => (text += d));
	assert.equal(await exportRecords([ev, al], 'csv', out), 2);
	assert.ok(text.startsWith(CSV_HEADER));
	const rows = parse(text, { columns: true }) as Record<string, string>[];
	assert.deepEqual(Object.keys(rows[0]), [...CSV_COLUMNS]);
	assert.deepEqual(
		rows.map((r) => [r.record, r.kind, r.time, r.hostname, r.rule, r.priority, r['evt.type'], r['proc.pid'], r['proc.name'], r['proc.exepath'], r['user.uid'], r['fd.name'], r.output]),
		[
			['7', 'event', '2025-01-02T03:04:05.006Z', 'h1', '', '', 'openat', '12', 'c,at', '', '', '/tmp/"q"\nx', ''],
			['8', 'alert', '2025-01-02T03:04:05.006Z', 'h2', 'R, one', 'warning', '', '', 'sh', '', '0', '', 'out "put"'],
		],
	);
	assert.deepEqual(JSON.parse(rows[0].fields), ev.data.fields);
	assert.equal(jsonRecord(ev), `${JSON.stringify(ev.data.fields)}\n`);
	assert.deepEqual(JSON.parse(jsonRecord(al)), al.data);
});
