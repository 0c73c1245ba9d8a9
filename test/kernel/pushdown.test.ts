/** @module test/kernel/pushdown.test: the rules' file pushdown in the real kernel: uncovered files stay there, covered ones arrive; hot reload moves the watch set. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireBpf } from '../helpers/bpf.js';
import { collect, run, sleep } from '../helpers/collect.js';
import { fileSensor } from '../../src/sensors/file.js';
import { loadRules } from '../../src/rules/load.js';
import { filePushdown } from '../../src/rules/pushdown/index.js';
import { Monitor } from '../../src/monitor/monitor.js';
import type { Alert } from '../../src/alerts/alert.js';
import type { BgEvent } from '../../src/events/types.js';

const OBJECTS = ['dispatch', 'process', 'file'];

function ruleFile(dir: string, path: string): string {
	const f = join(dir, 'rules.yaml');
	const cond = `evt.type in (open, openat) and evt.is_open_read = true and fd.name = ${path}`;
	writeFileSync(f, `- rule: watched read\n  condition: ${cond}\n  output: "read %fd.name"\n  priority: warning\n`);
	return f;
}

const names = (evs: BgEvent[]) => evs.flatMap((e) => (e.kind === 'open' || e.kind === 'file_change' ? [e.name] : []));

test('a file the rules do not cover produces no event in user space (the kernel filters it); a covered one does', async (t) => {
	if (!requireBpf(t, OBJECTS)) return;
	const dir = mkdtempSync('/tmp/bg-pushdown-');
	const covered = join(dir, 'covered');
	const other = join(dir, 'other');
	writeFileSync(covered, 'x');
	writeFileSync(other, 'x');
	try {
		const pd = filePushdown(loadRules([ruleFile(dir, covered)]).ruleset);
		assert.deepEqual(pd.watch.paths, [{ path: covered, exact: true, mode: 'r' }]);
		const quiet = await collect([fileSensor], { file: { watch: pd.watch, allSyscalls: pd.allSyscalls } }, async () => {
			for (let i = 0; i < 20; i++) await run('/bin/cat', [other]);
		});
		const loud = await collect([fileSensor], { file: { watch: pd.watch, allSyscalls: pd.allSyscalls } }, async () => {
			await run('/bin/cat', [covered]);
		});
		assert.ok(!names(quiet.events).includes(other), 'the uncovered file stays in the kernel');
		assert.ok(quiet.kernel.filtered >= 20, `kernel filtered counter: ${quiet.kernel.filtered}`);
		assert.ok(names(loud.events).includes(covered), 'the covered file reaches user space');
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});

test('hot reload moves the watch set at run time: the newly covered file alerts, the no longer covered one does not', async (t) => {
	if (!requireBpf(t, OBJECTS)) return;
	const dir = mkdtempSync('/tmp/bg-pushdown-');
	const a = join(dir, 'a');
	const b = join(dir, 'b');
	writeFileSync(a, 'x');
	writeFileSync(b, 'x');
	const rules = ruleFile(dir, a);
	const alerts: Alert[] = [];
	const logs: string[] = [];
	const mon = new Monitor({
		rulePaths: [rules],
		throttleWindowMs: 0,
		log: (m) => logs.push(m),
		out: { write: (x) => alerts.push(x), flush: async () => {}, close: async () => {}, stats: () => ({ written: alerts.length, failed: 0, dropped: 0, queued: 0 }) },
	});
	try {
		const rt = mon.start();
		await run('/bin/cat', [b]);
		await run('/bin/cat', [a]);
		await sleep(200);
		ruleFile(dir, b);
		assert.ok(mon.reload(), logs.join('\n'));
		assert.deepEqual(mon.pushdown?.watch.paths.map((p) => p.path), [b]);
		const before = rt.kernelStats().filtered;
		await run('/bin/cat', [a]);
		await run('/bin/cat', [b]);
		await sleep(200);
		assert.ok(rt.kernelStats().filtered > before, 'the read of a is filtered in the kernel after the reload');
	} finally {
		await mon.stop();
		rmSync(dir, { recursive: true, force: true });
	}
	assert.deepEqual(alerts.map((x) => x.fields['fd.name']), [a, b]);
});
