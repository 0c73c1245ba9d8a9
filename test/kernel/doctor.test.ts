/** @module test/kernel/doctor.test: feature probes agree with what the kernel says elsewhere (bpftool, config, kallsyms, securityfs), in process and through `bpfguard doctor`. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { release } from 'node:os';
import { PROBES, runDoctor, type DoctorReport, type ProbeResult } from '../../src/doctor/probes.js';
import { repoPath } from '../../src/util/paths.js';
import { requireBpf } from '../helpers/bpf.js';
import { expectations, kernelView, type KernelView } from '../helpers/kernel-oracle.js';

const BIN = repoPath('bin/bpfguard');
const OBJECTS = ['process', 'probe'];

// Every probe in report order; those the required path needs; those typed by kernel BTF.
const FEATURES = ['tracepoint', 'raw_tracepoint', 'tp_btf', 'kprobe', 'fentry', 'lsm', 'uprobe', 'cgroup sock_addr', 'bpf_send_signal', 'io_uring tracepoints', 'inode ctime tracepoints', 'ring buffer (process sensor)'];
const REQUIRED = ['tp_btf', 'ring buffer (process sensor)'];
const BTF_TYPED = ['tp_btf', 'fentry', 'lsm', 'bpf_send_signal', 'io_uring tracepoints', 'inode ctime tracepoints', 'ring buffer (process sensor)'];
const STATUSES = ['supported', 'not supported', 'inconclusive'];

// What a detail looks like for each answer (probes.ts: attachAll, errnoDetail, the BTF check).
const SUPPORTED_DETAIL = /^loaded(, attached( \(.+\))? and detached|; \d+ programs attached and detached| \(verifier accepted the helper\); not attached)$/;
const REFUSED_DETAIL = /^(open|load|attach): E[A-Z0-9]+( \d+)? \(.+\)(: .+)?$|^kernel BTF missing \(.+\): needs CONFIG_DEBUG_INFO_BTF$/;

// Meanings say what a feature is used for today; future use is marked, never presented as a feature.
const MEANING = new Map<string, RegExp>([
	['tracepoint', /not use(d by bpfguard| classic tracepoints)/],
	['raw_tracepoint', /not use(d by bpfguard| raw tracepoints)/],
	['tp_btf', /every sensor attaches tp_btf|no sensor can attach/],
	['kprobe', /not use(d by bpfguard| kprobes)/],
	['fentry', /not use(d by bpfguard| fentry)/],
	['lsm', /not used yet|nothing lost today/],
	['uprobe', /not use(d by bpfguard| uprobes)/],
	['cgroup sock_addr', /deny rules/],
	['bpf_send_signal', /kill at the hook|kill rules/],
	['io_uring tracepoints', /io_uring requests/],
	['inode ctime tracepoints', /file changes are named/],
	['ring buffer (process sensor)', /process sensor/],
]);
const PROMISE = /falls back|cannot be denied|kill happens/;

function cli(args: string[], env: NodeJS.ProcessEnv = {}, prefix: string[] = []) {
	const cmd = prefix.length ? prefix[0] : process.execPath;
	const argv = prefix.length ? [...prefix.slice(1), process.execPath, BIN, ...args] : [BIN, ...args];
	return spawnSync(cmd, argv, { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000 });
}

function byFeature(probes: ProbeResult[]): Map<string, ProbeResult> {
	return new Map(probes.map((p) => [p.feature, p]));
}

/** The report's exact shape: keys, features in order, required flags, a meaning matching the status. */
function assertShape(r: DoctorReport): void {
	assert.deepEqual(Object.keys(r).sort(), ['blocked', 'host', 'probes', 'requiredOk']);
	assert.deepEqual(Object.keys(r.host).sort(), ['arch', 'btf', 'kernel', 'libbpf', 'lockdown', 'tracefs', 'unprivilegedBpfDisabled']);
	assert.deepEqual(r.probes.map((p) => p.feature), FEATURES);
	for (const [i, p] of r.probes.entries()) {
		assert.deepEqual(Object.keys(p).sort(), ['detail', 'feature', 'meaning', 'required', 'status'], p.feature);
		assert.ok(STATUSES.includes(p.status), `${p.feature}: status ${p.status}`);
		assert.equal(p.required, REQUIRED.includes(p.feature), `${p.feature}: required`);
		assert.equal(p.meaning, p.status === 'supported' ? PROBES[i].role : PROBES[i].impact, `${p.feature}: meaning for ${p.status}`);
		assert.match(p.meaning, MEANING.get(p.feature)!, `${p.feature}: meaning`);
		assert.doesNotMatch(p.meaning, PROMISE, `${p.feature}: meaning promises a feature`);
	}
}

/** Details name where a probe attached, or why the kernel refused it. */
function assertDetails(m: Map<string, ProbeResult>): void {
	for (const p of m.values()) {
		if (p.status === 'supported') assert.match(p.detail, SUPPORTED_DETAIL, p.feature);
		else if (p.status === 'not supported') assert.match(p.detail, REFUSED_DETAIL, p.feature);
		else assert.match(p.detail, /\S/, `${p.feature}: inconclusive without a reason`);
	}
	const is = (f: string, s: string) => m.get(f)!.status === s;
	if (is('uprobe', 'supported')) assert.match(m.get('uprobe')!.detail, /^loaded, attached \(\/.*libc[^/]*:getpid\) and detached$/);
	if (is('cgroup sock_addr', 'supported')) assert.match(m.get('cgroup sock_addr')!.detail, /^loaded, attached \(cgroup \/.*\) and detached$/);
	if (is('bpf_send_signal', 'supported')) assert.match(m.get('bpf_send_signal')!.detail, /verifier accepted the helper/);
	if (is('ring buffer (process sensor)', 'supported')) assert.match(m.get('ring buffer (process sensor)')!.detail, /^loaded; [1-9]\d* programs attached/);
	for (const p of m.values()) {
		if (!['tp_btf', 'tracepoint', 'raw_tracepoint', 'kprobe', 'fentry', 'lsm', 'io_uring tracepoints', 'inode ctime tracepoints'].includes(p.feature) || p.status !== 'supported') continue;
		assert.equal(p.detail, 'loaded, attached and detached', p.feature);
	}
	// EPERM at load of a trampoline program names the reason
	if (/^load: EPERM/.test(m.get('fentry')!.detail)) assert.match(m.get('fentry')!.detail, /: the kernel refuses fentry\/fexit/);
	if (/^load: EPERM/.test(m.get('lsm')!.detail)) assert.match(m.get('lsm')!.detail, /: the kernel refuses BPF LSM programs/);
	const kprobePmu = existsSync('/sys/bus/event_source/devices/kprobe') || existsSync('/sys/kernel/tracing/kprobe_events');
	if (/^attach: ENOENT/.test(m.get('kprobe')!.detail) && !kprobePmu) assert.match(m.get('kprobe')!.detail, /kernel built without kprobes$/);
}

/** Each status agrees with the kernel's other sources where one decides it; the required path works. */
function assertConsistent(r: DoctorReport, k: KernelView): void {
	assertShape(r);
	assert.equal(r.blocked, null, 'root and objects built: nothing blocks the probes');
	const m = byFeature(r.probes);
	for (const [f, want] of expectations(k, m.get('tp_btf')!.status)) {
		const p = m.get(f)!;
		if (want.status !== null) assert.equal(p.status, want.status, `${f}: the kernel says ${want.because}; the probe said: ${p.detail}`);
	}
	for (const f of REQUIRED) assert.equal(m.get(f)!.status, 'supported', `${f} is required: ${m.get(f)!.detail}`);
	assert.equal(r.requiredOk, r.host.btf.present && REQUIRED.every((f) => m.get(f)!.status === 'supported'));
	assertDetails(m);
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

test('probes: each feature loads alone; every answer agrees with the kernel', (t) => {
	if (!requireBpf(t, OBJECTS)) return;
	const r = runDoctor();
	assertConsistent(r, kernelView());
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

test('doctor --json: same report through the CLI, exit 0 when the required path works', (t) => {
	if (!requireBpf(t, OBJECTS)) return;
	const r = cli(['doctor', '--json']);
	assert.equal(r.stderr, '');
	const report = JSON.parse(r.stdout) as DoctorReport;
	assert.equal(r.status, report.requiredOk ? 0 : 1);
	assertConsistent(report, kernelView());
	assertHostFacts(report);
});

test('doctor: table with every feature, a reason for each that is not supported, one summary line', (t) => {
	if (!requireBpf(t, OBJECTS)) return;
	const want = runDoctor();
	const r = cli(['doctor']);
	assert.equal(r.status, want.requiredOk ? 0 : 1, r.stderr);
	const lines = r.stdout.trimEnd().split('\n');
	assert.ok(lines.some((l) => /^FEATURE\s+STATUS\s+WHAT IT MEANS$/.test(l)), r.stdout);
	for (const p of want.probes) {
		const row = lines.findIndex((l) => l.startsWith(`${p.feature} `));
		assert.ok(row >= 0, p.feature);
		const mark = p.required ? ' [required]' : '';
		assert.match(lines[row], new RegExp(`^${p.feature.replace(/[()]/g, '\\$&')}\\s+${p.status}\\s+\\S`), p.feature);
		assert.ok(lines[row].endsWith(`${p.meaning}${mark}`), `${p.feature}: ${lines[row]}`);
		if (p.status !== 'supported') assert.match(lines[row + 1], /^\s+why: \S/, p.feature);
	}
	const n = (s: string) => want.probes.filter((p) => p.status === s).length;
	assert.equal(lines.filter((l) => /^\s+why: /.test(l)).length, want.probes.length - n('supported'));
	const verdict = want.requiredOk ? 'required path .* OK: bpfguard can run' : 'required path broken .*: bpfguard cannot run';
	assert.match(lines.at(-1)!, new RegExp(`^summary: ${n('supported')} supported, ${n('not supported')} not supported, ${n('inconclusive')} inconclusive; ${verdict}$`));
	assert.ok(lines.some((l) => /^kernel\s+\S+ \((x86_64|aarch64)\)$/.test(l)));
});

test('doctor without BTF: BTF-typed probes not supported, the rest answer as with BTF, exit 1', (t) => {
	if (!requireBpf(t, OBJECTS)) return;
	const withBtf = byFeature(runDoctor().probes);
	const r = cli(['doctor', '--json'], { BPFGUARD_BTF_PATH: '/nonexistent/btf' });
	assert.equal(r.status, 1, r.stderr);
	const report = JSON.parse(r.stdout) as DoctorReport;
	assertShape(report);
	const m = byFeature(report.probes);
	assert.deepEqual(report.host.btf, { path: '/nonexistent/btf', present: false });
	assert.equal(report.requiredOk, false);
	for (const f of BTF_TYPED) {
		assert.equal(m.get(f)!.status, 'not supported', f);
		assert.equal(m.get(f)!.detail, 'kernel BTF missing (/nonexistent/btf): needs CONFIG_DEBUG_INFO_BTF', f);
	}
	for (const f of FEATURES.filter((x) => !BTF_TYPED.includes(x))) assert.equal(m.get(f)!.status, withBtf.get(f)!.status, f);
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
