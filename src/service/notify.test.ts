/** @module service/notify.test: the sd_notify message text and journald level prefixes (the real socket: test/kernel/service.test). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SdNotifier, monotonicUsec } from './notify.js';
import { journalLines } from './journal.js';

test('notify: one datagram of KEY=VALUE lines to $NOTIFY_SOCKET; nothing without it; the first error stops sending', () => {
	const sent: [string, string][] = [];
	const sd = new SdNotifier('/run/x/notify', (p, d) => sent.push([p, d.toString()]));
	assert.equal(sd.notify({ READY: 1, STATUS: 'a\nb' }), true);
	assert.deepEqual(sent, [['/run/x/notify', 'READY=1\nSTATUS=a b\n']]);
	assert.equal(new SdNotifier(undefined, () => assert.fail('sent')).notify({ READY: 1 }), false);
	let calls = 0;
	const failing = new SdNotifier('@abstract', () => {
		calls++;
		throw Object.assign(new Error('x'), { code: 'ECONNREFUSED' });
	});
	assert.equal(failing.notify({ READY: 1 }), false);
	assert.equal(failing.error, 'notify @abstract: ECONNREFUSED');
	assert.equal(failing.notify({ STOPPING: 1 }), false);
	assert.equal(calls, 1);
	assert.match(monotonicUsec(), /^\d+$/);
});

test('journal: every line gets the level prefix under journald, none otherwise', () => {
	assert.equal(journalLines('warning', 'monitor: a\nb', true), '<4>monitor: a\n<4>b\n');
	assert.equal(journalLines('info', 'monitor: a\n', true), '<6>monitor: a\n');
	assert.equal(journalLines('err', 'x', false), 'x\n');
});
