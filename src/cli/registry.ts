/** @module cli/registry: every command, one line each. */
import type { CliCommand } from './command.js';
import { execsnoopCommand } from './commands/execsnoop.js';
import { doctorCommand } from './commands/doctor.js';
import { statusCommand } from './commands/status.js';
import { connsnoopCommand } from './commands/connsnoop.js';

/** Commands in the order --help lists them. */
export const COMMANDS: readonly CliCommand[] = [execsnoopCommand, statusCommand, doctorCommand, connsnoopCommand];
