/** @module events/file-fields: open and file-change events as table text (flags, details, target) and path parts. */
import type { FileEventBase } from './types.js';
import { FILE_SYSCALLS } from './table.js';
import { atFlagNames, modeOctal, openFlagNames, renameFlagNames, setIdBits } from './file-flags.js';

/** The flags argument decoded by the syscall's flag family ("" when it takes none). */
export function flagsText(e: FileEventBase): string {
	const s = FILE_SYSCALLS[e.syscall];
	if (!s?.change) return openFlagNames(e.argFlags);
	if (s.flags === undefined) return '';
	return e.syscall === 'renameat2' ? renameFlagNames(e.argFlags) : atFlagNames(e.argFlags);
}

/** [directory, file name] of an absolute path ("/etc/passwd" → ["/etc", "passwd"]). */
export function splitPath(p: string): [string, string] {
	const i = p.lastIndexOf('/');
	if (i < 0) return ['', p];
	return [i === 0 ? '/' : p.slice(0, i), p.slice(i + 1)];
}

/** Operation details for a table's FLAGS column: open flags, or "fchmodat,mode=04755,setuid". */
export function detailText(e: FileEventBase): string {
	const s = FILE_SYSCALLS[e.syscall];
	const parts: string[] = [];
	if (!s?.change) {
		parts.push(openFlagNames(e.argFlags));
		if (e.mode) parts.push(`mode=${modeOctal(e.mode)}`);
		return parts.join(',');
	}
	parts.push(e.syscall);
	const f = flagsText(e);
	if (f) parts.push(f);
	if (s.mode !== undefined) parts.push(`mode=${modeOctal(e.mode)}`);
	if (e.syscall.includes('chmod') && setIdBits(e.mode)) parts.push(setIdBits(e.mode));
	if (s.owner !== undefined) parts.push(`uid=${e.owner}`, `gid=${e.group}`);
	return parts.join(',');
}

/** FILENAME column text: the path, and "-> new" for rename/link, "-> target" for symlink. */
export function targetText(e: FileEventBase): string {
	const s = FILE_SYSCALLS[e.syscall];
	if (s?.raw2) return `${e.name} -> ${e.raw2}`;
	if (s?.path2 !== undefined) return `${e.name} -> ${e.name2}`;
	return e.name;
}
