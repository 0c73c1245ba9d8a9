/** @module test/kernel/rules-priv.test: default privilege rules on the real kernel, positive and negative. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, chownSync, copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { requireBpf } from '../helpers/bpf.js';
import { run } from '../helpers/collect.js';
import { withMonitor } from '../helpers/monitor.js';
import { repoPath } from '../../src/util/paths.js';

const NOBODY = ['--reuid=65534', '--regid=65534', '--clear-groups'];

test('a setuid-root binary no package owns, run by nobody, alerts; package-owned mount does not', async (t) => {
	if (!requireBpf(t, ['dispatch', 'process', 'priv'])) return;
	const dir = mkdtempSync('/var/lib/bg-priv-');
	chmodSync(dir, 0o755);
	const suid = join(dir, 'rootme');
	copyFileSync('/usr/bin/id', suid);
	chownSync(suid, 0, 0);
	chmodSync(suid, 0o4755);
	try {
		const { alerts } = await withMonitor(async () => {
			await run('/usr/bin/setpriv', [...NOBODY, '/bin/sh', '-c', `exec ${suid}`]);
			await run('/usr/bin/setpriv', [...NOBODY, '/bin/sh', '-c', 'exec /usr/bin/mount --version']);
		});
		const hits = alerts.filter((a) => a.rule === 'Root gained by an unusual binary');
		assert.equal(hits.length, 1, JSON.stringify(alerts.map((a) => a.output)));
		assert.equal(hits[0].fields['priv.exepath'], suid);
		assert.equal(hits[0].fields['priv.old_euid'], 65534);
		assert.equal(hits[0].fields['priv.new_euid'], 0);
		assert.equal(hits[0].fields['evt.type'], 'execve');
		assert.equal(hits[0].fields['priv.file_mode'], 0o4755);
		assert.ok(!alerts.some((a) => String(a.fields['priv.exepath']).endsWith('/mount')), 'package-owned setuid binary is quiet');
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});

test('file capabilities on a binary outside system paths alert; none without them', async (t) => {
	if (!requireBpf(t, ['dispatch', 'process', 'priv'])) return;
	if (spawnSync('setcap', ['-h']).error) {
		if (process.env.CI === 'true') throw new Error('setcap missing (libcap2-bin)');
		t.skip('setcap not installed');
		return;
	}
	const dir = mkdtempSync('/var/lib/bg-cap-');
	chmodSync(dir, 0o755);
	const capped = join(dir, 'pinger');
	const plain = join(dir, 'plain');
	copyFileSync('/usr/bin/id', capped);
	copyFileSync('/usr/bin/id', plain);
	chmodSync(capped, 0o755);
	chmodSync(plain, 0o755);
	assert.equal(spawnSync('setcap', ['cap_net_raw+ep', capped]).status, 0);
	try {
		const { alerts } = await withMonitor(async () => {
			await run('/usr/bin/setpriv', [...NOBODY, '/bin/sh', '-c', `exec ${capped}`]);
			await run('/usr/bin/setpriv', [...NOBODY, '/bin/sh', '-c', `exec ${plain}`]);
		});
		const hits = alerts.filter((a) => a.rule === 'Capabilities gained through a file capability');
		assert.equal(hits.length, 1, JSON.stringify(alerts.map((a) => a.output)));
		assert.equal(hits[0].fields['priv.exepath'], capped);
		assert.match(hits[0].output, /caps=CAP_NET_RAW /);
		assert.ok(!alerts.some((a) => a.fields['priv.exepath'] === plain));
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});

test('a custom rule on a no-op setuid(0) by root alerts: the monitor keeps no-op identity calls when a rule can match them', async (t) => {
	if (!requireBpf(t, ['dispatch', 'process', 'priv'])) return;
	const dir = mkdtempSync(join(tmpdir(), 'bg-noop-'));
	writeFileSync(
		join(dir, 'noop.yaml'),
		'- rule: Root calls setuid 0\n  desc: test\n  condition: evt.type = setuid and user.uid = 0 and priv.target_uid = 0 and proc.name = setids\n  output: "%proc.pid"\n  priority: notice\n',
	);
	try {
		let pid = 0;
		const { alerts } = await withMonitor(async () => {
			const r = await run(repoPath('build/progs/setids'), ['uid:0']);
			pid = Number(/pid=(\d+)/.exec(r.stdout)?.[1]);
		}, [dir]);
		assert.deepEqual(alerts.filter((a) => a.rule === 'Root calls setuid 0').map((a) => a.fields['proc.pid']), [pid]);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});
