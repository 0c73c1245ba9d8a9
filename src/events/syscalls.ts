/** @module events/syscalls: syscall names ↔ numbers for the running architecture. */
import { arch } from 'node:os';
import { SYSCALLS_ARM64, SYSCALLS_X86_64 } from './generated/syscalls.js';

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
