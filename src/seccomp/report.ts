/** @module seccomp/report: a sandboxed command's violations, counted by syscall and action, as lines or JSON. */
import { errnoName } from '../util/errno.js';
import { escapeText } from '../sinks/escape.js';
import type { SeccompRecord } from './kmsg.js';
import type { DenialCounts } from './denials.js';

/** One syscall denied (or logged) by one action, and how often. */
export interface Violation {
	syscall: string;
	nr: number;
	arch: string;
	action: string;
	errno?: string;
	count: number;
}

/** The report `bpfguard sandbox` prints at exit. */
export interface SandboxReport {
	violations: Violation[];
	/** Kernel audit lines suppressed by printk's rate limit during the run (counts may be low by this much). */
	suppressed: number;
	/** Kernel log records lost to ring overrun. */
	overrun: number;
	/** Seccomp records of other pids during the run (the command's children or other programs). */
	otherPids: number;
	/** The kernel counter's own losses (table full, threads not marked); absent when it was not loaded. */
	kernel?: { lost: number; unmarked: number } | { unavailable: string };
	/** null when the kernel log could not be read, with the reason in `unseen`. */
	unseen?: string;
	exit: { code: number | null; signal: string | null };
}

const ARCH_NAMES: Record<number, string> = { 0xc000003e: 'x86_64', 0x40000003: 'x86', 0xc00000b7: 'aarch64', 0x40000028: 'arm' };

/** "errno", "kill_process" … and the errno, from the filter's return value. */
export function actionOf(code: number): { action: string; errno?: string } {
	const hi = (code >>> 16) << 16 >>> 0;
	switch (hi) {
		case 0x80000000: return { action: 'kill_process' };
		case 0x00000000: return { action: 'kill_thread' };
		case 0x00030000: return { action: 'trap' };
		// the kernel logs the action only (SECCOMP_RET_ACTION_FULL), so the errno is known only when the code has it
		case 0x00050000: return code & 0xffff ? { action: 'errno', errno: errnoName(code & 0xffff) } : { action: 'errno' };
		case 0x7ff00000: return { action: 'trace' };
		case 0x7ffc0000: return { action: 'log' };
		case 0x7fc00000: return { action: 'user_notif' };
		default: return { action: `0x${hi.toString(16)}` };
	}
}

/** Counts records by (arch, syscall, action); `names` maps "arch:nr" to the syscall's name. */
export function countViolations(records: readonly SeccompRecord[], names: ReadonlyMap<string, string>): Violation[] {
	const by = new Map<string, Violation>();
	for (const r of records) {
		const a = actionOf(r.code);
		const key = `${r.arch}:${r.nr}:${r.code}`;
		const v = by.get(key);
		if (v) v.count++;
		else by.set(key, { syscall: names.get(`${r.arch}:${r.nr}`) ?? `syscall_${r.nr}`, nr: r.nr, arch: ARCH_NAMES[r.arch] ?? r.arch.toString(16), ...a, count: 1 });
	}
	return [...by.values()].sort((x, y) => y.count - x.count || x.syscall.localeCompare(y.syscall));
}

const NATIVE_ARCH: Record<string, number> = { x64: 0xc000003e, arm64: 0xc00000b7 };

/** The native audit arch of this machine (the kernel counter's syscall numbers are native). */
export function nativeArch(): number {
	return NATIVE_ARCH[process.arch] ?? 0xc000003e;
}

/**
 * Violations from the kernel counter (every denial of the tree, exact, with its errno) and the kernel
 * log (kill, trap and log actions of the command's pid, which name their action). A counted call
 * whose result is not an errno is the one a kill or trap record names; without one it is "kill/trap".
 */
export function mergeViolations(k: DenialCounts, records: readonly SeccompRecord[], names: ReadonlyMap<string, string>): Violation[] {
	const arch = nativeArch();
	const named = countViolations(records.filter((r) => actionOf(r.code).action !== 'errno'), names);
	const out: Violation[] = [...named];
	for (const d of k.denials) {
		const errno = d.ret < 0 && d.ret >= -4095;
		if (!errno && named.some((v) => v.nr === d.nr && v.action !== 'log')) continue;
		const base = { syscall: names.get(`${arch}:${d.nr}`) ?? `syscall_${d.nr}`, nr: d.nr, arch: ARCH_NAMES[arch] ?? arch.toString(16), count: d.count };
		const prev = errno && out.find((v) => v.nr === d.nr && v.action === 'errno' && v.errno === errnoName(-d.ret));
		if (prev) prev.count += d.count;
		else out.push(errno ? { ...base, action: 'errno', errno: errnoName(-d.ret) } : { ...base, action: 'kill/trap' });
	}
	return out.sort((x, y) => y.count - x.count || x.syscall.localeCompare(y.syscall));
}

/** One escaped line per violation, then the caveats; empty when there is nothing to say. Other pids' records are in the JSON only (a busy host has its own). */
export function reportLines(r: SandboxReport): string[] {
	const out = r.violations.map((v) => `bpfguard sandbox: ${escapeText(v.syscall)}: ${v.action}${v.errno ? ` ${v.errno}` : ''}, ${v.count} time${v.count > 1 ? 's' : ''}`);
	if (r.exit.signal === 'SIGSYS' && !r.violations.some((v) => v.action.startsWith('kill'))) out.push('bpfguard sandbox: killed by SIGSYS (a seccomp kill or trap action); the kernel log did not name the syscall');
	const counted = !!r.kernel && 'lost' in r.kernel;
	if (r.unseen && counted) out.push(`bpfguard sandbox: kill, trap and log actions not named: ${escapeText(r.unseen)}`);
	else if (r.unseen) out.push(`bpfguard sandbox: violations not visible: ${escapeText(r.unseen)}`);
	if (r.kernel && 'lost' in r.kernel && (r.kernel.lost || r.kernel.unmarked)) out.push(`bpfguard sandbox: kernel counter lost ${r.kernel.lost} denial(s), ${r.kernel.unmarked} thread(s) unmarked: counts may be off`);
	if (counted) return out;
	if (r.suppressed || r.overrun) out.push(`bpfguard sandbox: kernel log lost ${r.suppressed + r.overrun} seccomp record(s) (rate limit ${r.suppressed}, overrun ${r.overrun}): counts may be low`);
	return out;
}
