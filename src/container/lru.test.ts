/** @module container/lru.test: eviction order, recency on get, expiry by TTL. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TtlLru } from './lru.js';
import { parseImageRef } from './image-ref.js';

test('lru: the least recently used entry goes first; get() refreshes recency', () => {
	const l = new TtlLru<string, number>(2);
	l.set('a', 1, 1000);
	l.set('b', 2, 1000);
	assert.equal(l.get('a'), 1);
	l.set('c', 3, 1000);
	assert.equal(l.get('b'), undefined);
	assert.equal(l.get('a'), 1);
	assert.equal(l.get('c'), 3);
	assert.equal(l.size, 2);
	assert.equal(l.evicted, 1);
	assert.throws(() => new TtlLru(0), /at least 1/);
});

test('lru: an entry expires after its own TTL (short negative answers next to long positive ones)', () => {
	let now = 1000;
	const l = new TtlLru<string, string>(8, () => now);
	l.set('pos', 'meta', 600_000);
	l.set('neg', 'unresolved', 10_000);
	now += 9_999;
	assert.equal(l.get('neg'), 'unresolved');
	now += 1;
	assert.equal(l.get('neg'), undefined);
	assert.equal(l.get('pos'), 'meta');
	now += 590_000;
	assert.equal(l.get('pos'), undefined);
	assert.equal(l.size, 0);
});

test('image references split as Falco does: repository, tag, digest (a registry port is not a tag)', () => {
	assert.deepEqual(parseImageRef('localhost/bpfguard-test:busybox'), { repository: 'localhost/bpfguard-test', tag: 'busybox', digest: '' });
	assert.deepEqual(parseImageRef('registry.example.com:5000/team/web'), { repository: 'registry.example.com:5000/team/web', tag: '', digest: '' });
	assert.deepEqual(parseImageRef('nginx@sha256:abcd'), { repository: 'nginx', tag: '', digest: 'sha256:abcd' });
	assert.deepEqual(parseImageRef('docker.io/library/nginx:1.25@sha256:abcd'), { repository: 'docker.io/library/nginx', tag: '1.25', digest: 'sha256:abcd' });
	assert.deepEqual(parseImageRef(''), { repository: '', tag: '', digest: '' });
});
