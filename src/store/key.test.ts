/** @module store/key.test: the store key is created 0600 in a 0700 directory, read back the same, and refused when others could read or replace it. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KEY_BYTES, loadKey } from './key.js';

function inTemp(f: (dir: string) => void): void {
	const dir = mkdtempSync(join(tmpdir(), 'bg-key-'));
	try {
		f(dir);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

const mode = (p: string): number => statSync(p).mode & 0o777;

test('a missing key is created: 32 random bytes, file 0600, new directory 0700; loading it again gives the same key id', () => {
	inTemp((dir) => {
		const path = join(dir, 'etc', 'bpfguard', 'store.key');
		const k = loadKey(path, { create: true });
		assert.equal(readFileSync(path).length, KEY_BYTES);
		assert.equal(mode(path), 0o600);
		assert.equal(mode(join(dir, 'etc', 'bpfguard')), 0o700);
		assert.match(k.id, /^[0-9a-f]{16}$/);
		assert.equal(loadKey(path).id, k.id);
		assert.equal(loadKey(path, { create: true }).id, k.id); // never replaced
		const other = loadKey(join(dir, 'other.key'), { create: true });
		assert.notEqual(other.id, k.id);
		assert.notEqual(other.mac(['x']), k.mac(['x']));
	});
});

test('a key file group or others may read or write is refused, naming the mode and the fix', () => {
	inTemp((dir) => {
		const path = join(dir, 'store.key');
		loadKey(path, { create: true });
		for (const m of [0o640, 0o604, 0o620, 0o602, 0o644, 0o666]) {
			chmodSync(path, m);
			assert.throws(() => loadKey(path), {
				name: 'StoreError',
				code: 'ESTOREKEYMODE',
				message: `read store key ${path}: mode 0${m.toString(8)} lets group or others read or write it (chmod 600 ${path})`,
			});
			assert.throws(() => loadKey(path, { create: true }), { code: 'ESTOREKEYMODE' });
		}
		chmodSync(path, 0o400);
		assert.equal(loadKey(path).path, path);
	});
});

test('a key in a directory others may write to, owned by another user, of the wrong size or a symlink is refused; a missing one without create is ESTOREKEYNOENT', () => {
	inTemp((dir) => {
		const sub = join(dir, 'open');
		mkdirSync(sub, { mode: 0o700 });
		const path = join(sub, 'store.key');
		loadKey(path, { create: true });
		chmodSync(sub, 0o777);
		assert.throws(() => loadKey(path), { code: 'ESTOREKEYMODE', message: `read store key ${path}: directory ${sub} is writable by group or others (chmod 700 ${sub})` });
		chmodSync(sub, 0o755);
		assert.equal(loadKey(path).path, path);
		if (process.geteuid?.() === 0) {
			chownSync(path, 4242, 4242);
			assert.throws(() => loadKey(path), { code: 'ESTOREKEYMODE', message: /owned by uid 4242, neither this user \(0\) nor root$/ });
		}
		const short = join(dir, 'short.key');
		writeFileSync(short, 'too short', { mode: 0o600 });
		assert.throws(() => loadKey(short), { code: 'ESTOREKEY', message: `read store key ${short}: expected 32 bytes, found 9` });
		const link = join(dir, 'link.key');
		symlinkSync(path, link);
		assert.throws(() => loadKey(link), { code: 'ESTOREKEY', message: /is a symbolic link$/ });
		assert.throws(() => loadKey(join(dir, 'none.key')), { code: 'ESTOREKEYNOENT', message: /no such file \(the monitor's store sink creates it\)$/ });
	});
});
