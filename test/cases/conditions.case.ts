/** @module test/cases/conditions.case: condition cases shared by every implementation (compiled closures, reference evaluator). */
import type { ExecEvent } from '../../src/events/types.js';

/** One case: the condition, the exec event it runs on, and whether it must match. */
export interface ConditionCase {
	cond: string;
	expect: boolean;
}

/** The event every case runs on: bash -i started by sshd (pid 100) as uid 1000 from /tmp. */
export const CASE_PARENT: Partial<ExecEvent> & { pid: number } = { pid: 100, ppid: 1, args: ['/usr/sbin/sshd', '-D'], comm: 'sshd', exe: '/usr/sbin/sshd' };
export const CASE_EVENT: Partial<ExecEvent> & { pid: number } = {
	pid: 200,
	ppid: 100,
	uid: 1000,
	euid: 1000,
	gid: 1000,
	args: ['bash', '-i', '-c', 'echo Hello World'],
	comm: 'bash',
	exe: '/tmp/x/bash',
	cwd: '/home/u',
	tty: 'pts0',
	sid: 200,
};

export const LISTS = { shells: ['bash', 'sh'], tmp: ['/tmp', '/dev/shm'] };

export const CASES: ConditionCase[] = [
	{ cond: 'evt.type = execve', expect: true },
	{ cond: 'evt.type == execve', expect: true },
	{ cond: 'evt.type != execve', expect: false },
	{ cond: 'evt.type in (open, execve)', expect: true },
	{ cond: 'evt.type in (open, openat)', expect: false },
	{ cond: 'evt.res = SUCCESS and evt.failed = false', expect: true },
	{ cond: 'evt.rawres = 0', expect: true },
	{ cond: 'proc.name = bash', expect: true },
	{ cond: 'proc.name = BASH', expect: false },
	{ cond: 'proc.name in (shells)', expect: true },
	{ cond: 'proc.name in shells', expect: true },
	{ cond: 'proc.name in ("shells")', expect: false },
	{ cond: 'proc.name intersects (zsh, bash)', expect: true },
	{ cond: 'proc.pname = sshd', expect: true },
	{ cond: 'proc.aname[1] = sshd', expect: true },
	{ cond: 'proc.aname = sshd', expect: true },
	{ cond: 'proc.aname in (init, sshd)', expect: true },
	{ cond: 'proc.aname[2] = sshd', expect: false },
	{ cond: 'proc.apid[1] = 100', expect: true },
	{ cond: 'proc.apid = 100', expect: true },
	{ cond: 'proc.ppid = 100 and proc.pid = 200', expect: true },
	{ cond: 'proc.pid > 199 and proc.pid < 201 and proc.pid >= 200 and proc.pid <= 200', expect: true },
	{ cond: 'proc.pid > 200', expect: false },
	{ cond: 'proc.pid in (1, 2, 200)', expect: true },
	{ cond: 'proc.cmdline = "bash -i -c echo Hello World"', expect: true },
	{ cond: 'proc.args contains "-i"', expect: true },
	{ cond: 'proc.args icontains "hello world"', expect: true },
	{ cond: 'proc.args contains "hello world"', expect: false },
	{ cond: 'proc.exepath startswith /tmp/', expect: true },
	{ cond: 'proc.exepath endswith /bash', expect: true },
	{ cond: 'proc.exepath glob "/tmp/*/bash"', expect: true },
	{ cond: 'proc.exepath glob "/tmp/?/ba[st]h"', expect: true },
	{ cond: 'proc.exepath glob "/usr/*"', expect: false },
	{ cond: 'proc.exepath regex "^/tmp/[a-z]+/bash$"', expect: true },
	// glob: fnmatch without FNM_PATHNAME or escapes (* and ? cross '/', a backslash is literal); [!x] and [^x] negate, a leading ] is a member
	{ cond: 'proc.exepath glob "*"', expect: true },
	{ cond: 'proc.exepath glob "/tmp/x/bash?"', expect: false },
	{ cond: 'proc.exepath glob "/TMP/*"', expect: false },
	{ cond: 'proc.exepath glob "/tmp*bash"', expect: true },
	{ cond: 'proc.exepath glob "/tmp/[!a-w]/bash"', expect: true },
	{ cond: 'proc.exepath glob "/tmp/[^x]/bash"', expect: false },
	{ cond: 'proc.exepath glob "/tmp/[]x]/bash"', expect: true },
	{ cond: 'proc.exepath glob "/tmp/[!]]/bash"', expect: true },
	{ cond: 'proc.exepath glob "/tmp/x/ba[-s]h"', expect: true },
	{ cond: 'proc.exepath glob "/tmp/[x/bash"', expect: false },
	{ cond: 'proc.cmdline glob "bash -i -c *World"', expect: true },
	// regex: RE2 syntax, unanchored (a match anywhere in the value)
	{ cond: 'proc.cmdline regex "Hello World$"', expect: true },
	{ cond: 'proc.cmdline regex "^Hello"', expect: false },
	{ cond: 'proc.cmdline regex "(?i)hello world"', expect: true },
	{ cond: 'proc.exepath regex "^/tmp/[[:alpha:]]/bash$"', expect: true },
	{ cond: 'proc.argv regex "^-[a-z]$"', expect: true },
	{ cond: 'proc.exepath pmatch (/tmp)', expect: true },
	{ cond: 'proc.exepath pmatch (tmp)', expect: true },
	{ cond: 'proc.exepath pmatch (/tm)', expect: false },
	{ cond: 'proc.argv intersects (-i, -l)', expect: true },
	{ cond: 'proc.argv = "-c"', expect: true },
	{ cond: 'user.uid = 1000 and user.euid = 1000 and group.gid = 1000', expect: true },
	{ cond: 'user.uid != 0', expect: true },
	{ cond: 'proc.tty = pts0 and proc.sid = 200', expect: true },
	{ cond: 'proc.sname = bash', expect: true },
	{ cond: 'proc.cwd = /home/u', expect: true },
	{ cond: 'fd.name exists', expect: false },
	{ cond: 'not fd.name exists', expect: true },
	{ cond: 'fd.name = /etc/passwd', expect: false },
	{ cond: 'fd.name != /etc/passwd', expect: false },
	{ cond: 'not fd.name = /etc/passwd', expect: true },
	{ cond: 'proc.name exists and proc.pname exists', expect: true },
	{ cond: 'evt.arg.filename = /tmp/x/bash', expect: true },
	{ cond: 'evt.arg[filename] = /tmp/x/bash', expect: true },
	{ cond: 'proc.name = zsh or (proc.name = bash and not proc.pname = init)', expect: true },
	{ cond: 'not (proc.name = bash or proc.name = sh)', expect: false },
	{ cond: 'proc.is_exe_deleted = false', expect: true },
	{ cond: 'container.id = host', expect: true },
];
