/**
 * @module test/bpf/watch.test: the file sensor's watch decision (bpf/file/watch.bpf.h) under
 * BPF_PROG_TEST_RUN, with the watch maps filled by the production code (applyWatch, mergeWatch).
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { requireBpf } from '../helpers/bpf.js';
import { harnessObject, lazyHarness } from '../helpers/harness.js';
import { applyWatch, DEFAULT_WATCH } from '../../src/sensors/file-watch.js';
import type { WatchSet } from '../../src/sensors/options.js';
import { mergeWatch } from '../../src/rules/pushdown/index.js';
import { BgWatchMode } from '../../src/events/generated/layouts.js';

const OBJECTS = [harnessObject('watch')];
const harness = lazyHarness('watch', 'bg_t_watch', 'bg_t_watch');
after(() => harness.close());

const R = BgWatchMode.BG_WATCH_READ;
const W = BgWatchMode.BG_WATCH_WRITE;
const RW = R | W;

/** Fill the harness's watch maps the way the file sensor's are filled. */
function watch(ws: WatchSet): void {
	applyWatch(harness.get().obj, ws);
}

/** The kernel's verdict for path: mode bits of the matching entries within access (all: every entry's bits). */
function match(path: string, access: number, all = false): number {
	const h = harness.get();
	const bytes = Buffer.from(path);
	const { retval, rec } = h.run((b, l) => {
		b.writeUInt32LE(bytes.length, l.len);
		b.writeUInt32LE(access, l.access);
		b.writeUInt32LE(all ? 1 : 0, l.all);
		bytes.copy(b, l.path);
	});
	assert.equal(retval, 0, 'harness ran');
	return rec.readUInt32LE(h.layout.mode);
}

/** [path, verdict for a read, verdict for a write] under DEFAULT_WATCH. */
const DEFAULT_CASES: [string, number, number][] = [
	// exact paths: that path only
	['/etc/passwd', R, W],
	['/etc/shadow', R, W],
	['/etc/passwd.bak', 0, 0],
	['/etc/passwd/x', 0, 0],
	['/etc/passw', 0, 0],
	['/etc/ssh', R, W],
	// prefixes: anything under them, for their mode
	['/etc/ssh/sshd_config', R, W],
	['/etc/sshd', 0, 0],
	['/etc/crontab', R, W],
	['/etc/cron.d/job', R, W],
	['/etc/sudoers.d/x', R, W],
	['/etc/systemd/system/evil.service', 0, W],
	['/usr/lib/systemd/system/a.service', 0, W],
	['/var/log/auth.log', 0, W],
	['/var/spool/cron/crontabs/root', R, W],
	['/etc/hostname', 0, 0],
	['/tmp/x', 0, 0],
	// base names, in every directory
	['/home/alice/.bashrc', R, W],
	['/root/.profile', R, W],
	['/srv/x/authorized_keys', R, W],
	['/home/alice/x.bashrc', 0, 0],
	['/home/alice/.bashrc.d/x', 0, 0],
	// directory names: the files directly in a directory of that name
	['/home/alice/.ssh/id_rsa', R, W],
	['/home/alice/.ssh/authorized_keys', R, W],
	['/home/alice/.ssh', 0, 0],
	['/home/alice/.ssh/keys/id_rsa', 0, 0],
	['/home/alice/.sshx/id_rsa', 0, 0],
];

for (const [path, read, write] of DEFAULT_CASES) {
	test(`default watch set: ${path} → read ${read ? 'watched' : 'not watched'}, write ${write ? 'watched' : 'not watched'}`, (t) => {
		if (!requireBpf(t, OBJECTS)) return;
		watch(DEFAULT_WATCH);
		assert.equal(match(path, R), read, 'read');
		assert.equal(match(path, W), write, 'write');
		assert.equal(match(path, RW), read | write, 'read and write');
	});
}

/** Rule pushdown output: duplicates merged by mergeWatch, modes inherited from covering prefixes by applyWatch. */
const PUSHED: WatchSet = mergeWatch({
	paths: [
		{ path: '/srv/app/', mode: 'w' },
		{ path: '/srv/app/secret', exact: true, mode: 'r' },
		{ path: '/srv/app/secret', exact: true, mode: 'r' },
		{ path: '/srv/data', mode: 'r' },
		{ path: '/srv/data', mode: 'w' },
	],
	names: [
		{ name: 'id_ed25519', where: 'base', mode: 'r' },
		{ name: 'id_ed25519', where: 'base', mode: 'w' },
		{ name: 'keys', where: 'dir', mode: 'w' },
		{ name: 'n'.repeat(59), where: 'base', mode: 'r' },
	],
});

test('pushed-down set: an exact entry under a prefix carries both modes; merged duplicates or their modes', (t) => {
	if (!requireBpf(t, OBJECTS)) return;
	assert.equal(PUSHED.paths.length, 3, 'mergeWatch: one entry per path');
	watch(PUSHED);
	assert.equal(match('/srv/app/secret', R), R, 'the exact entry: r');
	assert.equal(match('/srv/app/secret', W), W, 'w inherited from the prefix /srv/app/');
	assert.equal(match('/srv/app/other', R), 0);
	assert.equal(match('/srv/app/other', W), W);
	assert.equal(match('/srv/database/x', RW), RW, 'prefix /srv/data, r and w merged');
	assert.equal(match('/srv/x/id_ed25519', RW), RW, 'base name, r and w merged');
	assert.equal(match('/srv/x/keys/k', R), 0);
	assert.equal(match('/srv/x/keys/k', W), W, 'directory name keys, w only');
	assert.equal(match(`/x/${'n'.repeat(59)}`, R), R, 'a base name of 59 bytes (BG_WATCH_NAME - 1)');
	assert.equal(match(`/x/${'n'.repeat(58)}`, R), 0, 'one byte shorter is another name');
});

test('all: the prefix match does not cut the base and directory names short', (t) => {
	if (!requireBpf(t, OBJECTS)) return;
	watch(PUSHED);
	assert.equal(match('/srv/app/id_ed25519', W), W, 'the prefix answers the write');
	assert.equal(match('/srv/app/id_ed25519', R), R, 'the base name answers the read the prefix lacks');
	assert.equal(match('/srv/app/id_ed25519', RW, true), RW);
	assert.equal(match('/srv/app/keys/k', RW, true), W);
	assert.equal(match('/srv/app/id_ed25519', R, true), R, 'all still masks with access');
});

test('long paths: a prefix matches past the 255-byte LPM key; a directory name beyond the last 128 bytes is not seen', (t) => {
	if (!requireBpf(t, OBJECTS)) return;
	watch(PUSHED);
	const long = `/srv/app/${'d'.repeat(300)}/f`;
	assert.equal(match(long, W), W);
	assert.equal(match(`/x/keys/${'f'.repeat(58)}`, W), W, 'directory name within the scanned tail');
	// known limit: string paths (failed opens, changes) scan their last 128 bytes for names;
	// opened files take the names from their dentries instead
	assert.equal(match(`/x/keys/${'f'.repeat(125)}`, W), 0);
});

test('a new watch set replaces the old one: removed entries no longer match', (t) => {
	if (!requireBpf(t, OBJECTS)) return;
	watch(PUSHED);
	assert.equal(match('/srv/app/other', W), W);
	watch({ paths: [{ path: '/opt/', mode: 'rw' }], names: [] });
	assert.equal(match('/srv/app/other', W), 0);
	assert.equal(match('/srv/x/id_ed25519', RW), 0);
	assert.equal(match('/opt/x', R), R);
	watch({ paths: [], names: [] });
	assert.equal(match('/opt/x', RW), 0, 'an empty set watches nothing');
});
