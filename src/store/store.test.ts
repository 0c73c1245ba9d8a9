/** @module store/store.test: file modes, WAL, append order and links, and clear errors for missing, foreign and corrupt files. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { AuditStore, PAGE_SIZE } from './store.js';
import { GENESIS, canonicalJson } from './chain.js';
import { verifyStore } from './verify.js';
import { SEARCH_COLUMNS } from './schema.js';
import { searchStore, whereClause } from './search.js';
import { sampleAlert, tempStore } from '../../test/helpers/store-fixtures.js';

const mode = (p: string): number => statSync(p).mode & 0o777;

test('a new store is 0600 (with its WAL and shm) in a new 0700 directory, in WAL mode, with PAGE_SIZE pages and the WAL checkpointed every 64 MiB', () => {
	const t = tempStore(3);
	try {
		assert.equal(mode(join(t.dir, 'db')), 0o700);
		assert.equal(mode(t.path), 0o600);
		assert.equal(mode(`${t.path}-wal`), 0o600);
		assert.equal(mode(`${t.path}-shm`), 0o600);
		assert.equal(t.store.db.pragma('journal_mode', { simple: true }), 'wal');
		assert.equal(t.store.db.pragma('page_size', { simple: true }), PAGE_SIZE);
		assert.equal(t.store.db.pragma('wal_autocheckpoint', { simple: true }), (64 << 20) / PAGE_SIZE);
	} finally {
		t.cleanup();
	}
});

test('an existing store file is tightened to 0600 when opened for writing', () => {
	const t = tempStore(1);
	try {
		t.store.close();
		chmodSync(t.path, 0o644);
		AuditStore.open(t.path).close();
		assert.equal(mode(t.path), 0o600);
	} finally {
		t.cleanup();
	}
});

test('records are appended in order, each linked to the one before; the tail survives reopening', () => {
	const t = tempStore(0);
	try {
		const a = t.store.appendAlerts([sampleAlert(0), sampleAlert(1)]);
		const b = t.store.appendAlerts([sampleAlert(2)]);
		assert.equal(a.id, 2);
		assert.equal(b.id, 3);
		const C = SEARCH_COLUMNS;
		const rows = t.store.db.prepare(`SELECT id, kind, prev_hash, hash, data, ${C.rule} AS rule, ${C.pid} AS pid, ${C.user} AS user, ${C.exe} AS exe FROM records ORDER BY id`).all() as Record<string, unknown>[];
		assert.deepEqual(rows.map((r) => r.id), [1, 2, 3]);
		assert.equal(rows[0].prev_hash, GENESIS);
		assert.equal(rows[1].prev_hash, rows[0].hash);
		assert.equal(rows[2].prev_hash, rows[1].hash);
		assert.equal(rows[0].data, canonicalJson(sampleAlert(0)));
		assert.deepEqual([rows[1].rule, rows[1].pid, rows[1].user, rows[1].exe], ['Shell spawned by web server', 1001, 'www-data', '/bin/bash']);
		t.store.close();
		const again = AuditStore.open(t.path);
		assert.deepEqual(again.tail(), { id: 3, hash: rows[2].hash });
		again.close();
	} finally {
		t.cleanup();
	}
});

test('records cannot be updated or deleted through SQL while the triggers stand', () => {
	const t = tempStore(2);
	try {
		assert.throws(() => t.store.db.prepare(`UPDATE records SET data = '{}' WHERE id = 1`).run(), /append-only/);
		assert.throws(() => t.store.db.prepare('DELETE FROM records WHERE id = 1').run(), /only by retention/);
	} finally {
		t.cleanup();
	}
});

test('missing, symlinked, foreign and corrupt files: one clear StoreError each', () => {
	const dir = mkdtempSync(join(tmpdir(), 'bg-store-'));
	try {
		assert.throws(() => AuditStore.open(join(dir, 'none.db'), { readonly: true }), { code: 'ESTORENOENT', message: /no such file/ });
		writeFileSync(join(dir, 'junk.db'), 'this is not sqlite at all, just text'.repeat(200));
		assert.throws(() => AuditStore.open(join(dir, 'junk.db'), { readonly: true }), { code: 'ESTORECORRUPT', message: /not an SQLite database/ });
		const other = new Database(join(dir, 'other.db'));
		other.exec('CREATE TABLE t (x)');
		other.close();
		assert.throws(() => AuditStore.open(join(dir, 'other.db'), { create: true }), { code: 'ESTORECORRUPT', message: /not a bpfguard audit store/ });
		symlinkSync(join(dir, 'other.db'), join(dir, 'link.db'));
		assert.throws(() => AuditStore.open(join(dir, 'link.db'), { create: true }), { code: 'ESTOREPATH', message: /not a regular file/ });
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});

test('a store is readable read-only while another connection appends', () => {
	const t = tempStore(5);
	try {
		const ro = AuditStore.open(t.path, { readonly: true });
		t.store.appendAlerts([sampleAlert(5)]);
		assert.equal(ro.db.prepare('SELECT count(*) FROM records').pluck().get(), 6);
		assert.throws(() => ro.appendAlerts([sampleAlert(6)]), /readonly/);
		ro.close();
	} finally {
		t.cleanup();
	}
});

// A store as versions 2 and 4 made it: search columns generated from the JSON (version 2: no evt.type, the rule index over every record).
function oldShape(db: Database.Database, version: 2 | 4): void {
	const cols = Object.entries(SEARCH_COLUMNS).filter(([c]) => version === 4 || c !== 'etype');
	db.exec(`DROP INDEX records_rule; ${cols.map(([c, e]) => `ALTER TABLE records ADD COLUMN ${c} ANY GENERATED ALWAYS AS (${e}) VIRTUAL;`).join(' ')}
		CREATE INDEX records_rule ON records(rule) ${version === 4 ? `WHERE kind <> 'event'` : ''}; UPDATE meta SET value = '${version}' WHERE key = 'schema_version'`);
}

for (const version of [2, 4] as const) {
	test(`a version ${version} store (search columns generated on every insert) is migrated to 5 when opened for writing, searches by rule through the index, and verifies`, () => {
		const t = tempStore(6);
		try {
			t.store.close();
			const db = new Database(t.path);
			oldShape(db, version);
			db.close();
			const columns = (s: AuditStore): number => s.db.prepare(`SELECT count(*) FROM pragma_table_xinfo('records') WHERE hidden <> 0`).pluck().get() as number;
			const ro = AuditStore.open(t.path, { readonly: true });
			assert.equal(columns(ro), Object.keys(SEARCH_COLUMNS).length - (version === 2 ? 1 : 0), 'read-only: left as it is');
			assert.deepEqual(searchStore(ro, { rule: sampleAlert(0).rule }).map((r) => r.id), [1, 5], 'read-only: searched as it is');
			ro.close();
			const s = AuditStore.open(t.path);
			try {
				assert.equal(s.db.prepare(`SELECT value FROM meta WHERE key = 'schema_version'`).pluck().get(), '5');
				assert.equal(columns(s), 0, 'no generated column');
				assert.match(s.db.prepare(`SELECT sql FROM sqlite_master WHERE name = 'records_rule'`).pluck().get() as string, /WHERE kind <> 'event'/);
				const w = whereClause({ rule: 'x' });
				const plan = s.db.prepare(`EXPLAIN QUERY PLAN SELECT id FROM records WHERE ${w.sql}`).all(...w.params) as { detail: string }[];
				assert.match(plan.map((p) => p.detail).join(';'), /USING INDEX records_rule/, 'search by rule uses the partial index');
				assert.deepEqual(searchStore(s, { rule: sampleAlert(0).rule, comm: 'cat', uid: 1000, user: 'alice', exe: 'cat', tag: 'T1003', minPriority: 'warning', text: 'MARKER-4' }).map((r) => r.id), [5]);
				assert.deepEqual(searchStore(s, { exe: '/bin/bash', pid: 1001 }).map((r) => r.id), [2]);
				assert.equal(verifyStore(s).ok, true);
				s.appendAlerts([sampleAlert(6)]);
				assert.equal(verifyStore(s).ok, true);
			} finally {
				s.close();
			}
		} finally {
			t.cleanup();
		}
	});
}
