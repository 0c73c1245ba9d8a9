/** @module rules/fields/inject: fields of one process acting on another (ptrace.*, procmem.*) and of the process acted on (target.*). */
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
	{ name: 'target.pid', type: 'number', sensor: 'inject', desc: "the target process (tgid) as found at exit; when no such process was found, the pid argument as given", extract: (c) => (act(c) ? (act(c)!.target?.pid ?? act(c)!.targetArg) : undefined) },
	{ name: 'target.tid', type: 'number', sensor: 'inject', desc: 'the target thread as found at exit (ptrace acts on a thread), or the pid argument', extract: (c) => (act(c) ? (act(c)!.target?.tid ?? act(c)!.targetArg) : undefined) },
	{ name: 'target.name', type: 'string', sensor: 'inject', desc: "the target's comm", extract: (c) => act(c)?.target?.comm },
	{ name: 'target.exepath', type: 'string', sensor: 'inject', desc: "the target's executable (mm->exe_file)", extract: (c) => act(c)?.target?.exe },
	{ name: 'target.uid', type: 'number', sensor: 'inject', desc: "the target's real uid", extract: (c) => act(c)?.target?.uid },
	{ name: 'target.own', type: 'bool', sensor: 'inject', desc: "the target is the caller's own process or a descendant of it (real parent chain, 16 levels): a debugger on its own child", extract: (c) => flag(c, BgActFlag.BG_AF_OWN) },
	{ name: 'target.other_user', type: 'bool', sensor: 'inject', desc: "the target's real uid differs from the caller's", extract: (c) => flag(c, BgActFlag.BG_AF_OTHER_USER) },
	{
		name: 'target.exact',
		type: 'bool',
		sensor: 'inject',
		desc: "the target is certainly the task the kernel acted on: ptrace requests that succeeded (the caller's tracee) and traceme (the tracer); false: the task the pid named at exit (a failed request, process_vm_*)",
		extract: (c) => flag(c, BgActFlag.BG_AF_EXACT),
	},
]);
