/** @module cli/commands/uninstall: `bpfguard uninstall`: stop and remove the systemd unit; configuration and audit data stay unless --purge. */
import type { Command } from 'commander';
import type { CliCommand } from '../command.js';
import { CliError } from '../errors.js';
import { InstallError, uninstall, UNIT_NAME } from '../../service/install.js';
import { rootDir, systemctl } from './install.js';

function run(o: { root: string; purge?: boolean }): void {
	const root = rootDir('uninstall', o.root);
	const stop = systemctl(root, ['disable', '--now', UNIT_NAME]);
	let steps: string[];
	try {
		steps = uninstall({ root, purge: o.purge });
	} catch (e) {
		if (e instanceof InstallError) throw new CliError(`uninstall: ${e.message}`, e.code, 1);
		throw e;
	}
	const reload = systemctl(root, ['daemon-reload']);
	for (const s of [...(stop ? [stop] : []), ...steps, ...(reload ? [reload] : [])]) process.stdout.write(`uninstall: ${s}\n`);
}

/** `bpfguard uninstall`. */
export const uninstallCommand: CliCommand = {
	name: 'uninstall',
	register(program: Command) {
		program
			.command('uninstall')
			.description(`stop and remove the systemd service; /etc/bpfguard and /var/lib/bpfguard stay unless --purge`)
			.option('--root <DIR>', 'uninstall under DIR instead of /', '/')
			.option('--purge', 'also remove /etc/bpfguard (config, rules, store key) and /var/lib/bpfguard (audit data)')
			.action(run);
	},
};
