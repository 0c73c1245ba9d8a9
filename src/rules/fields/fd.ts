/** @module rules/fields/fd: file and socket fields (fd.*), from file and network events. */
import { defineFields } from './registry.js';
import { fdValue } from '../event-view.js';
import type { EvalCtx } from '../context.js';
import type { FileEventBase } from '../../events/types.js';
import { FILE_SYSCALLS, isNet } from '../../events/table.js';
import { BgWatchMode } from '../../events/generated/layouts.js';
import { fileHostName, fileOnHost } from './host-file.js';

const file = (c: EvalCtx): FileEventBase | undefined => (c.e.kind === 'open' || c.e.kind === 'file_change' ? c.e : undefined);
/** The event carries its file's identity (dev, ino): a successful open, or a change the kernel named. */
const identified = (c: EvalCtx): boolean => { const f = file(c); return !!f && f.ino !== 0 && (c.e.kind === 'open' || f.nameReal); };

/** fd.num: an open's new fd (-1 when it failed), the fd argument of fchmod/fchown/ftruncate, a socket's fd. */
function fdNum(c: EvalCtx): number | undefined {
	const e = c.e;
	if (e.kind === 'open') return e.ret >= 0 ? e.ret : -1;
	if (e.kind === 'file_change') return FILE_SYSCALLS[e.syscall]?.fd !== undefined ? e.dirfd : undefined;
	return isNet(e) ? e.fd : undefined;
}

function watchText(w: number): string {
	return (w & BgWatchMode.BG_WATCH_READ ? 'r' : '') + (w & BgWatchMode.BG_WATCH_WRITE ? 'w' : '');
}

defineFields([
	{ name: 'fd.name', sensor: 'file', type: 'string', desc: 'absolute path of the file as the process sees it (the kernel\'s path of the opened object in its mount namespace: a container\'s own path), or ip:port->ip:port for sockets', extract: (c) => fdValue(c.e, 'name') },
	{ name: 'fd.name_raw', sensor: 'file', type: 'string', desc: 'the path argument as passed to the syscall (relative, with .., before symlinks)', extract: (c) => fdValue(c.e, 'name_raw') },
	{ name: 'fd.name_b64', sensor: 'file', type: 'string', desc: 'base64 of the bytes of fd.name, when they are not valid UTF-8 (fd.name then shows them as \\xNN)', extract: (c) => file(c)?.nameB64 },
	{ name: 'fd.name_raw_b64', sensor: 'file', type: 'string', desc: 'base64 of the bytes of fd.name_raw, when they are not valid UTF-8', extract: (c) => file(c)?.rawB64 },
	{ name: 'fd.name_source', sensor: 'file', type: 'string', desc: "where fd.name comes from: 'file' (the opened struct file's path), 'kernel' (a change: the path of the dentry the kernel changed, symlinks and '..' resolved) or 'arg' (the argument joined to the dirfd or cwd, lexically)", extract: (c) => { const f = file(c); return f ? (f.nameFromFile ? 'file' : f.nameReal ? 'kernel' : 'arg') : undefined; } },
	{ name: 'fd.name_truncated', sensor: 'file', type: 'bool', desc: 'fd.name was cut (longer than the kernel\'s path buffer or too many directories deep)', extract: (c) => file(c)?.nameTruncated },
	{ name: 'fd.watch', sensor: 'file', type: 'string', desc: "the watch entry that matched: r (reads), w (writes), rw, or '' (every file watched: opensnoop --all)", extract: (c) => (file(c) ? watchText(file(c)!.watch) : undefined) },
	{ name: 'fd.dev', sensor: 'file', type: 'number', desc: 'device of the file\'s file system, as stat() reports it (st_dev; from i_sb->s_dev at the exit): the opened file\'s, or a change\'s when the kernel named it (fd.name_source kernel: the changed or created inode); absent when the open failed and for other changes', extract: (c) => (identified(c) ? file(c)!.dev : undefined) },
	{ name: 'fd.ino', sensor: 'file', type: 'number', desc: 'inode number (st_ino) of the opened file, or of a change\'s object when the kernel named it (fd.name_source kernel); absent when the open failed and for other changes', extract: (c) => (identified(c) ? file(c)!.ino : undefined) },
	{ name: 'fd.on_host', sensor: 'file', type: 'bool', desc: "the opened object is the host's file at fd.name: true for a host process (unless reached through another mount namespace, /proc/PID/root); for a container process, when stat() of fd.name on the host gives the same fd.dev and fd.ino (a host file or directory bind-mounted at the same path). Absent for a container's failed open or change", extract: fileOnHost },
	{ name: 'fd.host_name', sensor: 'file', type: 'string', desc: "the host's path of the opened object: a watched host file with the same fd.dev and fd.ino (/etc/shadow, whatever path it was opened by), else fd.name when fd.on_host, else fd.name less its leading directories when that names it on the host (-v /:/host makes /host/etc/x the host's /etc/x). Absent when the object is not a host file found so (a container's own files)", extract: fileHostName },
	{ name: 'fd.num', type: 'number', desc: 'file descriptor: the new fd of an open (-1 when it failed), the fd argument of fchmod, fchown and ftruncate, or the socket\'s (-1 for connection results and closes, and for io_uring requests: their descriptor is not kept, and an accept into a fixed-file slot has none)', extract: fdNum },
	{ name: 'fd.directory', sensor: 'file', type: 'string', desc: 'directory of fd.name', extract: (c) => fdValue(c.e, 'directory') },
	{ name: 'fd.filename', sensor: 'file', type: 'string', desc: 'file name of fd.name (no directory)', extract: (c) => fdValue(c.e, 'filename') },
	{ name: 'fd.sip', sensor: 'net', type: 'string', desc: 'source IP address', extract: (c) => fdValue(c.e, 'sip') },
	{ name: 'fd.dip', sensor: 'net', type: 'string', desc: 'destination IP address', extract: (c) => fdValue(c.e, 'dip') },
	{ name: 'fd.sport', sensor: 'net', type: 'number', desc: 'source port', extract: (c) => fdValue(c.e, 'sport') },
	{ name: 'fd.dport', sensor: 'net', type: 'number', desc: 'destination port', extract: (c) => fdValue(c.e, 'dport') },
	{ name: 'fd.l4proto', sensor: 'net', type: 'string', desc: 'tcp or udp', extract: (c) => fdValue(c.e, 'l4proto') },
	{ name: 'fd.sockfamily', sensor: 'net', type: 'string', desc: 'ip or ip6', extract: (c) => fdValue(c.e, 'sockfamily') },
	{ name: 'fd.typechar', type: 'string', desc: 'f for files, 4 or 6 for IPv4/IPv6 sockets', extract: (c) => fdValue(c.e, 'typechar') },
]);
