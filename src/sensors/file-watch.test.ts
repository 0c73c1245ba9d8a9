/** @module sensors/file-watch.test: the watch set's kernel encodings (directories of entries, name lengths, LPM keys). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_WATCH, nameLengths, watchDirs, watchKey } from './file-watch.js';
import { BG_WATCH_KEY, BG_WATCH_LENS } from '../events/generated/layouts.js';

test('watchDirs: the directory holding each entry’s last component, once each', () => {
	const dirs = watchDirs([
		{ path: '/etc/shadow', exact: true },
		{ path: '/etc/cron' },
		{ path: '/etc/ssh/' },
		{ path: '/etc/ssh', exact: true },
		{ path: '/x' },
	]);
	assert.deepEqual(dirs, ['/etc/', '/etc/ssh/', '/']);
	assert.ok(watchDirs(DEFAULT_WATCH.paths).includes('/var/spool/cron/'));
});

test('nameLengths: one bit per watched name length, base and directory names apart', () => {
	const v = nameLengths([
		{ name: '.bashrc', where: 'base' },
		{ name: 'authorized_keys', where: 'base' },
		{ name: '.ssh', where: 'dir' },
		{ name: 'né', where: 'base' }, // 3 bytes in UTF-8
	]);
	assert.equal(v.length, BG_WATCH_LENS.SIZE);
	assert.equal(v.readBigUInt64LE(BG_WATCH_LENS.base), (1n << 7n) | (1n << 15n) | (1n << 3n));
	assert.equal(v.readBigUInt64LE(BG_WATCH_LENS.dir), 1n << 4n);
	assert.equal(nameLengths([]).readBigUInt64LE(0), 0n);
});

test('watchKey: exact entries count the trailing NUL; relative or long paths are refused', () => {
	const k = watchKey({ path: '/etc/', exact: true });
	assert.equal(k.readUInt32LE(BG_WATCH_KEY.prefixlen), 6 * 8);
	assert.equal(k.subarray(BG_WATCH_KEY.data, BG_WATCH_KEY.data + 6).toString('latin1'), '/etc/\0');
	assert.equal(watchKey({ path: '/etc/' }).readUInt32LE(BG_WATCH_KEY.prefixlen), 5 * 8);
	assert.throws(() => watchKey({ path: 'etc/' }), /must be absolute/);
	assert.throws(() => watchKey({ path: `/${'a'.repeat(300)}` }), /at most 255 bytes/);
});
