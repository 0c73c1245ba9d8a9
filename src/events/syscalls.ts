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
