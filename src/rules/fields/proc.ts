/** @module rules/fields/proc: process fields (from the process table, so every event has them; else from what the event carries). */
import { basename } from 'node:path';
import { defineFields } from './registry.js';
import type { EvalCtx } from '../context.js';
import type { ProcInfo } from '../../process/table.js';
import { BgFlag } from '../../events/generated/layouts.js';
import { ownExe, ownPpid, ownStart } from '../event-view.js';

const cmdline = (p: ProcInfo) => [p.comm, ...p.args.slice(1)].join(' ');
const parent = (c: EvalCtx) => c.ancestors()[0];

/** The process's name: the table's (the comm exec set), else the event's comm. */
const comm = (c: EvalCtx): string => c.proc?.comm ?? c.e.comm;
/** argv: the table's, else an exec event's own. */
const argv = (c: EvalCtx): readonly string[] | undefined => c.proc?.args ?? (c.e.kind === 'exec' ? c.e.args : undefined);
/** Executable path: the table's, else the one the event carries. */
const exepath = (c: EvalCtx): string | undefined => c.proc?.exe ?? ownExe(c.e);
/** A fact only exec records carry besides the table: cwd, tty, sid. */
const execFact = <K extends 'cwd' | 'tty' | 'sid'>(c: EvalCtx, k: K) => (c.proc ? c.proc[k] : c.e.kind === 'exec' ? c.e[k] : undefined);

function exename(c: EvalCtx): string | undefined {
	const x = exepath(c);
	return x === undefined ? undefined : basename(x);
}

function cmdlineOf(c: EvalCtx): string | undefined {
	const a = argv(c);
	return a ? [comm(c), ...a.slice(1)].join(' ') : undefined;
}

function start(c: EvalCtx): number | undefined {
	const s = c.proc?.startNs ?? ownStart(c.e);
	return s === undefined ? undefined : Number(s);
}

/** Ancestor N (1 = parent), or every ancestor when no index. */
function ancestorField<T>(c: EvalCtx, arg: string | undefined, pick: (p: ProcInfo) => T): T | T[] | undefined {
	const anc = c.ancestors();
	if (arg === undefined) return anc.map(pick);
	const n = Number(arg);
	if (n === 0) return c.proc ? pick(c.proc) : undefined;
	const p = anc[n - 1];
	return p ? pick(p) : undefined;
}

/** The session leader (pid == sid) among the process and its ancestors. */
function sessionLeader(c: EvalCtx): ProcInfo | undefined {
	const p = c.proc;
	if (!p) return undefined;
	if (p.pid === p.sid) return p;
	return c.ancestors().find((a) => a.pid === p.sid) ?? c.table?.get(p.sid);
}

function deleted(c: EvalCtx): boolean | undefined {
	const e = c.e;
	if (e.kind === 'exec' && e.ret === 0) return (e.flags & BgFlag.BG_F_EXE_DELETED) !== 0 || e.exe.startsWith('/memfd:');
	return undefined;
}

defineFields([
	{ name: 'proc.pid', type: 'number', desc: 'process id', extract: (c) => c.e.pid },
	{ name: 'proc.tid', type: 'number', desc: 'thread id of the event (the same as evt.tid; after exec, the process id)', extract: (c) => c.e.tid },
	{ name: 'thread.tid', type: 'number', desc: "thread id of the event (Falco's name for proc.tid)", extract: (c) => c.e.tid },
	{ name: 'proc.ppid', type: 'number', desc: 'parent process id', extract: (c) => c.proc?.ppid ?? ownPpid(c.e) },
	{ name: 'proc.name', type: 'string', desc: 'process name (comm, 15 bytes)', extract: comm },
	{ name: 'proc.exe', type: 'string', desc: 'first argument (argv[0])', extract: (c) => argv(c)?.[0] },
	{ name: 'proc.exepath', type: 'string', desc: 'absolute path of the executable, from the kernel', extract: exepath },
	{ name: 'proc.exename', type: 'string', desc: 'file name of the executable', extract: exename },
	{ name: 'proc.cmdline', type: 'string', desc: 'name and arguments, space separated', extract: cmdlineOf },
	{ name: 'proc.args', type: 'string', desc: 'arguments (without argv[0]), space separated', extract: (c) => argv(c)?.slice(1).join(' ') },
	{ name: 'proc.argv', type: 'strings', desc: 'every argument including argv[0], as a list', extract: (c) => (argv(c) ? [...argv(c)!] : undefined) },
	{ name: 'proc.argc', type: 'number', desc: 'exec events: the argument count the kernel saw (before any truncation)', extract: (c) => (c.e.kind === 'exec' ? c.e.argc : undefined) },
	{ name: 'proc.args_truncated', type: 'bool', desc: 'exec events: the arguments read are fewer or shorter than the process has', extract: (c) => (c.e.kind === 'exec' ? c.e.argsTruncated : undefined) },
	{ name: 'proc.cwd', type: 'string', desc: 'current directory at exec', extract: (c) => execFact(c, 'cwd') },
	{ name: 'proc.tty', type: 'string', desc: 'controlling terminal (pts0), empty without one', extract: (c) => execFact(c, 'tty') },
	{ name: 'proc.sid', type: 'number', desc: 'session id', extract: (c) => execFact(c, 'sid') },
	{ name: 'proc.sname', type: 'string', desc: 'name of the session leader', extract: (c) => sessionLeader(c)?.comm },
	{ name: 'proc.pname', type: 'string', desc: 'parent process name', extract: (c) => parent(c)?.comm },
	{ name: 'proc.pexe', type: 'string', desc: "parent's first argument (argv[0])", extract: (c) => parent(c)?.args[0] },
	{ name: 'proc.pexepath', type: 'string', desc: 'parent executable path', extract: (c) => parent(c)?.exe },
	{ name: 'proc.pcmdline', type: 'string', desc: 'parent name and arguments', extract: (c) => (parent(c) ? cmdline(parent(c)!) : undefined) },
	{ name: 'proc.aname', type: 'string', arg: 'optional', desc: 'ancestor name: [1] parent, [2] grandparent …; without index any ancestor', extract: (c, a) => ancestorField(c, a, (p) => p.comm) },
	{ name: 'proc.apid', type: 'number', arg: 'optional', desc: 'ancestor pid: [1] parent …; without index any ancestor', extract: (c, a) => ancestorField(c, a, (p) => String(p.pid)) },
	{ name: 'proc.aexepath', type: 'string', arg: 'optional', desc: 'ancestor executable path: [1] parent …; without index any ancestor', extract: (c, a) => ancestorField(c, a, (p) => p.exe) },
	{ name: 'proc.is_exe_deleted', type: 'bool', desc: 'exec of an unlinked file or a memfd (exec events)', extract: deleted },
	{ name: 'proc.stdin_is_socket', type: 'bool', desc: 'stdin (fd 0) was an IPv4/IPv6 socket at exec (exec events; unix sockets do not count)', extract: (c) => (c.e.kind === 'exec' && c.e.ret === 0 ? (c.e.stdioSock & 1) !== 0 : undefined) },
	{ name: 'proc.stdout_is_socket', type: 'bool', desc: 'stdout (fd 1) was an IPv4/IPv6 socket at exec (exec events; unix sockets do not count)', extract: (c) => (c.e.kind === 'exec' && c.e.ret === 0 ? (c.e.stdioSock & 2) !== 0 : undefined) },
	{ name: 'proc.start', type: 'number', desc: 'process start, boot-time ns', extract: start },
]);
