/** @module events/file-flags: raw open/at/rename flags and mode bits to names (O_RDONLY|O_CLOEXEC, 04755). */
import { arch } from 'node:os';

type Names = readonly (readonly [number, string])[];

/** Open flag bits the rest of bpfguard tests by value (the same on every architecture). */
export const O_ACCMODE = 0o3;
export const O_WRONLY = 0o1;
export const O_RDWR = 0o2;
export const O_CREAT = 0o100;
export const O_TRUNC = 0o1000;
export const O_APPEND = 0o2000;

// Bits whose values differ by architecture (asm-generic vs x86 fcntl.h).
const ARCH_O: Names =
	arch() === 'arm64'
		? [[0o40000, 'O_DIRECTORY'], [0o100000, 'O_NOFOLLOW'], [0o200000, 'O_DIRECT'], [0o400000, 'O_LARGEFILE']]
		: [[0o40000, 'O_DIRECT'], [0o100000, 'O_LARGEFILE'], [0o200000, 'O_DIRECTORY'], [0o400000, 'O_NOFOLLOW']];
const O_DIRECTORY = ARCH_O.find(([, n]) => n === 'O_DIRECTORY')![0];

const OPEN_FLAGS: Names = [
	[O_CREAT, 'O_CREAT'],
	[0o200, 'O_EXCL'],
	[0o400, 'O_NOCTTY'],
	[O_TRUNC, 'O_TRUNC'],
	[O_APPEND, 'O_APPEND'],
	[0o4000, 'O_NONBLOCK'],
	[0o10000, 'O_DSYNC'],
	[0o20000, 'O_ASYNC'],
	...ARCH_O,
	[0o1000000, 'O_NOATIME'],
	[0o2000000, 'O_CLOEXEC'],
	[0o4000000, 'O_SYNC'],
	[0o10000000, 'O_PATH'],
	[0o20000000 | O_DIRECTORY, 'O_TMPFILE'],
];

const AT_FLAGS: Names = [
	[0x100, 'AT_SYMLINK_NOFOLLOW'],
	[0x200, 'AT_REMOVEDIR'],
	[0x400, 'AT_SYMLINK_FOLLOW'],
	[0x800, 'AT_NO_AUTOMOUNT'],
	[0x1000, 'AT_EMPTY_PATH'],
];

const RENAME_FLAGS: Names = [
	[1, 'RENAME_NOREPLACE'],
	[2, 'RENAME_EXCHANGE'],
	[4, 'RENAME_WHITEOUT'],
];

const ACCESS = ['O_RDONLY', 'O_WRONLY', 'O_RDWR', 'O_ACCMODE'];

function join(v: number, names: Names, out: string[]): string {
	let rest = v >>> 0;
	// O_TMPFILE includes O_DIRECTORY and O_SYNC includes O_DSYNC: match the wider masks first.
	for (const [bit, name] of [...names].sort((a, b) => b[0] - a[0])) {
		if ((rest & bit) === bit) {
			out.push(name);
			rest &= ~bit;
		}
	}
	if (rest) out.push(`0x${rest.toString(16)}`);
	return out.join('|');
}

// Open flags take few distinct values; their names are computed once each (the audit trail names every open's flags).
const OPEN_NAMES = new Map<number, string>();
const OPEN_NAMES_MAX = 4096;

/** Open flags: the access mode first, then the other bits in kernel order ("O_RDWR|O_CREAT"). */
export function openFlagNames(flags: number): string {
	let s = OPEN_NAMES.get(flags);
	if (s === undefined) {
		s = openFlagText(flags);
		if (OPEN_NAMES.size < OPEN_NAMES_MAX) OPEN_NAMES.set(flags, s);
	}
	return s;
}

function openFlagText(flags: number): string {
	const names = join(flags & ~O_ACCMODE, OPEN_FLAGS, []).split('|').filter(Boolean);
	const byBit = (n: string) => OPEN_FLAGS.find(([, x]) => x === n)?.[0] ?? Infinity;
	names.sort((a, b) => byBit(a) - byBit(b));
	return [ACCESS[flags & O_ACCMODE], ...names].join('|');
}

/** The access mode alone: "O_RDONLY", "O_WRONLY" or "O_RDWR". */
export function accessMode(flags: number): string {
	return ACCESS[flags & O_ACCMODE];
}

/** AT_* flags ("AT_REMOVEDIR"), or "" for none. */
export function atFlagNames(flags: number): string {
	return join(flags, AT_FLAGS, []);
}

/** renameat2 flags ("RENAME_NOREPLACE"), or "" for none. */
export function renameFlagNames(flags: number): string {
	return join(flags, RENAME_FLAGS, []);
}

/** Mode bits in octal as chmod(1) writes them: "0644", "04755". */
export function modeOctal(mode: number): string {
	return `0${(mode & 0o7777).toString(8).padStart(3, '0')}`;
}

/** "setuid", "setgid", "setuid|setgid", or "" when the mode sets neither. */
export function setIdBits(mode: number): string {
	return [mode & 0o4000 ? 'setuid' : '', mode & 0o2000 ? 'setgid' : ''].filter(Boolean).join('|');
}
