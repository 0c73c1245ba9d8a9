/** @module test/kernel/doctor.test: feature probes on this machine, in process and through `bpfguard doctor`. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { release } from 'node:os';
import { runDoctor, type DoctorReport, type ProbeResult } from '../../src/doctor/probes.js';
import { repoPath } from '../../src/util/paths.js';
import { requireBpf } from '../helpers/bpf.js';

const BIN = repoPath('bin/bpfguard');
const OBJECTS = ['process', 'probe'];

// What this machine supports (see ARCHITECTURE.md, "The machine we build and test on").
const SUPPORTED = ['tracepoint', 'raw_tracepoint', 'tp_btf', 'uprobe', 'cgroup sock_addr', 'bpf_send_signal', 'ring buffer (process sensor)'];
const NOT_SUPPORTED = ['kprobe', 'fentry', 'lsm'];

function cli(args: string[], env: NodeJS.ProcessEnv = {}, prefix: string[] = []) {
	const cmd = prefix.length ? prefix[0] : process.execPath;
	const argv = prefix.length ? [...prefix.slice(1), process.execPath, BIN, ...args] : [BIN, ...args];
	return spawnSync(cmd, argv, { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000 });
}

function byFeature(probes: ProbeResult[]): Map<string, ProbeResult> {
	return new Map(probes.map((p) => [p.feature, p]));
}

function assertMachineFacts(r: DoctorReport): void {
	const m = byFeature(r.probes);
	assert.deepEqual([...m.keys()].sort(), [...SUPPORTED, ...NOT_SUPPORTED].sort());
	for (const f of SUPPORTED) assert.equal(m.get(f)!.status, 'supported', `${f}: ${m.get(f)!.detail}`);
	for (const f of NOT_SUPPORTED) assert.equal(m.get(f)!.status, 'not supported', `${f}: ${m.get(f)!.detail}`);
	assert.match(m.get('fentry')!.detail, /^load: EPERM .*fentry\/fexit/);
	assert.match(m.get('lsm')!.detail, /^load: EPERM .*BPF LSM/);
	assert.match(m.get('lsm')!.meaning, /falls back to bpf_send_signal/);
	assert.match(m.get('kprobe')!.detail, /^(load|attach): E[A-Z]+/);
	assert.match(m.get('kprobe')!.meaning, /optional, not used on the required path/);
	assert.match(m.get('tp_btf')!.meaning, /required by the process sensor/);
	assert.match(m.get('cgroup sock_addr')!.meaning, /deny connections/);
	assert.match(m.get('uprobe')!.detail, /attached \(\/.*libc[^/]*:getpid\) and detached/);
	assert.match(m.get('cgroup sock_addr')!.detail, /attached \(cgroup \/.+\) and detached/);
	assert.match(m.get('bpf_send_signal')!.detail, /verifier accepted/);
	assert.deepEqual(r.probes.filter((p) => p.required).map((p) => p.feature), ['tp_btf', 'ring buffer (process sensor)']);
	assert.equal(r.blocked, null);
	assert.equal(r.requiredOk, true);
}

function assertHostFacts(r: DoctorReport): void {
	assert.equal(r.host.kernel, release());
	assert.match(r.host.arch, /^(x86_64|aarch64)$/);
	assert.deepEqual(r.host.btf, { path: '/sys/kernel/btf/vmlinux', present: true });
	assert.match(r.host.libbpf, /^v?\d+\.\d+/);
	const lockdown = existsSync('/sys/kernel/security/lockdown') ? /^(none|integrity|confidentiality)$/ : /^none \(securityfs not mounted/;
	assert.match(r.host.lockdown, lockdown);
	const syscalls = existsSync('/sys/kernel/tracing/events/syscalls') && readdirSync('/sys/kernel/tracing/events/syscalls').length > 0;
	assert.equal(r.host.tracefs.mounted, syscalls);
	assert.match(r.host.unprivilegedBpfDisabled, /^[012] \(unprivileged BPF /);
}

test('probes: each feature loads alone; this machine has the documented set', (t) => {
	if (!requireBpf(t, OBJECTS)) return;
	const r = runDoctor();
	assertMachineFacts(r);
	assertHostFacts(r);
});

function probeProgsLoaded(): string[] {
	const r = spawnSync('bpftool', ['-j', 'prog', 'show'], { encoding: 'utf8' });
	assert.equal(r.status, 0, r.stderr);
	return (JSON.parse(r.stdout) as { name?: string }[]).map((p) => p.name ?? '').filter((n) => n.startsWith('bg_p_'));
}

test('probes leave nothing loaded and answer the same twice', async (t) => {
	if (!requireBpf(t, OBJECTS)) return;
	const first = runDoctor().probes.map((p) => [p.feature, p.status]);
	const second = runDoctor().probes.map((p) => [p.feature, p.status]);
	assert.deepEqual(second, first);
	// Program release is deferred in the kernel (RCU): give it a moment before concluding.
	let left = probeProgsLoaded();
	for (let i = 0; i < 30 && left.length; i++) {
		await new Promise((r) => setTimeout(r, 100));
		left = probeProgsLoaded();
	}
	assert.deepEqual(left, []);
});

test('doctor --json: same report through the CLI, exit 0', (t) => {
	if (!requireBpf(t, OBJECTS)) return;
	const r = cli(['doctor', '--json']);
	assert.equal(r.status, 0, r.stderr);
	assert.equal(r.stderr, '');
	const report = JSON.parse(r.stdout) as DoctorReport;
	assertMachineFacts(report);
	assertHostFacts(report);
});

test('doctor: table with every feature, reasons for what is missing, one summary line', (t) => {
	if (!requireBpf(t, OBJECTS)) return;
	const r = cli(['doctor']);
	assert.equal(r.status, 0, r.stderr);
	const lines = r.stdout.trimEnd().split('\n');
	assert.ok(lines.some((l) => /^FEATURE\s+STATUS\s+WHAT IT MEANS$/.test(l)), r.stdout);
	for (const f of SUPPORTED) assert.ok(lines.some((l) => l.startsWith(`${f} `) && /\ssupported\s/.test(l)), f);
	for (const f of NOT_SUPPORTED) assert.ok(lines.some((l) => l.startsWith(`${f} `) && /\snot supported\s/.test(l)), f);
	assert.equal(lines.filter((l) => /^\s+why: /.test(l)).length, NOT_SUPPORTED.length);
	assert.match(lines.at(-1)!, /^summary: 7 supported, 3 not supported, 0 inconclusive; required path .* OK/);
	assert.ok(lines.some((l) => /^kernel\s+\S+ \((x86_64|aarch64)\)$/.test(l)));
});

test('doctor without BTF: BTF-typed probes not supported, the rest still probed, exit 1', (t) => {
	if (!requireBpf(t, OBJECTS)) return;
	const r = cli(['doctor', '--json'], { BPFGUARD_BTF_PATH: '/nonexistent/btf' });
	assert.equal(r.status, 1, r.stderr);
	const report = JSON.parse(r.stdout) as DoctorReport;
	const m = byFeature(report.probes);
	assert.deepEqual(report.host.btf, { path: '/nonexistent/btf', present: false });
	assert.equal(report.requiredOk, false);
	for (const f of ['tp_btf', 'fentry', 'lsm', 'bpf_send_signal', 'ring buffer (process sensor)']) {
		assert.equal(m.get(f)!.status, 'not supported', f);
		assert.match(m.get(f)!.detail, /^kernel BTF missing \(\/nonexistent\/btf\)/);
	}
	for (const f of ['tracepoint', 'raw_tracepoint', 'uprobe', 'cgroup sock_addr']) assert.equal(m.get(f)!.status, 'supported', f);
	const table = cli(['doctor'], { BPFGUARD_BTF_PATH: '/nonexistent/btf' });
	assert.equal(table.status, 1);
	assert.match(table.stdout, /\nsummary: .*required path broken \(BTF, tp_btf, ring buffer \(process sensor\)\): bpfguard cannot run\n$/);
});

test('doctor as non-root: one line, exit 1, no stack trace', (t) => {
	const nobody = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'];
	const probe = spawnSync(nobody[0], [...nobody.slice(1), '/usr/bin/test', '-r', BIN]);
	if (probe.status !== 0) {
		t.skip('setpriv missing or the checkout is not readable by uid 65534');
		return;
	}
	const r = cli(['doctor'], {}, nobody);
	assert.equal(r.status, 1);
	assert.equal(r.stdout, '');
	const lines = r.stderr.trim().split('\n');
	assert.equal(lines.length, 1, r.stderr);
	assert.match(lines[0], /^bpfguard: doctor: must run as root .*sudo bpfguard doctor$/);
});

test('doctor --help', () => {
	const r = cli(['doctor', '--help']);
	assert.equal(r.status, 0);
	assert.match(r.stdout, /^Usage: bpfguard doctor \[options\]/);
	assert.match(r.stdout, /--json/);
});
