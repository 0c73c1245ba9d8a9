/** @module cli/preflight: checks before loading BPF (root, BTF, built objects), each with a clear message. */
import { existsSync } from 'node:fs';
import { CliError } from './errors.js';
import { bpfObjectPath, btfPath, repoPath } from '../util/paths.js';

/** Throws a CliError unless the process can load BPF programs here. */
export function requireBpf(command: string, objects: string[] = ['process']): void {
	if (typeof process.geteuid === 'function' && process.geteuid() !== 0) {
		throw new CliError(`${command}: must run as root (loading BPF programs needs CAP_BPF and CAP_PERFMON); try: sudo bpfguard ${command}`, 'ENOTROOT', 1);
	}
	const btf = btfPath();
	if (!existsSync(btf)) {
		throw new CliError(
			`${command}: kernel BTF missing (${btf}): this kernel was built without CONFIG_DEBUG_INFO_BTF; bpfguard needs BTF (CO-RE). 'bpfguard doctor' shows what works`,
			'ENOBTF',
			1,
		);
	}
	for (const o of objects) {
		if (!existsSync(bpfObjectPath(o))) {
			throw new CliError(`${command}: ${bpfObjectPath(o)} not built; run ${repoPath('scripts/setup.sh')}`, 'ENOBUILD', 1);
		}
	}
}
