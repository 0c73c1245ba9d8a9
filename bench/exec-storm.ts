/** @module bench/exec-storm: an exec storm against the process sensor; every exec must arrive or be counted lost. */
import { spawn } from 'node:child_process';
import { SensorRuntime } from '../src/sensors/runtime.js';
import { processSensor } from '../src/sensors/process.js';
import { repoPath } from '../src/util/paths.js';

const seconds = Number(process.argv[2] ?? 5);
const workers = Number(process.argv[3] ?? 2);
/** "env": every exec gets this process's environment (the exec record then scans it for the loader variables); else an empty one. */
const withEnv = process.argv[4] === 'env';
const token = `t${process.pid}`;
let seen = 0;
let all = 0;
const cpu0 = process.cpuUsage();
const rt = SensorRuntime.start([processSensor], {}, (evs) => {
	for (const e of evs) {
		all++;
		if (e.kind === 'exec' && e.args[2] === token && e.args[1] === 'storm') seen++;
	}
});
const storm = spawn(repoPath('build/progs/execstorm'), [String(seconds), String(workers), token, ...(withEnv ? ['env'] : [])], { stdio: ['ignore', 'pipe', 'inherit'] });
let out = '';
storm.stdout.on('data', (d) => (out += d));
await new Promise((r) => storm.on('close', r));
await new Promise((r) => setTimeout(r, 300));
await rt.stop();
const cpu = process.cpuUsage(cpu0);
const execs = Number(/execs=(\d+)/.exec(out)?.[1] ?? -1);
const k = rt.kernelStats();
const result = {
	bench: 'exec-storm',
	seconds,
	workers,
	envBytes: withEnv ? Object.entries(process.env).reduce((n, [k, v]) => n + k.length + (v ?? '').length + 2, 0) : 0,
	execs,
	execsPerS: Math.round(execs / seconds),
	execEventsSeen: seen,
	missing: execs - seen,
	allEvents: all,
	kernelLost: k.rb_full + k.no_scratch,
	kernel: k,
	user: rt.user,
	agentCpuS: (cpu.user + cpu.system) / 1e6,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
// Loss the kernel counted is reported, not a failure; only execs neither seen nor counted are.
process.exitCode = Math.max(0, result.missing - result.kernelLost) === 0 ? 0 : 1;
