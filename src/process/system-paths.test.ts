/** @module process/system-paths.test: package-owned paths from a dpkg info dir, usrmerge aliases, user-writable dirs. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SystemPaths } from './system-paths.js';
import { capNames, capsGained } from '../util/caps.js';

test('dpkg lists decide; usrmerge aliases count; user-writable dirs never do', () => {
	const dir = mkdtempSync(join(tmpdir(), 'bg-dpkg-'));
	try {
		writeFileSync(join(dir, 'sudo.list'), '/.\n/usr\n/usr/bin/sudo\n/bin/su\n/tmp/owned-by-a-package\n');
		writeFileSync(join(dir, 'sudo.md5sums'), '/usr/bin/evil\n');
		const p = new SystemPaths(dir);
		assert.equal(p.isSystem('/usr/bin/sudo'), true);
		assert.equal(p.isSystem('/usr/bin/su'), true, '/bin/su listed, /usr/bin/su reported');
		assert.equal(p.isSystem('/usr/bin/evil'), false, 'only .list files count');
		assert.equal(p.isSystem('/usr/bin/unowned'), false);
		assert.equal(p.isSystem('/tmp/owned-by-a-package'), false);
		assert.equal(p.isSystem('/home/u/sudo'), false);
		assert.equal(p.isSystem('memfd:x'), false);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});

test('without dpkg: system directories by prefix', () => {
	const p = new SystemPaths('/nonexistent/dpkg/info');
	assert.equal(p.isSystem('/usr/bin/passwd'), true);
	assert.equal(p.isSystem('/usr/libexec/x'), true);
	assert.equal(p.isSystem('/opt/x'), false);
	assert.equal(p.isSystem('/dev/shm/x'), false);
});

test('capability masks to names', () => {
	assert.deepEqual(capNames((1n << 7n) | (1n << 13n) | (1n << 40n) | (1n << 45n)), ['CAP_SETUID', 'CAP_NET_RAW', 'CAP_CHECKPOINT_RESTORE', 'CAP_45']);
	assert.deepEqual(capNames(0n), []);
	assert.equal(capsGained(0b0110n, 0b1100n), 0b1000n);
});
