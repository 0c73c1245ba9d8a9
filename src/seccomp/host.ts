/** @module seccomp/host: what a profile's includes/excludes are tested against: capabilities, architecture, kernel. */
import { readFileSync } from 'node:fs';
import { release } from 'node:os';
import { CAP_NAMES } from '../util/caps.js';
import type { Arch } from './profile.js';

/** The facts includes/excludes are evaluated against. */
export interface Host {
	/** Go's name of the architecture (amd64, arm64 …), as the profiles' `arches` use it. */
	readonly goArch: string;
	/** The native libseccomp architecture (SCMP_ARCH_X86_64 …). */
	readonly arch: Arch;
	/** Effective capabilities of this process (CAP_SYS_ADMIN …). */
	readonly caps: ReadonlySet<string>;
	/** Kernel version [major, minor]. */
	readonly kernel: readonly [number, number];
}

const ARCH_BY_NODE: Record<string, [string, Arch]> = {
	x64: ['amd64', 'SCMP_ARCH_X86_64'],
	arm64: ['arm64', 'SCMP_ARCH_AARCH64'],
	ia32: ['386', 'SCMP_ARCH_X86'],
	arm: ['arm', 'SCMP_ARCH_ARM'],
	ppc64: ['ppc64le', 'SCMP_ARCH_PPC64LE'],
	s390x: ['s390x', 'SCMP_ARCH_S390X'],
	riscv64: ['riscv64', 'SCMP_ARCH_RISCV64'],
};

/** "6.18.0-1-amd64" → [6, 18]. */
export function kernelVersion(s: string): [number, number] {
	const m = /^(\d+)\.(\d+)/.exec(s);
	return m ? [Number(m[1]), Number(m[2])] : [0, 0];
}

/** The current process's capabilities, architecture and kernel. */
export function currentHost(): Host {
	const status = readFileSync('/proc/self/status', 'utf8');
	const eff = BigInt(`0x${/^CapEff:\s*([0-9a-f]+)/m.exec(status)?.[1] ?? '0'}`);
	const caps = new Set<string>();
	CAP_NAMES.forEach((n, i) => {
		if ((eff >> BigInt(i)) & 1n) caps.add(n);
	});
	const [goArch, arch] = ARCH_BY_NODE[process.arch] ?? [process.arch, 'SCMP_ARCH_X86_64'];
	return { goArch, arch, caps, kernel: kernelVersion(release()) };
}
