/**
 * @module rules/fields/inject: fields of one process acting on another (ptrace.*, procmem.*) and of
 * the process acted on (target.*): of a ptrace or process_vm_* record, or of an open of /proc/PID/mem.
 */
import { defineFields } from './registry.js';
import type { EvalCtx } from '../context.js';
import type { ActEvent } from '../../events/types.js';
import { BgActFlag } from '../../events/generated/layouts.js';

/** include/uapi/linux/ptrace.h and the x86 ptrace-abi.h: the requests the injection sensor reports, by value. */
const REQUESTS: Readonly<Record<number, string>> = {
	0: 'traceme', 1: 'peektext', 2: 'peekdata', 3: 'peekuser', 4: 'poketext', 5: 'pokedata', 6: 'pokeuser',
	12: 'getregs', 13: 'setregs', 14: 'getfpregs', 15: 'setfpregs', 16: 'attach', 0x4204: 'getregset', 0x4205: 'setregset', 0x4206: 'seize',
};
const WRITES = new Set([4, 5, 6, 13, 15, 0x4205]);

const PROC_MEM = /^\/proc\/(\d+)\/(?:task\/(\d+)\/)?mem$/;

/** The process whose memory an open of /proc/PID/mem (or /proc/PID/task/TID/mem) names: pid from the opened file's path, the rest from the process table. */
function procMem(c: EvalCtx): { pid: number; tid: number; own?: boolean; otherUser?: boolean; uid?: number; comm?: string; exe?: string } | undefined {
	if (c.e.kind !== 'open') return undefined;
	const m = PROC_MEM.exec(c.e.name);
	if (!m) return undefined;
	const pid = Number(m[1]);
	const tid = m[2] ? Number(m[2]) : pid;
	const p = c.table?.get(pid);
	const self = pid === c.e.pid || pid === c.e.tid;
	const own = self ? true : c.table?.get(c.e.pid) && p ? c.table.isDescendant(pid, c.e.pid) : undefined;
	return { pid, tid, own, otherUser: p ? p.uid !== c.e.uid : undefined, uid: p?.uid, comm: p?.comm, exe: p?.exe };
}

const pt = (c: EvalCtx): ActEvent | undefined => (c.e.kind === 'ptrace' ? c.e : undefined);
const pm = (c: EvalCtx): ActEvent | undefined => (c.e.kind === 'procmem' ? c.e : undefined);
const act = (c: EvalCtx): ActEvent | undefined => (c.e.kind === 'ptrace' || c.e.kind === 'procmem' ? c.e : undefined);
const flag = (c: EvalCtx, f: number): boolean | undefined => (act(c)?.target ? (act(c)!.flags & f) !== 0 : undefined);

defineFields([
	{ name: 'ptrace.request', type: 'string', sensor: 'inject', desc: 'the request: traceme, attach, seize, peektext, peekdata, peekuser, poketext, pokedata, pokeuser, getregs, setregs, getfpregs, setfpregs, getregset, setregset', extract: (c) => (pt(c) ? (REQUESTS[pt(c)!.op] ?? String(pt(c)!.op)) : undefined) },
	{ name: 'ptrace.write', type: 'bool', sensor: 'inject', desc: "the request writes the target's memory or registers (poke*, set*regs, setregset)", extract: (c) => (pt(c) ? WRITES.has(pt(c)!.op) : undefined) },
	{ name: 'ptrace.addr', type: 'number', sensor: 'inject', desc: 'the addr argument (peeks and pokes: the address in the target; regsets: the note type)', extract: (c) => (pt(c) ? Number(pt(c)!.arg) : undefined) },
	{ name: 'procmem.write', type: 'bool', sensor: 'inject', desc: "process_vm_writev (writes the target's memory) rather than process_vm_readv", extract: (c) => (pm(c) ? pm(c)!.syscall === 'process_vm_writev' : undefined) },
	{ name: 'procmem.iovcnt', type: 'number', sensor: 'inject', desc: "process_vm_*: the number of the target's memory ranges (riovcnt); evt.rawres is the bytes moved", extract: (c) => (pm(c) ? Number(pm(c)!.arg) : undefined) },
	{ name: 'target.pid', type: 'number', sensor: 'inject', desc: "the target process (tgid) as found at exit; when no such process was found, the pid argument as given; an open of /proc/PID/mem: PID, from the opened file's path (exact)", extract: (c) => (act(c) ? (act(c)!.target?.pid ?? act(c)!.targetArg) : procMem(c)?.pid) },
	{ name: 'target.tid', type: 'number', sensor: 'inject', desc: 'the target thread as found at exit (ptrace acts on a thread), or the pid argument; /proc/PID/task/TID/mem: TID', extract: (c) => (act(c) ? (act(c)!.target?.tid ?? act(c)!.targetArg) : procMem(c)?.tid) },
	{ name: 'target.name', type: 'string', sensor: 'inject', desc: "the target's comm (/proc/PID/mem: from the process table when the event is processed)", extract: (c) => (act(c) ? act(c)!.target?.comm : procMem(c)?.comm) },
	{ name: 'target.exepath', type: 'string', sensor: 'inject', desc: "the target's executable (mm->exe_file; /proc/PID/mem: from the process table)", extract: (c) => (act(c) ? act(c)!.target?.exe : procMem(c)?.exe) },
	{ name: 'target.uid', type: 'number', sensor: 'inject', desc: "the target's real uid (/proc/PID/mem: from the process table)", extract: (c) => (act(c) ? act(c)!.target?.uid : procMem(c)?.uid) },
	{
		name: 'target.own',
		type: 'bool',
		sensor: 'inject',
		desc: "the target is the caller's own process or a descendant of it (real parent chain, 16 levels; /proc/PID/mem: the process table's ancestry): a debugger on its own child, a process reading /proc/self/mem",
		extract: (c) => (act(c) ? flag(c, BgActFlag.BG_AF_OWN) : procMem(c)?.own),
	},
	{ name: 'target.other_user', type: 'bool', sensor: 'inject', desc: "the target's real uid differs from the caller's (/proc/PID/mem: from the process table)", extract: (c) => (act(c) ? flag(c, BgActFlag.BG_AF_OTHER_USER) : procMem(c)?.otherUser) },
	{
		name: 'target.exact',
		type: 'bool',
		sensor: 'inject',
		desc: "the target is certainly the task the kernel acted on: ptrace requests that succeeded (the caller's tracee) and traceme (the tracer); false: the task the pid named at exit (a failed request, process_vm_*), or the process table's entry for /proc/PID/mem",
		extract: (c) => (act(c) ? flag(c, BgActFlag.BG_AF_EXACT) : procMem(c) ? false : undefined),
	},
]);
