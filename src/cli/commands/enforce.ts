/** @module cli/commands/enforce: `bpfguard enforce list|remove`: the pinned (persistent) enforcement `monitor --pin` left in force. */
import type { Command } from 'commander';
import type { CliCommand } from '../command.js';
import { CliError } from '../errors.js';
import { escapeText } from '../../sinks/escape.js';
import { DEFAULT_PIN_STATE, listPins, removePin } from '../../enforce/pin.js';

function list(o: { json?: boolean; stateDir: string }): void {
	const pins = listPins(o.stateDir);
	if (o.json) {
		for (const p of pins) process.stdout.write(`${JSON.stringify(p)}\n`);
		return;
	}
	if (!pins.length) process.stdout.write('no pinned enforcement\n');
	for (const p of pins) {
		const rules = Object.entries(p.rules).map(([r, m]) => `${escapeText(r)} (${m})`);
		process.stdout.write(`${p.id}  ${p.time}  ${p.present ? 'attached' : 'not attached (left over)'}  cgroup ${escapeText(p.cgroup)}  rules: ${rules.join('; ') || '?'}\n`);
	}
}

function remove(id: string | undefined, o: { all?: boolean; stateDir: string }): void {
	if (process.geteuid?.() !== 0) throw new CliError('enforce remove: needs root (it removes BPF filesystem pins)', 'ENOTROOT', 2);
	if (!o.all && id === undefined) throw new CliError('enforce remove: give an ID (bpfguard enforce list) or --all', 'EUSAGE', 2);
	const ids = o.all ? listPins(o.stateDir).map((p) => p.id) : [id!];
	if (!ids.length) process.stdout.write('no pinned enforcement\n');
	for (const x of ids) {
		try {
			const links = removePin(x, o.stateDir);
			process.stdout.write(`enforce: ${x}: ${links.length} programs detached; removed\n`);
		} catch (e) {
			throw new CliError(`enforce remove: ${(e as Error).message}`, 'EPIN', 2);
		}
	}
}

/** `bpfguard enforce`. */
export const enforceCommand: CliCommand = {
	name: 'enforce',
	register(program: Command) {
		const cmd = program.command('enforce').description('pinned enforcement (monitor --enforce --pin): deny rules and quarantines in force without a monitor');
		cmd
			.command('list')
			.description('the pinned enforcement in force: id, time, cgroup, rules')
			.option('--json', 'one JSON object per pin')
			.option('--state-dir <DIR>', 'where pins are recorded', DEFAULT_PIN_STATE)
			.action(list);
		cmd
			.command('remove')
			.description('detach pinned enforcement (its programs leave the kernel)')
			.argument('[ID]', 'the pin id (enforce list)')
			.option('--all', 'every pin')
			.option('--state-dir <DIR>', 'where pins are recorded', DEFAULT_PIN_STATE)
			.action(remove);
	},
};
