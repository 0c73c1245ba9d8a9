/** @module rules/fields/proc-exec: what an exec record tells about the new process: script, loader variables, standard streams and the pipe's other end. */
import { posix } from 'node:path';
import { defineFields } from './registry.js';
import type { EvalCtx } from '../context.js';
import type { ProcInfo } from '../../process/table.js';
import type { ExecEvent } from '../../events/types.js';
import { scriptOf } from '../../process/script.js';

/** The facts of a successful exec event itself, else undefined. */
const ownExec = (c: EvalCtx): ExecEvent | undefined => (c.e.kind === 'exec' && c.e.ret === 0 ? c.e : undefined);

/** The script path: the table's, else a successful exec event's own. */
function script(c: EvalCtx): string | undefined {
	if (c.proc) return c.proc.script;
	const e = ownExec(c);
	return e ? scriptOf(e) : undefined;
}

function env(c: EvalCtx): Readonly<Record<string, string>> | undefined {
	return c.proc?.env ?? ownExec(c)?.env;
}

/** Paths of a loader variable's value (split on ':', ';' and spaces as ld.so does; empty or relative entries from the cwd). */
function envPaths(c: EvalCtx, name: string | undefined): string[] | undefined {
	const v = name === undefined ? undefined : env(c)?.[name];
	if (v === undefined) return undefined;
	const cwd = (c.proc ? c.proc.cwd : ownExec(c)?.cwd) || '/';
	return v.split(/[:; \t]/).map((p) => (p.startsWith('/') ? p : posix.resolve(cwd, p)));
}

/** fd i's kind and inode: the table's (undefined for a process seen only in /proc), else a successful exec event's own. */
function stdio(c: EvalCtx, i: number): { kind: string; ino: number } | undefined {
	const p = c.proc ?? ownExec(c);
	if (!p || (c.proc && c.proc.source === 'proc')) return undefined;
	return { kind: p.stdioKind[i], ino: p.stdioIno[i] };
}

/** The file on stdin at exec (a regular file), from the table or a successful exec event's own record. */
function stdinName(c: EvalCtx): string | undefined {
	const p = c.proc ?? ownExec(c);
	if (!p || (c.proc && c.proc.source === 'proc')) return undefined;
	return p.stdinPath;
}

/** The process at the other end of fd i's pipe: the writer of stdin (0), the reader of stdout (1). */
function pipePeer(c: EvalCtx, i: 0 | 1): ProcInfo | undefined {
	const s = stdio(c, i);
	if (!s || s.kind !== 'pipe' || !c.table) return undefined;
	const peer = i === 0 ? c.table.pipeWriter(s.ino) : c.table.pipeReader(s.ino);
	return peer && peer.pid !== c.e.pid ? peer : undefined;
}

const cmdline = (p: ProcInfo) => [p.comm, ...p.args.slice(1)].join(' ');

defineFields([
	{ name: 'proc.script', type: 'string', desc: 'absolute path of the script the process runs: the file a #! line made the kernel hand to its interpreter (bprm->filename), else the file a shell (sh, bash, dash …) was given as its first non-option argument; "" when none', extract: script },
	{ name: 'proc.is_script', type: 'bool', desc: 'the process runs a script file (proc.script is set)', extract: (c) => (script(c) === undefined ? undefined : script(c) !== '') },
	{ name: 'proc.env', type: 'string', arg: 'required', desc: 'value of an environment variable at exec, read from the new process (proc.env[LD_PRELOAD]): only those the monitor\'s exec_env lists are read (default LD_PRELOAD, LD_LIBRARY_PATH, LD_AUDIT)', extract: (c, a) => (a === undefined ? undefined : env(c)?.[a]) },
	{ name: 'proc.env_paths', type: 'strings', arg: 'required', desc: 'the paths of a loader variable (proc.env_paths[LD_PRELOAD]): its value split on ":", ";" and spaces, relative and empty entries taken from the cwd', extract: (c, a) => envPaths(c, a) },
	{ name: 'proc.stdin.type', type: 'string', desc: 'what stdin (fd 0) was at exec: pipe (or FIFO), file, socket, tty, chr (another char device), other, none (closed)', extract: (c) => stdio(c, 0)?.kind },
	{ name: 'proc.stdout.type', type: 'string', desc: 'what stdout (fd 1) was at exec (as proc.stdin.type)', extract: (c) => stdio(c, 1)?.kind },
	{ name: 'proc.stderr.type', type: 'string', desc: 'what stderr (fd 2) was at exec (as proc.stdin.type)', extract: (c) => stdio(c, 2)?.kind },
	{ name: 'proc.stdin.name', type: 'string', desc: "path of the regular file on stdin at exec (`sh < /tmp/x.sh`), from the kernel's struct file; \"\" when stdin was not a regular file", extract: stdinName },
	{ name: 'proc.stdin.ino', type: 'number', desc: "inode number of stdin at exec (a pipe's is shared by its two ends)", extract: (c) => stdio(c, 0)?.ino },
	{ name: 'proc.stdout.ino', type: 'number', desc: 'inode number of stdout at exec', extract: (c) => stdio(c, 1)?.ino },
	{ name: 'proc.stdin.writer.name', type: 'string', desc: 'name of the process writing the pipe on stdin: the last to exec with that pipe as its stdout (a shell that forked but has not exec\'d, e.g. a builtin echo, is none)', extract: (c) => pipePeer(c, 0)?.comm },
	{ name: 'proc.stdin.writer.pid', type: 'number', desc: 'pid of the process writing the pipe on stdin', extract: (c) => pipePeer(c, 0)?.pid },
	{ name: 'proc.stdin.writer.exepath', type: 'string', desc: 'executable of the process writing the pipe on stdin', extract: (c) => pipePeer(c, 0)?.exe },
	{ name: 'proc.stdin.writer.cmdline', type: 'string', desc: 'name and arguments of the process writing the pipe on stdin', extract: (c) => (pipePeer(c, 0) ? cmdline(pipePeer(c, 0)!) : undefined) },
	{ name: 'proc.stdout.reader.name', type: 'string', desc: 'name of the process reading the pipe on stdout: the last to exec with that pipe as its stdin', extract: (c) => pipePeer(c, 1)?.comm },
	{ name: 'proc.stdout.reader.pid', type: 'number', desc: 'pid of the process reading the pipe on stdout', extract: (c) => pipePeer(c, 1)?.pid },
	{ name: 'proc.stdout.reader.exepath', type: 'string', desc: 'executable of the process reading the pipe on stdout', extract: (c) => pipePeer(c, 1)?.exe },
	{ name: 'proc.stdout.reader.cmdline', type: 'string', desc: 'name and arguments of the process reading the pipe on stdout', extract: (c) => (pipePeer(c, 1) ? cmdline(pipePeer(c, 1)!) : undefined) },
]);
