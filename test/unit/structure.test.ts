/** @module test/unit/structure.test: the house rules a reviewer would check by hand: no import cycles, no test code shipped, one event table row per kernel record kind. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { repoPath } from '../../src/util/paths.js';
import { BgKind } from '../../src/events/generated/layouts.js';
import { EVENT_TABLE, EVT_TYPES, KIND_BY_CODE } from '../../src/events/table.js';
import { SENSORS } from '../../src/sensors/registry.js';

function sources(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? sources(join(dir, d.name)) : d.name.endsWith('.ts') ? [join(dir, d.name)] : []));
}

test('src/ has no import cycle (madge)', () => {
	const r = spawnSync(process.execPath, [repoPath('node_modules/madge/bin/cli.js'), '--circular', '--json', '--extensions', 'ts', '--ts-config', repoPath('tsconfig.json'), repoPath('src')], { encoding: 'utf8', timeout: 120_000 });
	assert.equal(r.status, 0, r.stderr);
	assert.deepEqual(JSON.parse(r.stdout), []);
});

test('nothing in src/ outside *.test.ts imports node:test, node:assert or test/', () => {
	const bad: string[] = [];
	for (const f of sources(repoPath('src'))) {
		if (f.endsWith('.test.ts')) continue;
		const text = readFileSync(f, 'utf8');
		if (/from ['"](node:test|node:assert[^'"]*|(\.\.\/)+test\/[^'"]*)['"]/.test(text)) bad.push(relative(repoPath('.'), f));
	}
	assert.deepEqual(bad, []);
});

test('the event table has one row per kernel record kind, each with a decoder, a peek and a sensor that produces it', () => {
	const kernel = EVENT_TABLE.filter((r) => r.sensor !== null);
	assert.deepEqual(kernel.map((r) => r.code).sort((a, b) => a - b), Object.values(BgKind).sort((a, b) => a - b));
	assert.equal(KIND_BY_CODE.size, kernel.length);
	for (const r of EVENT_TABLE.filter((x) => x.sensor === null)) assert.ok(r.decode === null && r.peek === null && r.code === 0 && r.source === 'internal', `${r.kind}: the agent's own record`);
	for (const r of kernel) {
		assert.ok(r.decode && r.peek, `${r.kind}: decoder and peek`);
		const s = SENSORS.find((x) => x.name === r.sensor);
		assert.ok(s, `${r.kind}: sensor ${r.sensor} registered`);
		assert.ok(s.kinds.includes(r.kind), `${r.kind}: listed by ${r.sensor}`);
		assert.ok(r.types.length > 0, `${r.kind}: has evt.type values`);
	}
	assert.deepEqual(SENSORS.flatMap((s) => s.kinds).sort(), kernel.map((r) => r.kind).sort(), 'no sensor claims a kind without a row');
	assert.equal(EVT_TYPES.get('execve')?.kind, 'exec', 'execve is claimed by exec (the first row naming it)');
	assert.equal(EVT_TYPES.get('connect')?.kind, 'net_connect');
	assert.equal(EVT_TYPES.get('unlinkat')?.kind, 'file_change');
});
