/**
 * @module cli/snoop: the one snoop skeleton: the flags every tracing command shares (-p -u -n
 * --json --duration --stats), parsed and checked the same way, and what they mean in the kernel.
 */
import { InvalidArgumentError, type Command } from 'commander';
import type { CommonFilter } from '../sensors/options.js';
import { resolveUid } from '../util/ids.js';
import { intFlag } from './run.js';
import { compileRegex, RegexError, type Matcher } from '../rules/regex.js';
import { containerOptions, type ContainerFlags } from './snoop-containers.js';

/** The largest pid the kernel hands out (PID_MAX_LIMIT on 64-bit). */
const PID_MAX = 4194304;

/** The shared flags after parsing. */
export interface SnoopFlags extends ContainerFlags {
	/** -p: this process and its descendants (decided in the kernel). */
	pid?: number;
	/** -u: a uid (from a number or a user name). */
	uid?: number;
	/** -n: the process name (comm) matches this regular expression (RE2: linear time). */
	name?: Matcher;
	json?: boolean;
	duration?: number;
	stats?: boolean;
}

/** Parser of a uid or user name flag; an unknown name is a one-line error. */
export function uidFlag(v: string): number {
	const uid = resolveUid(v);
	if (uid === undefined) throw new InvalidArgumentError(`unknown user '${v}'`);
	return uid;
}

/** Parser of a regular-expression flag (RE2 syntax, as in rules: matched against event data in linear time); a bad pattern is a one-line error. */
export function regexFlag(name: string): (v: string) => Matcher {
	return (v) => {
		try {
			return compileRegex(v);
		} catch (e) {
			if (e instanceof RegexError) throw new InvalidArgumentError(`invalid ${name} regex: ${e.message}`);
			throw e;
		}
	};
}

/** What a snoop says about its own -u and --json (the rest reads the same everywhere). */
export interface SnoopHelp {
	/** -u help; default: events of this user, decided in the kernel. */
	uid?: string;
	/** --json help: the fields named as in rules. */
	json: string;
}

/** Add -p, -u, -n, --json, --duration, --stats and the container options, with the same parsers and meaning in every snoop. */
export function snoopFlags(cmd: Command, help: SnoopHelp): Command {
	return containerOptions(cmd)
		.option('-p, --pid <PID>', 'only this process and its descendants (decided in the kernel)', intFlag('PID', PID_MAX))
		.option('-u, --uid <UID>', help.uid ?? 'only this user (uid or name; decided in the kernel)', uidFlag)
		.option('-n, --name <REGEX>', 'only processes whose name (comm) matches REGEX', regexFlag('name'))
		.option('--json', `one JSON object per line (fields named as in rules: ${help.json})`)
		.option('--duration <SECONDS>', 'stop after this many seconds', intFlag('duration', 86400 * 365))
		.option('--stats', 'print all counters (kernel and user space) every 10 s and at exit');
}

/** The kernel filters of the shared flags: -u and -p decided in every sensor. */
export function commonFilter(o: SnoopFlags, uidInKernel = true): CommonFilter {
	return { uid: uidInKernel ? o.uid : undefined, followPids: o.pid !== undefined ? [o.pid] : undefined };
}
