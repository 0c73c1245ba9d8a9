/** @module cli/command: what a command module provides to the registry. */
import type { Command } from 'commander';

/** A CLI command: registers itself (name, flags, help, action) on the program. */
export interface CliCommand {
	readonly name: string;
	register(program: Command): void;
}
