/** @module store/report-index.test: a writer creates the report's indexes (once, also on an older store); a reader never does; they hold rule matches only. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { REPORT_INDEXES, REPORT_KINDS, REPORT_SCOPE } from './report-index.js';
import { MATCH_KINDS } from './search.js';
import { AuditStore } from './store.js';
import { tempStore } from '../../test/helpers/store-fixtures.js';

const indexes = (s: AuditStore): string[] => (s.db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'records_rep_%' ORDER BY name`).pluck().all() as string[]);

test('the indexed kinds are the rule matches search and report default to', () => {
	assert.deepEqual([...REPORT_KINDS], MATCH_KINDS);
	assert.equal(REPORT_SCOPE, `kind IN ('alert', 'log')`);
});

test('a new store has the report indexes; a store without them gets them from its next writer, not from a reader', () => {
	const t = tempStore(10);
	try {
		assert.deepEqual(indexes(t.store), [...REPORT_INDEXES].sort());
		for (const n of REPORT_INDEXES) t.store.db.exec(`DROP INDEX ${n}`);
		t.store.close();
		const reader = AuditStore.open(t.path, { readonly: true });
		assert.deepEqual(indexes(reader), []);
		reader.close();
		const writer = AuditStore.open(t.path);
		assert.deepEqual(indexes(writer), [...REPORT_INDEXES].sort());
		writer.close();
	} finally {
		t.cleanup();
	}
});

test('records of other kinds (prune, checkpoint, audit events) are not in the report indexes', () => {
	const t = tempStore(10);
	try {
		t.store.append([{ kind: 'event', timeMs: 1, data: '{"fields":{"proc.name":"cat"}}' }]);
		const all = t.store.db.prepare('SELECT count(*) FROM records').pluck().get() as number;
		// entries in each index's b-tree, read from the database pages (dbstat)
		const entries = t.store.db.prepare(`SELECT name, sum(ncell) AS n FROM dbstat WHERE name LIKE 'records_rep_%' AND pagetype = 'leaf' GROUP BY name`).all() as { name: string; n: number }[];
		assert.equal(all, 11);
		assert.deepEqual(entries.map((e) => e.n), REPORT_INDEXES.map(() => 10));
	} finally {
		t.cleanup();
	}
});
