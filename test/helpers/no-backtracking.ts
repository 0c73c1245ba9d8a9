/** @module test/helpers/no-backtracking: run code with V8's backtracking RegExp engine switched off, to show a matcher never reaches it. */

/** A string of `bytes` code units that makes backtracking matchers blow up: 'aaa…a!' (a 4 KiB cmdline by default). */
export function hostile(bytes = 4096, last = '!'): string {
	return 'a'.repeat(bytes - last.length) + last;
}

/**
 * Run fn while every RegExp match throws: RegExp.prototype.exec is the one entry every
 * RegExp method (test, match, replace, split) goes through once it has been replaced.
 */
export function withoutBacktracking<T>(fn: () => T): T {
	const exec = RegExp.prototype.exec;
	RegExp.prototype.exec = function refused(this: RegExp): never {
		throw new Error(`backtracking RegExp engine used: /${this.source}/`);
	};
	try {
		return fn();
	} finally {
		RegExp.prototype.exec = exec;
	}
}
