/** @module events/syscall-args: where each watched syscall keeps its arguments (the data rows of the event table use). */
import { BgPrivSys } from './generated/layouts.js';
import { O_CREAT, O_TRUNC, O_WRONLY } from './file-flags.js';

/** Where a file syscall's arguments are (indexes 0-5; absent = none). Mirrors struct bg_fsys. */
export interface FileSyscall {
	change?: boolean;
	how?: boolean;
	fd?: number;
	dfd?: number;
	path?: number;
	dfd2?: number;
	path2?: number;
	/** path2 is a string kept raw (symlink target). */
	raw2?: boolean;
	flags?: number;
	mode?: number;
	owner?: number;
	group?: number;
	fixedFlags?: number;
	/** How the kernel's objects name a change (enum bg_fsys_res); absent: from the argument only. */
	res?: 'obj' | 'named' | 'rename' | 'link' | 'create';
}

/** Opens: argument positions per syscall (man 2 of each; the kernel's SYSCALL_DEFINE order). */
export const OPEN_SYSCALLS: Readonly<Record<string, FileSyscall>> = {
	open: { path: 0, flags: 1, mode: 2 },
	openat: { dfd: 0, path: 1, flags: 2, mode: 3 },
	openat2: { dfd: 0, path: 1, flags: 2, how: true },
	creat: { path: 0, mode: 1, fixedFlags: O_CREAT | O_WRONLY | O_TRUNC },
};

/** File changes: argument positions per syscall. */
export const CHANGE_SYSCALLS: Readonly<Record<string, FileSyscall>> = {
	unlink: { change: true, path: 0, res: 'named' },
	unlinkat: { change: true, dfd: 0, path: 1, flags: 2, res: 'named' },
	rename: { change: true, path: 0, path2: 1, res: 'rename' },
	renameat: { change: true, dfd: 0, path: 1, dfd2: 2, path2: 3, res: 'rename' },
	renameat2: { change: true, dfd: 0, path: 1, dfd2: 2, path2: 3, flags: 4, res: 'rename' },
	chmod: { change: true, path: 0, mode: 1, res: 'obj' },
	fchmod: { change: true, fd: 0, mode: 1 },
	fchmodat: { change: true, dfd: 0, path: 1, mode: 2, res: 'obj' },
	fchmodat2: { change: true, dfd: 0, path: 1, mode: 2, flags: 3, res: 'obj' },
	chown: { change: true, path: 0, owner: 1, group: 2, res: 'obj' },
	lchown: { change: true, path: 0, owner: 1, group: 2, res: 'obj' },
	fchown: { change: true, fd: 0, owner: 1, group: 2 },
	fchownat: { change: true, dfd: 0, path: 1, owner: 2, group: 3, flags: 4, res: 'obj' },
	link: { change: true, path: 0, path2: 1, res: 'link' },
	linkat: { change: true, dfd: 0, path: 1, dfd2: 2, path2: 3, flags: 4, res: 'link' },
	symlink: { change: true, path: 1, path2: 0, raw2: true, res: 'create' },
	symlinkat: { change: true, dfd: 1, path: 2, path2: 0, raw2: true, res: 'create' },
	mkdir: { change: true, path: 0, mode: 1, res: 'create' },
	mkdirat: { change: true, dfd: 0, path: 1, mode: 2, res: 'create' },
	rmdir: { change: true, path: 0, res: 'named' },
	truncate: { change: true, path: 0, res: 'obj' },
	ftruncate: { change: true, fd: 0 },
};

/** An identity syscall: what bg_priv_exit reads from its arguments (enum bg_priv_sys) and their names (evt.arg.NAME). */
export interface PrivSyscall {
	sys: number;
	args: readonly string[];
	/** A call that succeeds and changes nothing can be dropped in the kernel (cfg_noop_calls; setgroups never is). */
	noopDroppable: boolean;
}

const id = (sys: number, args: string[], noopDroppable = true): PrivSyscall => ({ sys, args, noopDroppable });

/** Identity syscalls. */
export const PRIV_ID_SYSCALLS: Readonly<Record<string, PrivSyscall>> = {
	setuid: id(BgPrivSys.BG_PSYS_ID1, ['uid']),
	setgid: id(BgPrivSys.BG_PSYS_ID1, ['gid']),
	setfsuid: id(BgPrivSys.BG_PSYS_ID1, ['uid']),
	setfsgid: id(BgPrivSys.BG_PSYS_ID1, ['gid']),
	setgroups: id(BgPrivSys.BG_PSYS_GROUPS, ['size'], false),
	setreuid: id(BgPrivSys.BG_PSYS_ID2, ['ruid', 'euid']),
	setregid: id(BgPrivSys.BG_PSYS_ID2, ['rgid', 'egid']),
	setresuid: id(BgPrivSys.BG_PSYS_ID3, ['ruid', 'euid', 'suid']),
	setresgid: id(BgPrivSys.BG_PSYS_ID3, ['rgid', 'egid', 'sgid']),
	capset: id(BgPrivSys.BG_PSYS_CAPSET, []),
};
