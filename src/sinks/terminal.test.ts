/** @module sinks/terminal.test: human lines, escaping, colour only on a TTY, and the shared sink suite. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { TerminalSink, formatTerminalLine } from './terminal.js';
import { sinkSuite, testAlert } from '../../test/helpers/sink-suite.js';

process.env.TZ = 'UTC';

class Capture extends Writable {
	text = '';
	isTTY?: boolean;
	override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void): void {
		this.text += chunk.toString('utf8');
		setImmediate(cb);
	}
}

sinkSuite('terminal', async () => {
	const out = new Capture();
	return {
		sink: new TerminalSink({ stream: out }),
		received: async () => out.text.split('\n').filter(Boolean).map((l) => /id=(\S+)$/.exec(l)?.[1] ?? `?${l}`),
		cleanup: async () => {},
	};
});

test('a line is time, priority, rule and escaped output, with the count when more than one', () => {
	const line = formatTerminalLine(testAlert(7, { count: 3, rule: 'Bad\nrule' }), false);
	assert.equal(line, '03:04:05.007 WARNING Bad\\nrule: cat opened /etc/sh"a]dow\\nforged\\e[2J line héllo id=al-000007-7f3a (3×)');
	assert.doesNotMatch(formatTerminalLine(testAlert(1), false), /×/);
});

test('an alert from a container ends with its name, id and image (escaped); a host alert and unresolved names add nothing', () => {
	const ctr = (f: Record<string, string>) => formatTerminalLine(testAlert(7, { fields: { ...testAlert(7).fields, ...f } }), false);
	assert.match(ctr({ 'container.id': '1a2b3c4d5e6f', 'container.name': 'web\n', 'container.image': 'docker.io/library/nginx:1.25' }), / id=al-000007-7f3a \[container web\\n 1a2b3c4d5e6f docker\.io\/library\/nginx:1\.25\]$/);
	assert.match(ctr({ 'container.id': '1a2b3c4d5e6f', 'container.name': '<unresolved>', 'container.image': '<unresolved>' }), / \[container 1a2b3c4d5e6f\]$/);
	assert.match(ctr({ 'container.id': 'host', 'container.name': 'host' }), /id=al-000007-7f3a$/);
});

test('event data cannot break the line or reach the terminal as control sequences', async () => {
	const out = new Capture();
	const sink = new TerminalSink({ stream: out });
	await sink.start();
	sink.write(testAlert(1, { output: 'a\r\nb\u001b]0;title\u0007c\u202ed' }));
	await sink.close();
	assert.equal(out.text.split('\n').length, 2);
	assert.doesNotMatch(out.text, /[\u0000-\u0009\u000b-\u001f\u007f\u202e]/);
});

test('priority is coloured only when the stream is a TTY', async () => {
	for (const tty of [false, true]) {
		const out = new Capture();
		out.isTTY = tty;
		const sink = new TerminalSink({ stream: out });
		await sink.start();
		sink.write(testAlert(1, { priority: 'critical' }));
		await sink.close();
		assert.equal(out.text.includes('\u001b[1;31mCRITICAL\u001b[0m'), tty);
		assert.equal(out.text.replace('\u001b[1;31m', '').replace('\u001b[0m', '').includes('\u001b'), false);
	}
});

test('acceptsLogs follows the option (off by default)', () => {
	assert.equal(new TerminalSink({ stream: new Capture() }).acceptsLogs, false);
	assert.equal(new TerminalSink({ stream: new Capture(), logs: true }).acceptsLogs, true);
});

test('a stalled stream drops lines past the buffer bound and counts them', async () => {
	const stalled = new Writable({ write: () => {}, highWaterMark: 16 });
	const sink = new TerminalSink({ stream: stalled, maxBufferedBytes: 1000 });
	await sink.start();
	for (let i = 0; i < 50; i++) sink.write(testAlert(i));
	const st = sink.stats();
	assert.ok(st.dropped > 0);
	assert.equal(st.dropped + st.queued + st.written, 50);
});
