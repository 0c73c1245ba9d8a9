/** @module test/kernel/falco-rules.test: a rules file in Falco's syntax, loaded by the real monitor, alerts on a real exec and a real open. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireBpf } from '../helpers/bpf.js';
import { run } from '../helpers/collect.js';
import { withMonitor } from '../helpers/monitor.js';
import { repoPath } from '../../src/util/paths.js';

const OBJECTS = ['dispatch', 'process', 'file'];
const FALCO = repoPath('test/fixtures/falco/falco_rules.yaml');

test('Falco-syntax rules: an exec of a listed shell and a read of fc-secret* alert; the exception and the skipped rules stay quiet', async (t) => {
	if (!requireBpf(t, OBJECTS)) return;
	const dir = mkdtempSync('/var/cache/bg-falco-');
	try {
		const shell = join(dir, 'fc-sh');
		copyFileSync('/bin/true', shell);
		const secret = join(dir, 'fc-secret-1');
		writeFileSync(secret, 'x\n', { mode: 0o600 });
		const pids: Record<string, number> = {};
		const { alerts } = await withMonitor(async () => {
			const a = await run(shell, []);
			const b = await run(shell, ['fc-quiet']);
			const c = await run('/bin/cat', [secret]);
			assert.deepEqual([a.code, b.code, c.code], [0, 0, 0]);
			Object.assign(pids, { shell: a.pid, quiet: b.pid, cat: c.pid });
		}, [FALCO]);
		const dump = JSON.stringify(alerts.map((x) => x.output));
		const of = (pid: number) => alerts.filter((x) => x.fields['proc.pid'] === pid).map((x) => x.rule);
		assert.deepEqual(of(pids.shell), ['FC shell spawned'], dump);
		assert.deepEqual(of(pids.quiet), [], `exception by_cmdline: ${dump}`);
		assert.deepEqual(of(pids.cat), ['FC open of a test file'], dump);
		const sh = alerts.find((x) => x.fields['proc.pid'] === pids.shell)!;
		assert.equal(sh.priority, 'warning');
		assert.equal(sh.fields['proc.exepath'], shell);
		assert.equal(sh.fields['container.id'], 'host');
		assert.equal(sh.fields['container.name'], 'host');
		assert.ok(sh.output.includes(`exepath=${shell}`) && sh.output.includes('container_name=host'), sh.output);
		assert.ok(!sh.output.includes('\n'), `a folded (>) output is one line: ${sh.output}`);
		const rd = alerts.find((x) => x.fields['proc.pid'] === pids.cat)!;
		assert.equal(rd.fields['fd.name'], secret);
		assert.equal(rd.fields['fd.directory'], dir);
		assert.equal(rd.fields['fd.filename'], 'fc-secret-1');
		assert.equal(rd.fields['fd.typechar'], 'f');
		t.diagnostic(sh.output);
		t.diagnostic(rd.output);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});
