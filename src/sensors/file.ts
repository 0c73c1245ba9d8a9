/** @module sensors/file: opens and file changes with true paths, filtered in the kernel by a watch set. */
import type { NativeBpfObject } from '../bridge/addon.js';
import { BG_FSYS, BgFsysFlag, BgFsysRes, BgKind } from '../events/generated/layouts.js';
import type { SensorRuntime } from './runtime.js';
import { configureFollow, populateFollow, u32, u8, type Sensor, type UringHandler } from './sensor.js';
import { syscallNr } from '../events/syscalls.js';
import { FILE_SYSCALLS, kindsOfSensor } from '../events/table.js';
import type { FileSyscall } from '../events/syscall-args.js';
import { applyWatch, DEFAULT_WATCH } from './file-watch.js';
import type { WatchSet } from './options.js';
import { hasIoUringTracepoints, hasTracepoints, IORING_OP } from './uring.js';

const names = (change: boolean) => Object.keys(FILE_SYSCALLS).filter((n) => !!FILE_SYSCALLS[n].change === change);
/** Syscalls that can give cached (mount, dentry) verdicts another path: the kernel drops them at entry and exit. */
const MOUNT_SYSCALLS = ['mount', 'umount2', 'move_mount', 'pivot_root', 'mount_setattr'];
const NAME_MOVERS = Object.keys(FILE_SYSCALLS).filter((n) => FILE_SYSCALLS[n].path2 !== undefined && !FILE_SYSCALLS[n].raw2);

/** io_uring's file requests (bpf/file/file.bpf.c): at completion, and at submission (opens into a fixed slot or without completion, changes). */
/** Called by the dispatcher's io_uring programs by opcode (bg_file_uring_ovf is attached itself). */
const FILE_URING: readonly UringHandler[] = [
	{ hook: 'submit', ops: [IORING_OP.OPENAT, IORING_OP.OPENAT2], prog: 'bg_file_uring_sub_open' },
	{ hook: 'submit', ops: [IORING_OP.RENAMEAT, IORING_OP.LINKAT], prog: 'bg_file_uring_sub_mv' },
	{ hook: 'submit', ops: [IORING_OP.UNLINKAT, IORING_OP.MKDIRAT, IORING_OP.SYMLINKAT], prog: 'bg_file_uring_sub_chg' },
	{ hook: 'complete', ops: [IORING_OP.OPENAT, IORING_OP.OPENAT2, IORING_OP.RENAMEAT, IORING_OP.LINKAT, IORING_OP.UNLINKAT, IORING_OP.MKDIRAT, IORING_OP.SYMLINKAT], prog: 'bg_file_uring' },
];
const FILE_URING_PROGS = [...FILE_URING.map((h) => h.prog), 'bg_file_uring_ovf', 'bg_file_uring_res'];

const RES = { obj: BgFsysRes.BG_RES_OBJ, named: BgFsysRes.BG_RES_NAMED, rename: BgFsysRes.BG_RES_RENAME, link: BgFsysRes.BG_RES_LINK, create: BgFsysRes.BG_RES_CREATE } as const;

/**
 * Changes named by the kernel's dentries (bpf/file/file.bpf.c bg_file_ctime): the ctime tracepoints
 * (Linux 6.13+); without them changes are named from their arguments only.
 */
const CTIME_TPS = ['inode_set_ctime_to_ts', 'ctime_ns_xchg', 'ctime_xchg_skip'];
const FILE_CTIME_PROGS = ['bg_file_ctime_set', 'bg_file_ctime_xchg', 'bg_file_ctime_skip', 'bg_file_chg_res', 'bg_file_chg_res32', 'bg_file_uring_res'];


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
	b.writeUInt8(s.res ? RES[s.res] : BgFsysRes.BG_RES_NONE, BG_FSYS.res);
	b.writeUInt32LE(s.fixedFlags ?? 0, BG_FSYS.fixed_flags);
	return b;
}

/** The file sensor (bpf/file/file.bpf.c). */
export const fileSensor: Sensor<'file'> = {
	name: 'file',
	object: 'file',
	kinds: kindsOfSensor('file'),
	syscalls: [
		{ hook: 'exit', syscalls: names(false), prog: 'bg_file_open', ia32Prog: 'bg_file_open32' },
		{ hook: 'exit', syscalls: names(true), prog: 'bg_file_chg', ia32Prog: 'bg_file_chg32' },
		// these two read no argument: the same program serves both ABIs
		{ hook: 'exit', syscalls: MOUNT_SYSCALLS, prog: 'bg_file_mnt', ia32Prog: 'bg_file_mnt' },
		{ hook: 'enter', syscalls: [...NAME_MOVERS, ...MOUNT_SYSCALLS], prog: 'bg_file_gen_enter', ia32Prog: 'bg_file_gen_enter' },
	],
	uring: FILE_URING,
	tails: [
		{ table: 'bg_file_res_tbl', progs: ['bg_file_chg_res', 'bg_file_chg_res32', 'bg_file_chg', 'bg_file_chg32'] },
		{ table: 'bg_file_ures_tbl', progs: ['bg_file_uring_res'] },
	],
	description: 'opens and file changes (unlink, rename, chmod, chown, link, mkdir, truncate) of watched paths, true paths from the kernel',
	configure(obj, f, o) {
		if (!hasIoUringTracepoints()) for (const p of FILE_URING_PROGS) obj.setAutoload(p, false);
		if (!hasTracepoints(CTIME_TPS)) for (const p of FILE_CTIME_PROGS) obj.setAutoload(p, false);
		if (o.all) obj.setRodata('cfg_all', u8(1));
		if (f.uid !== undefined) obj.setRodata('cfg_uid', u32(f.uid));
		if (o.pid !== undefined) obj.setRodata('cfg_pid', u32(o.pid));
		if (f.failedOnly) obj.setRodata('cfg_failed_only', u8(1));
		if (hasIoUringTracepoints() && hasTracepoints(CTIME_TPS)) obj.setRodata('cfg_uring_res', u8(1));
		configureFollow(obj, f, ['bg_file_fork', 'bg_file_free']);
	},
	populate(obj, f, o) {
		populateFollow(obj, f);
		applySyscalls(obj, o.allSyscalls ?? []);
		applyWatch(obj, o.watch ?? DEFAULT_WATCH);
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
