/** @module sensors/file-watch.test: the watch set's kernel encodings (directories of entries, name lengths, LPM keys, host objects by identity). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { DEFAULT_WATCH, inoEntries, kernelDev, nameLengths, watchDirs, watchKey } from './file-watch.js';
import { statDev } from '../events/decoders/file.js';
import { BG_INO_KEY, BG_WATCH_KEY, BG_WATCH_LENS, BgWatchMode } from '../events/generated/layouts.js';

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

test('kernelDev and statDev are inverse encodings of a device (st_dev <-> i_sb->s_dev), large minors too', () => {
	for (const [major, minor] of [[254, 0], [8, 1], [0, 40], [259, 3], [7, 300], [4095, 1048575]]) {
		const st = BigInt((minor & 0xff) | ((major & 0xfff) << 8)) | (BigInt(minor >>> 8) << 20n);
		const k = kernelDev(st);
		assert.equal(k, ((major << 20) | minor) >>> 0, `${major}:${minor}`);
		assert.equal(statDev(k), Number(st), `${major}:${minor} back`);
	}
});

test('inoEntries: an exact entry watches its file and marks its directory; a P/ prefix watches the directory; missing paths and byte prefixes are skipped', () => {
	const { entries, files } = inoEntries([
		{ path: '/etc/passwd', exact: true, mode: 'r' },
		{ path: '/etc/', mode: 'w' },
		{ path: '/etc/cron' },
		{ path: '/nonexistent-bg/x', exact: true },
	]);
	const f = statSync('/etc/passwd', { bigint: true });
	const d = statSync('/etc', { bigint: true });
	const key = (dev: bigint, ino: bigint, dir: number) => {
		const k = Buffer.alloc(BG_INO_KEY.SIZE);
		k.writeBigUInt64LE(ino, BG_INO_KEY.ino);
		k.writeUInt32LE(kernelDev(dev), BG_INO_KEY.dev);
		k.writeUInt32LE(dir, BG_INO_KEY.dir);
		return k.toString('hex');
	};
	assert.equal(entries.size, 2);
	assert.equal(entries.get(key(f.dev, f.ino, 0))?.readUInt32LE(0), BgWatchMode.BG_WATCH_READ);
	assert.equal(entries.get(key(d.dev, d.ino, 1))?.readUInt32LE(0), BgWatchMode.BG_WATCH_WRITE, "/etc/ as a directory (w), and the passwd entry's directory mark (0) or-ed in");
	assert.deepEqual([...files], [[`${f.dev}:${f.ino}`, '/etc/passwd']]);
});
