#!/usr/bin/env node
/** @module gen-syscalls: writes src/events/generated/syscalls.ts (name → number: x86_64, i386 and arm64) from the kernel UAPI headers. */
import { readFileSync, writeFileSync } from 'node:fs';

const out = process.argv[2] ?? 'src/events/generated/syscalls.ts';
// Numbers from 403 up are shared by every architecture; these are newer than Debian 12's headers.
const UNIFIED_NEW = { fchmodat2: 452, map_shadow_stack: 453, futex_wake: 454, futex_wait: 455, futex_requeue: 456, statmount: 457, listmount: 458, lsm_get_self_attr: 459, lsm_set_self_attr: 460, lsm_list_modules: 461, mseal: 462 };

function parse(file, re) {
	const table = {};
	for (const line of readFileSync(file, 'utf8').split('\n')) {
		const m = re.exec(line);
		if (m && /^\d+$/.test(m[2])) table[m[1]] ??= Number(m[2]);
	}
	return { ...table, ...Object.fromEntries(Object.entries(UNIFIED_NEW).filter(([k]) => !(k in table))) };
}

const x86 = parse('/usr/include/x86_64-linux-gnu/asm/unistd_64.h', /^#define __NR_(\w+)\s+(\d+)/);
// i386: what a 32-bit call (a compat task, or int $0x80) is named by (seccomp violations)
const i386 = parse('/usr/include/x86_64-linux-gnu/asm/unistd_32.h', /^#define __NR_(\w+)\s+(\d+)/);
const arm = parse('/usr/include/asm-generic/unistd.h', /^#define __NR(?:3264)?_(\w+)\s+(\d+)/);
delete arm.syscalls;
const fmt = (t) => Object.entries(t).sort((a, b) => a[1] - b[1]).map(([k, v]) => `\t${k}: ${v},`).join('\n');
writeFileSync(
	out,
	`/** @module events/generated/syscalls: syscall numbers by architecture (from the UAPI headers). DO NOT EDIT: node scripts/gen-syscalls.mjs. */\n\n` +
		`export const SYSCALLS_X86_64: Readonly<Record<string, number>> = {\n${fmt(x86)}\n};\n\n` +
		`export const SYSCALLS_I386: Readonly<Record<string, number>> = {\n${fmt(i386)}\n};\n\n` +
		`export const SYSCALLS_ARM64: Readonly<Record<string, number>> = {\n${fmt(arm)}\n};\n`,
);
