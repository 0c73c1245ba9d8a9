/** @module cli/commands/install: `bpfguard install`: the systemd unit, /etc/bpfguard (config, rules.d, store key) and /var/lib/bpfguard. */
import type { Command } from 'commander';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { CliCommand } from '../command.js';
import { CliError } from '../errors.js';
import { install, InstallError, isDir, UNIT_NAME } from '../../service/install.js';

/** The --root directory, checked (one-line error, exit 2). */
export function rootDir(command: string, root: string): string {
	if (!isAbsolute(root) && root !== '.') throw new CliError(`${command}: --root must be an absolute path, got '${root}'`, 'EROOT', 2);
	const r = resolve(root);
	if (!isDir(r)) throw new CliError(`${command}: --root ${r}: not a directory`, 'EROOT', 2);
	return r;
}

/** Under the real root with systemd running: `systemctl ARGS` (argument array), reporting rather than failing. */
export function systemctl(root: string, args: string[]): string | undefined {
	if (root !== '/' || !existsSync('/run/systemd/system')) return undefined;
	try {
		execFileSync('systemctl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
		return `systemctl ${args.join(' ')}`;
	} catch (e) {
		return `systemctl ${args.join(' ')} failed: ${((e as { stderr?: Buffer }).stderr?.toString() ?? '').trim().split('\n')[0] || (e as Error).message}`;
	}
}

function run(o: { root: string }): void {
	const root = rootDir('install', o.root);
	let steps: string[];
	try {
		steps = install({ root });
	} catch (e) {
		if (e instanceof InstallError) throw new CliError(e.message.startsWith('install:') ? e.message : `install: ${e.message}`, e.code, 1);
		throw e;
	}
	const reload = systemctl(root, ['daemon-reload']);
	for (const s of [...steps, ...(reload ? [reload] : [])]) process.stdout.write(`install: ${s}\n`);
	process.stdout.write(`install: start it with: systemctl enable --now ${UNIT_NAME}\n`);
}

/** `bpfguard install`. */
export const installCommand: CliCommand = {
	name: 'install',
	register(program: Command) {
		program
			.command('install')
			.description(`install the systemd service (${UNIT_NAME}), /etc/bpfguard (commented config, rules.d) and /var/lib/bpfguard`)
			.option('--root <DIR>', 'install under DIR instead of / (image builds, tests)', '/')
			.action(run);
	},
};
