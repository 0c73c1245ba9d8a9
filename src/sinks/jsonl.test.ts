/** @module sinks/jsonl.test: file modes, rotation, and the shared sink suite. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, symlink, writeFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonlSink } from './jsonl.js';
import { sinkSuite, testAlert } from '../../test/helpers/sink-suite.js';

const mode = async (p: string): Promise<number> => (await stat(p)).mode & 0o777;

/** Lines of path.keep … path.1, path (oldest first), parsed. */
async function readAll(path: string, keep: number): Promise<{ id: string }[]> {
	const out: { id: string }[] = [];
	for (const f of [...Array.from({ length: keep }, (_, i) => `${path}.${keep - i}`), path]) {
		const text = await readFile(f, 'utf8').catch(() => '');
		for (const l of text.split('\n')) if (l) out.push(JSON.parse(l) as { id: string });
	}
	return out;
}

sinkSuite('jsonl', async () => {
	const dir = await mkdtemp(join(tmpdir(), 'bg-jsonl-'));
	const path = join(dir, 'alerts.jsonl');
	return {
		sink: new JsonlSink({ path }),
		received: async () => (await readAll(path, 0)).map((a) => a.id),
		cleanup: () => rm(dir, { recursive: true, force: true }),
	};
});

test('the file is created 0600 in a new 0700 directory; an existing file is tightened to 0600', async () => {
	const dir = await mkdtemp(join(tmpdir(), 'bg-jsonl-'));
	try {
		const path = join(dir, 'new', 'alerts.jsonl');
		const sink = new JsonlSink({ path });
		await sink.start();
		await sink.close();
		assert.equal(await mode(join(dir, 'new')), 0o700);
		assert.equal(await mode(path), 0o600);
		const old = join(dir, 'old.jsonl');
		await writeFile(old, '', { mode: 0o644 });
		const s2 = new JsonlSink({ path: old });
		await s2.start();
		await s2.close();
		assert.equal(await mode(old), 0o600);
	} finally {
		await rm(dir, { recursive: true, force: true });
	}
});

test('rotation keeps path.1 … path.keep under maxBytes, newest last, each 0600, lines whole', async () => {
	const dir = await mkdtemp(join(tmpdir(), 'bg-jsonl-'));
	try {
		const path = join(dir, 'alerts.jsonl');
		const n = 60;
		const one = Buffer.byteLength(`${JSON.stringify(testAlert(0))}\n`);
		const maxBytes = one * 5 + 10;
		const sink = new JsonlSink({ path, maxBytes, keep: 2 });
		await sink.start();
		for (let i = 0; i < n; i++) {
			sink.write(testAlert(i));
			if (i % 7 === 0) await sink.flush();
		}
		await sink.close();
		assert.deepEqual((await readdir(dir)).sort(), ['alerts.jsonl', 'alerts.jsonl.1', 'alerts.jsonl.2']);
		for (const f of await readdir(dir)) {
			assert.equal(await mode(join(dir, f)), 0o600);
			assert.ok((await stat(join(dir, f))).size <= maxBytes, f);
		}
		const ids = (await readAll(path, 2)).map((a) => a.id);
		const want = Array.from({ length: n }, (_, i) => testAlert(i).id).slice(n - ids.length);
		assert.deepEqual(ids, want);
		assert.equal(ids.length, 15);
		assert.deepEqual(sink.stats(), { written: n, failed: 0, dropped: 0, queued: 0 });
	} finally {
		await rm(dir, { recursive: true, force: true });
	}
});

test('keep 0 rotates by truncation; an existing oversize file rotates on the first write', async () => {
	const dir = await mkdtemp(join(tmpdir(), 'bg-jsonl-'));
	try {
		const path = join(dir, 'a.jsonl');
		await writeFile(path, 'x'.repeat(5000) + '\n');
		const sink = new JsonlSink({ path, maxBytes: 4096, keep: 0 });
		await sink.start();
		sink.write(testAlert(1));
		await sink.close();
		assert.deepEqual(await readdir(dir), ['a.jsonl']);
		assert.deepEqual((await readAll(path, 0)).map((a) => a.id), [testAlert(1).id]);
	} finally {
		await rm(dir, { recursive: true, force: true });
	}
});

test('write() only buffers: nothing reaches the file before the timer or flush', async () => {
	const dir = await mkdtemp(join(tmpdir(), 'bg-jsonl-'));
	try {
		const path = join(dir, 'a.jsonl');
		const sink = new JsonlSink({ path, flushIntervalMs: 60_000, fsync: true });
		await sink.start();
		sink.write(testAlert(1));
		assert.equal((await stat(path)).size, 0);
		assert.equal(sink.stats().queued, 1);
		await sink.flush();
		assert.equal((await readAll(path, 0)).length, 1);
		await sink.close();
	} finally {
		await rm(dir, { recursive: true, force: true });
	}
});

test('a symlink at the file path is refused (O_NOFOLLOW), not written through', async () => {
	const dir = await mkdtemp(join(tmpdir(), 'bg-jsonl-'));
	try {
		const target = join(dir, 'victim');
		await writeFile(target, 'keep\n');
		await symlink(target, join(dir, 'a.jsonl'));
		await assert.rejects(new JsonlSink({ path: join(dir, 'a.jsonl') }).start(), { code: 'ELOOP', name: 'SinkError' });
		assert.equal(await readFile(target, 'utf8'), 'keep\n');
	} finally {
		await rm(dir, { recursive: true, force: true });
	}
});
