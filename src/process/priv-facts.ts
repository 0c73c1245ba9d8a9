/** @module process/priv-facts: what a privilege record means: rule-engine JSON fields, root gains, the "unusual" marker. */
import { PRIV_SYSCALLS } from '../events/table.js';
import { BgPrivFlag } from '../events/generated/layouts.js';
import type { Creds, PrivEvent } from '../events/types.js';
import { capNames, capsGained } from '../util/caps.js';
import { errnoName } from '../util/errno.js';
import { SystemPaths } from './system-paths.js';

const UNSET = 0xffffffff;
const id = (v: number) => (v === UNSET ? -1 : v);

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

function credFields(prefix: string, c: Creds): Record<string, unknown> {
	return {
		[`${prefix}uid`]: c.uid,
		[`${prefix}euid`]: c.euid,
		[`${prefix}suid`]: c.suid,
		[`${prefix}fsuid`]: c.fsuid,
		[`${prefix}gid`]: c.gid,
		[`${prefix}egid`]: c.egid,
		[`${prefix}sgid`]: c.sgid,
		[`${prefix}fsgid`]: c.fsgid,
		[`${prefix}caps`]: capNames(c.capEff),
		[`${prefix}caps_permitted`]: capNames(c.capPrm),
		[`${prefix}ngroups`]: c.ngroups,
		[`${prefix}userns`]: c.userns,
	};
}

/** JSON object for one priv record, with the field names the rule engine uses. */
export function privJson(e: PrivEvent, paths: SystemPaths): Record<string, unknown> {
	const args: Record<string, unknown> = {};
	(PRIV_SYSCALLS[e.syscall]?.args ?? []).forEach((n, i) => (args[`evt.arg.${n}`] = e.kind === 'priv_call' ? id(e.args[i]) : undefined));
	if (e.kind === 'priv_call' && e.syscall === 'capset') {
		args['evt.arg.cap_effective'] = capNames(e.reqEff);
		args['evt.arg.cap_permitted'] = capNames(e.reqPrm);
	}
	return {
		'evt.time': new Date(e.timeMs).toISOString(),
		'evt.type': privType(e),
		'evt.res': e.ret >= 0 ? 'SUCCESS' : errnoName(e.ret),
		'evt.rawres': e.ret,
		'evt.failed': e.ret < 0,
		...args,
		'proc.pid': e.pid,
		'proc.tid': e.tid,
		'proc.ppid': e.ppid,
		'proc.name': e.comm,
		'proc.exepath': e.exe,
		'user.uid': e.new.uid,
		'user.euid': e.new.euid,
		'group.gid': e.new.gid,
		'group.egid': e.new.egid,
		'priv.kind': e.kind.slice(5),
		'priv.site': e.site,
		...credFields('priv.old_', e.old),
		...credFields('priv.new_', e.new),
		'priv.gained_caps': capNames(capsGained(e.old.capEff, e.new.capEff)),
		'priv.file_uid': e.kind === 'priv_exec' ? e.fileUid : undefined,
		'priv.file_gid': e.kind === 'priv_exec' ? e.fileGid : undefined,
		'priv.file_mode': e.kind === 'priv_exec' ? `0${(e.fileMode & 0o7777).toString(8)}` : undefined,
		'priv.no_before': (e.flags & BgPrivFlag.BG_PF_NO_BEFORE) !== 0,
		'priv.becomes_root': becomesRoot(e),
		'priv.unexplained': e.kind === 'priv_drift',
		'priv.unusual': isUnusual(e, paths),
		'container.cgroup_id': e.cgroupId.toString(),
	};
}
