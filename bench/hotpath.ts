/** @module bench/hotpath: user-space hot path over a recorded stream, as the monitor runs it: gate → decode → process table → rules (default) → throttle, one core. */
import { readFileSync } from 'node:fs';
import { forEachRecord, decodeRecord } from '../src/events/decode.js';
import type { BgEvent } from '../src/events/types.js';
import { ProcessTable } from '../src/process/table.js';
import { UserDb } from '../src/process/users.js';
import { RuleEngine } from '../src/rules/engine.js';
import { loadRules } from '../src/rules/load.js';
import { Throttle } from '../src/alerts/throttle.js';
import { repoPath } from '../src/util/paths.js';

const file = process.argv[2] ?? '/tmp/bpfguard-stream.bin';
const minEvents = Number(process.argv[3] ?? 2_000_000);
const rulePaths = process.argv.slice(4).length ? process.argv.slice(4) : [repoPath('rules')];
/** BENCH_HOTPATH_ALL=1: decode and evaluate every record, as if rules needed every evt.type (the decoders' own cost). */
const all = process.env.BENCH_HOTPATH_ALL === '1';
const data = readFileSync(file);
const batches: Buffer[] = [];
for (let off = 0; off + 4 <= data.length; ) {
	const len = data.readUInt32LE(off);
	batches.push(data.subarray(off + 4, off + 4 + len));
	off += 4 + len;
}
const users = new UserDb();
const table = new ProcessTable({ users });
table.seed();
const engine = new RuleEngine(loadRules(rulePaths).ruleset, table, users);
let alerts = 0;
const throttle = new Throttle(10_000, () => alerts++);
const emit = (a: Parameters<Throttle['push']>[0]) => throttle.push(a);
let records = 0;
let decoded = 0;
const evs: BgEvent[] = [];
// The same per-record work as SensorRuntime.listen with the monitor's accept gate.
const onRecord = (buf: Buffer, off: number, size: number) => {
	if (!all && !engine.accepts(buf, off)) return;
	const e = decodeRecord(buf, off, size);
	if (e) evs.push(e);
};
const pass = () => {
	for (const b of batches) {
		evs.length = 0;
		records += forEachRecord(b, onRecord);
		decoded += evs.length;
		engine.process(evs, emit);
	}
};
pass(); // warm-up pass (JIT), not counted
if (records === 0) throw new Error('empty stream: record one with bench/record.ts');
records = decoded = 0;
const heap0 = process.memoryUsage().heapUsed;
const t0 = process.hrtime.bigint();
const cpu0 = process.cpuUsage();
while (records < minEvents) pass();
const ns = Number(process.hrtime.bigint() - t0);
const cpu = process.cpuUsage(cpu0);
const kinds: Record<string, number> = {};
for (const b of batches) forEachRecord(b, (buf, off, size) => { const e = decodeRecord(buf, off, size); if (e) kinds[e.kind] = (kinds[e.kind] ?? 0) + 1; });
process.stdout.write(
	`${JSON.stringify({
		bench: 'hotpath',
		gate: !all,
		events: records,
		decoded,
		seconds: +(ns / 1e9).toFixed(3),
		eventsPerS: Math.round(records / (ns / 1e9)),
		cpuS: +((cpu.user + cpu.system) / 1e6).toFixed(3),
		rules: engine.ruleset.all.filter((r) => r.enabled).length,
		matches: engine.stats.matches,
		alerts,
		streamMix: kinds,
		heapDeltaMiB: +((process.memoryUsage().heapUsed - heap0) / 1048576).toFixed(1),
		tableSize: table.stats().live + table.stats().exited,
	})}\n`,
);
