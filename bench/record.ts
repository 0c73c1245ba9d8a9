/** @module bench/record: record raw ring-buffer batches while a representative workload runs (exec + open + connect + setuid; input of bench/hotpath). */
import { spawn } from 'node:child_process';
import { openSync, writeSync, closeSync } from 'node:fs';
import { SensorRuntime } from '../src/sensors/runtime.js';
import { SENSORS } from '../src/sensors/registry.js';
import { repoPath } from '../src/util/paths.js';

/** File format: repeated [u32 length][batch bytes]. */
const out = process.argv[2] ?? '/tmp/bpfguard-stream.bin';
const seconds = Number(process.argv[3] ?? 3);
const fd = openSync(out, 'w', 0o600);
let batches = 0;
let bytes = 0;
// Every sensor, every file event and every identity call: a worst case for user space.
const rt = SensorRuntime.start(SENSORS, { file: { all: true } }, () => {});
rt.tap = (b) => {
	const len = Buffer.alloc(4);
	len.writeUInt32LE(b.length);
	writeSync(fd, len);
	writeSync(fd, b);
	batches++;
	bytes += b.length;
};
const prog = (name: string, ...args: (string | number)[]) => spawn(repoPath(`build/progs/${name}`), args.map(String), { stdio: 'ignore' });
// The four storms at once, each paced so none drowns the others (opens and setuids are bounded by count/time).
const jobs = [
	prog('execstorm', seconds, 1, 'rec'),
	prog('openstorm', 20_000, 1, '/etc/hostname'),
	prog('connstorm', seconds),
	prog('setuidstorm', 'setuid', Math.min(seconds, 0.05), 1),
];
for (const extra of (process.env.BENCH_RECORD_EXTRA ?? '').split(';').filter(Boolean)) {
	const [cmd, ...args] = extra.split(' ');
	jobs.push(spawn(cmd, args, { stdio: 'ignore' }));
}
await Promise.all(jobs.map((j) => new Promise((r) => j.on('close', r))));
await new Promise((r) => setTimeout(r, 200));
await rt.stop();
closeSync(fd);
process.stdout.write(`${JSON.stringify({ bench: 'record', file: out, batches, bytes, records: rt.user.records, kernel: rt.kernelStats() })}\n`);
