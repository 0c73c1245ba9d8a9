/** @module rules/fields/priv: privilege fields (identity syscalls, setuid/file-capability execs, unexplained changes). */
import { defineFields, type FieldDef } from './registry.js';
import type { EvalCtx } from '../context.js';
import type { Creds, PrivEvent } from '../../events/types.js';
import { becomesRoot, isUnusual, privSyscall } from '../../process/priv-facts.js';
import { SystemPaths } from '../../process/system-paths.js';
import { capNames, capsGained } from '../../util/caps.js';
import { BgPrivFlag } from '../../events/generated/layouts.js';

let paths: SystemPaths | undefined;
const systemPaths = () => (paths ??= new SystemPaths());
const priv = (c: EvalCtx): PrivEvent | undefined => (c.e.kind === 'priv_call' || c.e.kind === 'priv_exec' || c.e.kind === 'priv_drift' ? c.e : undefined);
const UNSET = 0xffffffff;

function credField(side: 'old' | 'new', k: keyof Creds, desc: string): FieldDef {
	return {
		name: `priv.${side}_${k}`,
		type: 'number',
		desc: `${desc} ${side === 'old' ? 'before' : 'after'} the change`,
		sensor: 'priv',
		extract: (c) => {
			const e = priv(c);
			return e ? Number(e[side][k]) : undefined;
		},
	};
}

const ids: [keyof Creds, string][] = [
	['uid', 'real uid'],
	['euid', 'effective uid'],
	['suid', 'saved uid'],
	['fsuid', 'filesystem uid'],
	['gid', 'real gid'],
	['egid', 'effective gid'],
	['sgid', 'saved gid'],
	['fsgid', 'filesystem gid'],
	['ngroups', 'number of supplementary groups'],
	['userns', 'user namespace (inode number) of the ids and capabilities'],
];

function capsField(side: 'old' | 'new', set: 'capEff' | 'capPrm', name: string, desc: string): FieldDef {
	return { name: `priv.${side}_${name}`, type: 'strings', sensor: 'priv', desc: `${desc} ${side === 'old' ? 'before' : 'after'}`, extract: (c) => (priv(c) ? capNames(priv(c)![side][set]) : undefined) };
}

defineFields([
	...ids.flatMap(([k, d]) => [credField('old', k, d), credField('new', k, d)]),
	{ name: 'priv.site', type: 'string', sensor: 'priv', desc: 'where the credentials were compared: syscall (an identity syscall\'s exit), enter, check (exit of a common syscall), exec, fork or exit', extract: (c) => priv(c)?.site },
	{ name: 'priv.syscall', type: 'string', sensor: 'priv', desc: 'the identity syscall (call), execve (exec), or the syscall at whose entry or exit a drift was seen (absent for drift seen at exec, fork or exit)', extract: (c) => (priv(c) ? privSyscall(priv(c)!) : undefined) },
	{ name: 'priv.no_before', type: 'bool', sensor: 'priv', desc: 'no syscall entry was seen for the change: the old credentials are the expected ones', extract: (c) => (priv(c) ? (c.e.flags & BgPrivFlag.BG_PF_NO_BEFORE) !== 0 : undefined) },
	{ name: 'priv.kind', type: 'string', sensor: 'priv', desc: 'call (identity syscall), exec (exec changed ids or caps) or drift (changed with no explanation)', extract: (c) => priv(c)?.kind.slice(5) },
	{ name: 'priv.target_uid', type: 'number', sensor: 'priv', desc: 'first uid the syscall asked for (setuid, setreuid, setresuid, setfsuid); -1 = unchanged', extract: (c) => target(c, ['setuid', 'setreuid', 'setresuid', 'setfsuid']) },
	{ name: 'priv.target_gid', type: 'number', sensor: 'priv', desc: 'first gid the syscall asked for (setgid, setregid, setresgid, setfsgid); -1 = unchanged', extract: (c) => target(c, ['setgid', 'setregid', 'setresgid', 'setfsgid']) },
	...(['old', 'new'] as const).flatMap((side) => [capsField(side, 'capEff', 'caps', 'effective capabilities'), capsField(side, 'capPrm', 'caps_permitted', 'permitted capabilities')]),
	{ name: 'priv.gained_caps', type: 'strings', sensor: 'priv', desc: 'effective capabilities gained', extract: (c) => (priv(c) ? capNames(capsGained(priv(c)!.old.capEff, priv(c)!.new.capEff)) : undefined) },
	{ name: 'priv.becomes_root', type: 'bool', sensor: 'priv', desc: 'the effective uid became 0', extract: (c) => (priv(c) ? becomesRoot(priv(c)!) : undefined) },
	{ name: 'priv.unusual', type: 'bool', sensor: 'priv', desc: 'became root through a binary no package owns, or an unexplained change', extract: (c) => (priv(c) ? isUnusual(priv(c)!, systemPaths()) : undefined) },
	{ name: 'priv.unexplained', type: 'bool', sensor: 'priv', desc: 'credentials changed with no identity syscall or setuid exec (exploit sign)', extract: (c) => (priv(c) ? priv(c)!.kind === 'priv_drift' : undefined) },
	{ name: 'priv.file_mode', type: 'number', sensor: 'priv', desc: 'mode bits of the executed file (priv exec)', extract: (c) => (c.e.kind === 'priv_exec' ? c.e.fileMode & 0o7777 : undefined) },
	{ name: 'priv.file_uid', type: 'number', sensor: 'priv', desc: 'owner of the executed file (priv exec)', extract: (c) => (c.e.kind === 'priv_exec' ? c.e.fileUid : undefined) },
	{ name: 'priv.file_gid', type: 'number', sensor: 'priv', desc: 'group of the executed file (priv exec)', extract: (c) => (c.e.kind === 'priv_exec' ? c.e.fileGid : undefined) },
	{ name: 'priv.exepath', type: 'string', sensor: 'priv', desc: 'binary of the privilege change (the executed file for priv exec)', extract: (c) => priv(c)?.exe },
]);

function target(c: EvalCtx, calls: string[]): number | undefined {
	const e = priv(c);
	if (!e || e.kind !== 'priv_call' || !calls.includes(e.syscall)) return undefined;
	return e.args[0] === UNSET ? -1 : e.args[0];
}
