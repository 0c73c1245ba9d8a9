/** @module sinks/registry.test: config parsing, fan-out (log-action filtering), summed stats, and the shared sink suite on a SinkSet. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Alert } from '../alerts/alert.js';
import type { Sink, SinkStats } from './sink.js';
import { SinkSet, createSinks } from './registry.js';
import { TerminalSink } from './terminal.js';
import { sinkSuite, testAlert } from '../../test/helpers/sink-suite.js';

class Capture extends Writable {
	text = '';
	override _write(chunk: Buffer, _e: BufferEncoding, cb: () => void): void {
		this.text += chunk.toString('utf8');
		cb();
	}
}

/** An in-memory sink recording what it was given. */
class Memory implements Sink {
	readonly got: Alert[] = [];
	constructor(
		readonly name: string,
		readonly acceptsLogs: boolean,
	) {}
	async start(): Promise<void> {}
	write(a: Alert): void {
		this.got.push(a);
	}
	async flush(): Promise<void> {}
	async close(): Promise<void> {}
	stats(): SinkStats {
		return { written: this.got.length, failed: 0, dropped: 0, queued: 0 };
	}
}

sinkSuite('sink set (terminal)', async () => {
	const out = new Capture();
	return {
		sink: new SinkSet([new TerminalSink({ stream: out })]),
		received: async () => out.text.split('\n').filter(Boolean).map((l) => /id=(\S+)$/.exec(l)?.[1] ?? l),
		cleanup: async () => {},
	};
});

test('createSinks builds one sink per configured kind, with defaults', () => {
	const set = createSinks({
		terminal: {},
		jsonl: { path: '/tmp/x.jsonl' },
		syslog: {},
		webhook: { url: 'https://siem.example/hook', spoolDir: '/tmp/spool' },
	});
	assert.deepEqual(set.sinks.map((s) => [s.name, s.acceptsLogs]), [
		['terminal', false],
		['jsonl', true],
		['syslog', false],
		['webhook', false],
	]);
	assert.deepEqual(createSinks({ terminal: { enabled: false } }).sinks, []);
	assert.deepEqual(createSinks(undefined).sinks, []);
});

test('a bad config reports every problem with its path', () => {
	assert.throws(
		() => createSinks({ jsonl: { path: '', keep: -1 }, webhook: { url: 'ftp://x', spoolDir: '/s', batch: 0 }, syslog: { facility: 'nope' }, email: {} }),
		(e: Error & { code: string; problems: string[] }) => {
			assert.equal(e.code, 'ESINKCONFIG');
			assert.match(e.message, /^parse sinks config: /);
			for (const p of ['jsonl.path', 'jsonl.keep', 'webhook.url', 'webhook.batch', 'syslog.facility', 'sinks']) {
				assert.ok(e.problems.some((x) => x.startsWith(`${p}:`)), p);
			}
			return true;
		},
	);
});

test('log-action alerts go only to sinks that accept logs; stats are summed', async () => {
	const audit = new Memory('audit', true);
	const human = new Memory('human', false);
	const set = new SinkSet([audit, human]);
	await set.start();
	set.write(testAlert(1));
	set.write(testAlert(2, { action: 'log' }));
	await set.flush();
	await set.close();
	assert.deepEqual(audit.got.map((a) => a.id), [testAlert(1).id, testAlert(2).id]);
	assert.deepEqual(human.got.map((a) => a.id), [testAlert(1).id]);
	assert.equal(set.stats().written, 3);
	assert.deepEqual(Object.keys(set.bySink()), ['audit', 'human']);
});

test('a sink that throws on write is counted; the others still receive the alert', () => {
	const ok = new Memory('ok', true);
	const bad = new Memory('bad', true);
	bad.write = () => {
		throw new Error('boom');
	};
	const set = new SinkSet([bad, ok]);
	set.write(testAlert(1));
	assert.equal(ok.got.length, 1);
	assert.equal(set.stats().dropped, 1);
});

test('start fails as a whole, naming the sink, and closes the ones that started', async () => {
	const dir = await mkdtemp(join(tmpdir(), 'bg-reg-'));
	try {
		const set = createSinks({ jsonl: { path: join(dir, 'ok.jsonl') }, syslog: { target: 'udp://' } });
		await assert.rejects(set.start(), (e: Error & { code: string; sink: string }) => e.sink === 'syslog' && /^start sinks: /.test(e.message));
	} finally {
		await rm(dir, { recursive: true, force: true });
	}
});
