/** @module cli/commands/sandbox: `bpfguard sandbox --profile FILE [--] CMD ARGS…`: a command under a seccomp profile, its violations at exit. */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import type { CliCommand } from '../command.js';
import { CliError } from '../errors.js';
import { loadProfile, ProfileError } from '../../seccomp/profile.js';
import { compileProfile, type CompiledSpec } from '../../seccomp/compile.js';
import { currentHost } from '../../seccomp/host.js';
import { KmsgReader, type KmsgBatch } from '../../seccomp/kmsg.js';
import { exitStatus, launch, LAUNCHER, syscallNames, type LaunchResult } from '../../seccomp/launch.js';
import { countViolations, mergeViolations, nativeArch, reportLines, type SandboxReport } from '../../seccomp/report.js';
import { DenialWatch, type DenialCounts } from '../../seccomp/denials.js';
import { describeError } from '../errors.js';
import { escapeText } from '../../sinks/escape.js';

interface Opts {
	profile: string;
	json?: boolean;
}

function compile(file: string): CompiledSpec {
	try {
		return compileProfile(loadProfile(file), currentHost());
	} catch (e) {
		if (e instanceof ProfileError) throw new CliError(e.message, e.code, 2);
		throw e;
	}
}

/** The launcher's refusal as one CLI error: profile places exit 2, exec failures 127/126 like a shell. */
function refusal(f: NonNullable<LaunchResult['failure']>, spec: CompiledSpec, file: string, cmd: string): CliError {
	const msg = escapeText(f.message);
	if (f.line > 0) return new CliError(`read profile ${file}: ${spec.places[f.line - 1] ?? `spec line ${f.line}`}: ${msg}`, 'EPROFILE', 2);
	if (f.code === 'enoent') return new CliError(`run ${escapeText(cmd)}: command not found`, 'ENOENT', 127);
	if (f.code === 'exec') return new CliError(`run ${escapeText(cmd)}: ${msg} (does the profile allow execve?)`, 'EEXEC', 126);
	return new CliError(`install seccomp filter: ${msg}`, 'ESECCOMP', 1);
}

/** Drains the kernel log until it has been quiet for a moment (kauditd prints asynchronously). */
async function settle(k: KmsgReader, sigsys: boolean): Promise<KmsgBatch> {
	const all: KmsgBatch = { records: [], suppressed: 0, overrun: 0 };
	for (let i = 0; i < 10; i++) {
		await new Promise((r) => setTimeout(r, 50));
		const b = k.drain();
		all.records.push(...b.records);
		all.suppressed += b.suppressed;
		all.overrun += b.overrun;
		if (i >= 1 && !b.records.length && (!sigsys || all.records.length)) break;
	}
	return all;
}

/** The kernel counter of denials, when this process may load BPF; else why not. */
function openWatch(): { watch: DenialWatch | null; why: string } {
	if (process.geteuid?.() !== 0) return { watch: null, why: 'not root' };
	try {
		return { watch: DenialWatch.open(), why: '' };
	} catch (e) {
		return { watch: null, why: describeError(e) };
	}
}

/** Both kernel sources into one report: the counter's denials of the tree, the log's records of the command's pid. */
function buildReport(res: LaunchResult, counts: DenialCounts | undefined, batch: KmsgBatch, why: string, unseen?: string): SandboxReport {
	const mine = batch.records.filter((r) => r.pid === res.pid);
	const names = syscallNames([...mine, ...(counts?.denials ?? []).map((d) => ({ arch: nativeArch(), nr: d.nr }))]);
	return {
		violations: counts ? mergeViolations(counts, mine, names) : countViolations(mine, names),
		suppressed: batch.suppressed,
		overrun: batch.overrun,
		otherPids: batch.records.length - mine.length,
		kernel: counts ? { lost: counts.lost, unmarked: counts.unmarked } : { unavailable: why },
		...(unseen ? { unseen } : {}),
		exit: { code: res.code, signal: res.signal },
	};
}

async function run(argv: string[], o: Opts): Promise<number> {
	const [cmd, ...args] = argv;
	if (!existsSync(LAUNCHER)) throw new CliError(`run sandbox: ${LAUNCHER} is not built (make sandbox)`, 'ENOLAUNCHER', 1);
	const spec = compile(o.profile);
	let kmsg: KmsgReader | null = null;
	let unseen: string | undefined;
	try {
		kmsg = KmsgReader.open();
	} catch (e) {
		unseen = `cannot read /dev/kmsg: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`;
	}
	const { watch, why } = openWatch();
	let res: LaunchResult;
	try {
		res = await launch(spec, cmd, args, (pid) => watch?.follow(pid));
	} catch (e) {
		watch?.close();
		kmsg?.close();
		throw e;
	}
	const counts = watch?.read();
	watch?.close();
	if (res.failure) {
		kmsg?.close();
		throw refusal(res.failure, spec, o.profile, cmd);
	}
	const batch = kmsg ? await settle(kmsg, res.signal === 'SIGSYS') : { records: [], suppressed: 0, overrun: 0 };
	kmsg?.close();
	const report = buildReport(res, counts, batch, why, unseen);
	if (o.json) process.stderr.write(`${JSON.stringify(report)}\n`);
	else for (const l of reportLines(report)) process.stderr.write(`${l}\n`);
	return exitStatus(res.code, res.signal);
}

/** `bpfguard sandbox`. */
export const sandboxCommand: CliCommand = {
	name: 'sandbox',
	register(program: Command) {
		program
			.command('sandbox')
			.description('run a command under a seccomp filter from an OCI/Docker seccomp JSON profile; report its violations at exit (stderr)')
			.requiredOption('--profile <file>', 'OCI/Docker seccomp profile (e.g. profiles/cli.json, /usr/share/containers/seccomp.json)')
			.option('--json', 'print the violation report as one JSON line on stderr')
			.argument('<cmd...>', 'the command and its arguments (put -- before options of the command)')
			.allowUnknownOption()
			.action(async (argv: string[], o: Opts) => {
				process.exitCode = await run(argv, o);
			});
	},
};
