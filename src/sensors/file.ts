/** @module sensors/file: opens and file changes with true paths, filtered in the kernel by a watch set. */
import type { NativeBpfObject } from '../bridge/addon.js';
import { BG_FSYS, BgFsysFlag, BgKind } from '../events/generated/layouts.js';
import type { SensorRuntime } from './runtime.js';
import { configureFollow, populateFollow, u32, u8, type Sensor } from './sensor.js';
import { syscallNr } from './syscalls.js';
import { applyWatch, DEFAULT_WATCH, type WatchSet } from './file-watch.js';

/** Where a syscall's arguments are (indexes 0-5; absent = none). Mirrors struct bg_fsys. */
interface FileSyscall {
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
}

const O_WRONLY = 0o1;
const O_CREAT = 0o100;
const O_TRUNC = 0o1000;

/** Argument positions per syscall (man 2 of each; the kernel's SYSCALL_DEFINE order). */
export const FILE_SYSCALLS: Readonly<Record<string, FileSyscall>> = {
	open: { path: 0, flags: 1, mode: 2 },
	openat: { dfd: 0, path: 1, flags: 2, mode: 3 },
	openat2: { dfd: 0, path: 1, flags: 2, how: true },
	creat: { path: 0, mode: 1, fixedFlags: O_CREAT | O_WRONLY | O_TRUNC },
	unlink: { change: true, path: 0 },
	unlinkat: { change: true, dfd: 0, path: 1, flags: 2 },
	rename: { change: true, path: 0, path2: 1 },
	renameat: { change: true, dfd: 0, path: 1, dfd2: 2, path2: 3 },
	renameat2: { change: true, dfd: 0, path: 1, dfd2: 2, path2: 3, flags: 4 },
	chmod: { change: true, path: 0, mode: 1 },
	fchmod: { change: true, fd: 0, mode: 1 },
	fchmodat: { change: true, dfd: 0, path: 1, mode: 2 },
	fchmodat2: { change: true, dfd: 0, path: 1, mode: 2, flags: 3 },
	chown: { change: true, path: 0, owner: 1, group: 2 },
	lchown: { change: true, path: 0, owner: 1, group: 2 },
	fchown: { change: true, fd: 0, owner: 1, group: 2 },
	fchownat: { change: true, dfd: 0, path: 1, owner: 2, group: 3, flags: 4 },
	link: { change: true, path: 0, path2: 1 },
	linkat: { change: true, dfd: 0, path: 1, dfd2: 2, path2: 3, flags: 4 },
	symlink: { change: true, path: 1, path2: 0, raw2: true },
	symlinkat: { change: true, dfd: 1, path: 2, path2: 0, raw2: true },
	mkdir: { change: true, path: 0, mode: 1 },
	mkdirat: { change: true, dfd: 0, path: 1, mode: 2 },
	rmdir: { change: true, path: 0 },
	truncate: { change: true, path: 0 },
	ftruncate: { change: true, fd: 0 },
};

const names = (change: boolean) => Object.keys(FILE_SYSCALLS).filter((n) => !!FILE_SYSCALLS[n].change === change);
/** Syscalls that can give cached (mount, dentry) verdicts another path: the kernel drops them at entry and exit. */
const MOUNT_SYSCALLS = ['mount', 'umount2', 'move_mount', 'pivot_root', 'mount_setattr'];
const NAME_MOVERS = Object.keys(FILE_SYSCALLS).filter((n) => FILE_SYSCALLS[n].path2 !== undefined && !FILE_SYSCALLS[n].raw2);

/** struct bg_fsys for one syscall. */
export function fsysValue(s: FileSyscall, all = false): Buffer {
	const b = Buffer.alloc(BG_FSYS.SIZE);
	const idx = (v: number | undefined) => (v === undefined ? -1 : v);
	b.writeUInt16LE(s.change ? BgKind.BG_EV_FCHANGE : BgKind.BG_EV_OPEN, BG_FSYS.kind);
	b.writeUInt8((s.how ? BgFsysFlag.BG_FSYS_HOW : 0) | (s.fd !== undefined ? BgFsysFlag.BG_FSYS_FD : 0) | (s.raw2 ? BgFsysFlag.BG_FSYS_RAW2 : 0) | (all ? BgFsysFlag.BG_FSYS_ALL : 0), BG_FSYS.fl);
	b.writeInt8(idx(s.fd ?? s.dfd), BG_FSYS.dfd);
	b.writeInt8(idx(s.path), BG_FSYS.path);
	b.writeInt8(idx(s.dfd2), BG_FSYS.dfd2);
	b.writeInt8(idx(s.path2), BG_FSYS.path2);
	b.writeInt8(idx(s.flags), BG_FSYS.flags);
	b.writeInt8(idx(s.mode), BG_FSYS.mode);
	b.writeInt8(idx(s.owner), BG_FSYS.owner);
	b.writeInt8(idx(s.group), BG_FSYS.group);
	b.writeUInt32LE(s.fixedFlags ?? 0, BG_FSYS.fixed_flags);
	return b;
}

/** The file sensor (bpf/file/file.bpf.c). */
export const fileSensor: Sensor = {
	name: 'file',
	object: 'file',
	kinds: ['open', 'file_change'],
	syscalls: [
		{ hook: 'exit', syscalls: names(false), prog: 'bg_file_open' },
		{ hook: 'exit', syscalls: names(true), prog: 'bg_file_chg' },
		{ hook: 'exit', syscalls: MOUNT_SYSCALLS, prog: 'bg_file_mnt' },
		{ hook: 'enter', syscalls: [...NAME_MOVERS, ...MOUNT_SYSCALLS], prog: 'bg_file_gen_enter' },
	],
	description: 'opens and file changes (unlink, rename, chmod, chown, link, mkdir, truncate) of watched paths, true paths from the kernel',
	configure(obj, f) {
		if (f.allFiles) obj.setRodata('cfg_all', u8(1));
		if (f.uid !== undefined) obj.setRodata('cfg_uid', u32(f.uid));
		if (f.pid !== undefined) obj.setRodata('cfg_pid', u32(f.pid));
		if (f.failedOnly) obj.setRodata('cfg_failed_only', u8(1));
		configureFollow(obj, f, ['bg_file_fork', 'bg_file_free']);
	},
	populate(obj, f) {
		populateFollow(obj, f);
		applySyscalls(obj, f.fileAllSyscalls ?? []);
		applyWatch(obj, f.watch ?? DEFAULT_WATCH);
	},
};

function applySyscalls(obj: NativeBpfObject, all: readonly string[]): void {
	for (const [name, spec] of Object.entries(FILE_SYSCALLS)) {
		const nr = syscallNr(name);
		if (nr !== undefined) obj.mapUpdate('bg_file_sys', u32(nr), fsysValue(spec, all.includes(name)));
	}
}

/** Change which syscalls a running file sensor reports whatever the watch set (rule pushdown). */
export function setFileAllSyscalls(rt: SensorRuntime, all: readonly string[]): void {
	applySyscalls(rt.object(fileSensor.name), all);
}

/** Replace the watch set of a running file sensor (no reload; takes effect for the next syscall). */
export function setFileWatch(rt: SensorRuntime, ws: WatchSet): void {
	applyWatch(rt.object(fileSensor.name), ws);
}
