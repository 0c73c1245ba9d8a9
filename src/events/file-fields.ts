/** @module events/file-fields: open and file-change events as rule-engine fields (JSON) and table text. */
import type { FileEventBase } from './types.js';
import { FILE_SYSCALLS } from './table.js';
import { errnoName } from '../util/errno.js';
import { BgWatchMode } from './generated/layouts.js';
import { accessMode, atFlagNames, modeOctal, openFlagNames, renameFlagNames, setIdBits } from './file-flags.js';

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

function watchText(w: number): string {
	return (w & BgWatchMode.BG_WATCH_READ ? 'r' : '') + (w & BgWatchMode.BG_WATCH_WRITE ? 'w' : '');
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

/** JSON object for one file event; names as in rules (fd.name, evt.arg.flags, ...), paths exact. */
export function fileJson(e: FileEventBase): Record<string, unknown> {
	const s = FILE_SYSCALLS[e.syscall] ?? {};
	const [dir, file] = splitPath(e.name);
	const o: Record<string, unknown> = {
		'evt.time': new Date(e.timeMs).toISOString(),
		'evt.type': e.syscall,
		'evt.res': e.ret >= 0 ? 'SUCCESS' : errnoName(e.ret),
		'evt.rawres': e.ret,
		'evt.failed': e.ret < 0,
		'evt.arg.flags': flagsText(e),
		'evt.arg.flags_raw': e.argFlags,
		'evt.arg.mode': s.mode !== undefined || !s.change ? modeOctal(e.mode) : null,
		'fd.name': e.name,
		'fd.directory': dir,
		'fd.filename': file,
		'fd.name_raw': e.raw,
		'fd.name_source': e.nameFromFile ? 'file' : 'arg',
		'fd.name_truncated': e.nameTruncated,
		'fd.watch': watchText(e.watch),
		'proc.pid': e.pid,
		'proc.tid': e.tid,
		'proc.name': e.comm,
		'user.uid': e.uid,
		'group.gid': e.gid,
		'container.cgroup_id': e.cgroupId.toString(),
	};
	if (!s.change) Object.assign(o, { 'evt.arg.access': accessMode(e.argFlags), 'fd.num': e.ret >= 0 ? e.ret : -1 });
	if (s.fd !== undefined) o['fd.num'] = e.dirfd;
	if (e.syscall.includes('chmod')) o['evt.arg.setid'] = setIdBits(e.mode);
	if (s.owner !== undefined) Object.assign(o, { 'evt.arg.uid': e.owner, 'evt.arg.gid': e.group });
	if (s.raw2) o['evt.arg.target'] = e.raw2;
	else if (s.path2 !== undefined) Object.assign(o, { 'evt.arg.oldpath': e.name, 'evt.arg.newpath': e.name2, 'evt.arg.newpath_raw': e.raw2 });
	if (e.nameB64 !== undefined) o['fd.name_b64'] = e.nameB64;
	if (e.rawB64 !== undefined) o['fd.name_raw_b64'] = e.rawB64;
	if (e.name2B64 !== undefined) o['evt.arg.newpath_b64'] = e.name2B64;
	if (e.raw2B64 !== undefined) o[s.raw2 ? 'evt.arg.target_b64' : 'evt.arg.newpath_raw_b64'] = e.raw2B64;
	return o;
}
