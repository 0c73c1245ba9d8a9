/** @module util/paths: locations inside the bpfguard checkout or install. */
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';

// dist/src/util/paths.js → repo root is three levels up.
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** Absolute path of a file relative to the repository (or install) root. */
export function repoPath(rel: string): string {
	return join(ROOT, rel);
}

/** Absolute path of a compiled BPF object, e.g. bpfObjectPath('process'). */
export function bpfObjectPath(name: string): string {
	return join(ROOT, 'build', 'bpf', `${name}.bpf.o`);
}

/** The kernel BTF bpfguard relies on (BPFGUARD_BTF_PATH overrides it). */
export function btfPath(): string {
	return process.env.BPFGUARD_BTF_PATH ?? '/sys/kernel/btf/vmlinux';
}
