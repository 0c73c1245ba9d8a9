/** @module rules/fields/host-file.test: fd.on_host and fd.host_name from an open's identity, by stat on the host (no kernel). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { EvalCtx } from '../context.js';
import { fileHostName, fileOnHost, hostFileKey, hostPathIs, setWatchedHostFiles } from './host-file.js';
import { BgFileFlag } from '../../events/generated/layouts.js';
import type { OpenEvent } from '../../events/types.js';
import { sampleEvents } from '../../../test/helpers/events.js';

const st = statSync('/etc/passwd', { bigint: true });
const DEV = Number(st.dev);
const INO = Number(st.ino);

/** An open of this process (on the host) with the given path, flags and identity. */
function open(name: string, flags: number = BgFileFlag.BG_FF_NAME_FILE, dev = DEV, ino = INO): OpenEvent {
	const e = sampleEvents().find((x): x is OpenEvent => x.kind === 'open')!;
	return { ...e, pid: process.pid, tid: process.pid, ret: 3, name, flags, dev, ino };
}

test('hostPathIs: true only when stat of the path gives that dev and ino; missing paths are false', () => {
	assert.equal(hostPathIs('/etc/passwd', DEV, INO), true);
	assert.equal(hostPathIs('/etc/passwd', DEV, INO + 1), false);
	assert.equal(hostPathIs('/nonexistent-bg/passwd', DEV, INO), false);
});

test('a host process: fd.on_host true and fd.host_name its path; a failed open has no identity but is still the host path', () => {
	const c = new EvalCtx();
	assert.equal(fileOnHost(c.set(open('/etc/passwd'))), true);
	assert.equal(fileHostName(c.set(open('/etc/passwd'))), '/etc/passwd');
	assert.equal(fileOnHost(c.set({ ...open('/etc/nope', 0, 0, 0), ret: -2 })), true);
});

test('a mount from another namespace (/proc/PID/root): checked by stat; leading directories stripped to find the host path', () => {
	const c = new EvalCtx();
	const foreign = BgFileFlag.BG_FF_NAME_FILE | BgFileFlag.BG_FF_MNT_FOREIGN;
	assert.equal(fileOnHost(c.set(open('/etc/passwd', foreign))), true, 'the same object at the same host path');
	assert.equal(fileOnHost(c.set(open('/host/etc/passwd', foreign))), false);
	assert.equal(fileHostName(c.set(open('/host/etc/passwd', foreign))), '/etc/passwd', '-v /:/host');
	assert.equal(fileHostName(c.set(open('/etc/passwd', foreign, DEV, INO + 1))), undefined, "another object: the container's own file");
});

test('a watched host file is named by its watched path whatever path opened it', () => {
	const c = new EvalCtx();
	setWatchedHostFiles(new Map([[hostFileKey(DEV, INO), '/etc/passwd']]));
	try {
		assert.equal(fileHostName(c.set(open('/mnt/elsewhere/pw'))), '/etc/passwd');
		assert.equal(fileHostName(c.set(open('/srv/pw', BgFileFlag.BG_FF_NAME_FILE | BgFileFlag.BG_FF_MNT_FOREIGN))), '/etc/passwd');
	} finally {
		setWatchedHostFiles(new Map());
	}
});
