/** @module test/helpers/bpf: gate for tests that need real BPF: skip locally, fail under CI=true. */
import { existsSync } from 'node:fs';
import type { TestContext } from 'node:test';
import { bpfObjectPath } from '../../src/util/paths.js';

/** Why BPF tests cannot run here, or null when they can. */
export function bpfUnavailable(objects: string[] = ['process']): string | null {
	if (process.geteuid?.() !== 0) return 'not root';
	if (!existsSync('/sys/kernel/btf/vmlinux')) return 'no kernel BTF';
	for (const o of objects) if (!existsSync(bpfObjectPath(o))) return `${o}.bpf.o not built`;
	return null;
}

/**
 * Call at the top of a BPF test: returns false (test skipped) when BPF is unavailable,
 * but throws under CI=true, where a missing capability is a failure.
 */
export function requireBpf(t: TestContext, objects?: string[]): boolean {
	const why = bpfUnavailable(objects);
	if (!why) return true;
	if (process.env.CI === 'true') throw new Error(`BPF required under CI=true: ${why}`);
	t.skip(why);
	return false;
}

/** Call at the top of a test that needs root (mount, another user's files): skipped locally, a failure under CI=true. */
export function requireRoot(t: TestContext): boolean {
	if (process.geteuid?.() === 0) return true;
	if (process.env.CI === 'true') throw new Error('root required under CI=true');
	t.skip('not root');
	return false;
}
