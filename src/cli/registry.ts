/** @module cli/registry: every command, one line each. */
import type { CliCommand } from './command.js';
import { monitorCommand } from './commands/monitor.js';
import { traceCommand } from './commands/trace.js';
import { rulesCommand } from './commands/rules.js';
import { fieldsCommand } from './commands/fields.js';
import { execsnoopCommand } from './commands/execsnoop.js';
import { doctorCommand } from './commands/doctor.js';
import { statusCommand } from './commands/status.js';
import { privsnoopCommand } from './commands/privsnoop.js';
import { opensnoopCommand } from './commands/opensnoop.js';
import { connsnoopCommand } from './commands/connsnoop.js';
import { searchCommand } from './commands/search.js';
import { reportCommand } from './commands/report.js';
import { storeCommand } from './commands/store.js';
import { installCommand } from './commands/install.js';
import { uninstallCommand } from './commands/uninstall.js';
import { sandboxCommand } from './commands/sandbox.js';
import { profileCommand } from './commands/profile.js';
import { releaseCommand } from './commands/release.js';
import { enforceCommand } from './commands/enforce.js';

/** Commands in the order --help lists them. */
export const COMMANDS: readonly CliCommand[] = [monitorCommand, traceCommand, rulesCommand, fieldsCommand, execsnoopCommand, opensnoopCommand, privsnoopCommand, connsnoopCommand, searchCommand, reportCommand, storeCommand, sandboxCommand, profileCommand, releaseCommand, enforceCommand, statusCommand, doctorCommand, installCommand, uninstallCommand];
