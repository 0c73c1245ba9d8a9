/** @module events/syscalls: syscall names ↔ numbers for the running architecture. */
import { arch } from 'node:os';
import { SYSCALLS_ARM64, SYSCALLS_I386, SYSCALLS_X86_64 } from './generated/syscalls.js';

const TABLE: Readonly<Record<string, number>> = arch() === 'arm64' ? SYSCALLS_ARM64 : SYSCALLS_X86_64;
const NAMES = new Map<number, string>(Object.entries(TABLE).map(([k, v]) => [v, k]));

/** Syscall number on this architecture, or undefined when it has no such syscall (e.g. open on arm64). */
export function syscallNr(name: string): number | undefined {
	return TABLE[name];
}

/** Syscall name of a number, or "syscall_<n>". */
export function syscallName(nr: number): string {
	return NAMES.get(nr) ?? `syscall_${nr}`;
}

const I386_NAMES = new Map<number, string>(Object.entries(SYSCALLS_I386).map(([k, v]) => [v, k]));
const X32_BIT = 0x40000000;

/** Syscall name of a number in the table of a seccomp record's arch (i386: a 32-bit call; x32: the x86-64 name), or "syscall_<n>". */
export function syscallNameIn(nr: number, arch: string): string {
	if (arch === 'i386') return I386_NAMES.get(nr) ?? `syscall_${nr}`;
	if (arch === 'x32') return syscallName(nr & ~X32_BIT);
	return syscallName(nr);
}

/** socketcall(2)'s call numbers (include/uapi/linux/net.h SYS_*) of the calls a sensor may decode. */
const SOCKETCALL: Readonly<Record<string, number>> = { socket: 1, bind: 2, connect: 3, listen: 4, accept: 5, sendto: 11, sendmsg: 16, accept4: 18, sendmmsg: 20 };

/** One way a 32-bit (ia32) process reaches a 64-bit syscall: its ia32 number, or a socketcall call. */
export interface Ia32Route {
	/** ia32 syscall number, or the socketcall call number when socketcall is true. */
	nr: number;
	/** The call takes 16-bit ids (setuid, chown …: old_uid_t). */
	uid16: boolean;
	socketcall: boolean;
}

/**
 * The ia32 calls that do what the x86-64 syscall name does: the same name (16-bit ids when a
 * "…32" twin exists), its "…32" and "…64" twins, and its socketcall call. Empty off x86_64.
 */
export function ia32Routes(name: string): Ia32Route[] {
	if (arch() !== 'x64') return [];
	const out: Ia32Route[] = [];
	const same = SYSCALLS_I386[name];
	if (same !== undefined) out.push({ nr: same, uid16: SYSCALLS_I386[`${name}32`] !== undefined, socketcall: false });
	for (const twin of [`${name}32`, `${name}64`]) if (SYSCALLS_I386[twin] !== undefined) out.push({ nr: SYSCALLS_I386[twin], uid16: false, socketcall: false });
	if (SOCKETCALL[name] !== undefined) out.push({ nr: SOCKETCALL[name], uid16: false, socketcall: true });
	return out;
}

/** The ia32 socketcall syscall's number (undefined off x86_64). */
export const IA32_SOCKETCALL: number | undefined = arch() === 'x64' ? SYSCALLS_I386.socketcall : undefined;
