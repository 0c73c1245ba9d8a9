/** @module test/kernel/gate.test: the record gate reads the same evt.type from raw kernel records as the rule engine from decoded events, and skips only what no rule or table needs. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { requireBpf } from '../helpers/bpf.js';
import { run, sleep } from '../helpers/collect.js';
import { SensorRuntime } from '../../src/sensors/runtime.js';
import { SENSORS } from '../../src/sensors/registry.js';
import { forEachRecord, decodeRecord, recordKind } from '../../src/events/decode.js';
import { KIND_BY_CODE } from '../../src/events/table.js';
import { evtType } from '../../src/rules/event-view.js';
import { RecordGate, TABLE_TYPES } from '../../src/rules/gate.js';
import { RuleSet } from '../../src/rules/ruleset.js';
import { repoPath } from '../../src/util/paths.js';

test('every record kind: the peeked evt.type equals evtType of the decoded event; the gate keeps exactly the needed types', async (t) => {
	if (!requireBpf(t, ['dispatch', 'process', 'priv', 'file', 'net'])) return;
	const recs: Buffer[] = [];
	const rt = SensorRuntime.start(SENSORS, { file: { all: true } }, () => {});
	rt.tap = (b) => forEachRecord(b, (buf, off, size) => void recs.push(Buffer.from(buf.subarray(off, off + size))));
	try {
		await run(repoPath('build/progs/setids'), ['uid:0']);
		await run('/bin/sh', ['-c', 'cat /etc/hostname > /dev/null; exec 3<>/dev/tcp/127.0.0.1/9 || true']);
		await sleep(150);
	} finally {
		await rt.stop();
	}
	const seen = new Set<string>();
	// A rule set that needs only setuid (plus what the table always needs).
	const gate = new RecordGate({ neededTypes: () => new Set(['setuid']) } as unknown as RuleSet);
	for (const r of recs) {
		const e = decodeRecord(r, 0, r.length);
		assert.ok(e, `kind ${recordKind(r, 0)} decodes`);
		const peek = KIND_BY_CODE.get(recordKind(r, 0))?.peek;
		assert.ok(peek, `kind ${e.kind} has a type peek`);
		const type = evtType(e);
		assert.equal(peek(r, 0), type, `${e.kind}: peeked type`);
		assert.equal(gate.accepts(r, 0), type === 'setuid' || TABLE_TYPES.includes(type), `${e.kind} ${type}: gate`);
		seen.add(e.kind);
	}
	for (const k of ['exec', 'fork', 'exit', 'priv_call', 'open']) assert.ok(seen.has(k), `saw ${k}`);
});
