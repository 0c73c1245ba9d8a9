/** @module store/key: the store key kept outside the database (32 random bytes, 0600): loaded or created, checked, and used for HMAC-SHA256. */
import { closeSync, constants, fstatSync, fsyncSync, lstatSync, mkdirSync, openSync, readSync, writeSync } from 'node:fs';
import { createHmac, randomBytes } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { canonicalJson } from './chain.js';
import { StoreError } from './errors.js';

/** Where the monitor keeps the store key unless configured otherwise (outside the database's directory). */
export const DEFAULT_KEY_PATH = '/etc/bpfguard/store.key';

/** Length of a key file. */
export const KEY_BYTES = 32;

/** A loaded key. The bytes stay inside; what leaves is MACs and a key id (a MAC of a constant) that names the key in the store. */
export class StoreKey {
	readonly #bytes: Buffer;
	/** First 16 hex digits of HMAC(key, 'bpfguard-store-key-id'): tells a wrong key from a forged record. */
	readonly id: string;

	constructor(
		bytes: Buffer,
		readonly path: string,
	) {
		this.#bytes = Buffer.from(bytes);
		this.id = this.mac(['bpfguard-store-key-id']).slice(0, 16);
	}

	/** HMAC-SHA256 hex of the canonical JSON of parts (parts[0] names what is MACed, so no MAC stands for another kind). */
	mac(parts: readonly unknown[]): string {
		return createHmac('sha256', this.#bytes).update(canonicalJson(parts)).digest('hex');
	}
}

const READ = constants.O_RDONLY | constants.O_NOFOLLOW;
const CREATE = constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY | constants.O_NOFOLLOW;

// A new key: directory 0700 if missing, file 0600 created exclusively (a concurrent creator wins, we read theirs).
function create(path: string): void {
	mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
	let fd: number;
	try {
		fd = openSync(path, CREATE, 0o600);
	} catch (e) {
		if ((e as NodeJS.ErrnoException).code === 'EEXIST') return;
		throw e;
	}
	try {
		writeSync(fd, randomBytes(KEY_BYTES));
		fsyncSync(fd);
	} finally {
		closeSync(fd);
	}
}

// Others must not read the key (they could re-seal a rebuilt chain) nor replace it (the directory too).
function checkModes(path: string, st: { mode: number; uid: number; size: number; isFile(): boolean }): void {
	const bad = (why: string, code = 'ESTOREKEYMODE'): never => {
		throw new StoreError(`read store key ${path}: ${why}`, code);
	};
	if (!st.isFile()) bad('not a regular file', 'ESTOREKEY');
	if ((st.mode & 0o077) !== 0) bad(`mode ${(st.mode & 0o777).toString(8).padStart(4, '0')} lets group or others read or write it (chmod 600 ${path})`);
	const me = process.geteuid?.() ?? 0;
	if (st.uid !== me && st.uid !== 0) bad(`owned by uid ${st.uid}, neither this user (${me}) nor root`);
	const dir = dirname(path);
	const d = lstatSync(dir);
	// A sticky directory (/tmp) lets nobody else replace our file.
	if ((d.mode & 0o022) !== 0 && (d.mode & 0o1000) === 0) bad(`directory ${dir} is writable by group or others (chmod 700 ${dir})`);
	if (st.size !== KEY_BYTES) bad(`expected ${KEY_BYTES} bytes, found ${st.size}`, 'ESTOREKEY');
}

/**
 * Loads the key at path, creating it (32 random bytes, 0600, in a 0700 directory) when create is set and it is missing.
 * Codes: ESTOREKEYNOENT (missing), ESTOREKEYACCES (not readable by us), ESTOREKEYMODE (group/others may read or write it), ESTOREKEY (not a 32-byte file).
 */
export function loadKey(path: string, opts: { create?: boolean } = {}): StoreKey {
	const abs = resolve(path);
	let fd: number;
	try {
		if (opts.create) create(abs);
		fd = openSync(abs, READ);
	} catch (e) {
		const code = (e as NodeJS.ErrnoException).code;
		if (code === 'ENOENT') throw new StoreError(`read store key ${abs}: no such file (the monitor's store sink creates it)`, 'ESTOREKEYNOENT');
		if (code === 'EACCES' || code === 'EPERM') throw new StoreError(`read store key ${abs}: permission denied`, 'ESTOREKEYACCES');
		if (code === 'ELOOP') throw new StoreError(`read store key ${abs}: is a symbolic link`, 'ESTOREKEY');
		throw new StoreError(`read store key ${abs}: ${(e as Error).message}`, 'ESTOREKEY');
	}
	try {
		checkModes(abs, fstatSync(fd));
		const buf = Buffer.alloc(KEY_BYTES);
		if (readSync(fd, buf, 0, KEY_BYTES, 0) !== KEY_BYTES) throw new StoreError(`read store key ${abs}: short read`, 'ESTOREKEY');
		return new StoreKey(buf, abs);
	} finally {
		closeSync(fd);
	}
}
