/**
 * @module rules/regex: regular expressions that run in linear time (RE2: no backtracking), for rule
 * conditions and CLI flags matched against strings an attacker controls (comm, argv, paths).
 */
import { createRequire } from 'node:module';
import type RE2 from 're2';

// Loaded on the first pattern: a process whose rules have no regex (the default rules, replay,
// report, search) loads no native module for it.
const load = createRequire(import.meta.url);
let engine: typeof RE2 | undefined;

/** A compiled pattern: true when it matches anywhere in the string (as RegExp.prototype.test). */
export interface Matcher {
	test(s: string): boolean;
}

/** Thrown for a pattern RE2 refuses: a syntax error, or a construct that needs backtracking. */
export class RegexError extends Error {
	readonly code = 'EREGEX';
	constructor(message: string) {
		super(message);
		this.name = 'RegexError';
	}
}

/**
 * Compile pattern in RE2 syntax (unanchored, UTF-8; inline flags such as `(?i)`); backreferences
 * and lookaround, which only a backtracking engine runs, are refused with a RegexError saying so.
 */
export function compileRegex(pattern: string): Matcher {
	engine ??= load('re2') as typeof RE2;
	try {
		return new engine(pattern);
	} catch (e) {
		throw new RegexError(explain(e instanceof Error ? e.message : String(e)));
	}
}

/** RE2's own message, or what the construct is when it is one RE2 leaves out on purpose. */
function explain(msg: string): string {
	const backref = /^invalid escape sequence: (\\[1-9k])/.exec(msg);
	if (backref) return `backreferences are not supported (RE2 syntax): ${backref[1]}`;
	const look = /^invalid perl operator: (\(\?<?[=!])/.exec(msg);
	if (look) return `lookaround is not supported (RE2 syntax): ${look[1]}`;
	return msg;
}
