/** @module cli/main: the bpfguard command line (one entry point, one registry of commands). */
import { Command, CommanderError } from 'commander';
import { COMMANDS } from './registry.js';
import { CliError, describeError } from './errors.js';

/** Run the CLI with argv (without node and script); resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
	const debug = argv.includes('--debug');
	const program = new Command('bpfguard')
		.description('eBPF security monitor and auditor for Linux')
		.option('--debug', 'show stack traces and libbpf messages')
		.exitOverride()
		.configureOutput({ writeErr: (s) => process.stderr.write(s) })
		.showSuggestionAfterError(true);
	for (const c of COMMANDS) c.register(program);
	try {
		await program.parseAsync(argv, { from: 'user' });
		return process.exitCode === undefined ? 0 : Number(process.exitCode);
	} catch (e) {
		if (e instanceof CommanderError) {
			// commander already printed one line ("error: unknown option '--x'") or the help.
			return e.exitCode === 0 ? 0 : 2;
		}
		process.stderr.write(`bpfguard: ${describeError(e)}\n`);
		if (debug && e instanceof Error) {
			process.stderr.write(`${e.stack ?? ''}\n`);
			const log = (e as { log?: string }).log;
			if (log) process.stderr.write(`${log}\n`);
		}
		return e instanceof CliError ? e.exitCode : 1;
	}
}
