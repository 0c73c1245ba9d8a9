/** @module cli/commands/profile: `bpfguard profile learn|diff|systemd`: seccomp profiles learned by watching a process tree, compared, and turned into systemd lines. */
import { closeSync, existsSync, fchmodSync, openSync, statfsSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import type { CliCommand } from '../command.js';
import { CliError, describeError } from '../errors.js';
import { loadProfile, ProfileError, type Profile } from '../../seccomp/profile.js';
import { currentHost } from '../../seccomp/host.js';
import { exitStatus, launch, LAUNCHER } from '../../seccomp/launch.js';
import { descendants, SyscallLearner, type LearnedSet } from '../../seccomp/learn.js';
import { diffProfiles, learnedProfile, mergeProblem, mergeProfiles, profileText, systemdLines } from '../../seccomp/learned.js';
import { syscallName } from '../../events/syscalls.js';
import { escapeText } from '../../sinks/escape.js';

interface LearnOpts {
	output: string;
	pid?: string;
	cgroup?: string;
	duration?: string;
	merge?: string;
}

/** Runs the command unfiltered: the launcher with an allow-all spec, so it is followed before it execs. */
const ALLOW_ALL = { text: 'default allow 0\n', places: [] as string[], skipped: 0 };

function load(file: string): Profile {
	try {
		return loadProfile(file);
	} catch (e) {
		if (e instanceof ProfileError) throw new CliError(e.message, e.code, 2);
		throw e;
	}
}

function positive(s: string | undefined, what: string): number | undefined {
	if (s === undefined) return undefined;
	const n = Number(s);
	if (!/^\d+(\.\d+)?$/.test(s) || !(n > 0)) throw new CliError(`read ${what}: ${JSON.stringify(s)} is not a positive number`, 'EUSAGE', 2);
	return n;
}

const CGROUP2_SUPER_MAGIC = 0x63677270;

/** The cgroup v2 id (the directory's inode) of a cgroup directory; a one-line error otherwise. */
function cgroupId(path: string): bigint {
	try {
		if (statfsSync(path).type === CGROUP2_SUPER_MAGIC && statSync(path).isDirectory()) return statSync(path, { bigint: true }).ino;
	} catch {
		// reported below
	}
	throw new CliError(`follow --cgroup ${escapeText(path)}: not a cgroup v2 directory`, 'ENOTCGROUP', 2);
}

/** Checks every input before anything runs: output directory, pid or cgroup, duration, the profile to merge. */
function checkInputs(argv: string[], o: LearnOpts): { pid?: number; cgroup?: bigint; seconds?: number; merge?: Profile } {
	const dir = dirname(o.output);
	if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new CliError(`write profile ${escapeText(o.output)}: no such directory ${escapeText(dir)}`, 'ENOENT', 2);
	const seconds = positive(o.duration, '--duration');
	const pid = o.pid === undefined ? undefined : positive(o.pid, '--pid');
	if (pid !== undefined && (!Number.isInteger(pid) || !existsSync(`/proc/${pid}`))) throw new CliError(`follow --pid ${escapeText(String(o.pid))}: no such process`, 'ESRCH', 2);
	const cgroup = o.cgroup === undefined ? undefined : cgroupId(o.cgroup);
	if ([pid !== undefined, cgroup !== undefined, argv.length > 0].filter(Boolean).length !== 1) throw new CliError('learn profile: give one of --pid PID, --cgroup PATH or a command', 'EUSAGE', 2);
	const merge = o.merge === undefined ? undefined : load(o.merge);
	const why = merge && mergeProblem(merge);
	if (why) throw new CliError(`merge profile ${escapeText(o.merge as string)}: ${why}`, 'EPROFILE', 2);
	return { pid, cgroup, seconds, merge };
}

function openLearner(cgroup: bigint | undefined): SyscallLearner {
	try {
		return SyscallLearner.open(cgroup);
	} catch (e) {
		throw new CliError(`load syscall learner: ${describeError(e)}`, 'EBPF', 1);
	}
}

/** Resolves when the duration ends, SIGINT/SIGTERM arrives or gone() says the watched thing is gone. */
function until(seconds: number | undefined, gone: () => boolean): Promise<void> {
	return new Promise<void>((resolve) => {
		const stop = () => {
			clearInterval(poll);
			clearTimeout(timer);
			process.off('SIGINT', stop);
			process.off('SIGTERM', stop);
			resolve();
		};
		const poll = setInterval(() => gone() && stop(), 200);
		const timer = seconds === undefined ? undefined : setTimeout(stop, seconds * 1000);
		process.on('SIGINT', stop);
		process.on('SIGTERM', stop);
	});
}

/** Follows a running process and its descendants until the duration ends, a signal comes or it exits. */
async function watchPid(l: SyscallLearner, pid: number, seconds: number | undefined): Promise<void> {
	l.follow(pid);
	const kids = descendants(pid);
	for (const d of kids) l.follow(d);
	process.stderr.write(`bpfguard profile: following pid ${pid} and ${kids.length} descendants\n`);
	await until(seconds, () => !existsSync(`/proc/${pid}`));
}

/** Runs the command followed from before its exec; after --duration it gets SIGTERM. Returns its exit status. */
async function watchCommand(l: SyscallLearner, argv: string[], seconds: number | undefined): Promise<number> {
	if (!existsSync(LAUNCHER)) throw new CliError(`run command: ${LAUNCHER} is not built (make sandbox)`, 'ENOLAUNCHER', 1);
	const [cmd, ...args] = argv;
	let timer: NodeJS.Timeout | undefined;
	const res = await launch(ALLOW_ALL, cmd, args, (pid) => {
		l.follow(pid);
		if (seconds !== undefined) timer = setTimeout(() => process.kill(pid, 'SIGTERM'), seconds * 1000);
	});
	clearTimeout(timer);
	if (res.failure?.code === 'enoent') throw new CliError(`run ${escapeText(cmd)}: command not found`, 'ENOENT', 127);
	if (res.failure) throw new CliError(`run ${escapeText(cmd)}: ${escapeText(res.failure.message)}`, 'EEXEC', 126);
	return exitStatus(res.code, res.signal);
}

/** Writes text to file with mode 0600 (an existing file is truncated and made 0600 too). */
function writePrivate(file: string, text: string): void {
	let fd: number;
	try {
		fd = openSync(file, 'w', 0o600);
	} catch (e) {
		throw new CliError(`write profile ${escapeText(file)}: ${(e as Error).message}`, 'EWRITE', 2);
	}
	try {
		fchmodSync(fd, 0o600);
		writeSync(fd, text);
	} finally {
		closeSync(fd);
	}
}

async function learn(argv: string[], o: LearnOpts): Promise<void> {
	const { pid, cgroup, seconds, merge } = checkInputs(argv, o);
	const l = openLearner(cgroup);
	let status = 0;
	let seen: LearnedSet;
	try {
		if (pid !== undefined) await watchPid(l, pid, seconds);
		else if (cgroup !== undefined) {
			process.stderr.write(`bpfguard profile: following cgroup ${escapeText(o.cgroup as string)}\n`);
			await until(seconds, () => !existsSync(o.cgroup as string));
		} else status = await watchCommand(l, argv, seconds);
		seen = l.read();
	} finally {
		l.close();
	}
	const names = seen.nrs.map(syscallName);
	const unnamed = names.filter((n) => n.startsWith('syscall_'));
	let p = learnedProfile(names.filter((n) => !n.startsWith('syscall_')), [currentHost().arch]);
	if (merge) p = mergeProfiles(p, merge);
	writePrivate(o.output, profileText(p));
	process.stderr.write(`bpfguard profile: ${p.syscalls[0].names.length} syscalls allowed, written to ${escapeText(o.output)}\n`);
	if (unnamed.length) process.stderr.write(`bpfguard profile: left out, no name on this architecture: ${unnamed.join(' ')}\n`);
	if (seen.lost) process.stderr.write(`bpfguard profile: ${seen.lost} calls not recorded (syscall number outside 0..1023)\n`);
	process.exitCode = status;
}

function diff(a: string, b: string): void {
	const lines = diffProfiles(load(a), load(b));
	for (const l of lines) process.stdout.write(`${l}\n`);
	process.exitCode = lines.length ? 1 : 0;
}

function systemd(file: string): void {
	for (const l of systemdLines(load(file))) process.stdout.write(`${l}\n`);
}

/** `bpfguard profile`. */
export const profileCommand: CliCommand = {
	name: 'profile',
	register(program: Command) {
		const p = program.command('profile').description('seccomp profiles: learn one by watching a process tree, compare two, print systemd lines');
		p.command('learn')
			.description('watch a command (or --pid, --cgroup) and its descendants; write the least-privilege OCI/Docker seccomp profile that lets it run')
			.requiredOption('-o, --output <file>', 'the profile to write (mode 0600)')
			.option('--pid <pid>', 'learn from a running process and its descendants instead of a command')
			.option('--cgroup <path>', 'learn from the processes of a cgroup v2 directory (a service, a container) instead of a command')
			.option('--duration <seconds>', 'stop after this long (a command gets SIGTERM)')
			.option('--merge <file>', 'add the allow list of an existing profile (repeated learning runs)')
			.argument('[cmd...]', 'the command and its arguments (put -- before options of the command)')
			.allowUnknownOption()
			.action(learn);
		p.command('diff')
			.description('what profile A allows beyond B ("< name") and B beyond A ("> name"); exit 1 when they differ')
			.argument('<a>')
			.argument('<b>')
			.action(diff);
		p.command('systemd')
			.description('SystemCallFilter= lines for a systemd unit from a profile')
			.argument('<file>')
			.action(systemd);
	},
};
