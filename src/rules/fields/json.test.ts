/** @module rules/fields/json.test: every kind's JSON is made of registered fields, each with the value rules see; golden JSON lines. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventJson, eventJsonText } from './json.js';
import { fieldValues, lookupFieldRef } from './index.js';
import { EvalCtx } from '../context.js';
import { UserDb } from '../../process/users.js';
import { ProcessTable } from '../../process/table.js';
import { EVENT_TABLE } from '../../events/table.js';
import { repoPath } from '../../util/paths.js';
import { sampleEvents } from '../../../test/helpers/events.js';

const GOLDEN = repoPath('test/cases/event-json.jsonl');
/* an empty process table over an empty /proc: container.* of the samples do not depend on this machine's pids */
const ctx = () => {
	const users = new UserDb({ passwd: '/nonexistent', group: '/nonexistent' });
	const procRoot = mkdtempSync(join(tmpdir(), 'bg-json-'));
	return new EvalCtx(new ProcessTable({ procRoot, users, hostNs: { pidns: 4026531836, mntns: 4026531832 } }), users);
};

test("every key of every kind's JSON is a registered field of its own, maybe with its [argument] (not caught by a prefix like evt.arg.)", () => {
	const c = ctx();
	const kinds = new Set<string>();
	const bad: string[] = [];
	for (const e of sampleEvents()) {
		kinds.add(e.kind);
		for (const k of Object.keys(eventJson(c.set(e)))) if (lookupFieldRef(k)?.def.name !== k.replace(/\[[^\]]+\]$/, '')) bad.push(`${e.kind}: ${k}`);
	}
	assert.deepEqual([...new Set(bad)], []);
	assert.deepEqual([...kinds].sort(), EVENT_TABLE.map((r) => r.kind).sort(), 'a sample of every kind');
});

test('every JSON value is the value the rule field extracts', () => {
	const c = ctx();
	const bad: string[] = [];
	for (const e of sampleEvents()) {
		for (const [k, v] of Object.entries(eventJson(c.set(e)))) {
			const want = fieldValues([k], c)[k];
			if (JSON.stringify(v) !== JSON.stringify(want)) bad.push(`${e.kind} ${k}: json ${JSON.stringify(v)}, field ${JSON.stringify(want)}`);
		}
	}
	assert.deepEqual(bad, []);
});

test('JSON lines of the sample events match test/cases/event-json.jsonl (regenerate on purpose: BPFGUARD_UPDATE_GOLDEN=1)', () => {
	const c = ctx();
	const lines = sampleEvents().map((e) => `${JSON.stringify(eventJson(c.set(e)))}\n`).join('');
	if (process.env.BPFGUARD_UPDATE_GOLDEN === '1') writeFileSync(GOLDEN, lines);
	assert.equal(lines, readFileSync(GOLDEN, 'utf8'));
});

test('eventJsonText writes exactly JSON.stringify(eventJson) for every kind (the audit trail stores it)', () => {
	const c = ctx();
	for (const e of sampleEvents()) assert.equal(eventJsonText(c.set(e)), JSON.stringify(eventJson(c.set(e))), e.kind);
	const odd = { ...sampleEvents().find((e) => e.kind === 'open')!, name: 'q"\\\n\u0001\u2028é', comm: '' } as never;
	assert.equal(eventJsonText(c.set(odd)), JSON.stringify(eventJson(c.set(odd))));
});
