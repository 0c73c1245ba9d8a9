/**
 * @module test/helpers/ia32: whether this kernel runs 32-bit (int $0x80) syscalls at all. Some x86_64 hosts do not
 * (IA32 emulation built out, disabled with ia32_emulation=0, or refused by the hypervisor, as on some VMs): there the
 * instruction itself faults (SIGSEGV) before any syscall entry, so no 32-bit evasion exists to be seen. Tests assert
 * that outcome there, and decode the 32-bit calls where the kernel runs them.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { arch } from 'node:os';
import { repoPath } from '../../src/util/paths.js';

let cached: { ok: boolean; why: string } | undefined;

/** Runs build/progs/int80 once: ok when its 32-bit open returned; why says what happened otherwise. */
export function ia32Syscalls(): { ok: boolean; why: string } {
	if (cached) return cached;
	const prog = repoPath('build/progs/int80');
	if (arch() !== 'x64') return (cached = { ok: false, why: `no int $0x80 on ${arch()}` });
	if (!existsSync(prog)) throw new Error(`${prog} not built (make progs)`);
	const r = spawnSync(prog, ['/etc/hostname'], { encoding: 'utf8', timeout: 10_000 });
	if (/ret=-?\d+/.test(r.stdout ?? '')) return (cached = { ok: true, why: '' });
	// the only other outcome on x86_64: the CPU fault of an int $0x80 the kernel does not serve
	if (r.signal !== 'SIGSEGV') throw new Error(`int80 probe: unexpected outcome (status ${r.status}, signal ${r.signal}): ${r.stderr}`);
	return (cached = { ok: false, why: 'int $0x80 faults (SIGSEGV) on this kernel: no 32-bit syscalls run here (IA32 emulation off or refused by the hypervisor)' });
}
