/** @module cli/commands/release: `bpfguard release ID`: give a quarantined process tree its network back (`--list`: the quarantines in force). */
import type { Command } from 'commander';
import type { CliCommand } from '../command.js';
import { CliError } from '../errors.js';
import { escapeText } from '../../sinks/escape.js';
import { DEFAULT_QUARANTINE_STATE, listQuarantines, release } from '../../enforce/quarantine.js';

function run(id: string | undefined, o: { list?: boolean; stateDir: string }): void {
	if (o.list || id === undefined) {
		const qs = listQuarantines(o.stateDir);
		if (!qs.length) process.stdout.write('no quarantine in force\n');
		for (const q of qs) process.stdout.write(`${q.id}  ${q.time}  rule ${escapeText(q.rule)}  pids ${Object.keys(q.from).join(',')}\n`);
		return;
	}
	if (process.geteuid?.() !== 0) throw new CliError('release: needs root (it moves processes between cgroups)', 'ENOTROOT', 2);
	let moved: number[];
	try {
		moved = release(id, o.stateDir);
	} catch (e) {
		throw new CliError(`release: ${(e as Error).message}`, 'ERELEASE', 2);
	}
	process.stdout.write(`release: ${id}: ${moved.length ? `pids ${moved.join(',')} moved back to their cgroups` : 'no process left in it'}; removed\n`);
}

/** `bpfguard release`. */
export const releaseCommand: CliCommand = {
	name: 'release',
	register(program: Command) {
		program
			.command('release')
			.description('give a quarantined process tree its network back (action: quarantine); without ID, list the quarantines')
			.argument('[ID]', 'the quarantine id (block.quarantine of its alert)')
			.option('--list', 'list the quarantines in force')
			.option('--state-dir <DIR>', 'where quarantines are recorded', DEFAULT_QUARANTINE_STATE)
			.action(run);
	},
};
