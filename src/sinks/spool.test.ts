/** @module sinks/spool.test: order, restart, bound with counted drops, torn lines, modes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, chmod, mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Spool } from './spool.js';

const rec = (i: number): string => JSON.stringify({ id: `r${i}`, pad: 'x'.repeat(60) });
const idOf = (r: string): string => (JSON.parse(r) as { id: string }).id;

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
	const dir = await mkdtemp(join(tmpdir(), 'bg-spool-'));
	try {
		await fn(join(dir, 'spool'));
	} finally {
		await rm(dir, { recursive: true, force: true });
	}
}

/** Reads and acks everything, batch records at a time (bounded). */
async function drain(sp: Spool, batch: number): Promise<string[]> {
	const out: string[] = [];
	for (let i = 0; i < 10_000 && sp.pending > 0; i++) {
		const { records, end } = await sp.peek(batch);
		out.push(...records.map(idOf));
		await sp.ack(end);
	}
	return out;
}

test('records come out in order across segments; consumed segments are deleted', () =>
	withDir(async (dir) => {
		const sp = await Spool.open(dir, { maxBytes: 1 << 20, segmentBytes: 500 });
		for (let i = 0; i < 50; i += 5) await sp.append([0, 1, 2, 3, 4].map((k) => rec(i + k)));
		assert.equal(sp.pending, 50);
		assert.ok((await readdir(dir)).filter((f) => f.endsWith('.seg')).length > 3);
		assert.deepEqual(await drain(sp, 3), Array.from({ length: 50 }, (_, i) => `r${i}`));
		assert.equal(sp.pending, 0);
		await sp.close();
		assert.equal((await readdir(dir)).filter((f) => f.endsWith('.seg')).length, 1);
	}));

test('a reopened spool continues after the last ack; directory 0700 and files 0600', () =>
	withDir(async (dir) => {
		const a = await Spool.open(dir, { maxBytes: 1 << 20, segmentBytes: 400 });
		await a.append(Array.from({ length: 20 }, (_, i) => rec(i)));
		const { end } = await a.peek(7);
		await a.ack(end);
		await a.close();
		assert.equal((await stat(dir)).mode & 0o777, 0o700);
		for (const f of await readdir(dir)) assert.equal((await stat(join(dir, f))).mode & 0o777, 0o600, f);
		const b = await Spool.open(dir, { maxBytes: 1 << 20, segmentBytes: 400 });
		assert.equal(b.recovered, 13);
		await b.append([rec(20)]);
		assert.deepEqual(await drain(b, 4), Array.from({ length: 14 }, (_, i) => `r${i + 7}`));
		await b.close();
	}));

test('past the bound the oldest segments go, and every undelivered record in them is counted', () =>
	withDir(async (dir) => {
		const sp = await Spool.open(dir, { maxBytes: 2000, segmentBytes: 500 });
		for (let i = 0; i < 100; i++) await sp.append([rec(i)]);
		assert.ok(sp.bytes <= 2000);
		assert.ok(sp.dropped > 0);
		assert.equal(sp.dropped + sp.pending, 100);
		const got = await drain(sp, 10);
		assert.deepEqual(got, Array.from({ length: got.length }, (_, i) => `r${100 - got.length + i}`));
		await sp.close();
	}));

test('a torn last line (crash mid-write) is not a record; unparseable lines are counted as dropped', () =>
	withDir(async (dir) => {
		const a = await Spool.open(dir, { maxBytes: 1 << 20 });
		await a.append([rec(0), rec(1)]);
		await a.close();
		const seg = (await readdir(dir)).find((f) => f.endsWith('.seg'))!;
		await appendFile(join(dir, seg), 'not json\n{"id":"torn');
		const b = await Spool.open(dir, { maxBytes: 1 << 20 });
		assert.equal(b.pending, 2);
		assert.equal(b.dropped, 1);
		await b.append([rec(2)]);
		assert.deepEqual(await drain(b, 10), ['r0', 'r1', 'r2']);
		await b.close();
	}));

test('a spool directory others can write is refused', () =>
	withDir(async (dir) => {
		await mkdir(dir, { mode: 0o700 });
		await chmod(dir, 0o777);
		await assert.rejects(Spool.open(dir, { maxBytes: 1 << 20 }), { code: 'EUNSAFE', message: `open spool ${dir}: writable by group or others (mode 0777); fix: chmod 700 ${dir}` });
	}));
