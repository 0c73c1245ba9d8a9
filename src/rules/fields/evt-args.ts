/** @module rules/fields/evt-args: the named arguments of events (evt.arg.NAME), one field each, read straight from the event. */
import { defineFields, type FieldDef, type FieldType } from './registry.js';
import type { FieldValue } from '../../alerts/alert.js';
import type { EvalCtx } from '../context.js';
import type { FileEventBase } from '../../events/types.js';
import type { FileSyscall } from '../../events/syscall-args.js';
import { FILE_SYSCALLS, PRIV_SYSCALLS } from '../../events/table.js';
import { flagsText } from '../../events/file-fields.js';
import { accessMode, modeOctal, setIdBits } from '../../events/file-flags.js';
import { capNames } from '../../util/caps.js';

const UNSET = 0xffffffff;
const NO_ARGS: FileSyscall = {};

type Read<T> = (e: FileEventBase, s: FileSyscall) => T | undefined;

/** An argument of file events: read(e, the syscall's argument layout). */
function fileArg<T extends FieldValue>(read: Read<T>): (c: EvalCtx) => T | undefined {
	return (c) => (c.e.kind === 'open' || c.e.kind === 'file_change' ? read(c.e, FILE_SYSCALLS[c.e.syscall] ?? NO_ARGS) : undefined);
}

/** Identity-syscall argument NAME (-1 = unchanged), for the calls that have it: syscall → position. */
function privArg(name: string): (c: EvalCtx) => number | undefined {
	const at = new Map<string, number>();
	for (const [sys, s] of Object.entries(PRIV_SYSCALLS)) if (s.args.includes(name)) at.set(sys, s.args.indexOf(name));
	return (c) => {
		if (c.e.kind !== 'priv_call') return undefined;
		const i = at.get(c.e.syscall);
		if (i === undefined) return undefined;
		return c.e.args[i] === UNSET ? -1 : c.e.args[i];
	};
}

/** The executed file of exec and priv exec records (a failed exec: the path it was given), the task's executable for drift. */
function filename(c: EvalCtx): string | undefined {
	const e = c.e;
	return e.kind === 'exec' || e.kind === 'priv_exec' || e.kind === 'priv_drift' ? e.exe : undefined;
}

const arg = (name: string, type: FieldType, desc: string, extract: FieldDef['extract'], sensor?: string): FieldDef => ({ name: `evt.arg.${name}`, type, desc, extract, sensor });

// Identity-syscall arguments; an id of -1 leaves it unchanged.
const PRIV_ARG_DESC: Readonly<Record<string, string>> = {
	uid: 'setuid, setfsuid: the uid asked for',
	gid: 'setgid, setfsgid: the gid asked for',
	size: 'setgroups: the number of groups',
	ruid: 'setreuid, setresuid: the real uid asked for (-1 = unchanged)',
	euid: 'setreuid, setresuid: the effective uid asked for (-1 = unchanged)',
	suid: 'setresuid: the saved uid asked for (-1 = unchanged)',
	rgid: 'setregid, setresgid: the real gid asked for (-1 = unchanged)',
	egid: 'setregid, setresgid: the effective gid asked for (-1 = unchanged)',
	sgid: 'setresgid: the saved gid asked for (-1 = unchanged)',
};
const privOnly = [...new Set(Object.values(PRIV_SYSCALLS).flatMap((s) => s.args))].filter((n) => n !== 'uid' && n !== 'gid');
const chownUid = fileArg((e, s) => (s.owner !== undefined ? e.owner : undefined));
const chownGid = fileArg((e, s) => (s.owner !== undefined ? e.group : undefined));
const setUid = privArg('uid');
const setGid = privArg('gid');

defineFields([
	arg('filename', 'string', 'exec, priv exec: the executed file (a failed exec: the path it was given); priv drift: the task\'s executable', filename),
	arg('exe', 'string', 'the same as evt.arg.filename', filename),
	arg('args', 'string', 'exec: the arguments without argv[0], space separated', (c) => (c.e.kind === 'exec' ? c.e.args.slice(1).join(' ') : undefined)),
	arg('status', 'number', 'procexit: the raw wait status', (c) => (c.e.kind === 'exit' ? c.e.status : undefined)),
	arg('code', 'number', 'procexit: the exit code (absent when a signal ended the process)', (c) => (c.e.kind === 'exit' ? (c.e.exitCode ?? undefined) : undefined)),
	arg('signal', 'number', 'procexit: the signal that ended the process', (c) => (c.e.kind === 'exit' ? (c.e.signal ?? undefined) : undefined)),
	arg('site', 'string', 'priv exec and drift: where the credentials were compared (the same as priv.site)', (c) => (c.e.kind === 'priv_exec' || c.e.kind === 'priv_drift' ? c.e.site : undefined), 'priv'),
	...privOnly.map((n) => arg(n, 'number', PRIV_ARG_DESC[n] ?? `${n}: an identity syscall argument`, privArg(n), 'priv')),
	arg('uid', 'number', `${PRIV_ARG_DESC.uid}; chown calls: the new owner (-1 = unchanged)`, (c) => setUid(c) ?? chownUid(c)),
	arg('gid', 'number', `${PRIV_ARG_DESC.gid}; chown calls: the new group (-1 = unchanged)`, (c) => setGid(c) ?? chownGid(c)),
	arg('cap_effective', 'strings', 'capset: the effective capabilities asked for', (c) => (c.e.kind === 'priv_call' && c.e.syscall === 'capset' ? capNames(c.e.reqEff) : undefined), 'priv'),
	arg('cap_permitted', 'strings', 'capset: the permitted capabilities asked for', (c) => (c.e.kind === 'priv_call' && c.e.syscall === 'capset' ? capNames(c.e.reqPrm) : undefined), 'priv'),
	arg('flags', 'string', "file calls: the flags argument by name (O_RDONLY|O_CLOEXEC, AT_REMOVEDIR, RENAME_NOREPLACE), '' when none", fileArg((e) => flagsText(e)), 'file'),
	arg('flags_raw', 'number', 'file calls: the flags argument as a number', fileArg((e) => e.argFlags), 'file'),
	arg('mode', 'string', 'opens, creat, chmod, mkdir: the mode argument in octal (0644)', fileArg((e, s) => (s.mode !== undefined || !s.change ? modeOctal(e.mode) : undefined)), 'file'),
	arg('access', 'string', 'opens: the access mode (O_RDONLY, O_WRONLY or O_RDWR)', fileArg((e, s) => (s.change ? undefined : accessMode(e.argFlags))), 'file'),
	arg('setid', 'string', "chmod calls: the set-id bits the mode sets (setuid, setgid, setuid|setgid or '')", fileArg((e) => (e.syscall.includes('chmod') ? setIdBits(e.mode) : undefined)), 'file'),
	arg('target', 'string', 'symlink: the link target as given', fileArg((e, s) => (s.raw2 ? e.raw2 : undefined)), 'file'),
	arg('target_b64', 'string', 'symlink: base64 of the target bytes, when they are not valid UTF-8', fileArg((e, s) => (s.raw2 ? e.raw2B64 : undefined)), 'file'),
	arg('oldpath', 'string', 'rename, link: the old path (the same as fd.name)', fileArg((e, s) => (!s.raw2 && s.path2 !== undefined ? e.name : undefined)), 'file'),
	arg('newpath', 'string', 'rename, link: the new path, absolute', fileArg((e, s) => (!s.raw2 && s.path2 !== undefined ? e.name2 : undefined)), 'file'),
	arg('newpath_raw', 'string', 'rename, link: the new path as passed', fileArg((e, s) => (!s.raw2 && s.path2 !== undefined ? e.raw2 : undefined)), 'file'),
	arg('newpath_b64', 'string', 'rename, link: base64 of the new path\'s bytes, when they are not valid UTF-8', fileArg((e) => e.name2B64), 'file'),
	arg('newpath_raw_b64', 'string', 'rename, link: base64 of the bytes of the new path as passed, when they are not valid UTF-8', fileArg((e, s) => (s.raw2 ? undefined : e.raw2B64)), 'file'),
]);
