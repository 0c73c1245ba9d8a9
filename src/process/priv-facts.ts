/** @module process/priv-facts: what a privilege record means: its syscall, root gains, the "unusual" marker, a change summary. */
import type { Creds, PrivEvent } from '../events/types.js';
import { capNames, capsGained } from '../util/caps.js';
import type { SystemPaths } from './system-paths.js';

/** True when the effective uid became 0 (from non-zero). */
export function becomesRoot(e: PrivEvent): boolean {
	return e.old.euid !== 0 && e.new.euid === 0 && e.ret === 0;
}

/** True when a binary outside package-owned system paths became root, or creds changed unexplained. */
export function isUnusual(e: PrivEvent, paths: SystemPaths): boolean {
	if (e.kind === 'priv_drift') return true;
	return becomesRoot(e) && !paths.isSystem(e.exe);
}

const SYSCALL_SITES = ['enter', 'check', 'syscall'];

/** The record's syscall: the identity syscall, 'execve' for transitions, for a drift the syscall where it was seen (none at exec, fork, exit). */
export function privSyscall(e: PrivEvent): string | undefined {
	return e.kind !== 'priv_drift' || SYSCALL_SITES.includes(e.site) ? e.syscall : undefined;
}

/** Where a privilege change happened, for tables: the syscall, or the place a drift was seen (exec, fork, exit). */
export function privType(e: PrivEvent): string {
	return privSyscall(e) ?? e.site;
}

/** "euid 1000→0 egid 1000→0 +CAP_NET_RAW": what changed between old and new ("" when nothing). */
export function changeSummary(a: Creds, b: Creds): string {
	const parts: string[] = [];
	for (const k of ['uid', 'euid', 'suid', 'fsuid', 'gid', 'egid', 'sgid', 'fsgid', 'ngroups'] as const) {
		if (a[k] !== b[k]) parts.push(`${k} ${a[k]}→${b[k]}`);
	}
	const gained = capNames(capsGained(a.capEff, b.capEff));
	const lost = capNames(capsGained(b.capEff, a.capEff));
	if (gained.length) parts.push(gained.length > 4 ? `+${gained.length} caps` : gained.map((c) => `+${c}`).join(' '));
	if (lost.length) parts.push(lost.length > 4 ? `-${lost.length} caps` : lost.map((c) => `-${c}`).join(' '));
	return parts.join(' ');
}
