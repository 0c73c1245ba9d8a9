/** @module test/kernel/trace-cli.test: `bpfguard trace` end to end: its one condition goes through the same kernel-filter step as the monitor's rules. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireBpf } from '../helpers/bpf.js';
import { traceAround } from '../helpers/cli.js';
import { run } from '../helpers/collect.js';

test('trace watches the paths its condition names (a directory outside the default watch set), and only those', async (t) => {
	if (!requireBpf(t, ['dispatch', 'file'])) return;
	const dir = realpathSync(mkdtempSync(join(tmpdir(), 'bg-trace-')));
	const other = realpathSync(mkdtempSync(join(tmpdir(), 'bg-trace-other-')));
	writeFileSync(join(dir, 'secret'), 'x');
	writeFileSync(join(other, 'secret'), 'x');
	let cat = 0;
	try {
		const cond = `evt.type in (open, openat) and fd.name startswith ${dir}/`;
		const { out, err, code } = await traceAround('trace', [cond, '--json', '--stats'], async () => {
			cat = (await run('/bin/cat', [join(dir, 'secret')])).pid;
			await run('/bin/cat', [join(other, 'secret')]);
		});
		assert.equal(code, 0, err);
		const lines = out.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
		assert.equal(lines.length, 1, out);
		assert.equal(lines[0]['fd.name'], join(dir, 'secret'));
		assert.equal(lines[0]['proc.pid'], cat);
		assert.equal(lines[0]['proc.name'], 'cat');
		assert.equal(lines[0]['evt.type'], 'openat');
		assert.match(err, /filtered/, 'the other directory died in the kernel, counted');
	} finally {
		rmSync(dir, { recursive: true, force: true });
		rmSync(other, { recursive: true, force: true });
	}
});

test("trace 'fd.name startswith P' without evt.type: P cut mid-name, outside the default watch set, reaches the kernel's watch set", async (t) => {
	if (!requireBpf(t, ['dispatch', 'file'])) return;
	const dir = realpathSync(mkdtempSync(join(tmpdir(), 'bg-trace-host-')));
	writeFileSync(join(dir, 'hostname'), 'x');
	writeFileSync(join(dir, 'other'), 'x');
	let cat = 0;
	try {
		const { out, err, code } = await traceAround('trace', [`fd.name startswith ${dir}/host`, '--json'], async () => {
			cat = (await run('/bin/cat', [join(dir, 'hostname')])).pid;
			await run('/bin/cat', [join(dir, 'other')]);
		});
		assert.equal(code, 0, err);
		const lines = out.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
		assert.deepEqual(lines.map((l) => [l['fd.name'], l['proc.pid'], l['evt.type']]), [[join(dir, 'hostname'), cat, 'openat']], out);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});
