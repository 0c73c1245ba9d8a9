/** @module cli/commands/doctor: probe the kernel and say which bpfguard features work here and what is degraded. */
import type { CliCommand } from '../command.js';
import { CliError } from '../errors.js';
import { runDoctor, type DoctorReport, type ProbeResult } from '../../doctor/probes.js';

function pad(s: string, n: number): string {
	return s.length >= n ? `${s} ` : s + ' '.repeat(n - s.length);
}

function hostLines(r: DoctorReport): string[] {
	const h = r.host;
	const rows: [string, string][] = [
		['kernel', `${h.kernel} (${h.arch})`],
		['BTF', h.btf.present ? `${h.btf.path} present` : `${h.btf.path} MISSING (bpfguard needs CONFIG_DEBUG_INFO_BTF)`],
		['lockdown', h.lockdown],
		['tracefs', h.tracefs.detail],
		['libbpf', h.libbpf],
		['unprivileged_bpf_disabled', h.unprivilegedBpfDisabled],
	];
	return rows.map(([k, v]) => `${pad(k, 27)}${v}`);
}

function probeLines(probes: ProbeResult[]): string[] {
	const w = Math.max(...probes.map((p) => p.feature.length), 'FEATURE'.length) + 2;
	const out = [`${pad('FEATURE', w)}${pad('STATUS', 15)}WHAT IT MEANS`];
	for (const p of probes) {
		const mark = p.required ? ' [required]' : '';
		out.push(`${pad(p.feature, w)}${pad(p.status, 15)}${p.meaning}${mark}`);
		if (p.status !== 'supported') out.push(`${' '.repeat(w)}why: ${p.detail}`);
	}
	return out;
}

/** One summary line: counts and whether the required path works. */
export function summaryLine(r: DoctorReport): string {
	const n = (s: string) => r.probes.filter((p) => p.status === s).length;
	const counts = `${n('supported')} supported, ${n('not supported')} not supported, ${n('inconclusive')} inconclusive`;
	const missing = r.probes.filter((p) => p.required && p.status !== 'supported').map((p) => p.feature);
	if (!r.host.btf.present) missing.unshift('BTF');
	const verdict = r.requiredOk
		? 'required path (BTF, tp_btf, ring buffer) OK: bpfguard can run'
		: `required path broken (${missing.join(', ')}): bpfguard cannot run`;
	return `summary: ${counts}; ${verdict}`;
}

/** The human-readable report. */
export function renderDoctor(r: DoctorReport): string {
	const lines = [...hostLines(r), '', ...probeLines(r.probes), ''];
	if (r.blocked) lines.push(`probes did not run: ${r.blocked}`);
	lines.push(summaryLine(r));
	return `${lines.join('\n')}\n`;
}

function requireRoot(): void {
	if (typeof process.geteuid === 'function' && process.geteuid() !== 0) {
		throw new CliError(
			'doctor: must run as root (probing loads BPF programs, which needs CAP_BPF and CAP_PERFMON); try: sudo bpfguard doctor',
			'ENOTROOT',
			1,
		);
	}
}

/** `bpfguard doctor [--json]`: exit 0 when the required path works, 1 otherwise. */
export const doctorCommand: CliCommand = {
	name: 'doctor',
	register(program) {
		program
			.command('doctor')
			.description('probe the kernel: BTF, lockdown, tracefs and which BPF program types load and attach here')
			.option('--json', 'print the report as JSON')
			.action((o: { json?: boolean }) => {
				requireRoot();
				const report = runDoctor();
				process.stdout.write(o.json ? `${JSON.stringify(report, null, '\t')}\n` : renderDoctor(report));
				process.exitCode = report.requiredOk ? 0 : 1;
			});
	},
};
