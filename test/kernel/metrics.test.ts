/** @module test/kernel/metrics.test: a real Prometheus server scrapes `bpfguard monitor --metrics` and sees the alert counter after an alert. */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireBpf } from '../helpers/bpf.js';
import { assertOneLineError, bpfguard } from '../helpers/cli.js';
import { run, sleep } from '../helpers/collect.js';
import { repoPath } from '../../src/util/paths.js';
import { SensorRuntime } from '../../src/sensors/runtime.js';
import { SENSORS } from '../../src/sensors/registry.js';
import { programRunStats } from '../../src/monitor/metrics.js';

const BIN = repoPath('bin/bpfguard');

/** A loopback port nobody listens on right now. */
async function freePort(): Promise<number> {
	const s = createServer();
	await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
	const a = s.address();
	await new Promise((r) => s.close(r));
	assert.ok(a && typeof a === 'object');
	return a.port;
}

/** Skip locally, fail under CI=true, when Debian's prometheus is not installed (scripts/setup.sh installs it). */
function requirePrometheus(t: TestContext): boolean {
	if (spawnSync('prometheus', ['--version']).status === 0) return true;
	if (process.env.CI === 'true') throw new Error('prometheus required under CI=true (scripts/setup.sh installs it)');
	t.skip('prometheus not installed');
	return false;
}

async function stopChild(p: ChildProcess): Promise<unknown> {
	if (p.exitCode !== null) return p.exitCode;
	const done = new Promise((r) => p.once('close', r));
	p.kill('SIGTERM');
	return done;
}

test('a non-loopback metrics address is refused with one line (exit 2)', (t) => {
	if (!requireBpf(t, ['dispatch', 'process'])) return;
	assertOneLineError(bpfguard(['monitor', '--no-default-rules', '-r', repoPath('rules'), '--metrics', '0.0.0.0:9464']), 2, /^bpfguard: monitor: metrics: refusing to listen on non-loopback address 0\.0\.0\.0: set metrics\.allow_remote: true/);
	assertOneLineError(bpfguard(['monitor', '--metrics', 'nonsense']), 2, /^bpfguard: monitor: metrics: bad listen address 'nonsense': expected HOST:PORT/);
});

test('Prometheus scrapes the monitor every second; its HTTP API returns the alert counter after an alert', async (t) => {
	if (!requireBpf(t, ['dispatch', 'process'])) return;
	if (!requirePrometheus(t)) return;
	const dir = mkdtempSync(join(tmpdir(), 'bg-metrics-'));
	const cfg = join(dir, 'c.yaml');
	const rules = join(dir, 'r.yaml');
	writeFileSync(cfg, `default_rules: false\nthrottle_s: 0\nsinks:\n  jsonl: {path: ${join(dir, 'alerts.jsonl')}}\n`, { mode: 0o600 });
	writeFileSync(rules, '- rule: metrics marker\n  desc: test\n  condition: evt.type = execve and proc.args contains metrics-marker\n  output: "marker %proc.cmdline"\n  priority: warning\n', { mode: 0o600 });
	const mon = spawn(process.execPath, [BIN, 'monitor', '-c', cfg, '-r', rules, '--metrics', '127.0.0.1:0'], { stdio: ['ignore', 'ignore', 'pipe'] });
	let err = '';
	mon.stderr!.on('data', (d) => (err += d));
	let prom: ChildProcess | undefined;
	try {
		for (let i = 0; i < 100 && !/metrics on http:\/\/127\.0\.0\.1:\d+\/metrics/.test(err); i++) await sleep(100);
		const port = Number(/metrics on http:\/\/127\.0\.0\.1:(\d+)\/metrics/.exec(err)?.[1]);
		assert.ok(port > 0, err);
		const promPort = await freePort();
		writeFileSync(join(dir, 'prometheus.yml'), `global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n  - job_name: bpfguard\n    static_configs:\n      - targets: ['127.0.0.1:${port}']\n`, { mode: 0o600 });
		prom = spawn('prometheus', [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${promPort}`], { stdio: ['ignore', 'ignore', 'pipe'] });
		let promErr = '';
		prom.stderr!.on('data', (d) => (promErr += d));
		const query = async (q: string) => {
			const r = await fetch(`http://127.0.0.1:${promPort}/api/v1/query?query=${encodeURIComponent(q)}`).catch(() => undefined);
			if (!r?.ok) return [];
			const body = (await r.json()) as { data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
			return body.data.result;
		};
		// Prometheus is scraping the monitor (up == 1) before the alert, so the counter's rise is seen.
		let up: Awaited<ReturnType<typeof query>> = [];
		for (let i = 0; i < 300 && up[0]?.value[1] !== '1'; i++, await sleep(100)) up = await query('up{job="bpfguard"}');
		assert.equal(up[0]?.value[1], '1', `prometheus never scraped the monitor:\n${promErr.slice(-2000)}`);
		await run('/bin/echo', ['metrics-marker']);
		let alerts: Awaited<ReturnType<typeof query>> = [];
		for (let i = 0; i < 300 && alerts[0]?.value[1] !== '1'; i++, await sleep(100)) alerts = await query('bpfguard_alerts_total{rule="metrics marker"}');
		assert.equal(alerts.length, 1, `no alert counter in prometheus:\n${err}`);
		assert.equal(alerts[0].value[1], '1');
		assert.equal(alerts[0].metric.priority, 'warning');
		assert.equal(alerts[0].metric.job, 'bpfguard');
		const exec = await query('bpfguard_events_total{kind="exec"}');
		assert.ok(Number(exec[0]?.value[1]) >= 1, 'exec records counted');
		const rss = await query('process_resident_memory_bytes{job="bpfguard"}');
		assert.ok(Number(rss[0]?.value[1]) > 1e6, 'RSS from the default metrics');
		const evals = await query('bpfguard_rule_evaluation_seconds_count{job="bpfguard"}');
		assert.ok(Number(evals[0]?.value[1]) >= 1, 'rule evaluation histogram observed');
		// Stopped while Prometheus still scrapes it (keep-alive): the monitor exits on its own.
		assert.equal(await stopChild(mon), 0, err);
	} finally {
		await stopChild(mon);
		if (prom) await stopChild(prom);
		rmSync(dir, { recursive: true, force: true });
	}
});

test('program run time source: every loaded program has an fd whose fdinfo carries run_time_ns and run_cnt', async (t) => {
	if (!requireBpf(t, ['dispatch', 'process'])) return;
	const rt = SensorRuntime.start(SENSORS.filter((s) => s.name === 'process'), {}, () => {});
	try {
		const progs = rt.programFds();
		assert.ok(progs.some((p) => p.name === 'bg_exec'), JSON.stringify(progs));
		for (const p of progs) {
			const s = programRunStats(readFileSync(`/proc/self/fdinfo/${p.fd}`, 'utf8'));
			assert.ok(s && s.runTimeNs >= 0 && s.runCount >= 0, `${p.name}: run_time_ns/run_cnt in fdinfo`);
		}
		const counts = rt.recordsByKind();
		assert.ok(Object.values(counts).every((n) => n > 0), 'only kinds seen are listed');
	} finally {
		await rt.stop();
	}
	assert.deepEqual(rt.programFds(), [], 'nothing after stop');
});
