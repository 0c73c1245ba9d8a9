/** @module cli/commands/report.test: `bpfguard report` end to end in every format, --out created 0600, filters applied, errors. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempStore } from '../../../test/helpers/store-fixtures.js';
import type { Report } from '../../report/report.js';
import { REPORT_INDEXES } from '../../store/report-index.js';
import { assertOneLineError, bpfguard } from '../../../test/helpers/cli.js';

const t = tempStore(40);
t.store.close();
test.after(() => t.cleanup());

test('--format json: parses; totals and breakdowns as stored; the filter is recorded', () => {
	const r = bpfguard(['report', '--db', t.path, '--format', 'json', '--user', 'alice']);
	assert.equal(r.status, 0, r.stderr);
	const rep = JSON.parse(r.stdout) as Report;
	assert.deepEqual(rep.totals, { records: 20, matches: 20, alerts: 18, logs: 2 });
	assert.deepEqual(rep.filter, { user: 'alice' });
	assert.deepEqual(rep.breakdowns.find((b) => b.name === 'exe')!.rows.map((g) => [g.key, g.matches]), [['/usr/bin/cat', 10], ['/usr/bin/curl', 10]]);
});

test('--format markdown and text: tables with the counts', () => {
	const md = bpfguard(['report', '--db', t.path, '--format', 'markdown']);
	assert.equal(md.status, 0, md.stderr);
	assert.ok(md.stdout.split('\n').includes('| Read sensitive file | 10 | 10 |'));
	assert.ok(md.stdout.split('\n').includes('| db-1 | 20 | 20 |'));
	const text = bpfguard(['report', '--db', t.path, '--priority', 'error']);
	assert.equal(text.status, 0, text.stderr);
	assert.match(text.stdout, /^records: +20 \(18 alerts, 2 log matches\), 20 matches$/m);
	assert.match(text.stdout, /^filter: +priority=error$/m);
});

test('--format html --out FILE: a 0600 self-contained file with the counts; an existing file is replaced and tightened', () => {
	const out = join(t.dir, 'report.html');
	writeFileSync(out, 'old');
	chmodSync(out, 0o644);
	const r = bpfguard(['report', '--db', t.path, '--format', 'html', '--out', out, '--bucket', '10m']);
	assert.deepEqual([r.status, r.stdout, r.stderr], [0, '', '']);
	assert.equal(statSync(out).mode & 0o777, 0o600);
	const h = readFileSync(out, 'utf8');
	assert.match(h, /<b id="records">40<\/b>/);
	assert.match(h, /buckets of 10 min/);
	assert.doesNotMatch(h, /<script|https?:/i);
});

test('a store without the report indexes (made before them, not reopened by a writer since) is reported, with a note on stderr', () => {
	const old = tempStore(8);
	try {
		for (const n of REPORT_INDEXES) old.store.db.exec(`DROP INDEX ${n}`);
		old.store.close();
		const r = bpfguard(['report', '--db', old.path, '--format', 'json']);
		assert.equal(r.status, 0, r.stderr);
		assert.equal((JSON.parse(r.stdout) as Report).totals.records, 8);
		assert.equal(r.stderr, `report: ${old.path} has no report indexes yet (the monitor's store sink adds them when it next opens the store): this report reads every record\n`);
		assert.equal(bpfguard(['report', '--db', t.path, '--format', 'json']).stderr, '');
	} finally {
		old.cleanup();
	}
});

test('errors: unknown format, --out through a symlink, missing db', () => {
	assertOneLineError(bpfguard(['report', '--db', t.path, '--format', 'pdf']), 2, /argument 'pdf' is invalid\. Allowed choices are text, markdown, json, html/);
	const link = join(t.dir, 'link.html');
	symlinkSync(join(t.dir, 'victim'), link);
	assertOneLineError(bpfguard(['report', '--db', t.path, '--out', link]), 1, /^bpfguard: write report .*link\.html: ELOOP/);
	assert.throws(() => statSync(join(t.dir, 'victim')), { code: 'ENOENT' });
	assertOneLineError(bpfguard(['report', '--db', join(t.dir, 'none.db')]), 1, /no such file/);
});
