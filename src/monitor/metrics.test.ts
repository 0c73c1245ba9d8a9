/** @module monitor/metrics.test: the metric text (names, labels, HELP/TYPE) and the listen policy, without a kernel. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MonitorMetrics, programRunStats } from './metrics.js';
import { isLoopback, metricsListen, MetricsConfigError, serveMetrics } from './metrics-server.js';
import type { Alert } from '../alerts/alert.js';

const alert = (rule: string, priority: Alert['priority'], count = 1): Alert => ({
	id: 'x', time: '', timeMs: 0, rule, priority, tags: [], output: '', fields: {}, action: 'alert', count, source: 'syscall', hostname: 'h',
});

function fixture(): MonitorMetrics {
	const m = new MonitorMetrics({ defaultMetrics: false });
	m.bind({
		eventsByKind: () => ({ exec: 7, open: 3 }),
		kernel: () => ({ filtered: 41, emitted: 10 }),
		losses: () => ({ ringbuf_full: 2, sink_dropped: 0 }),
		sinks: () => ({ written: 5, failed: 1, dropped: 0, queued: 4 }),
		processes: () => 123,
		programs: () => [],
	});
	return m;
}

test('metric text: every family with HELP and TYPE, labels and values from the monitor', async () => {
	const m = fixture();
	m.alerted(alert('Shell "spawned"', 'warning'));
	m.alerted(alert('Shell "spawned"', 'warning', 3));
	m.alerted(alert('other', 'notice'));
	m.evaluated(0.0002);
	m.matched(1000, 1250);
	const text = await m.text();
	const families: [string, string][] = [
		['bpfguard_events_total', 'counter'],
		['bpfguard_kernel_filtered_total', 'counter'],
		['bpfguard_lost_total', 'counter'],
		['bpfguard_alerts_total', 'counter'],
		['bpfguard_sink_written_total', 'counter'],
		['bpfguard_sink_failed_total', 'counter'],
		['bpfguard_sink_dropped_total', 'counter'],
		['bpfguard_sink_queued', 'gauge'],
		['bpfguard_process_table_entries', 'gauge'],
		['bpfguard_rule_evaluation_seconds', 'histogram'],
		['bpfguard_alert_latency_seconds', 'histogram'],
		['bpfguard_bpf_program_run_seconds_total', 'counter'],
		['bpfguard_bpf_program_runs_total', 'counter'],
	];
	for (const [name, type] of families) {
		assert.match(text, new RegExp(`^# HELP ${name} \\S.*$`, 'm'), `HELP of ${name}`);
		assert.match(text, new RegExp(`^# TYPE ${name} ${type}$`, 'm'), `TYPE of ${name}`);
	}
	const lines = new Set(text.split('\n'));
	for (const l of [
		'bpfguard_events_total{kind="exec"} 7',
		'bpfguard_events_total{kind="open"} 3',
		'bpfguard_kernel_filtered_total 41',
		'bpfguard_lost_total{cause="ringbuf_full"} 2',
		'bpfguard_lost_total{cause="sink_dropped"} 0',
		'bpfguard_alerts_total{rule="Shell \\"spawned\\"",priority="warning"} 4',
		'bpfguard_alerts_total{rule="other",priority="notice"} 1',
		'bpfguard_sink_written_total 5',
		'bpfguard_sink_failed_total 1',
		'bpfguard_sink_dropped_total 0',
		'bpfguard_sink_queued 4',
		'bpfguard_process_table_entries 123',
		'bpfguard_rule_evaluation_seconds_count 1',
		'bpfguard_rule_evaluation_seconds_bucket{le="0.0005"} 1',
		'bpfguard_rule_evaluation_seconds_bucket{le="0.0001"} 0',
		'bpfguard_alert_latency_seconds_sum 0.25',
		'bpfguard_alert_latency_seconds_bucket{le="0.5"} 1',
		'bpfguard_alert_latency_seconds_bucket{le="0.1"} 0',
	]) assert.ok(lines.has(l), `missing line: ${l}\n${text}`);
});

test('totals are read again at every scrape (a counter follows the monitor, never double counts)', async () => {
	const m = new MonitorMetrics({ defaultMetrics: false });
	let n = 1;
	m.bind({ eventsByKind: () => ({ exec: n }), kernel: () => ({}), losses: () => ({}), sinks: () => ({ written: 0, failed: 0, dropped: 0, queued: 0 }), processes: () => 0, programs: () => [] });
	assert.match(await m.text(), /^bpfguard_events_total\{kind="exec"\} 1$/m);
	n = 5;
	assert.match(await m.text(), /^bpfguard_events_total\{kind="exec"\} 5$/m);
});

test('default metrics: RSS and heap of the process', async () => {
	const text = await new MonitorMetrics().text();
	assert.match(text, /^# TYPE process_resident_memory_bytes gauge$/m);
	assert.match(text, /^# TYPE nodejs_heap_size_used_bytes gauge$/m);
});

test('program run stats from fdinfo', () => {
	const info = 'pos:\t0\nflags:\t02000002\nprog_type:\t26\nprog_id:\t9\nrun_time_ns:\t1500\nrun_cnt:\t3\n';
	assert.deepEqual(programRunStats(info), { runTimeNs: 1500, runCount: 3 });
	assert.equal(programRunStats('pos:\t0\n'), undefined);
});

test('listen policy: loopback by default; remote needs allow_remote and a token; bad addresses are one-line errors', () => {
	assert.deepEqual(metricsListen('127.0.0.1:9464'), { host: '127.0.0.1', port: 9464 });
	assert.deepEqual(metricsListen('[::1]:9464'), { host: '::1', port: 9464 });
	assert.deepEqual(metricsListen('localhost:1'), { host: 'localhost', port: 1 });
	assert.ok(isLoopback('127.1.2.3') && !isLoopback('10.0.0.1') && !isLoopback('::') && !isLoopback('0.0.0.0'));
	const refused = (addr: string, o = {}, re: RegExp) => assert.throws(() => metricsListen(addr, o), (e: Error) => e instanceof MetricsConfigError && re.test(e.message) && !e.message.includes('\n'));
	refused('0.0.0.0:9464', {}, /^metrics: refusing to listen on non-loopback address 0\.0\.0\.0: set metrics\.allow_remote: true/);
	refused('10.1.2.3:9464', { allowRemote: true }, /needs a bearer token/);
	refused('10.1.2.3:9464', { allowRemote: true, tokenFile: '/nonexistent/t' }, /cannot read token file \/nonexistent\/t: ENOENT/);
	refused('127.0.0.1', {}, /^metrics: bad listen address '127\.0\.0\.1': expected HOST:PORT/);
	refused('127.0.0.1:99999', {}, /bad listen address/);
	refused('[nothost]:1', {}, /bad listen address/);
	assert.deepEqual(metricsListen('0.0.0.0:9464', { allowRemote: true, token: 'a'.repeat(16) }), { host: '0.0.0.0', port: 9464, token: 'a'.repeat(16) });
	refused('0.0.0.0:9464', { allowRemote: true, token: 'short' }, /at least 16 visible ASCII/);
	refused('0.0.0.0:9464', { allowRemote: true, token: 'a'.repeat(16), tokenFile: '/x' }, /give one of token, token_file/);
	const dir = mkdtempSync(join(tmpdir(), 'bg-metrics-token-'));
	try {
		const file = join(dir, 'token');
		writeFileSync(file, `${'b'.repeat(20)}\n`, { mode: 0o600 });
		assert.equal(metricsListen('0.0.0.0:1', { allowRemote: true, tokenFile: file }).token, 'b'.repeat(20));
		chmodSync(file, 0o644);
		refused('0.0.0.0:1', { allowRemote: true, tokenFile: file }, /token file .*: readable by group or others \(mode 0?644\); fix: chmod 600/);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});

test('server: /metrics in the text format; a token is required when set; other paths 404', async () => {
	const m = fixture();
	const server = await serveMetrics(m, { host: '127.0.0.1', port: 0, token: 'secret-token-0123' });
	try {
		const a = server.address();
		assert.ok(a && typeof a === 'object');
		const url = `http://127.0.0.1:${a.port}`;
		assert.equal((await fetch(`${url}/metrics`)).status, 401);
		assert.equal((await fetch(`${url}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status, 401);
		const ok = await fetch(`${url}/metrics`, { headers: { authorization: 'Bearer secret-token-0123' } });
		assert.equal(ok.status, 200);
		assert.match(ok.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
		assert.match(await ok.text(), /^bpfguard_process_table_entries 123$/m);
		assert.equal((await fetch(`${url}/`, { headers: { authorization: 'Bearer secret-token-0123' } })).status, 404);
	} finally {
		server.close();
	}
});
