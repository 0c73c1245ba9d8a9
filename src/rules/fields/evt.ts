/** @module rules/fields/evt: event fields (evt.type, evt.time, evt.res, evt.failed; evt.arg.* are in evt-args.ts). */
import { defineFields } from './registry.js';
import { evtType, evtRes } from '../event-view.js';
import { errnoName } from '../../util/errno.js';
import type { EvalCtx } from '../context.js';
import { O_ACCMODE, O_APPEND, O_CREAT, O_TRUNC, O_WRONLY } from '../../events/file-flags.js';
import { BgFileFlag, BgNetFlag, BgPrivFlag } from '../../events/generated/layouts.js';
import { arch } from 'node:os';

const O_WRITES = O_CREAT | O_TRUNC | O_APPEND;
const NATIVE_ARCH = arch() === 'arm64' ? 'aarch64' : 'x86_64';
const NET_CALLS = new Set(['net_connect', 'net_accept', 'net_listen', 'net_bind', 'net_send']);

/** The syscall table of an event's call: i386 for a 32-bit (ia32) call; undefined for events that are no syscall's. */
function evtArch(c: EvalCtx): string | undefined {
	const e = c.e;
	const ia32 = e.kind === 'open' || e.kind === 'file_change' ? BgFileFlag.BG_FF_IA32 : e.kind === 'priv_call' ? BgPrivFlag.BG_PF_IA32 : NET_CALLS.has(e.kind) ? BgNetFlag.BG_F_NET_IA32 : 0;
	if (!ia32) return undefined;
	return (e.flags & ia32) !== 0 ? 'i386' : NATIVE_ARCH;
}

/** Open events: does the open read or write? Mirrors file__access in bpf/file/file.bpf.c (the watch modes). */
function openAccess(c: EvalCtx, w: boolean): boolean | undefined {
	if (c.e.kind !== 'open') return undefined;
	const acc = c.e.argFlags & O_ACCMODE;
	return w ? acc !== 0 || (c.e.argFlags & O_WRITES) !== 0 : acc !== O_WRONLY;
}

defineFields([
	{ name: 'evt.type', type: 'string', desc: 'event type: the syscall (execve, openat, connect, …) or clone/procexit', extract: (c) => evtType(c.e) },
	{
		name: 'evt.io_uring',
		type: 'bool',
		desc: 'opens, file changes, connects, accepts and sends: true when submitted through io_uring (IORING_OP_OPENAT/OPENAT2, RENAMEAT, UNLINKAT, LINKAT, MKDIRAT, SYMLINKAT, CONNECT, ACCEPT, SEND/SENDMSG and their _ZC forms), reported with the same fields as the syscall (evt.type is the syscall: openat, renameat2, unlinkat, linkat, mkdirat, symlinkat, connect, accept, sendto; a send with MSG_FASTOPEN is a connect), at the request\'s completion unless evt.io_uring.at_submit',
		extract: (c) => (c.e.kind === 'open' || c.e.kind === 'file_change' ? (c.e.flags & BgFileFlag.BG_FF_IO_URING) !== 0 : c.e.kind === 'net_connect' || c.e.kind === 'net_accept' || c.e.kind === 'net_send' ? (c.e.flags & BgNetFlag.BG_F_NET_IO_URING) !== 0 : undefined),
	},
	{
		name: 'evt.io_uring.at_submit',
		type: 'bool',
		desc: 'io_uring opens, file changes and sends: true when reported at the request\'s submission, its outcome unknown (evt.res then says SUCCESS, evt.rawres 0): the request asked for no completion on success (IOSQE_CQE_SKIP_SUCCESS), its ring\'s completion queue was full at submission (its completion would go unseen), or (opens, changes) the kernel\'s table of pending requests was full (counted: file_uring_early). A connect without a completion is reported at its outcome instead (false)',
		extract: (c) =>
			c.e.kind === 'open' || c.e.kind === 'file_change'
				? (c.e.flags & BgFileFlag.BG_FF_URING_SUBMIT) !== 0
				: c.e.kind === 'net_connect' || c.e.kind === 'net_accept' || c.e.kind === 'net_send'
					? (c.e.flags & BgNetFlag.BG_F_NET_URING_SUBMIT) !== 0
					: undefined,
	},
	{
		name: 'evt.arch',
		type: 'string',
		desc: 'opens, file changes, identity syscalls and socket calls: the syscall table the call came through, i386 for a 32-bit call (int $0x80 from a 64-bit process, or a 32-bit process: reported as the 64-bit call it does, e.g. setuid32 as setuid, socketcall SYS_CONNECT as connect), else x86_64 (aarch64 on arm64)',
		extract: evtArch,
	},
	{ name: 'evt.time', type: 'number', desc: 'event time, ms since the epoch', extract: (c) => c.e.timeMs },
	{ name: 'evt.time.iso', type: 'string', desc: 'event time, ISO 8601', extract: (c) => new Date(c.e.timeMs).toISOString() },
	{
		name: 'evt.res',
		type: 'string',
		desc: 'result: SUCCESS or the errno name (ENOENT, EACCES, …)',
		extract: (c) => {
			const r = evtRes(c.e);
			return r === undefined ? undefined : r >= 0 ? 'SUCCESS' : errnoName(r);
		},
	},
	{ name: 'evt.rawres', type: 'number', desc: 'raw return value (negative errno on failure)', extract: (c) => evtRes(c.e) },
	{
		name: 'evt.failed',
		type: 'bool',
		desc: 'true when the syscall failed',
		extract: (c) => {
			const r = evtRes(c.e);
			return r === undefined ? undefined : r < 0;
		},
	},
	{ name: 'evt.is_open_read', type: 'bool', sensor: 'file', desc: 'open events: the open reads (O_RDONLY or O_RDWR)', extract: (c) => openAccess(c, false) },
	{ name: 'evt.is_open_write', type: 'bool', sensor: 'file', desc: 'open events: the open writes (O_WRONLY, O_RDWR, O_CREAT, O_TRUNC or O_APPEND)', extract: (c) => openAccess(c, true) },
	{ name: 'evt.pid', type: 'number', desc: 'pid (thread group id) of the event', extract: (c) => c.e.pid },
	{ name: 'evt.tid', type: 'number', desc: 'thread id of the event', extract: (c) => c.e.tid },
	// The named arguments are fields of their own (fields/evt-args.ts); these two catch the rest.
	{ name: 'evt.arg.', type: 'string', desc: 'an argument name no event has (never set); the names events have are the evt.arg.* fields', arg: 'required', extract: () => undefined },
	{ name: 'evt.arg', type: 'string', desc: 'evt.arg[name]: the same as evt.arg.name', arg: 'required', members: 'evt.arg.', extract: () => undefined },
]);
