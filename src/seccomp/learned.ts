/** @module seccomp/learned: learned allow-list profiles: written, merged, compared, and turned into systemd lines (kernel-free). */
import type { Arch, Profile } from './profile.js';

/** errno a learned profile denies everything else with (EPERM). */
export const LEARNED_ERRNO = 1;
/** Syscalls the launcher itself makes after its filter is installed (bpfguard sandbox: native/sandbox/launcher.c). */
export const LAUNCHER_NEEDS: readonly string[] = ['execve', 'exit_group'];

/** A profile as bpfguard writes it: deny by EPERM, one allow rule with the sorted names. */
export interface LearnedProfile {
	defaultAction: 'SCMP_ACT_ERRNO';
	defaultErrnoRet: number;
	architectures: Arch[];
	syscalls: { names: string[]; action: 'SCMP_ACT_ALLOW' }[];
}

const sorted = (names: Iterable<string>): string[] => [...new Set(names)].sort();

/** The least-privilege profile allowing exactly names (plus what the launcher needs) on arches. */
export function learnedProfile(names: Iterable<string>, arches: readonly Arch[]): LearnedProfile {
	return {
		defaultAction: 'SCMP_ACT_ERRNO',
		defaultErrnoRet: LEARNED_ERRNO,
		architectures: [...arches],
		syscalls: [{ names: sorted([...names, ...LAUNCHER_NEEDS]), action: 'SCMP_ACT_ALLOW' }],
	};
}

/** The profile's file text: JSON, two-space indented, one name per line, a final newline. */
export function profileText(p: LearnedProfile): string {
	return `${JSON.stringify(p, null, 2)}\n`;
}

/** Names a profile allows without conditions (SCMP_ACT_ALLOW entries without args). */
export function allowedNames(p: Profile): Set<string> {
	const out = new Set<string>();
	for (const s of p.syscalls ?? []) {
		if (s.action !== 'SCMP_ACT_ALLOW' || s.args?.length) continue;
		for (const n of s.names?.length ? s.names : [s.name as string]) out.add(n);
	}
	return out;
}

/** Names a profile allows only under argument conditions. */
export function conditionalNames(p: Profile): Set<string> {
	const out = new Set<string>();
	for (const s of p.syscalls ?? []) {
		if (s.action !== 'SCMP_ACT_ALLOW' || !s.args?.length) continue;
		for (const n of s.names?.length ? s.names : [s.name as string]) out.add(n);
	}
	return out;
}

/** Why a profile cannot be merged into a learned one, or null: it must be an allow list like those bpfguard writes. */
export function mergeProblem(p: Profile): string | null {
	if (p.defaultAction === 'SCMP_ACT_ALLOW' || p.defaultAction === 'SCMP_ACT_LOG') return `defaultAction ${p.defaultAction} is not an allow list`;
	const cond = conditionalNames(p);
	if (cond.size) return `syscalls with argument conditions cannot be merged: ${sorted(cond).join(' ')}`;
	return null;
}

/** The union of a learned profile with an existing allow-list profile's names and architectures. */
export function mergeProfiles(learned: LearnedProfile, old: Profile): LearnedProfile {
	const arches = sorted([...learned.architectures, ...(old.architectures ?? [])]) as Arch[];
	return learnedProfile([...learned.syscalls[0].names, ...allowedNames(old)], arches);
}

/** What each profile allows beyond the other; lines "< name" (only a) and "> name" (only b), like diff. */
export function diffProfiles(a: Profile, b: Profile): string[] {
	const lines: string[] = [];
	const def = (p: Profile) => `${p.defaultAction}${p.defaultAction === 'SCMP_ACT_ERRNO' ? ` ${p.defaultErrnoRet ?? LEARNED_ERRNO}` : ''}`;
	if (def(a) !== def(b)) lines.push(`< defaultAction ${def(a)}`, `> defaultAction ${def(b)}`);
	const side = (mark: string, x: Set<string>, y: Set<string>, what: string) => {
		for (const n of sorted(x)) if (!y.has(n)) lines.push(`${mark} ${n}${what}`);
	};
	const [aa, ba, ac, bc] = [allowedNames(a), allowedNames(b), conditionalNames(a), conditionalNames(b)];
	side('<', aa, ba, '');
	side('>', ba, aa, '');
	side('<', ac, bc, ' (with argument conditions)');
	side('>', bc, ac, ' (with argument conditions)');
	return lines;
}

const ERRNO_NAMES: Record<number, string> = { 1: 'EPERM', 13: 'EACCES', 38: 'ENOSYS' };
const PER_LINE = 8;

function chunks(prefix: string, names: string[]): string[] {
	const out: string[] = [];
	for (let i = 0; i < names.length; i += PER_LINE) out.push(`${prefix}${names.slice(i, i + PER_LINE).join(' ')}`);
	return out;
}

/**
 * systemd unit lines for a profile: an allow list (SystemCallFilter=names …, later lines add to the
 * first) when its default denies, a deny list (SystemCallFilter=~names) when its default allows.
 * systemd cannot test arguments: conditional rules are named in a comment.
 */
export function systemdLines(p: Profile): string[] {
	const lines: string[] = [];
	const cond = sorted(conditionalNames(p));
	const allowList = p.defaultAction !== 'SCMP_ACT_ALLOW' && p.defaultAction !== 'SCMP_ACT_LOG';
	if (allowList) {
		const names = sorted(allowedNames(p));
		lines.push(...chunks('SystemCallFilter=', names.length ? names : ['exit_group']));
		if (cond.length) lines.push(`# not allowed (systemd cannot test their arguments): ${cond.join(' ')}`);
	} else {
		const denied = new Set<string>();
		for (const s of p.syscalls ?? []) if (s.action !== 'SCMP_ACT_ALLOW' && s.action !== 'SCMP_ACT_LOG' && !s.args?.length) for (const n of s.names?.length ? s.names : [s.name as string]) denied.add(n);
		lines.push(...chunks('SystemCallFilter=~', sorted(denied)));
	}
	const errno = p.defaultErrnoRet ?? LEARNED_ERRNO;
	if (p.defaultAction === 'SCMP_ACT_ERRNO') lines.push(`SystemCallErrorNumber=${ERRNO_NAMES[errno] ?? errno}`);
	lines.push('SystemCallArchitectures=native');
	return lines;
}
