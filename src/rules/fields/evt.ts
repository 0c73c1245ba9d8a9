/** @module rules/fields/evt: event fields (evt.type, evt.time, evt.res, evt.failed; evt.arg.* are in evt-args.ts). */
import { defineFields } from './registry.js';
import { evtType, evtRes } from '../event-view.js';
import { errnoName } from '../../util/errno.js';
import type { EvalCtx } from '../context.js';
import { O_ACCMODE, O_APPEND, O_CREAT, O_TRUNC, O_WRONLY } from '../../events/file-flags.js';
import { BgFileFlag, BgNetFlag } from '../../events/generated/layouts.js';

const O_WRITES = O_CREAT | O_TRUNC | O_APPEND;

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
		desc: 'opens, connects and accepts: true when submitted through io_uring (IORING_OP_OPENAT/OPENAT2, IORING_OP_CONNECT, IORING_OP_ACCEPT), reported at the request\'s completion with the same fields as the syscall',
		extract: (c) => (c.e.kind === 'open' ? (c.e.flags & BgFileFlag.BG_FF_IO_URING) !== 0 : c.e.kind === 'net_connect' || c.e.kind === 'net_accept' ? (c.e.flags & BgNetFlag.BG_F_NET_IO_URING) !== 0 : undefined),
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
