/** @module rules/fields/host-file: is an opened file the host's (fd.on_host), and its host path (fd.host_name), by (dev, ino). */
import { statSync } from 'node:fs';
import type { EvalCtx } from '../context.js';
import type { FileEventBase } from '../../events/types.js';
import { BgFileFlag } from '../../events/generated/layouts.js';
import { inHostMountNs } from './container.js';

/** Entries of the stat cache (path + dev + ino → verdict); cleared when full. */
const STAT_CACHE_MAX = 4096;
/** How long a cached stat answer holds (ms): a host file may be replaced. */
const STAT_TTL_MS = 30_000;
/** Directories stripped at most when looking for the host path of a bind-mounted file. */
const MAX_STRIP = 8;

/** Whether the event's process sees the host's files at their paths: on the host, in the host's mount namespace. */
export function processOnHost(c: EvalCtx): boolean {
	return inHostMountNs(c);
}

interface Cached {
	at: number;
	hit: boolean;
}
const statCache = new Map<string, Cached>();

/** True when stat(path) on the host names the object (dev, ino); cached, bounded. */
export function hostPathIs(path: string, dev: number, ino: number, now = Date.now()): boolean {
	const key = `${dev}:${ino}:${path}`;
	const c = statCache.get(key);
	if (c && now - c.at < STAT_TTL_MS) return c.hit;
	let hit = false;
	try {
		const st = statSync(path, { bigint: true });
		hit = Number(st.dev) === dev && Number(st.ino) === ino;
	} catch {
		/* gone, unreadable or not a path on the host: not the host's file there */
	}
	if (statCache.size >= STAT_CACHE_MAX) statCache.clear();
	statCache.set(key, { at: now, hit });
	return hit;
}

/** Watched host files by "dev:ino" → host path (set with each watch set; see sensors/file-watch). */
let watchedHostFiles = new Map<string, string>();

/** Replace the index of watched host files (dev as stat() reports it). */
export function setWatchedHostFiles(files: Map<string, string>): void {
	watchedHostFiles = files;
}

/** Key of the watched-host-file index. */
export const hostFileKey = (dev: number, ino: number): string => `${dev}:${ino}`;

const opened = (c: EvalCtx): FileEventBase | undefined => (c.e.kind === 'open' && c.e.ino !== 0 ? c.e : undefined);

/**
 * fd.on_host: the opened object is the host's file at fd.name. A host process: true, unless the
 * file's mount lies outside its mount namespace (/proc/PID/root of a container), then checked
 * like a container's; a container process: stat(fd.name) on the host gives the same (dev, ino).
 * Undefined when the record carries no identity (a failed open, a change).
 */
export function fileOnHost(c: EvalCtx): boolean | undefined {
	const e = c.e;
	if (e.kind !== 'open' && e.kind !== 'file_change') return undefined;
	const host = processOnHost(c);
	if (host && !(e.flags & BgFileFlag.BG_FF_MNT_FOREIGN)) return true;
	const f = opened(c);
	if (!f) return host ? true : undefined;
	return hostPathIs(f.name, f.dev, f.ino);
}

/**
 * fd.host_name: the host's path of the opened object. A watched host file with this (dev, ino) by
 * its watched path (/etc/shadow also when opened through a bind mount elsewhere); else fd.name when
 * fd.on_host; else fd.name with its leading directories stripped one by one (a host directory
 * bind-mounted below another: /host/etc/x is the host's /etc/x), checked by stat.
 */
export function fileHostName(c: EvalCtx): string | undefined {
	const f = opened(c);
	const w = f && watchedHostFiles.get(hostFileKey(f.dev, f.ino));
	if (f && w !== undefined && hostPathIs(w, f.dev, f.ino)) return w;
	if (fileOnHost(c)) return (c.e as FileEventBase).name;
	if (!f) return undefined;
	let p = f.name;
	for (let i = 0; i < MAX_STRIP; i++) {
		const j = p.indexOf('/', 1);
		if (j < 0) break;
		p = p.slice(j);
		if (hostPathIs(p, f.dev, f.ino)) return p;
	}
	return undefined;
}
