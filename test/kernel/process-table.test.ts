/** @module test/kernel/process-table.test: the process table seeded from the real /proc and fed by the real process sensor. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { requireBpf } from '../helpers/bpf.js';
import { sleep } from '../helpers/collect.js';
import { processSensor } from '../../src/sensors/process.js';
import { SensorRuntime } from '../../src/sensors/runtime.js';
import { ProcessTable } from '../../src/process/table.js';
import type { ExecEvent } from '../../src/events/types.js';

const SCRIPT = 'sleep 0.2; exit 3';

/** Spawn with an argument array (no shell string from data) and wait for the exit. */
function runChild(file: string, args: string[]): Promise<{ pid: number; code: number | null }> {
	return new Promise((resolve, reject) => {
		const c = spawn(file, args, { stdio: 'ignore' });
		c.on('error', reject);
		c.on('close', (code) => resolve({ pid: c.pid ?? -1, code }));
	});
}

test('seeded from /proc, then fork/exec/exit of a child: args, parent, ancestry, exit status', async (t) => {
	if (!requireBpf(t)) return;
	const table = new ProcessTable({ exitedTtlMs: 60_000 });
	assert.ok(table.seed() > 1, 'seeded more than one process');
	const self = table.get(process.pid);
	assert.ok(self, 'the current process is seeded');
	assert.equal(self.ppid, process.ppid);
	assert.equal(self.uid, 0);
	assert.equal(self.euid, 0);
	assert.equal(self.userName, 'root');
	assert.equal(self.exe, realpathSync(process.execPath));
	assert.equal(self.source, 'proc');
	assert.equal(self.exited, false);
	assert.ok(self.startNs > 0n, 'start time from /proc');
	assert.equal(table.get(process.ppid)?.pid, process.ppid, 'the parent is seeded too');

	const execs: ExecEvent[] = [];
	const rt = SensorRuntime.start([processSensor], {}, (evs) => {
		for (const e of evs) {
			table.apply(e);
			if (e.kind === 'exec') execs.push(e);
		}
	});
	let child: { pid: number; code: number | null };
	try {
		child = await runChild('sh', ['-c', SCRIPT]);
		await sleep(100);
	} finally {
		await rt.stop();
	}
	assert.equal(child.code, 3);
	const c = table.get(child.pid);
	assert.ok(c, 'the child is in the table');
	assert.deepEqual(c.args, ['sh', '-c', SCRIPT]);
	assert.equal(c.exe, realpathSync('/bin/sh'));
	assert.equal(c.comm, 'sh');
	assert.equal(c.ppid, process.pid);
	assert.equal(c.source, 'event');
	assert.equal(c.uid, 0);
	assert.equal(c.exited, true);
	assert.equal(c.exitStatus, 3 << 8);
	assert.ok(c.startNs > self.startNs, 'the child started after us');
	if (self.cgroupId !== 0n) assert.equal(c.cgroupId, self.cgroupId, 'seeded cgroup id matches the kernel one');
	const anc = table.ancestry(child.pid);
	assert.deepEqual(anc.slice(0, 2).map((p) => p.pid), [process.pid, process.ppid]);
	assert.equal(table.isDescendant(child.pid, process.pid), true);
	const sleepExec = execs.find((e) => e.ppid === child.pid && e.args[0] === 'sleep');
	assert.ok(sleepExec, 'the sleep grandchild was seen');
	const sleeper = table.get(sleepExec.pid);
	assert.ok(sleeper, 'the sleep grandchild is in the table');
	assert.deepEqual(sleeper.args, ['sleep', '0.2']);
	assert.equal(sleeper.exitStatus, 0);
	assert.equal(table.isDescendant(sleeper.pid, process.pid), true);
});
