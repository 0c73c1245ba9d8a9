/** @module sensors/file-watch: the file sensor's watch set (default, --path) and its BPF map encoding. */
import { statSync, type BigIntStats } from 'node:fs';
import type { NativeBpfObject } from '../bridge/addon.js';
import { hostFileKey, setWatchedHostFiles } from '../rules/fields/host-file.js';
import type { WatchMode, WatchName, WatchPath, WatchSet } from './options.js';
import { BG_INO_KEY, BG_NAME_KEY, BG_WATCH_KEY, BG_WATCH_LENS, BG_WATCH_VAL, BgWatchLimit, BgWatchMode, BgWatchWhere } from '../events/generated/layouts.js';

const exact = (path: string, mode: WatchMode = 'rw'): WatchPath => ({ path, exact: true, mode });
const prefix = (path: string, mode: WatchMode = 'rw'): WatchPath => ({ path, mode });
const base = (name: string): WatchName => ({ name, where: 'base', mode: 'rw' });

/**
 * Default: credentials, sudo, ssh, pam, cron, ld.so.preload and shell start-up files for reads
 * and writes; systemd units and logs for writes only (they are read all the time).
 */
export const DEFAULT_WATCH: WatchSet = {
	paths: [
		...['/etc/passwd', '/etc/shadow', '/etc/gshadow', '/etc/group', '/etc/sudoers'].map((p) => exact(p)),
		...['/etc/sudoers.d', '/etc/ssh', '/root/.ssh', '/etc/pam.d', '/var/spool/cron'].map((p) => exact(p)),
		...['/etc/sudoers.d/', '/etc/ssh/', '/root/.ssh/', '/etc/pam.d/', '/etc/cron', '/var/spool/cron/'].map((p) => prefix(p)),
		...['/etc/ld.so.preload', '/etc/profile', '/etc/bash.bashrc', '/etc/environment'].map((p) => exact(p)),
		prefix('/etc/profile.d/'),
		prefix('/etc/zsh/'),
		...['/etc/systemd/', '/lib/systemd/system/', '/usr/lib/systemd/system/', '/var/log/'].map((p) => prefix(p, 'w')),
	],
	names: [
		{ name: '.ssh', where: 'dir', mode: 'rw' },
		...['authorized_keys', 'authorized_keys2', '.bashrc', '.bash_profile', '.bash_login', '.bash_logout', '.profile'].map(base),
		...['.zshrc', '.zshenv', '.zprofile', '.zlogin'].map(base),
	],
};

/** The watch set of `--path P` flags: each P is a prefix watched for reads and writes. */
export function watchFromPrefixes(prefixes: readonly string[]): WatchSet {
	return { paths: prefixes.map((p) => prefix(p)), names: [] };
}

function modeBits(m: WatchMode = 'rw'): number {
	return (m.includes('r') ? BgWatchMode.BG_WATCH_READ : 0) | (m.includes('w') ? BgWatchMode.BG_WATCH_WRITE : 0);
}

/** LPM key of a watched path (exact entries include the trailing NUL); throws when too long. */
export function watchKey(w: WatchPath): Buffer {
	const bytes = Buffer.from(w.path);
	const n = bytes.length + (w.exact ? 1 : 0);
	if (!w.path.startsWith('/') || n > BgWatchLimit.BG_WATCH_KEY) {
		throw new Error(`watch path '${w.path}': must be absolute and at most ${BgWatchLimit.BG_WATCH_KEY - 1} bytes`);
	}
	const k = Buffer.alloc(BG_WATCH_KEY.SIZE);
	k.writeUInt32LE(n * 8, BG_WATCH_KEY.prefixlen);
	bytes.copy(k, BG_WATCH_KEY.data);
	return k;
}

/** Hash key of a watched name; throws when it is too long or holds a '/'. */
export function nameKey(w: WatchName): Buffer {
	const bytes = Buffer.from(w.name);
	if (!bytes.length || bytes.length >= BgWatchLimit.BG_WATCH_NAME || w.name.includes('/')) {
		throw new Error(`watch name '${w.name}': 1..${BgWatchLimit.BG_WATCH_NAME - 1} bytes without '/'`);
	}
	const k = Buffer.alloc(BG_NAME_KEY.SIZE);
	k.writeUInt32LE(w.where === 'dir' ? BgWatchWhere.BG_WATCH_DIR : BgWatchWhere.BG_WATCH_BASE, BG_NAME_KEY.where);
	bytes.copy(k, BG_NAME_KEY.name);
	return k;
}

/** A watch entry's value: its access bits and its kill slots (bits 8 and up). */
function val(m: WatchMode | undefined, kill = 0): Buffer {
	const v = Buffer.alloc(BG_WATCH_VAL.SIZE);
	v.writeUInt32LE((modeBits(m) | (kill << BgWatchMode.BG_WATCH_KILL_SHIFT)) >>> 0, BG_WATCH_VAL.mode);
	return v;
}

function replaceMap(obj: NativeBpfObject, map: string, entries: Map<string, Buffer>): void {
	// Add before removing, so an entry in both the old and the new set is never missing.
	for (const [hex, v] of entries) obj.mapUpdate(map, Buffer.from(hex, 'hex'), v);
	for (const k of obj.mapKeys(map)) if (!entries.has(k.toString('hex'))) obj.mapDelete(map, k);
}

/**
 * Each path with the modes of the prefixes covering it added: the LPM trie answers with the
 * longest match only, so "/etc/shadow" (r) under "/etc/" (w) must carry w too.
 */
export function inheritModes(paths: readonly WatchPath[]): WatchPath[] {
	const prefixes = paths.filter((p) => !p.exact);
	return paths.map((p) => {
		let bits = modeBits(p.mode);
		let kill = p.kill ?? 0;
		for (const q of prefixes) {
			if (q === p || !p.path.startsWith(q.path)) continue;
			bits |= modeBits(q.mode);
			kill |= q.kill ?? 0;
		}
		const mode: WatchMode = bits === modeBits('rw') ? 'rw' : bits === modeBits('w') ? 'w' : 'r';
		return kill ? { ...p, mode, kill } : { ...p, mode };
	});
}

/** Make the file sensor's watch maps hold exactly this set (entries are validated first). */
export function applyWatch(obj: NativeBpfObject, ws: WatchSet): void {
	const paths = new Map<string, Buffer>();
	for (const p of inheritModes(ws.paths)) {
		const hex = watchKey(p).toString('hex');
		const old = paths.get(hex)?.readUInt32LE(0) ?? 0;
		const v = val(p.mode, p.kill);
		paths.set(hex, v);
		if (old) v.writeUInt32LE((old | v.readUInt32LE(0)) >>> 0);
	}
	const names = new Map<string, Buffer>();
	for (const n of ws.names) {
		const hex = nameKey(n).toString('hex');
		const v = val(n.mode, n.kill);
		const old = names.get(hex)?.readUInt32LE(0) ?? 0;
		if (old) v.writeUInt32LE((old | v.readUInt32LE(0)) >>> 0);
		names.set(hex, v);
	}
	const dirs = new Map<string, Buffer>(watchDirs(ws.paths).map((d) => [watchKey({ path: d, exact: true }).toString('hex'), val('rw')]));
	if (paths.size > BgWatchLimit.BG_WATCH_MAX || names.size > BgWatchLimit.BG_WATCH_MAX) {
		throw new Error(`watch set: at most ${BgWatchLimit.BG_WATCH_MAX} paths and names`);
	}
	replaceMap(obj, 'bg_watch_pfx', paths);
	replaceMap(obj, 'bg_watch_name', names);
	replaceMap(obj, 'bg_watch_dir', dirs);
	const ino = inoEntries(ws.paths);
	replaceMap(obj, 'bg_watch_ino', ino.entries);
	setWatchedHostFiles(ino.files);
	obj.mapUpdate('bg_watch_lens', Buffer.alloc(4), nameLengths(ws.names));
	bumpGeneration(obj);
}

/** bg_watch_lens: bit n set when some base (or directory) name is n bytes long. */
export function nameLengths(names: readonly WatchName[]): Buffer {
	const bits = { base: 0n, dir: 0n };
	for (const n of names) bits[n.where] |= 1n << BigInt(Buffer.byteLength(n.name));
	const v = Buffer.alloc(BG_WATCH_LENS.SIZE);
	v.writeBigUInt64LE(bits.base, BG_WATCH_LENS.base);
	v.writeBigUInt64LE(bits.dir, BG_WATCH_LENS.dir);
	return v;
}

/**
 * The directories holding each path entry's last component ("/etc/" for "/etc/shadow" and for
 * the prefix "/etc/cron"), for the kernel's per-directory verdict: a directory that is in none
 * of these and under no prefix cannot hold a file any path entry matches.
 */
export function watchDirs(paths: readonly WatchPath[]): string[] {
	return [...new Set(paths.map((p) => p.path.slice(0, p.path.lastIndexOf('/') + 1)))];
}

/**
 * Invalidate the kernel's cached open verdicts (bg_watch_vc, bg_watch_dc) after the watch set
 * changed: slot 1 of bg_watch_gen is user space's own (the kernel bumps slot 0), so this
 * read-and-write cannot lose a kernel bump.
 */
function bumpGeneration(obj: NativeBpfObject): void {
	const key = Buffer.alloc(4);
	key.writeUInt32LE(1);
	const cur = obj.mapLookup('bg_watch_gen', key);
	const next = Buffer.alloc(8);
	next.writeBigInt64LE((cur ? cur.readBigInt64LE(0) : 0n) + 1n);
	obj.mapUpdate('bg_watch_gen', key, next);
}

/** st_dev (glibc's makedev encoding) in the kernel's (major << 20 | minor). */
export function kernelDev(dev: bigint): number {
	const major = Number(((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn));
	const minor = Number((dev & 0xffn) | ((dev >> 12n) & ~0xffn));
	return ((major << 20) | (minor & 0xfffff)) >>> 0;
}

function inoKey(dev: bigint, ino: bigint, dir: boolean): string {
	const k = Buffer.alloc(BG_INO_KEY.SIZE);
	k.writeBigUInt64LE(ino, BG_INO_KEY.ino);
	k.writeUInt32LE(kernelDev(dev), BG_INO_KEY.dev);
	k.writeUInt32LE(dir ? 1 : 0, BG_INO_KEY.dir);
	return k.toString('hex');
}

/**
 * bg_watch_ino: the host objects the path entries name, by identity (stat now), so a container
 * that reaches them under another path is seen: an exact entry's file (and its directory, mode 0:
 * it holds a watched file), a prefix ending in '/' as a directory whose files match. Missing
 * paths are skipped; a file replaced later (new inode) is found again at the next apply.
 * files: "dev:ino" of the exact entries → their path (fd.host_name).
 */
export function inoEntries(paths: readonly WatchPath[]): { entries: Map<string, Buffer>; files: Map<string, string> } {
	const entries = new Map<string, Buffer>();
	const files = new Map<string, string>();
	const put = (hex: string, mode: number) => {
		const v = entries.get(hex) ?? Buffer.alloc(BG_WATCH_VAL.SIZE);
		v.writeUInt32LE((v.readUInt32LE(BG_WATCH_VAL.mode) | mode) >>> 0, BG_WATCH_VAL.mode);
		entries.set(hex, v);
	};
	for (const p of paths) {
		const exactFile = p.exact === true;
		if (!exactFile && !p.path.endsWith('/')) continue;
		const st = statQuiet(p.path);
		if (!st) continue;
		if (exactFile) {
			put(inoKey(st.dev, st.ino, false), modeBits(p.mode));
			files.set(hostFileKey(Number(st.dev), Number(st.ino)), p.path);
			const dir = statQuiet(p.path.slice(0, p.path.lastIndexOf('/') + 1) || '/');
			if (dir) put(inoKey(dir.dev, dir.ino, true), 0);
		} else if (st.isDirectory()) {
			put(inoKey(st.dev, st.ino, true), modeBits(p.mode));
		}
	}
	return { entries, files };
}

function statQuiet(path: string): BigIntStats | undefined {
	try {
		return statSync(path, { bigint: true });
	} catch {
		return undefined;
	}
}
