/** @module process/script: the script an exec runs: from the kernel (#!), or the file a shell was told to read. */
import { basename, posix } from 'node:path';
import type { ExecEvent } from '../events/types.js';

/** Shells by executable file name (the kernel's path: sh is /usr/bin/dash here). */
const SHELLS = new Set(['sh', 'bash', 'dash', 'zsh', 'ksh', 'ksh93', 'mksh', 'ash', 'posh', 'yash']);
/** Shell long options that take the next argument. */
const LONG_WITH_ARG = new Set(['--rcfile', '--init-file']);

/**
 * The script file a shell's arguments name (`sh [options] file args`), or undefined when the shell
 * runs a command string (-c), reads stdin (-s, or no file) or is not given one.
 */
export function shellScriptArg(args: readonly string[]): string | undefined {
	for (let i = 1; i < args.length; i++) {
		const a = args[i];
		if (a === '--' || a === '-') return args[i + 1] || undefined;
		if (a.startsWith('--')) {
			if (LONG_WITH_ARG.has(a)) i++;
			continue;
		}
		if ((a[0] === '-' || a[0] === '+') && a.length > 1) {
			if (a.includes('c') || a.includes('s')) return undefined;
			if (a.includes('o') || a.includes('O')) i++;
			continue;
		}
		return a || undefined;
	}
	return undefined;
}

/**
 * The absolute path of the script a successful exec runs, or "": the file the kernel's #! handler
 * replaced by the interpreter (bprm->filename), else the file a shell (by its executable) was given
 * to read; a relative path is taken from the exec's cwd.
 */
export function scriptOf(ev: ExecEvent): string {
	let s = ev.script;
	if (!s && SHELLS.has(basename(ev.exe))) s = shellScriptArg(ev.args) ?? '';
	if (!s) return '';
	return s.startsWith('/') ? s : posix.resolve(ev.cwd || '/', s);
}
