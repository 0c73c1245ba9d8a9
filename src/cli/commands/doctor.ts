/** @module cli/commands/doctor: placeholder (the real one lives on main). */
import type { CliCommand } from '../command.js';

export const doctorCommand: CliCommand = {
	name: 'doctor',
	register(program) {
		program.command('doctor').description('probe the kernel');
	},
};
