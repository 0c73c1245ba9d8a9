/** @module cli/commands/status: counters of every running bpfguard command (events/s, filtered, drops, CPU, RSS). */
import { readdirSync, readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { CliCommand } from '../command.js';
import { STATUS_DIR, statsBlock, type RunStats } from '../stats.js';

function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (e) {
		return (e as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/** Status of every live bpfguard command; removes files of dead ones. */
export function readStatuses(dir = STATUS_DIR): RunStats[] {
	let names: string[] = [];
	try {
		names = readdirSync(dir).filter((n) => /^\d+\.json$/.test(n));
	} catch {
		return [];
	}
	const out: RunStats[] = [];
	for (const n of names) {
		const pid = Number(n.slice(0, -5));
		if (!alive(pid)) {
			try {
				unlinkSync(join(dir, n));
			} catch {
				/* not ours to remove */
			}
			continue;
		}
		try {
			out.push(JSON.parse(readFileSync(join(dir, n), 'utf8')) as RunStats);
		} catch {
			/* being rewritten */
		}
	}
	return out;
}

/** `bpfguard status`. */
export const statusCommand: CliCommand = {
	name: 'status',
	register(program) {
		program
			.command('status')
			.description('show counters of running bpfguard commands: events/s, kernel-filtered, drops by cause, CPU and RSS')
			.option('--json', 'print JSON')
			.action((o: { json?: boolean }) => {
				const st = readStatuses();
				if (o.json) {
					process.stdout.write(`${JSON.stringify(st)}\n`);
					return;
				}
				if (!st.length) {
					process.stdout.write('no bpfguard command is running\n');
					return;
				}
				process.stdout.write(`${st.map(statsBlock).join('\n\n')}\n`);
			});
	},
};
