/** @module bench/hotpath: user-space hot path over a recorded stream: decode → process table → rules (default) → throttle, one core. */
import { readFileSync } from 'node:fs';
import { forEachRecord, decodeRecord } from '../src/events/decode.js';
import type { BgEvent } from '../src/events/types.js';
import { ProcessTable } from '../src/process/table.js';
import { UserDb } from '../src/process/users.js';
import { RuleEngine } from '../src/rules/engine.js';
import { loadRules } from '../src/rules/load.js';
import { Throttle } from '../src/response/throttle.js';
import { repoPath } from '../src/util/paths.js';

const file = process.argv[2] ?? '/tmp/bpfguard-stream.bin';
const minEvents = Number(process.argv[3] ?? 2_000_000);
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
const engine = new RuleEngine(loadRules([repoPath('rules')]).ruleset, table, users);
let alerts = 0;
const throttle = new Throttle(10_000, () => alerts++);
let events = 0;
const heap0 = process.memoryUsage().heapUsed;
const t0 = process.hrtime.bigint();
const cpu0 = process.cpuUsage();
const evs: BgEvent[] = [];
while (events < minEvents) {
	for (const b of batches) {
		evs.length = 0;
		forEachRecord(b, (buf, off, size) => {
			const e = decodeRecord(buf, off, size);
			if (e) evs.push(e);
		});
		engine.process(evs, (a) => throttle.push(a));
		events += evs.length;
	}
	if (events === 0) throw new Error('empty stream: record one with bench/record.ts');
}
const ns = Number(process.hrtime.bigint() - t0);
const cpu = process.cpuUsage(cpu0);
const kinds: Record<string, number> = {};
for (const b of batches) forEachRecord(b, (buf, off, size) => { const e = decodeRecord(buf, off, size); if (e) kinds[e.kind] = (kinds[e.kind] ?? 0) + 1; });
process.stdout.write(
	`${JSON.stringify({
		bench: 'hotpath',
		events,
		seconds: +(ns / 1e9).toFixed(3),
		eventsPerS: Math.round(events / (ns / 1e9)),
		cpuS: +((cpu.user + cpu.system) / 1e6).toFixed(3),
		rules: engine.ruleset.all.filter((r) => r.enabled).length,
		matches: engine.stats.matches,
		alerts,
		streamMix: kinds,
		heapDeltaMiB: +((process.memoryUsage().heapUsed - heap0) / 1048576).toFixed(1),
	})}\n`,
);
